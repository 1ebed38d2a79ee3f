"""Progressive GAN and a small StyleGAN."""

from tfgan_zoo.recipes.expectations import Expect
from tfgan_zoo.recipes.recipe import Recipe

# === Progressive GAN (Karras et al. 2018) and a small StyleGAN (Karras et al. 2019) ===
# Filters 64 at 4x4 and 8x8, 32 at 16x16, 16 at 32x32; batch 32 (about 0.16 CPU-s a step at 32 px,
# so 5 CPU-minutes is about 1,800 steps); both sample from a generator EMA.
_STYLE_NETWORKS = {"base_filters": 16, "max_filters": 64}
_SMOKE_STYLE = {"generator_options.base_filters": 4, "generator_options.max_filters": 8,
                "discriminator_options.base_filters": 4, "discriminator_options.max_filters": 8, "latent_dim": 8}
# The paper's loss and optimizer: WGAN-GP (lambda 10) with one critic step and drift 0.001, Adam(1e-3, 0, 0.99).
_PROGAN = dict(model="progan", networks="progan", generator_options=_STYLE_NETWORKS,
               discriminator_options=_STYLE_NETWORKS, loss="wasserstein", gradient_penalty_weight=10.0,
               latent_dim=64, g_lr=1e-3, g_beta1=0.0, g_beta2=0.99, d_lr=1e-3, d_beta1=0.0, d_beta2=0.99,
               ema_decay=0.999, batch_size=32)
_SMOKE_PROGAN = {**_SMOKE_STYLE, "model_options.stabilise_steps": 1, "model_options.fade_steps": 1}
# The paper's loss: non-saturating with R1 gamma 10 (r1_weight 5); style mixing 0.9, mapping lr x0.01,
# Adam(1e-3, 0, 0.99). These settings draw all 10 digits in 5 CPU-minutes since the learned constant starts
# N(0, 1) (see `LearnedConstant`); with a constant of ones gamma 1 and 10 both drew 5 (BENCHMARKS.md).
_STYLEGAN = dict(model="stylegan", networks="stylegan", generator_options={**_STYLE_NETWORKS, "w_dim": 64},
                 discriminator_options=_STYLE_NETWORKS, model_options={"style_mixing": 0.9}, r1_weight=5.0,
                 latent_dim=64, g_lr=1e-3, g_beta1=0.0, g_beta2=0.99, d_lr=1e-3, d_beta1=0.0, d_beta2=0.99,
                 ema_decay=0.999, batch_size=32)
_SMOKE_STYLEGAN = {**_SMOKE_STYLE, "generator_options.w_dim": 8}
# The claim of issue 21 for both on mnist8k (domain classifier at 32x32).
MULTI_SCALE_CLAIM = Expect(cpu_minutes=20, bounds={"fid": 10})
RECIPES = [
    Recipe(name="progan_mnist8k", description="Progressive GAN: 4x4 -> 32x32 (150 steps per stabilisation and per "
           "fade-in, full size from step 900), equalised lr, pixel norm, minibatch stddev, WGAN-GP + drift; "
           "mnist8k at 32x32.",
           **_PROGAN, model_options={"stabilise_steps": 150, "fade_steps": 150, "drift_weight": 0.001},
           dataset="mnist8k", image_size=32, minutes=5.0, steps=100000,
           expect=MULTI_SCALE_CLAIM, smoke=_SMOKE_PROGAN),
    Recipe(name="progan_celeba64", description="Progressive GAN 4x4 -> 64x64 (2,000 steps per phase) on CelebA "
           "from TFDS, resized to 64x64 (needs a network connection once).",
           **{**_PROGAN, "generator_options": {"base_filters": 16, "max_filters": 128},
              "discriminator_options": {"base_filters": 16, "max_filters": 128}},
           model_options={"stabilise_steps": 2000, "fade_steps": 2000, "drift_weight": 0.001},
           dataset="tfds:celeb_a", image_size=64, steps=20000,
           smoke={**_SMOKE_PROGAN, "dataset": "gen:shapes:64", "image_size": 32}),
    Recipe(name="stylegan_mnist8k", description="Small StyleGAN: 4-layer mapping to W (64-d), AdaIN styles and noise "
           "inputs on a learned 4x4 constant, style mixing 0.9, tracked w for truncation, non-saturating + R1; "
           "mnist8k at 32x32.",
           **_STYLEGAN, dataset="mnist8k", image_size=32, minutes=5.0, steps=100000,
           expect=MULTI_SCALE_CLAIM, smoke=_SMOKE_STYLEGAN),
    Recipe(name="stylegan_celeba64", description="Small StyleGAN (as stylegan_mnist8k, 128-d W) on CelebA from TFDS, "
           "resized to 64x64 (needs a network connection once).",
           **{**_STYLEGAN, "generator_options": {"base_filters": 16, "max_filters": 128, "w_dim": 128},
              "discriminator_options": {"base_filters": 16, "max_filters": 128}, "latent_dim": 128},
           dataset="tfds:celeb_a", image_size=64, steps=20000,
           smoke={**_SMOKE_STYLEGAN, "dataset": "gen:shapes:64", "image_size": 32}),
]
