"""Recipes of models that make training data: BAGAN and DAGAN."""

from tfgan_zoo.recipes.recipe import Recipe

# === Synthetic data: BAGAN (Mariani et al. 2018) on an imbalanced mnist8k ===
RECIPES = [
    Recipe(name="bagan_imbalanced_mnist8k", description="BAGAN on mnist8k:train with digits 2, 5 and 8 cut to 2% "
           "of their images: DCGAN-shaped autoencoder (1,000 steps), class Gaussians of its codes (one epoch), "
           "then a GAN whose D (initialised from the encoder) has 10 + 1 classes; evaluate on mnist8k:test.",
           model="bagan", conditional=True, generator_options={"base_filters": 32}, latent_dim=32,
           model_options={"encoder_options": {"base_filters": 32}, "autoencoder_steps": 1000,
                          "statistics_steps": 70, "minority_classes": [2, 5, 8], "minority_fraction": 0.02},
           dataset="mnist8k:train", minutes=5.0, steps=100000,
           smoke={"generator_options.base_filters": 8, "model_options.encoder_options": {"base_filters": 8},
                  "model_options.autoencoder_steps": 1, "model_options.statistics_steps": 1}),
    # === DAGAN (Antoniou et al. 2017) on the same imbalanced mnist8k: variations of a given image ===
    Recipe(name="dagan_imbalanced_mnist8k", description="DAGAN on mnist8k:train with digits 2, 5 and 8 cut to 2% "
           "of their images: G(z, x) encodes x (DCGAN encoder, 64-d code) and decodes code + z; D judges pairs "
           "(x, another real image of x's class) against (x, G(z, x)). Labels only pick the partners; "
           "vary images with `tfgan-zoo synthesize --mode=augment`.",
           model="dagan", conditional=True, latent_dim=32,
           generator_options={"base_filters": 32, "code_dim": 64}, discriminator_options={"base_filters": 32},
           model_options={"minority_classes": [2, 5, 8], "minority_fraction": 0.02},
           dataset="mnist8k:train", minutes=5.0, steps=100000,
           smoke={"generator_options": {"base_filters": 8, "code_dim": 8},
                  "discriminator_options.base_filters": 8}),
]
