"""Image-to-image recipes: pix2pix, CycleGAN, SRGAN and SRResNet."""

from tfgan_zoo.recipes.common import UNET_PATCHGAN
from tfgan_zoo.recipes.recipe import Recipe

# === Image-to-image: pix2pix (Isola et al. 2017) ===
# Sized for 28-32 px: a U-Net of 5 levels down to 1x1 (the paper's 256 px has 8), 32 to 256 filters
# instead of 64 to 512, and a PatchGAN with one downsampling (16x16 patches, about the share of a
# 28-32 px image that the paper's 70x70 patches are of 256 px).
_PIX2PIX = dict(model="pix2pix", **UNET_PATCHGAN)
RECIPES = [
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

# === Unpaired image-to-image: CycleGAN (Zhu et al. 2017) ===
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
RECIPES += [
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

# === Super-resolution: SRGAN and its SRResNet baseline (Ledig et al. 2017) ===
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
RECIPES += [
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
