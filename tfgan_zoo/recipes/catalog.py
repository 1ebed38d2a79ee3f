"""Named recipes. Each lists only what differs from the `Recipe` defaults.

Budgets are for the reference machine (2 CPU cores); `steps` is an upper
bound and `minutes` a wall-clock budget (0: none).
"""

from tfgan_zoo.recipes.recipe import Recipe

# The networks of the sneaker-generation study (fully connected GAN).
_SNEAKER_GENERATOR = {"hidden_units": [1024, 1024]}
_SNEAKER_DISCRIMINATOR = {"hidden_units": [256, 256], "leaky_slope": 0.01}
_SMOKE_MLP = {"generator_options.hidden_units": [32], "discriminator_options.hidden_units": [32]}
_SMOKE_CONV = {"generator_options.base_filters": 8, "discriminator_options.base_filters": 8}
# Shared by the 2-D mixture recipes (they differ only in their dataset).
_MIXTURE_GAN = dict(
    networks="mlp",
    generator_options={"output_activation": None, "hidden_units": [256, 256, 256]},
    discriminator_options={"hidden_units": [256, 256, 256], "leaky_slope": 0.2},
    latent_dim=16,
    batch_size=256,
    g_lr=1e-3,
    d_lr=1e-3,
    steps=6000,
    steps_per_epoch=500,
    sample_count=2500,
    smoke={**_SMOKE_MLP, "sample_count": 64},
)

# The small DCGAN (32 base filters) the loss-family study on mnist8k shares.
_SMALL_DCGAN_MNIST8K = dict(
    generator_options={"base_filters": 32},
    discriminator_options={"base_filters": 32},
    dataset="mnist8k",
    minutes=5.0,
    steps=100000,
    smoke=_SMOKE_CONV,
)
# WGAN-GP's critic: no BatchNorm (the penalty is per example), LayerNorm instead.
_LAYER_NORM_CRITIC = {"base_filters": 32, "normalization": "layer"}
_WGAN_GP_OPTIMIZERS = dict(g_lr=1e-4, g_beta1=0.0, g_beta2=0.9, d_lr=1e-4, d_beta1=0.0, d_beta2=0.9)

DEFAULT_RECIPE = "dcgan_shapes"


def _mixtures(variant, description, **fields):
    """The `<variant>_ring8` and `<variant>_grid25` recipes of the 2-D mode-collapse benchmark."""
    datasets = (("ring8", "the ring of 8 Gaussians"), ("grid25", "the 5x5 grid of Gaussians"))
    return [
        Recipe(name=f"{variant}_{key}", description=f"{description} on {label} (mode-collapse benchmark).",
               dataset=f"gen:{key}", **{**_MIXTURE_GAN, **fields})
        for key, label in datasets
    ]


def _small_dcgan_mnist8k(variant, description, **fields):
    """A recipe of the mnist8k loss-family study: the small DCGAN with `fields` changed."""
    options = {**_SMALL_DCGAN_MNIST8K, **fields}
    return Recipe(name=f"{variant}_mnist8k", description=f"{description}; small DCGAN on mnist8k.", **options)

_RECIPES = [
    # === Fully connected GAN (Goodfellow et al. 2014) ===
    Recipe(
        name="gan_mnist8k",
        description="Fully connected GAN, the sneaker-study networks, on mnist8k.",
        networks="mlp",
        generator_options=_SNEAKER_GENERATOR,
        discriminator_options=_SNEAKER_DISCRIMINATOR,
        latent_dim=32,
        dataset="mnist8k",
        minutes=5.0,
        steps=100000,
        smoke=_SMOKE_MLP,
    ),
    Recipe(
        name="gan_shapes",
        description="Fully connected GAN, the sneaker-study networks, on generated shapes.",
        networks="mlp",
        generator_options=_SNEAKER_GENERATOR,
        discriminator_options=_SNEAKER_DISCRIMINATOR,
        latent_dim=32,
        dataset="gen:shapes",
        smoke={**_SMOKE_MLP, "dataset": "gen:shapes:64"},
    ),
    Recipe(
        name="gan_algorithm1_mnist8k",
        description="Goodfellow et al.'s Algorithm 1: SGD with momentum, uniform prior, minimax loss, k=1.",
        networks="mlp",
        generator_options=_SNEAKER_GENERATOR,
        discriminator_options=_SNEAKER_DISCRIMINATOR,
        latent_dim=100,
        latent_prior="uniform",
        loss="minimax",
        g_optimizer="sgd",
        g_lr=0.01,
        d_optimizer="sgd",
        d_lr=0.01,
        dataset="mnist8k",
        minutes=5.0,
        steps=100000,
        smoke=_SMOKE_MLP,
    ),
    *_mixtures("gan", "Fully connected GAN (non-saturating)"),
    # === DCGAN (Radford et al. 2016) ===
    Recipe(
        name="dcgan_shapes",
        description="DCGAN, 32x32 colour, on the generated shapes (the offline default).",
        generator_options={"base_filters": 32},
        discriminator_options={"base_filters": 32},
        dataset="gen:shapes",
        steps=1600,
        ema_decay=0.999,
        smoke={**_SMOKE_CONV, "dataset": "gen:shapes:64"},
    ),
    Recipe(
        name="dcgan_shapes64",
        description="DCGAN, 64x64 colour, on the generated shapes.",
        dataset="gen:shapes",
        image_size=64,
        steps=3000,
        ema_decay=0.999,
        smoke={**_SMOKE_CONV, "dataset": "gen:shapes:64"},
    ),
    Recipe(
        name="dcgan_mnist8k",
        description="DCGAN, 28x28 grayscale, on mnist8k with the DCGAN paper's optimizer settings.",
        dataset="mnist8k",
        minutes=5.0,
        steps=100000,
        ema_decay=0.999,
        smoke=_SMOKE_CONV,
    ),
    Recipe(
        name="dcgan_cifar10",
        description="DCGAN, 32x32 colour, on CIFAR-10 from TFDS (needs a network connection once).",
        dataset="tfds:cifar10",
        steps=20000,
        ema_decay=0.999,
        smoke={**_SMOKE_CONV, "dataset": "gen:shapes:64"},
    ),
    Recipe(
        name="dcgan_tutorial_mnist8k",
        description="The TensorFlow DCGAN tutorial as published (Adam 1e-4, batch 256), for comparison.",
        networks="tutorial",
        dataset="mnist8k",
        g_lr=1e-4,
        g_beta1=0.9,
        d_lr=1e-4,
        d_beta1=0.9,
        batch_size=256,
        minutes=5.0,
        steps=100000,
        steps_per_epoch=30,
        smoke={},
    ),
    # === CGAN (Mirza & Osindero 2014) ===
    Recipe(
        name="cgan_mnist8k",
        description="Conditional DCGAN on mnist8k: the digit label goes to G and D.",
        conditional=True,
        dataset="mnist8k",
        minutes=5.0,
        steps=100000,
        ema_decay=0.999,
        smoke=_SMOKE_CONV,
    ),
    Recipe(
        name="cgan_mlp_mnist8k",
        description="Conditional fully connected GAN on mnist8k (Mirza & Osindero's setting).",
        conditional=True,
        networks="mlp",
        generator_options=_SNEAKER_GENERATOR,
        discriminator_options=_SNEAKER_DISCRIMINATOR,
        dataset="mnist8k",
        minutes=5.0,
        steps=100000,
        smoke=_SMOKE_MLP,
    ),
    Recipe(
        name="cgan_shapes",
        description="Conditional DCGAN on the generated shapes: the shape kind is the label.",
        conditional=True,
        generator_options={"base_filters": 32},
        discriminator_options={"base_filters": 32},
        dataset="gen:shapes",
        steps=2000,
        ema_decay=0.999,
        smoke={**_SMOKE_CONV, "dataset": "gen:shapes:64"},
    ),
]

# === Loss families and stabilisers (issue 6) ===
_RECIPES += [
    # 2-D mode-collapse benchmark: the plain GAN above against its remedies.
    *_mixtures("lsgan", "LSGAN (least-squares losses, Mao et al. 2017)", loss="least_squares"),
    *_mixtures("wgan_gp", "WGAN-GP (lambda 0.1 as in the paper's toy runs, 5 critic steps, Adam beta 0, 0.9)",
               loss="wasserstein", gradient_penalty_weight=0.1, d_steps=5, g_beta1=0.0, g_beta2=0.9,
               d_beta1=0.0, d_beta2=0.9, steps=3000),
    *_mixtures("sngan", "SNGAN (spectral normalisation in D, hinge loss, Miyato et al. 2018)", loss="hinge",
               discriminator_options={**_MIXTURE_GAN["discriminator_options"], "spectral_norm": True}),
    # First order: the paper's second-order term is exact here (tested against finite differences)
    # but collapsed to one ring mode in a 3,000-step pilot; see BENCHMARKS.md.
    *_mixtures("unrolled", "Unrolled GAN (5 unrolled steps of D's own Adam, first order; Metz et al. 2017) with "
               "generator EMA 0.999", model="unrolled_gan", model_options={"unroll_steps": 5, "second_order": False},
               ema_decay=0.999, steps=3000),
    *_mixtures("pacgan", "PacGAN4 (D scores 4 samples jointly, Lin et al. 2018)", pack=4),
    # mnist8k: one recipe per loss family and remedy, on the same small DCGAN.
    _small_dcgan_mnist8k("dcgan_small", "Non-saturating GAN, the study's baseline"),
    _small_dcgan_mnist8k("minimax", "Saturating minimax loss (Goodfellow et al. 2014)", loss="minimax"),
    _small_dcgan_mnist8k("lsgan", "LSGAN (Mao et al. 2017)", loss="least_squares"),
    _small_dcgan_mnist8k("hinge", "Hinge loss (Lim & Ye 2017)", loss="hinge"),
    _small_dcgan_mnist8k("wgan", "WGAN: weight clipping 0.01, 5 critic steps, RMSprop 5e-5 (Arjovsky et al. 2017)",
                         loss="wasserstein", weight_clip=0.01, d_steps=5, g_optimizer="rmsprop", g_lr=5e-5,
                         g_beta2=0.9, d_optimizer="rmsprop", d_lr=5e-5, d_beta2=0.9),
    _small_dcgan_mnist8k("wgan_gp", "WGAN-GP: lambda 10, 5 critic steps, Adam(1e-4, 0, 0.9), LayerNorm critic "
                         "(Gulrajani et al. 2017)", loss="wasserstein", gradient_penalty_weight=10.0, d_steps=5,
                         discriminator_options=_LAYER_NORM_CRITIC, **_WGAN_GP_OPTIMIZERS),
    _small_dcgan_mnist8k("dragan", "DRAGAN: gradient penalty around the real data (Kodali et al. 2017)",
                         gradient_penalty_weight=10.0, gradient_penalty_on="dragan",
                         discriminator_options=_LAYER_NORM_CRITIC),
    _small_dcgan_mnist8k("r1", "Non-saturating GAN with R1 gamma 10 (Mescheder et al. 2018)", r1_weight=5.0,
                         discriminator_options=_LAYER_NORM_CRITIC),
    _small_dcgan_mnist8k("sngan", "SNGAN: spectral norm, hinge, two time-scale rates 1e-4 / 4e-4 (Miyato et al. "
                         "2018; Heusel et al. 2017)", loss="hinge", g_lr=1e-4, g_beta1=0.0, g_beta2=0.9, d_lr=4e-4,
                         d_beta1=0.0, d_beta2=0.9,
                         discriminator_options={"base_filters": 32, "normalization": "none", "spectral_norm": True}),
    _small_dcgan_mnist8k("diffaugment", "Non-saturating GAN with DiffAugment colour, translation, cutout "
                         "(Zhao et al. 2020)", diff_augment="color,translation,cutout"),
    _small_dcgan_mnist8k("ema", "Non-saturating GAN sampled from a generator EMA (decay 0.999)", ema_decay=0.999),
    _small_dcgan_mnist8k("improved", "Salimans et al. 2016 switches: feature matching, minibatch discrimination, "
                         "one-sided label smoothing 0.1, historical averaging 1e-4", feature_matching=True,
                         label_smoothing=0.1, historical_averaging=1e-4,
                         discriminator_options={"base_filters": 32, "minibatch_discrimination": 16}),
    _small_dcgan_mnist8k("instance_noise", "Annealed instance noise (std 0.1 to 0 over 2000 steps) and minibatch "
                         "standard deviation in D", instance_noise=0.1, instance_noise_steps=2000,
                         discriminator_options={"base_filters": 32, "minibatch_stddev": True}),
]

# === Variants that learn codes and labels (issue 5) ===
_SMOKE_CLASSIFIER = {"model_options.classifier_options": {"filters": [8, 16]}}
_RECIPES += [
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
        smoke={**_SMOKE_CONV, **_SMOKE_CLASSIFIER, "dataset": "gen:shapes:64"},
    ),
    Recipe(
        name="controlgan_mnist8k",
        description="ControlGAN on mnist8k: small DCGAN generator (label input) and discriminator (no label), "
        "conv classifier on real digits only, gamma from 0 with r=1e-3 and alpha=1.",
        model="controlgan",
        conditional=True,
        generator_options={"base_filters": 32},
        discriminator_options={"base_filters": 32},
        model_options={"classifier_options": {"filters": [32, 64, 128]}},
        dataset="mnist8k",
        minutes=5.0,
        steps=100000,
        ema_decay=0.999,
        smoke={**_SMOKE_CONV, **_SMOKE_CLASSIFIER},
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
        smoke={**_SMOKE_CONV, "dataset": "gen:shapes:64"},
    ),
    Recipe(
        name="infogan_mnist8k",
        description="InfoGAN on mnist8k as in the paper: z of 62, one 10-way and two continuous codes, "
        "Q with 128 hidden units, Adam 1e-3 (G) / 2e-4 (D).",
        model="infogan",
        model_options={"categorical_codes": [10], "continuous_codes": 2, "q_hidden_units": [128]},
        latent_dim=62,
        g_lr=1e-3,
        dataset="mnist8k",
        minutes=5.0,
        steps=100000,
        smoke=_SMOKE_CONV,
    ),
]

_SMOKE_ENCODER_CONV = {"model_options.encoder_options": {"base_filters": 8}}
_SMOKE_ENCODER_MLP = {"model_options.encoder_options": {"hidden_units": [32]}}
_SMOKE_JOINT = {"discriminator_options.latent_units": [32], "discriminator_options.joint_units": [32]}
_RECIPES += [
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
        smoke={**_SMOKE_CONV, **_SMOKE_ENCODER_CONV, **_SMOKE_JOINT, "dataset": "gen:shapes:64"},
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
        smoke={**_SMOKE_MLP, **_SMOKE_ENCODER_MLP, **_SMOKE_JOINT},
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
        smoke={**_SMOKE_MLP, **_SMOKE_ENCODER_MLP},
    ),
]

_SMOKE_VAE = {"generator_options.base_filters": 8, "model_options.encoder_options": {"base_filters": 8}}
_SMOKE_VAE_GAN = {**_SMOKE_CONV, "model_options.encoder_options": {"base_filters": 8}}
_VAE_OPTIMIZERS = dict(g_lr=1e-3, g_beta1=0.9, d_lr=1e-3, d_beta1=0.9)
_RECIPES += [
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
           latent_dim=32, dataset="mnist8k", minutes=5.0, steps=100000, smoke=_SMOKE_VAE_GAN),
]

_RECIPES += [
    # === ACGAN (Odena et al. 2017) ===
    Recipe(name="acgan_shapes", description="ACGAN: conditional DCGAN generator; D predicts real/fake and the "
           "shape class (no label input).",
           model="acgan", conditional=True, generator_options={"base_filters": 32},
           discriminator_options={"base_filters": 32}, dataset="gen:shapes", steps=2000, ema_decay=0.999,
           smoke={**_SMOKE_CONV, "dataset": "gen:shapes:64"}),
    Recipe(name="acgan_mnist8k", description="ACGAN on mnist8k: class cross-entropy on real and generated digits "
           "(weight 1), small DCGAN.",
           model="acgan", conditional=True, generator_options={"base_filters": 32},
           discriminator_options={"base_filters": 32}, model_options={"class_weight": 1.0}, dataset="mnist8k",
           minutes=5.0, steps=100000, ema_decay=0.999, smoke=_SMOKE_CONV),
    # === Semi-supervised GAN (Salimans et al. 2016; Odena 2016) ===
    # conditional=True only makes labels flow (-1 marks unlabelled rows); the generator is unconditional.
    Recipe(name="ssgan_shapes", description="Semi-supervised GAN: 3-class D with the implicit fake class, 30 "
           "labelled shapes, feature matching.",
           model="semi_supervised_gan", conditional=True, feature_matching=True,
           generator_options={"base_filters": 32}, discriminator_options={"base_filters": 32},
           model_options={"num_labelled": 30}, dataset="gen:shapes", steps=2000,
           smoke={**_SMOKE_CONV, "dataset": "gen:shapes:64", "model_options.num_labelled": 6}),
    Recipe(name="ssgan_mnist8k", description="Semi-supervised GAN on mnist8k:train with 100 labels (10 per digit, "
           "half of each batch labelled), feature matching, small DCGAN; evaluate on mnist8k:test.",
           model="semi_supervised_gan", conditional=True, feature_matching=True,
           generator_options={"base_filters": 32}, discriminator_options={"base_filters": 32},
           model_options={"num_labelled": 100}, dataset="mnist8k:train", batch_size=100, g_lr=1e-3, d_lr=1e-3,
           minutes=5.0, steps=100000, smoke=_SMOKE_CONV),
]

# === Image-to-image (issue 8): pix2pix (Isola et al. 2017) ===
# Sized for 28-32 px: a U-Net of 5 levels down to 1x1 (the paper's 256 px has 8), 32 to 256 filters
# instead of 64 to 512, and a PatchGAN with one downsampling (16x16 patches, about the share of a
# 28-32 px image that the paper's 70x70 patches are of 256 px).
_PIX2PIX = dict(
    model="pix2pix",
    networks="unet_patchgan",
    generator_options={"base_filters": 32, "max_filters": 256},
    discriminator_options={"base_filters": 32, "downsamplings": 1},
    smoke={"generator_options.base_filters": 4, "generator_options.max_filters": 8,
           "discriminator_options.base_filters": 4},
)
_RECIPES += [
    Recipe(name="pix2pix_edges_mnist8k", description="pix2pix: Sobel edge map -> digit on mnist8k:train, U-Net and "
           "PatchGAN, L1 weight 100; evaluate on mnist8k:test.",
           **_PIX2PIX, model_options={"task": "edges", "l1_weight": 100.0}, dataset="mnist8k:train", minutes=5.0,
           steps=100000),
    Recipe(name="pix2pix_l1_edges_mnist8k", description="The L1-only baseline of pix2pix_edges_mnist8k: the same "
           "U-Net trained on L1 alone (no discriminator).",
           **_PIX2PIX, model_options={"task": "edges", "l1_weight": 100.0, "adversarial_weight": 0.0},
           dataset="mnist8k:train", minutes=5.0, steps=100000),
    Recipe(name="pix2pix_edges_shapes", description="pix2pix: edge map -> coloured shape on the generated shapes.",
           **{**_PIX2PIX, "smoke": {**_PIX2PIX["smoke"], "dataset": "gen:shapes:64"}},
           model_options={"task": "edges", "l1_weight": 100.0}, dataset="gen:shapes", steps=2000),
    # TFDS has no aligned pix2pix pairs (cycle_gan/facades splits are unpaired), so the online
    # recipe makes its pairs from photos.
    Recipe(name="pix2pix_edges_cifar10", description="pix2pix: edge map -> photo on CIFAR-10 from TFDS (needs a "
           "network connection once).",
           **{**_PIX2PIX, "smoke": {**_PIX2PIX["smoke"], "dataset": "gen:shapes:64"}},
           model_options={"task": "edges", "l1_weight": 100.0}, dataset="tfds:cifar10", steps=20000),
]

# === Unpaired image-to-image (issue 8): CycleGAN (Zhu et al. 2017) ===
# Sized for 28-32 px: a ResNet generator of 3 residual blocks at 7-8 px (the paper's 6-9 at 64 px),
# 16 base filters instead of 64, instance norm throughout, and an unconditional PatchGAN with one
# downsampling; least squares, lambda 10, identity 0.5 lambda, a pool of 50 past fakes, batch 32.
_CYCLEGAN = dict(
    model="cyclegan",
    networks="resnet_patchgan",
    loss="least_squares",
    generator_options={"base_filters": 16, "residual_blocks": 3},
    discriminator_options={"base_filters": 32, "downsamplings": 1, "normalization": "instance"},
    batch_size=32,
    smoke={"generator_options.base_filters": 4, "generator_options.residual_blocks": 1,
           "discriminator_options.base_filters": 4},
)
_RECIPES += [
    Recipe(name="cyclegan_strokes_mnist8k", description="CycleGAN: plain digits <-> digits with thickened strokes "
           "(3x3 dilation), the two domains from disjoint halves of mnist8k:train; evaluate on mnist8k:test.",
           **_CYCLEGAN, model_options={"task": "thicken:3", "cycle_weight": 10.0, "identity_weight": 0.5,
                                       "pool_size": 50},
           dataset="mnist8k:train", minutes=5.0, steps=100000),
    Recipe(name="cyclegan_horse2zebra", description="CycleGAN: horses <-> zebras from TFDS cycle_gan/horse2zebra "
           "(trainA, trainB), resized to 64x64 (needs a network connection once).",
           **{**_CYCLEGAN, "smoke": {**_CYCLEGAN["smoke"], "dataset": "gen:shapes:64", "image_size": 32,
                                     "model_options.dataset_b": "gen:shapes:64"}},
           model_options={"task": "identity", "dataset_b": "tfds:cycle_gan/horse2zebra:trainB", "cycle_weight": 10.0,
                          "identity_weight": 0.5, "pool_size": 50},
           dataset="tfds:cycle_gan/horse2zebra:trainA", image_size=64, steps=20000),
]

# === Super-resolution (issue 8): SRGAN and its SRResNet baseline (Ledig et al. 2017) ===
# 4x from `downscale:4` pairs (area-averaged sources). Sized for 28-32 px targets: 32 filters and 6 residual
# blocks (the paper: 64 and 16 at 96 px), a discriminator of 3 conv pairs and 256 dense units (the paper: 4 and
# 1024). Adam(1e-4, beta1 0.9) and adversarial weight 1e-3 as in the paper; content in D's features (VGG19 weights
# cannot be downloaded here; `content_features="vgg19:PATH"` takes a local file).
_SRGAN = dict(
    model="srgan",
    networks="srresnet_srgan",
    generator_options={"base_filters": 32, "residual_blocks": 6},
    discriminator_options={"base_filters": 32, "blocks": 3, "dense_units": 256},
    g_lr=1e-4, d_lr=1e-4, g_beta1=0.9, d_beta1=0.9, batch_size=16,
    smoke={"generator_options.base_filters": 4, "generator_options.residual_blocks": 1,
           "discriminator_options.base_filters": 4, "discriminator_options.blocks": 1,
           "discriminator_options.dense_units": 8},
)
_SRGAN_SHAPES_SMOKE = {**_SRGAN["smoke"], "dataset": "gen:shapes:64"}
_RECIPES += [
    Recipe(name="srresnet_mnist8k", description="SRResNet: 7x7 -> 28x28 digits (downscale:4) on mnist8k:train by "
           "pixel MSE alone (no discriminator); evaluate on mnist8k:test.",
           **_SRGAN, model_options={"task": "downscale:4", "content_features": "pixels", "adversarial_weight": 0.0},
           dataset="mnist8k:train", minutes=5.0, steps=100000),
    Recipe(name="srgan_mnist8k", description="SRGAN: 7x7 -> 28x28 digits (downscale:4) on mnist8k:train, content "
           "MSE in the discriminator's features + 1e-3 adversarial; evaluate on mnist8k:test.",
           **_SRGAN, model_options={"task": "downscale:4", "content_features": "discriminator",
                                    "adversarial_weight": 1e-3},
           dataset="mnist8k:train", minutes=5.0, steps=100000),
    Recipe(name="srgan_shapes", description="SRGAN: 8x8 -> 32x32 coloured shapes (downscale:4), pixel MSE + 1e-3 "
           "adversarial.",
           **{**_SRGAN, "smoke": _SRGAN_SHAPES_SMOKE},
           model_options={"task": "downscale:4", "content_features": "pixels", "adversarial_weight": 1e-3},
           dataset="gen:shapes", steps=2000),
    Recipe(name="srgan_div2k", description="SRGAN: 24x24 -> 96x96 crops of DIV2K photos from TFDS, resized to 96 "
           "(the paper's 96 px patches; needs a network connection once), content in D's features.",
           **{**_SRGAN, "smoke": {**_SRGAN_SHAPES_SMOKE, "image_size": 32}},
           model_options={"task": "downscale:4", "content_features": "discriminator", "adversarial_weight": 1e-3},
           dataset="tfds:div2k", image_size=96, steps=20000),
]

# === Synthetic data (issue 10): BAGAN (Mariani et al. 2018) on an imbalanced mnist8k ===
_RECIPES += [
    Recipe(name="bagan_imbalanced_mnist8k", description="BAGAN on mnist8k:train with digits 2, 5 and 8 cut to 2% "
           "of their images: DCGAN-shaped autoencoder (1,000 steps), class Gaussians of its codes (one epoch), "
           "then a GAN whose D (initialised from the encoder) has 10 + 1 classes; evaluate on mnist8k:test.",
           model="bagan", conditional=True, generator_options={"base_filters": 32}, latent_dim=32,
           model_options={"encoder_options": {"base_filters": 32}, "autoencoder_steps": 1000,
                          "statistics_steps": 70, "minority_classes": [2, 5, 8], "minority_fraction": 0.02},
           dataset="mnist8k:train", minutes=5.0, steps=100000,
           smoke={"generator_options.base_filters": 8, "model_options.encoder_options": {"base_filters": 8},
                  "model_options.autoencoder_steps": 1, "model_options.statistics_steps": 1}),
]

# === Images built in stages (issue 7): LAPGAN (Denton et al. 2015) and GRAN (Im et al. 2016) ===
_RECIPES += [
    Recipe(name="lapgan_mnist8k", description="LAPGAN on mnist8k at 32x32: a fully connected GAN on the 8x8 "
           "images, then conditional conv GANs on the 16x16 and 32x32 Laplacian residuals, sampled as a cascade.",
           model="lapgan", networks="mlp", generator_options={"hidden_units": [512, 512]},
           discriminator_options={"hidden_units": [256, 256]}, latent_dim=64,
           model_options={"levels": 2, "residual_generator_options": {"filters": [32, 32]},
                          "residual_discriminator_options": {"base_filters": 32}},
           dataset="mnist8k", image_size=32, minutes=5.0, steps=100000,
           smoke={**_SMOKE_MLP, "model_options.residual_generator_options": {"filters": [4]},
                  "model_options.residual_discriminator_options": {"base_filters": 4}}),
    Recipe(name="gran_mnist8k", description="GRAN on mnist8k: a recurrent generator drawing 3 canvas updates "
           "(shared conv encoder of the previous update and deconv decoder), tanh of their sum; small DCGAN "
           "discriminator with minibatch standard deviation (without it the 5-minute run collapsed to 2 digits).",
           networks="gran", generator_options={"steps": 3, "base_filters": 32, "code_units": 128},
           discriminator_options={"base_filters": 32, "minibatch_stddev": True}, dataset="mnist8k", minutes=5.0,
           steps=100000,
           smoke={**_SMOKE_CONV, "generator_options.code_units": 8}),
]

# === Text to image (issue 7): StackGAN (Zhang et al. 2017) ===
_RECIPES += [
    Recipe(name="stackgan_shapes", description="StackGAN on captioned shapes ('a small red square at the top left'): "
           "a pre-trained frozen text encoder, Conditioning Augmentation, Stage-I at 16x16 for 1,200 steps, then "
           "Stage-II refining to 32x32; a tenth of the caption combinations held out.",
           model="stackgan", networks="stackgan", generator_options={"base_filters": 32},
           discriminator_options={"base_filters": 32}, latent_dim=32,
           model_options={"stage1_steps": 1200, "kl_weight": 1.0}, dataset="gen:shapes", image_size=32, steps=2400,
           smoke={**_SMOKE_CONV, "latent_dim": 4, "dataset": "gen:shapes:64", "model_options.stage1_steps": 1,
                  "model_options.compressed_dim": 4,
                  "model_options.text_encoder": {"token_dim": 4, "filters": 8, "embedding_dim": 8, "pretrain_steps": 2}}),
]

# === Attention and scale (issue 7): SAGAN (Zhang et al. 2019) and a small BigGAN (Brock et al. 2019) ===
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
_SMOKE_SHAPES_CONV = {**_SMOKE_CONV, "dataset": "gen:shapes:64"}
_RECIPES += [
    Recipe(name="sagan_mnist8k", description="SAGAN: self-attention at 16x16 and spectral norm in G and D, hinge "
           "loss, Adam(0, 0.9) at 1e-4 (G) / 4e-4 (D); mnist8k at 32x32.",
           **_SAGAN, dataset="mnist8k", minutes=5.0, steps=100000, smoke=_SMOKE_CONV),
    Recipe(name="sagan_shapes", description="SAGAN (as sagan_mnist8k) on the generated shapes, 32x32 colour.",
           **_SAGAN, dataset="gen:shapes", steps=2000, smoke=_SMOKE_SHAPES_CONV),
    Recipe(name="biggan_mnist8k", description="Small BigGAN, conditional on the digit: shared class embedding and "
           "hierarchical latent in conditional BatchNorm, projection D, attention, spectral norm, orthogonal "
           "regularisation 1e-4, hinge, Adam(0, 0.999) 1e-4 / 4e-4, EMA 0.999; mnist8k at 32x32.",
           **_BIGGAN, dataset="mnist8k", minutes=5.0, steps=100000, smoke=_SMOKE_CONV),
    Recipe(name="biggan_shapes", description="Small BigGAN (as biggan_mnist8k) on the generated shapes, conditional "
           "on the shape kind, 32x32 colour.",
           **_BIGGAN, dataset="gen:shapes", steps=2000, smoke=_SMOKE_SHAPES_CONV),
    Recipe(name="biggan_cifar10", description="Small BigGAN (as biggan_mnist8k, base 32 filters) on CIFAR-10 from "
           "TFDS, conditional on the class (needs a network connection once).",
           **{**_BIGGAN, "generator_options": {"base_filters": 32, "embedding_dim": 64},
              "discriminator_options": {"base_filters": 32}},
           dataset="tfds:cifar10", steps=20000, smoke=_SMOKE_SHAPES_CONV),
]

# === Progressive GAN (Karras et al. 2018) and a small StyleGAN (Karras et al. 2019), issue 7 ===
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
# The paper's loss: non-saturating with R1 gamma 10 (r1_weight 5; gamma 1 was no better in 5 CPU-minutes:
# both cover 5 digit classes, see BENCHMARKS.md); style mixing 0.9, mapping lr x0.01, Adam(1e-3, 0, 0.99).
_STYLEGAN = dict(model="stylegan", networks="stylegan", generator_options={**_STYLE_NETWORKS, "w_dim": 64},
                 discriminator_options=_STYLE_NETWORKS, model_options={"style_mixing": 0.9}, r1_weight=5.0,
                 latent_dim=64, g_lr=1e-3, g_beta1=0.0, g_beta2=0.99, d_lr=1e-3, d_beta1=0.0, d_beta2=0.99,
                 ema_decay=0.999, batch_size=32)
_SMOKE_STYLEGAN = {**_SMOKE_STYLE, "generator_options.w_dim": 8}
_RECIPES += [
    Recipe(name="progan_mnist8k", description="Progressive GAN: 4x4 -> 32x32 (150 steps per stabilisation and per "
           "fade-in, full size from step 900), equalised lr, pixel norm, minibatch stddev, WGAN-GP + drift; "
           "mnist8k at 32x32.",
           **_PROGAN, model_options={"stabilise_steps": 150, "fade_steps": 150, "drift_weight": 0.001},
           dataset="mnist8k", image_size=32, minutes=5.0, steps=100000, smoke=_SMOKE_PROGAN),
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
           **_STYLEGAN, dataset="mnist8k", image_size=32, minutes=5.0, steps=100000, smoke=_SMOKE_STYLEGAN),
    Recipe(name="stylegan_celeba64", description="Small StyleGAN (as stylegan_mnist8k, 128-d W) on CelebA from TFDS, "
           "resized to 64x64 (needs a network connection once).",
           **{**_STYLEGAN, "generator_options": {"base_filters": 16, "max_filters": 128, "w_dim": 128},
              "discriminator_options": {"base_filters": 16, "max_filters": 128}, "latent_dim": 128},
           dataset="tfds:celeb_a", image_size=64, steps=20000,
           smoke={**_SMOKE_STYLEGAN, "dataset": "gen:shapes:64", "image_size": 32}),
]

RECIPES = {recipe.name: recipe for recipe in _RECIPES}
