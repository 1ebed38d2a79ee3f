"""Network settings and recipe builders that several recipe families share."""

import dataclasses

from tfgan_zoo.recipes.recipe import Recipe

# The networks of the sneaker-generation study (fully connected GAN).
SNEAKER_GENERATOR = {"hidden_units": [1024, 1024]}
SNEAKER_DISCRIMINATOR = {"hidden_units": [256, 256], "leaky_slope": 0.01}
SMOKE_MLP = {"generator_options.hidden_units": [32], "discriminator_options.hidden_units": [32]}
SMOKE_CONV = {"generator_options.base_filters": 8, "discriminator_options.base_filters": 8}
# Shared by the 2-D mixture recipes (they differ only in their dataset).
MIXTURE_GAN = dict(
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
    smoke={**SMOKE_MLP, "sample_count": 64},
)

# The small DCGAN (32 base filters) the loss-family study on mnist8k shares.
SMALL_DCGAN_MNIST8K = dict(
    generator_options={"base_filters": 32},
    discriminator_options={"base_filters": 32},
    dataset="mnist8k",
    minutes=5.0,
    steps=100000,
    smoke=SMOKE_CONV,
)
# The U-Net + PatchGAN of pix2pix and the inpainting context encoder, sized for 28-32 px: a U-Net of 5 levels
# down to 1x1 (32 to 256 filters) and a PatchGAN with one downsampling (16x16 patches).
UNET_PATCHGAN = dict(
    networks="unet_patchgan",
    generator_options={"base_filters": 32, "max_filters": 256},
    discriminator_options={"base_filters": 32, "downsamplings": 1},
    smoke={"generator_options.base_filters": 4, "generator_options.max_filters": 8,
           "discriminator_options.base_filters": 4},
)
# WGAN-GP's critic: no BatchNorm (the penalty is per example), LayerNorm instead.
LAYER_NORM_CRITIC = {"base_filters": 32, "normalization": "layer"}
WGAN_GP_OPTIMIZERS = dict(g_lr=1e-4, g_beta1=0.0, g_beta2=0.9, d_lr=1e-4, d_beta1=0.0, d_beta2=0.9)


def mixtures(variant, description, **fields):
    """The `<variant>_ring8` and `<variant>_grid25` recipes of the 2-D mode-collapse benchmark."""
    datasets = (("ring8", "the ring of 8 Gaussians"), ("grid25", "the 5x5 grid of Gaussians"))
    return [
        Recipe(name=f"{variant}_{key}", description=f"{description} on {label} (mode-collapse benchmark).",
               dataset=f"gen:{key}", **{**MIXTURE_GAN, **fields})
        for key, label in datasets
    ]


def small_dcgan_mnist8k(variant, description, **fields):
    """A recipe of the mnist8k loss-family study: the small DCGAN with `fields` changed."""
    options = {**SMALL_DCGAN_MNIST8K, **fields}
    return Recipe(name=f"{variant}_mnist8k", description=f"{description}; small DCGAN on mnist8k.", **options)


def derived(recipes, base, name, description, **fields):
    """A copy of the recipe named `base` in `recipes`, renamed, with `fields` (typed values) changed."""
    recipe = next(recipe for recipe in recipes if recipe.name == base)
    return dataclasses.replace(recipe, name=name, description=description, **fields)
