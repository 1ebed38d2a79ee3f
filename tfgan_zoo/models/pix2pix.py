"""pix2pix: a conditional GAN with an L1 term for paired image-to-image translation (Isola et al. 2017)."""

import keras

from tfgan_zoo import losses
from tfgan_zoo.models.paired_translation import PairedTranslationGAN


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class Pix2Pix(PairedTranslationGAN):
    """A generator `G(source)` trained to fool a discriminator `D(source, image)` and to stay close to the target.

    With `x` the source and `y` its target, per example (PatchGAN scores are
    averaged over the patches):

    - the discriminator minimises `0.5 * [-log D(x, y) - log(1 - D(x, G(x)))]`
      (the paper halves D's objective to slow it relative to G);
    - the generator minimises `adversarial_weight * -log D(x, G(x))
      + l1_weight * mean|y - G(x)|` (the non-saturating form; `l1_weight`
      is the paper's lambda = 100).

    `adversarial_weight=0` is the L1-only baseline on the same networks: the
    discriminator is then never called and never updated, and the generator
    minimises `l1_weight * mean|y - G(x)|` alone. Another loss family (e.g.
    `"least_squares"`) replaces the log terms by its own.

    Args:
        generator: source image (input `image`) -> image, e.g.
            `tfgan_zoo.networks.unet_generator`.
        discriminator: `[source, target]` -> scores, e.g.
            `tfgan_zoo.networks.patchgan_discriminator`.
        loss: loss family name (`tfgan_zoo.losses.LOSS_FAMILIES`).
        l1_weight: weight of the L1 distance to the target, >= 0.
        adversarial_weight: weight of the adversarial term in G's loss, >= 0;
            0 gives the L1-only baseline.
        **kwargs: the `ImageToImageModel` arguments (`source_data`,
            `d_steps`, `ema_decay`, `seed`, `name`).

    Example:

    ```python
    generator, discriminator = tfgan_zoo.networks.build_image_to_image_networks(
        "unet_patchgan", (28, 28, 1), (28, 28, 1), discriminator_kwargs={"downsamplings": 1})
    model = Pix2Pix(generator, discriminator)
    model.compile(generator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                  discriminator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    model.fit(tfgan_zoo.data.paired.load_paired("mnist8k:train", "edges", 64), steps_per_epoch=100)
    digits = model.translate(edge_maps)
    ```

    Reference: Isola et al., "Image-to-Image Translation with Conditional
    Adversarial Networks", CVPR 2017.
    """

    RECONSTRUCTION_TERM = "g_l1"
    # The paper halves D's objective to slow it relative to G.
    DISCRIMINATOR_LOSS_SCALE = 0.5

    def __init__(self, generator, discriminator, *, loss="non_saturating", l1_weight=100.0, adversarial_weight=1.0,
                 **kwargs):
        super().__init__(generator, discriminator, loss=loss,
                         weights={"l1_weight": l1_weight, "adversarial_weight": adversarial_weight}, **kwargs)

    @property
    def l1_weight(self):
        """The paper's lambda: weight of the L1 distance to the target."""
        return self.reconstruction_weight

    def reconstruction(self, target, output, source=None):
        return losses.mean_absolute_error(target, output)

    def discriminator_inputs(self, source, image):
        # Conditional: D judges the image together with the source it was translated from.
        return [source, image]

    def get_config(self):
        config = super().get_config()
        config.update(l1_weight=self.l1_weight)
        return config
