"""Inpainting recipes: a context encoder with an adversarial term (Pathak et al. 2016).

Semantic inpainting (Yeh et al. 2017) needs no recipe of its own: it optimises the latent of any
trained unconditional generator (`tfgan_zoo.latent.inpainting`, `tfgan-zoo inpaint`).
"""

from tfgan_zoo.recipes.common import UNET_PATCHGAN
from tfgan_zoo.recipes.recipe import Recipe

# Sized like pix2pix for 28-32 px: a U-Net of 5 levels (32 to 256 filters) on the masked image and its mask,
# and a PatchGAN with one downsampling (16x16 patches) on [mask, image]. Pathak et al.'s joint loss: 0.999 x
# L2 over the hole + 0.001 x adversarial. Masks: `mixed` draws a rectangle or free-form strokes per image.
_INPAINTING = dict(model="inpainting", **UNET_PATCHGAN)
_PATHAK_WEIGHTS = {"reconstruction_loss": "l2", "reconstruction_weight": 0.999, "adversarial_weight": 0.001}
_SHAPES_SMOKE = {**_INPAINTING["smoke"], "dataset": "gen:shapes:64"}
RECIPES = [
    Recipe(name="inpainting_mnist8k", description="Context encoder + adversarial term: fills a rectangle or "
           "free-form strokes covering 25% of a digit (mask:mixed:0.25) on mnist8k:train, 0.999 hole L2 + 0.001 "
           "adversarial; evaluate on mnist8k:test.",
           **_INPAINTING, model_options={"task": "mask:mixed:0.25", **_PATHAK_WEIGHTS}, dataset="mnist8k:train",
           minutes=5.0, steps=100000),
    Recipe(name="inpainting_l2_mnist8k", description="The reconstruction-only baseline of inpainting_mnist8k: the "
           "same U-Net trained on the hole's L2 alone (no discriminator).",
           **_INPAINTING, model_options={"task": "mask:mixed:0.25", **_PATHAK_WEIGHTS, "adversarial_weight": 0.0},
           dataset="mnist8k:train", minutes=5.0, steps=100000),
    Recipe(name="inpainting_shapes", description="Context encoder + adversarial term on the generated coloured "
           "shapes, holes of 25% (mask:mixed:0.25).",
           **{**_INPAINTING, "smoke": _SHAPES_SMOKE}, model_options={"task": "mask:mixed:0.25", **_PATHAK_WEIGHTS},
           dataset="gen:shapes", steps=2000),
    Recipe(name="inpainting_celeba64", description="Context encoder + adversarial term on CelebA faces from TFDS, "
           "resized to 64x64, holes of 25% (needs a network connection once).",
           **{**_INPAINTING, "smoke": {**_SHAPES_SMOKE, "image_size": 32}},
           model_options={"task": "mask:mixed:0.25", **_PATHAK_WEIGHTS}, dataset="tfds:celeb_a", image_size=64,
           steps=20000),
]
