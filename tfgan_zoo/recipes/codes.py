"""Variants that learn codes and labels: ACGAN, InfoGAN, ControlGAN, BiGAN, AAE, VAE, semi-supervised."""

from tfgan_zoo.recipes.common import SMOKE_CONV, SMOKE_MLP
from tfgan_zoo.recipes.expectations import Expect
from tfgan_zoo.recipes.recipe import Recipe

# The claims of issue 20, checked by `tfgan-zoo verify` (mnist8k, domain classifier, held-out digits).
CONDITIONAL_CLAIM = Expect(cpu_minutes=10, bounds={"fid": 6, "label_accuracy": 0.97})
# cgan_mnist8k's networks (64 base filters, one stride-1 conv at G's 7x7 stem) and Adam 4e-4: the small
# DCGAN (32 filters) stalled ACGAN at FID 30 and ControlGAN at 47 in 5 CPU-minutes (BENCHMARKS.md, issue 20).
CGAN_NETWORKS = dict(generator_options={"stem_convs": 1}, g_lr=4e-4, d_lr=4e-4)

_SMOKE_CLASSIFIER = {"model_options.classifier_options": {"filters": [8, 16]}}
RECIPES = [
    Recipe(
        name="controlgan_shapes",
        description="ControlGAN (Lee & Seok 2019) on the generated shapes: conditional DCGAN generator, "
        "unconditional discriminator, a separate conv classifier trained on real shapes only.",
        model="controlgan",
        conditional=True,
        generator_options={"base_filters": 32},
        discriminator_options={"base_filters": 32},
        model_options={"classifier_options": {"filters": [32, 64, 128]}},
        dataset="gen:shapes",
        steps=2000,
        ema_decay=0.999,
        smoke={**SMOKE_CONV, **_SMOKE_CLASSIFIER, "dataset": "gen:shapes:64"},
    ),
    Recipe(
        name="controlgan_mnist8k",
        description="ControlGAN on mnist8k: DCGAN generator (label input) and discriminator (no label) with the "
        "networks and rates of cgan_mnist8k, conv classifier on real digits only, gamma from 0 with r=1e-3 and "
        "alpha=1.",
        model="controlgan",
        conditional=True,
        **CGAN_NETWORKS,
        model_options={"classifier_options": {"filters": [32, 64, 128]}},
        dataset="mnist8k",
        minutes=5.0,
        steps=100000,
        ema_decay=0.999,
        expect=CONDITIONAL_CLAIM,
        smoke={**SMOKE_CONV, **_SMOKE_CLASSIFIER},
    ),
    Recipe(
        name="infogan_shapes",
        description="InfoGAN: a 3-way categorical and 2 continuous codes, small DCGAN, on the generated shapes.",
        model="infogan",
        model_options={"categorical_codes": [3], "continuous_codes": 2},
        generator_options={"base_filters": 32},
        discriminator_options={"base_filters": 32},
        latent_dim=62,
        g_lr=1e-3,
        dataset="gen:shapes",
        steps=2000,
        smoke={**SMOKE_CONV, "dataset": "gen:shapes:64"},
    ),
    Recipe(
        name="infogan_mnist8k",
        description="InfoGAN on mnist8k as in the paper: z of 62, one 10-way and two continuous codes, a dense "
        "layer of 1024 units in G (before the 7x7 projection) and in D (after the convolutions, Q's input), "
        "Q with 128 hidden units, Adam 1e-3 (G) / 2e-4 (D).",
        model="infogan",
        model_options={"categorical_codes": [10], "continuous_codes": 2, "q_hidden_units": [128]},
        # The paper's MNIST networks (Chen et al. 2016, appendix C.1). Without the two dense layers the
        # categorical code had 58.5% error at 5 CPU-minutes and 41% at 20; with them 8.8% at 15 (BENCHMARKS.md).
        generator_options={"dense_units": [1024]},
        discriminator_options={"dense_units": [1024]},
        latent_dim=62,
        g_lr=1e-3,
        dataset="mnist8k",
        minutes=5.0,
        steps=100000,
        expect=Expect(cpu_minutes=20, bounds={"code_error": 0.10, "fid": 15}),
        smoke={**SMOKE_CONV, "generator_options.dense_units": [16], "discriminator_options.dense_units": [16]},
    ),
]

_SMOKE_ENCODER_CONV = {"model_options.encoder_options": {"base_filters": 8}}
_SMOKE_ENCODER_MLP = {"model_options.encoder_options": {"hidden_units": [32]}}
_SMOKE_JOINT = {"discriminator_options.latent_units": [32], "discriminator_options.joint_units": [32]}
RECIPES += [
    Recipe(
        name="bigan_shapes",
        description="BiGAN (Donahue et al. 2017): DCGAN generator and encoder, joint D(x, z), on generated shapes.",
        model="bigan",
        generator_options={"base_filters": 32},
        discriminator_options={"base_filters": 32, "latent_units": [256], "joint_units": [512]},
        model_options={"encoder_options": {"base_filters": 32}},
        latent_dim=32,
        dataset="gen:shapes",
        steps=2000,
        smoke={**SMOKE_CONV, **_SMOKE_ENCODER_CONV, **_SMOKE_JOINT, "dataset": "gen:shapes:64"},
    ),
    Recipe(
        name="bigan_mnist8k",
        description="BiGAN, the paper's permutation-invariant MNIST setting (fully connected, 1024 units, "
        "latent 50), on mnist8k.",
        model="bigan",
        networks="mlp",
        generator_options={"hidden_units": [1024, 1024]},
        discriminator_options={"hidden_units": [1024], "latent_units": [1024], "joint_units": [1024], "dropout": 0.2},
        model_options={"encoder_options": {"hidden_units": [1024, 1024]}},
        latent_dim=50,
        dataset="mnist8k",
        batch_size=128,
        minutes=5.0,
        steps=100000,
        expect=Expect(cpu_minutes=20, bounds={"classes": 10, "fid": 40, "encoder_accuracy": 0.95}),
        smoke={**SMOKE_MLP, **_SMOKE_ENCODER_MLP, **_SMOKE_JOINT},
    ),
    Recipe(
        name="aae_shapes",
        description="Adversarial autoencoder (Makhzani et al. 2016): DCGAN encoder and decoder, code "
        "discriminator on a 16-d Gaussian prior, on generated shapes.",
        model="aae",
        generator_options={"base_filters": 32},
        discriminator_options={"hidden_units": [256, 256]},
        model_options={"encoder_options": {"base_filters": 32}},
        latent_dim=16,
        g_lr=1e-3,
        g_beta1=0.9,
        d_lr=1e-4,
        dataset="gen:shapes",
        steps=2000,
        smoke={"generator_options.base_filters": 8, "discriminator_options.hidden_units": [16],
               **_SMOKE_ENCODER_CONV, "dataset": "gen:shapes:64"},
    ),
    Recipe(
        name="aae_mnist8k",
        description="Adversarial autoencoder, the paper's MNIST networks (two layers of 1000 units in E, G and D; "
        "8-d Gaussian prior), on mnist8k.",
        model="aae",
        networks="mlp",
        generator_options={"hidden_units": [1000, 1000]},
        discriminator_options={"hidden_units": [1000, 1000]},
        model_options={"encoder_options": {"hidden_units": [1000, 1000]}},
        latent_dim=8,
        g_lr=1e-3,
        g_beta1=0.9,
        d_lr=1e-4,
        batch_size=100,
        dataset="mnist8k",
        minutes=5.0,
        steps=100000,
        expect=Expect(cpu_minutes=20, bounds={"fid": 30, "encoder_accuracy": 0.95}),
        smoke={**SMOKE_MLP, **_SMOKE_ENCODER_MLP},
    ),
]

_SMOKE_VAE = {"generator_options.base_filters": 8, "model_options.encoder_options": {"base_filters": 8}}
_SMOKE_VAE_GAN = {**SMOKE_CONV, "model_options.encoder_options": {"base_filters": 8}}
_VAE_OPTIMIZERS = dict(g_lr=1e-3, g_beta1=0.9, d_lr=1e-3, d_beta1=0.9)
RECIPES += [
    # === VAE (Kingma & Welling 2014) and VAE-GAN (Larsen et al. 2016) ===
    Recipe(name="vae_shapes", description="VAE (Kingma & Welling 2014), DCGAN-shaped encoder and decoder, "
           "Bernoulli pixels, on the generated shapes.",
           model="vae", generator_options={"base_filters": 32},
           model_options={"encoder_options": {"base_filters": 32}, "reconstruction": "bernoulli"},
           latent_dim=32, dataset="gen:shapes", steps=1600, **_VAE_OPTIMIZERS,
           smoke={**_SMOKE_VAE, "dataset": "gen:shapes:64"}),
    Recipe(name="vae_mnist8k", description="VAE (Kingma & Welling 2014), DCGAN-shaped encoder and decoder, "
           "Bernoulli pixels; the non-adversarial baseline on mnist8k.",
           model="vae", generator_options={"base_filters": 32},
           model_options={"encoder_options": {"base_filters": 32}, "reconstruction": "bernoulli"},
           latent_dim=16, dataset="mnist8k", minutes=5.0, steps=100000, **_VAE_OPTIMIZERS, smoke=_SMOKE_VAE),
    Recipe(name="vae_gan_shapes", description="VAE-GAN (Larsen et al. 2016): reconstruction in D's feature space, "
           "DCGAN-shaped networks, on the generated shapes.",
           model="vae_gan", generator_options={"base_filters": 32}, discriminator_options={"base_filters": 32},
           model_options={"encoder_options": {"base_filters": 32}, "reconstruction_weight": 0.01},
           latent_dim=32, dataset="gen:shapes", steps=1600, smoke={**_SMOKE_VAE_GAN, "dataset": "gen:shapes:64"}),
    Recipe(name="vae_gan_mnist8k", description="VAE-GAN (Larsen et al. 2016): reconstruction in D's feature space, "
           "DCGAN-shaped networks, on mnist8k.",
           model="vae_gan", generator_options={"base_filters": 32}, discriminator_options={"base_filters": 32},
           model_options={"encoder_options": {"base_filters": 32}, "reconstruction_weight": 0.01},
           latent_dim=32, dataset="mnist8k", minutes=5.0, steps=100000,
           expect=Expect(cpu_minutes=20, bounds={"fid": 30}), smoke=_SMOKE_VAE_GAN),
]

RECIPES += [
    # === ACGAN (Odena et al. 2017) ===
    Recipe(name="acgan_shapes", description="ACGAN: conditional DCGAN generator; D predicts real/fake and the "
           "shape class (no label input).",
           model="acgan", conditional=True, generator_options={"base_filters": 32},
           discriminator_options={"base_filters": 32}, dataset="gen:shapes", steps=2000, ema_decay=0.999,
           smoke={**SMOKE_CONV, "dataset": "gen:shapes:64"}),
    Recipe(name="acgan_mnist8k", description="ACGAN on mnist8k: class cross-entropy on real and generated digits "
           "(weight 1), the networks and rates of cgan_mnist8k.",
           model="acgan", conditional=True, **CGAN_NETWORKS, model_options={"class_weight": 1.0}, dataset="mnist8k",
           minutes=5.0, steps=100000, ema_decay=0.999,
           expect=CONDITIONAL_CLAIM, smoke=SMOKE_CONV),
    # === Semi-supervised GAN (Salimans et al. 2016; Odena 2016) ===
    # conditional=True only makes labels flow (-1 marks unlabelled rows); the generator is unconditional.
    Recipe(name="ssgan_shapes", description="Semi-supervised GAN: 3-class D with the implicit fake class, 30 "
           "labelled shapes, feature matching.",
           model="semi_supervised_gan", conditional=True, feature_matching=True,
           generator_options={"base_filters": 32}, discriminator_options={"base_filters": 32},
           model_options={"num_labelled": 30}, dataset="gen:shapes", steps=2000,
           smoke={**SMOKE_CONV, "dataset": "gen:shapes:64", "model_options.num_labelled": 6}),
    # Salimans et al. put Gaussian noise on what D reads; on its inputs alone (std 0.5, constant) it cut the
    # test error from 12.7% to 6.8-9.5% (3 seeds) at equal steps, where D otherwise fits the 100 labels (BENCHMARKS.md).
    Recipe(name="ssgan_mnist8k", description="Semi-supervised GAN on mnist8k:train with 100 labels (10 per digit, "
           "half of each batch labelled), feature matching, Gaussian noise (std 0.5) on D's inputs, small DCGAN; "
           "evaluate on mnist8k:test.",
           model="semi_supervised_gan", conditional=True, feature_matching=True, instance_noise=0.5,
           generator_options={"base_filters": 32}, discriminator_options={"base_filters": 32},
           model_options={"num_labelled": 100}, dataset="mnist8k:train", batch_size=100, g_lr=1e-3, d_lr=1e-3,
           minutes=5.0, steps=100000,
           expect=Expect(cpu_minutes=30, bounds={"test_error": 0.05, "supervised_gain": 0.10}), smoke=SMOKE_CONV),
]
