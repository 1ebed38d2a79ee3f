"""Images built in stages, from text, with attention: LAPGAN, GRAN, StackGAN, SAGAN, BigGAN."""

from tfgan_zoo.recipes.common import SMOKE_CONV, SMOKE_MLP
from tfgan_zoo.recipes.expectations import Expect
from tfgan_zoo.recipes.recipe import Recipe

# === Images built in stages: LAPGAN (Denton et al. 2015) and GRAN (Im et al. 2016) ===
RECIPES = [
    Recipe(name="lapgan_mnist8k", description="LAPGAN on mnist8k at 32x32: a fully connected GAN on the 8x8 "
           "images, then conditional conv GANs on the 16x16 and 32x32 Laplacian residuals, sampled as a cascade.",
           model="lapgan", networks="mlp", generator_options={"hidden_units": [512, 512]},
           discriminator_options={"hidden_units": [256, 256]}, latent_dim=64,
           model_options={"levels": 2, "residual_generator_options": {"filters": [32, 32]},
                          "residual_discriminator_options": {"base_filters": 32}},
           dataset="mnist8k", image_size=32, minutes=5.0, steps=100000,
           expect=Expect(cpu_minutes=20, bounds={"fid": 15}),
           smoke={**SMOKE_MLP, "model_options.residual_generator_options": {"filters": [4]},
                  "model_options.residual_discriminator_options": {"base_filters": 4}}),
    Recipe(name="gran_mnist8k", description="GRAN on mnist8k: a recurrent generator drawing 3 canvas updates "
           "(shared conv encoder of the previous update and deconv decoder), tanh of their sum; small DCGAN "
           "discriminator with minibatch standard deviation (without it the 5-minute run collapsed to 2 digits).",
           networks="gran", generator_options={"steps": 3, "base_filters": 32, "code_units": 128},
           discriminator_options={"base_filters": 32, "minibatch_stddev": True}, dataset="mnist8k", minutes=5.0,
           steps=100000,
           expect=Expect(cpu_minutes=20, bounds={"fid": 20, "classes": 10}),
           smoke={**SMOKE_CONV, "generator_options.code_units": 8}),
]

# === Text to image: StackGAN (Zhang et al. 2017) ===
RECIPES += [
    Recipe(name="stackgan_shapes", description="StackGAN on captioned shapes ('a small red square at the top left'): "
           "a pre-trained frozen text encoder, Conditioning Augmentation, Stage-I at 16x16 for 1,200 steps, then "
           "Stage-II refining to 32x32; a tenth of the caption combinations held out.",
           model="stackgan", networks="stackgan", generator_options={"base_filters": 32},
           discriminator_options={"base_filters": 32}, latent_dim=32,
           model_options={"stage1_steps": 1200, "kl_weight": 1.0}, dataset="gen:shapes", image_size=32, steps=2400,
           smoke={**SMOKE_CONV, "latent_dim": 4, "dataset": "gen:shapes:64", "model_options.stage1_steps": 1,
                  "model_options.compressed_dim": 4,
                  "model_options.text_encoder": {"token_dim": 4, "filters": 8, "embedding_dim": 8,
                                                 "pretrain_steps": 2}}),
]

# === Attention and scale: SAGAN (Zhang et al. 2019) and a small BigGAN (Brock et al. 2019) ===
# SAGAN is the GAN update with its networks (self-attention at 16x16, spectral norm in G and D), the
# hinge loss and two time-scale rates; BigGAN adds its own class (orthogonal regularisation,
# truncated sampling), class-conditional residual networks, EMA and synchronised BatchNorm.
_SAGAN = dict(networks="sagan", loss="hinge", latent_dim=128, g_lr=1e-4, g_beta1=0.0, g_beta2=0.9, d_lr=4e-4,
              d_beta1=0.0, d_beta2=0.9, generator_options={"base_filters": 16},
              discriminator_options={"base_filters": 16}, image_size=32)
_BIGGAN = dict(model="biggan", networks="biggan", conditional=True, loss="hinge", latent_dim=64,
               generator_options={"base_filters": 16, "embedding_dim": 32}, discriminator_options={"base_filters": 16},
               model_options={"orthogonal_weight": 1e-4}, g_lr=1e-4, g_beta1=0.0, g_beta2=0.999, d_lr=4e-4,
               d_beta1=0.0, d_beta2=0.999, ema_decay=0.999, sync_batchnorm=True, image_size=32)
_SMOKE_SHAPES_CONV = {**SMOKE_CONV, "dataset": "gen:shapes:64"}
RECIPES += [
    Recipe(name="sagan_mnist8k", description="SAGAN: self-attention at 16x16 and spectral norm in G and D, hinge "
           "loss, Adam(0, 0.9) at 1e-4 (G) / 4e-4 (D); mnist8k at 32x32.",
           **_SAGAN, dataset="mnist8k", minutes=5.0, steps=100000,
           expect=Expect(cpu_minutes=20, bounds={"fid": 10}), smoke=SMOKE_CONV),
    Recipe(name="sagan_shapes", description="SAGAN (as sagan_mnist8k) on the generated shapes, 32x32 colour.",
           **_SAGAN, dataset="gen:shapes", steps=2000, smoke=_SMOKE_SHAPES_CONV),
    Recipe(name="biggan_mnist8k", description="Small BigGAN, conditional on the digit: shared class embedding and "
           "hierarchical latent in conditional BatchNorm, projection D, attention, spectral norm, orthogonal "
           "regularisation 1e-4, hinge, Adam(0, 0.999) 1e-4 / 4e-4, EMA 0.999; mnist8k at 32x32.",
           **_BIGGAN, dataset="mnist8k", minutes=5.0, steps=100000,
           expect=Expect(cpu_minutes=20, bounds={"fid": 8, "label_accuracy": 0.98}), smoke=SMOKE_CONV),
    Recipe(name="biggan_shapes", description="Small BigGAN (as biggan_mnist8k) on the generated shapes, conditional "
           "on the shape kind, 32x32 colour.",
           **_BIGGAN, dataset="gen:shapes", steps=2000, smoke=_SMOKE_SHAPES_CONV),
    Recipe(name="biggan_cifar10", description="Small BigGAN (as biggan_mnist8k, base 32 filters) on CIFAR-10 from "
           "TFDS, conditional on the class (needs a network connection once).",
           **{**_BIGGAN, "generator_options": {"base_filters": 32, "embedding_dim": 64},
              "discriminator_options": {"base_filters": 32}},
           dataset="tfds:cifar10", steps=20000, smoke=_SMOKE_SHAPES_CONV),
]
