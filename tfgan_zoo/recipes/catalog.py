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

DEFAULT_RECIPE = "dcgan_shapes"

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
    Recipe(name="gan_ring8", description="Fully connected GAN on the ring of 8 Gaussians (mode-collapse benchmark).",
           dataset="gen:ring8", **_MIXTURE_GAN),
    Recipe(name="gan_grid25", description="Fully connected GAN on the 5x5 grid of Gaussians (mode-collapse benchmark).",
           dataset="gen:grid25", **_MIXTURE_GAN),
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

RECIPES = {recipe.name: recipe for recipe in _RECIPES}
