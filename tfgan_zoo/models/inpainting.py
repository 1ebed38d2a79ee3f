"""Inpainting GAN: a context encoder that fills a masked hole, trained on the hole's pixels plus an adversarial term."""

import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo.data import masks as masks_lib
from tfgan_zoo.models.paired_translation import PairedTranslationGAN
from tfgan_zoo.utils import validation

RECONSTRUCTION_LOSSES = ("l1", "l2")
# The masks of `noise_sources`, for a model built without held-out data.
EXAMPLE_MASK = "rect:0.25"


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class InpaintingGAN(PairedTranslationGAN):
    """A generator `G(image, mask)` that completes masked pixels, trained to match them and to fool `D(mask, image)`.

    The generator takes the image and its mask (1 = missing) and returns the
    completed image: known pixels unchanged, the hole filled by the network
    (`tfgan_zoo.networks.inpainting_unet_generator`). With `x` an image, `m`
    its mask and `y = G(x, m)`, per example:

    - the discriminator minimises `L_D(D(m, x), D(m, y))`: it judges an image
      knowing where the hole was (a PatchGAN on `[mask, image]`, so each patch
      score compares a stretch of the hole with its surroundings);
    - the generator minimises `reconstruction_weight * hole(x, y, m)
      + adversarial_weight * L_G(D(m, y))`, where `hole` is the mean squared
      (`"l2"`, as Pathak et al.) or absolute (`"l1"`) error over the missing
      pixels only: `sum(m * |x - y|^p) / sum(m)`. Known pixels are pasted
      back by the generator, so they carry no loss; the reconstruction is
      normalised by the hole's area, so its scale does not depend on the
      mask's share.

    The defaults are Pathak et al.'s joint loss (0.999 L2 + 0.001
    adversarial); their heavier weight on a band of context around the hole
    is not used, since the context is pasted unchanged. `adversarial_weight=0`
    is the reconstruction-only context encoder: D is never called.

    Training pairs come from a mask task of `tfgan_zoo.data.transforms`
    (`"mask:rect:0.25"`, `"mask:free:0.25"`, `"mask:mixed:0.25"`): sources are
    `(masked images, masks)`, targets the images.

    Args:
        generator: `[image, mask]` (inputs `image`, `mask`) -> completed image.
        discriminator: `[mask, image]` -> scores, e.g. a conditional
            `tfgan_zoo.networks.patchgan_discriminator` with a 1-channel source.
        loss: loss family name (`tfgan_zoo.losses.LOSS_FAMILIES`).
        reconstruction_loss: `"l2"` or `"l1"` over the hole.
        reconstruction_weight: weight of the hole reconstruction, >= 0.
        adversarial_weight: weight of the adversarial term, >= 0.
        **kwargs: the `ImageToImageModel` arguments (`source_data`, `d_steps`,
            `ema_decay`, `seed`, `name`).

    Example:

    ```python
    generator, discriminator = tfgan_zoo.networks.build_inpainting_networks(
        "unet_patchgan", (28, 28, 1), discriminator_kwargs={"downsamplings": 1})
    model = InpaintingGAN(generator, discriminator)
    model.compile(generator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                  discriminator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    model.fit(tfgan_zoo.data.paired.load_paired("mnist8k:train", "mask:free:0.25", 64), steps_per_epoch=100)
    completed = model.inpaint(images, masks)   # masks: 1 on the missing pixels
    ```

    Reference: Pathak et al., "Context Encoders: Feature Learning by
    Inpainting", CVPR 2016.
    """

    RECONSTRUCTION_TERM = "g_hole"
    SOURCE_INPUTS = ("image", "mask")

    def __init__(self, generator, discriminator, *, loss="non_saturating", reconstruction_loss="l2",
                 reconstruction_weight=0.999, adversarial_weight=0.001, **kwargs):
        validation.check_choice("reconstruction_loss", reconstruction_loss, RECONSTRUCTION_LOSSES)
        super().__init__(generator, discriminator, loss=loss, weights={
            "reconstruction_weight": reconstruction_weight, "adversarial_weight": adversarial_weight}, **kwargs)
        self.reconstruction_loss = reconstruction_loss

    # === The update rule's hooks ===
    def reconstruction(self, target, output, source=None):
        return hole_distance(target, output, source[1], self.reconstruction_loss)

    def discriminator_inputs(self, source, image):
        # D knows where the hole is: it compares the filled pixels with their context.
        return [source[1], image]

    # === Inpainting ===
    def inpaint(self, images, masks, *, batch_size=256, use_ema=True):
        """Completes the missing pixels (`masks` 1) of `images` `[N, H, W, C]` in [-1, 1]; float32 numpy.

        What `images` holds on the missing pixels is never read. Known
        pixels come back unchanged.
        """
        images = np.asarray(images, np.float32)
        return self.translate((images, masks_lib.check_masks(masks, images.shape)), batch_size=batch_size,
                              use_ema=use_ema)

    def noise_sources(self, num, seed=0):
        """`(masked images, masks)`: uniform noise with `EXAMPLE_MASK` masks, a pure function of `seed`."""
        height, width, channels = self.generator.inputs[0].shape[1:]
        images = np.random.default_rng(seed).uniform(-1.0, 1.0, [num, height, width, channels]).astype(np.float32)
        masks = masks_lib.masks_for_seed(EXAMPLE_MASK, num, height, width, seed)
        return masks_lib.apply_masks(images, masks).numpy(), masks

    def get_config(self):
        config = super().get_config()
        config.update(reconstruction_loss=self.reconstruction_loss, reconstruction_weight=self.reconstruction_weight)
        return config


def hole_distance(target, output, masks, norm="l2"):
    """Per-example mean of `|target - output|^p` over the missing pixels (`masks` 1), p = 2 for `"l2"`, 1 for `"l1"`.

    Float32 `[B]`; a mask with no missing pixel gives 0.
    """
    difference = tf.cast(target, tf.float32) - tf.cast(output, tf.float32)
    difference = tf.square(difference) if norm == "l2" else tf.abs(difference)
    masks = tf.cast(masks, tf.float32)
    total = tf.reduce_sum(difference * masks, axis=[1, 2, 3])
    count = tf.reduce_sum(masks, axis=[1, 2, 3]) * tf.cast(tf.shape(difference)[-1], tf.float32)
    return tf.math.divide_no_nan(total, count)
