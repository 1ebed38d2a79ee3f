"""Two-stage recipes: a 28x28 GAN, then a 4x SRGAN upscaler to 112x112, trained and exported as one.

Each names two catalog recipes (see `tfgan_zoo.two_stage_training`); the budget is split
between them (`stage1_share`). No 112-pixel digits exist offline, so:

- `two_stage_mnist8k` trains its upscaler where real 4x detail exists, on
  mnist8k's 7x7 -> 28x28 pairs (`srgan_mnist8k`), and applies the fully
  convolutional network to the GAN's 28x28 digits (28 -> 112): the strokes it
  enlarges are 4x wider in pixels than in training, and no 112-pixel truth
  exists to score it against;
- `two_stage_shapes` has real 112-pixel images: the generated shapes render at
  any size, so the upscaler trains on 28 -> 112 pairs of the shapes (sources
  area-averaged from the 112-pixel renders) and the GAN on 28-pixel renders.
"""

from tfgan_zoo.recipes.recipe import Recipe

# `--smoke` shrinks the two stages (`model_options.smoke`); the pipeline's own batch size is unused and must keep
# its default, so the smoke sizes put back the one `Recipe.smoke_sized` changes.
_SMOKE = {"model_options.smoke": True, "batch_size": Recipe.batch_size}

# srgan_shapes (32 filters, 6 blocks, batch 16) took about a CPU-second a step at 112 px, ~300 steps in 5 CPU-minutes;
# at 16 filters, 4 blocks and batch 8 a step costs about a seventh of that.
_SHAPES_UPSCALER_112 = {"image_size": 112, "dataset": "gen:shapes:4000", "batch_size": 8,
                        "generator_options": {"base_filters": 16, "residual_blocks": 4},
                        "discriminator_options": {"base_filters": 16, "blocks": 3, "dense_units": 128}}

RECIPES = [
    Recipe(name="two_stage_mnist8k", description="Two stages: the sneaker-study fully connected GAN at 28x28 "
           "(gan_mnist8k), then an SRGAN 4x upscaler trained on mnist8k 7x7 -> 28x28 pairs (srgan_mnist8k) and run "
           "fully convolutionally at 28 -> 112; half the budget each; one generator latent -> 112x112.",
           model="two_stage", model_options={"stage1": "gan_mnist8k", "stage2": "srgan_mnist8k", "stage1_share": 0.5},
           minutes=10.0, steps=200000, sample_count=16, smoke=_SMOKE),
    Recipe(name="two_stage_shapes", description="Two stages on the generated shapes: a DCGAN at 28x28 (dcgan_shapes "
           "rendered at 28), then an SRGAN 4x upscaler trained on 28 -> 112 pairs of 112-pixel renders (srgan_shapes "
           "at 112, 4,000 images, networks halved and batch 8 for the 16x larger images); half the budget each; one "
           "generator latent -> 112x112 colour.",
           model="two_stage",
           model_options={"stage1": "dcgan_shapes", "stage1_set": {"image_size": 28}, "stage2": "srgan_shapes",
                          "stage2_set": _SHAPES_UPSCALER_112, "stage1_share": 0.5},
           minutes=10.0, steps=200000, sample_count=16,
           smoke={**_SMOKE, "model_options.stage1_set": {"image_size": 8},
                  "model_options.stage2_set": {"image_size": 32}}),
]
