"""The update rule pix2pix, SRGAN and inpainting share: a per-example reconstruction term plus a weighted adversarial
term."""

from tfgan_zoo import losses
from tfgan_zoo.models.image_to_image import ImageToImageModel
from tfgan_zoo.models.network_model import batch_means
from tfgan_zoo.utils import validation


class PairedTranslationGAN(ImageToImageModel):
    """A generator `G(source)` trained on `(source, target)` pairs to stay close to the target and fool D.

    Per example, with `x` the source and `y` its target:

    - the discriminator minimises `DISCRIMINATOR_LOSS_SCALE * L_D(D(y), D(G(x)))`
      with the loss family's `L_D`, D seeing `discriminator_inputs(x, image)`;
    - the generator minimises `reconstruction_weight * reconstruction(y, G(x), x)
      + adversarial_weight * L_G(D(G(x)))`.

    `adversarial_weight=0` is the reconstruction-only baseline on the same
    networks: the discriminator is then never called and never updated.

    A subclass sets `RECONSTRUCTION_TERM` (the logged name of the
    reconstruction term), optionally `DISCRIMINATOR_LOSS_SCALE`, and
    implements `reconstruction` and `discriminator_inputs`.

    Args:
        generator: see `ImageToImageModel`.
        discriminator: see `ImageToImageModel`.
        loss: loss family name (`tfgan_zoo.losses.LOSS_FAMILIES`).
        weights: `{argument name: value}` of the reconstruction weight then
            the adversarial weight, each checked >= 0 under its own name.
        **kwargs: the `ImageToImageModel` arguments.
    """

    RECONSTRUCTION_TERM = None
    DISCRIMINATOR_LOSS_SCALE = 1.0

    def __init__(self, generator, discriminator, *, loss, weights, **kwargs):
        generator_loss_fn, discriminator_loss_fn = losses.get_loss_family(loss)
        for name, value in weights.items():
            validation.check_number(name, value, "[0, inf)")
        super().__init__(generator, discriminator, **kwargs)
        self.generator_loss_fn = generator_loss_fn
        self.discriminator_loss_fn = discriminator_loss_fn
        self.loss = loss
        self.reconstruction_weight, self.adversarial_weight = (float(value) for value in weights.values())

    # === Hooks for subclasses ===
    def reconstruction(self, target, output, source=None):
        """Per-example distance of the generator's output to its target, float32 `[B]`.

        `source` is what the output was translated from, for a distance that
        depends on it (inpainting counts the hole's pixels only).
        """
        raise NotImplementedError("abstract: a subclass implements reconstruction")

    def discriminator_inputs(self, source, image):
        """What the discriminator scores for `image` translated from `source`."""
        raise NotImplementedError("abstract: a subclass implements discriminator_inputs")

    # === What takes part ===
    @property
    def adversarial(self):
        """Whether the discriminator takes part (False for the reconstruction-only baseline)."""
        return self.adversarial_weight > 0

    @property
    def has_discriminator(self):
        # Read by `tfgan-zoo evaluate`: a reconstruction-only model's discriminator is untrained.
        return self.adversarial

    @property
    def loss_names(self):
        if not self.adversarial:
            return ("g_loss", self.RECONSTRUCTION_TERM)
        return ("d_loss", "g_loss", "d_real", "d_fake", "g_adversarial", self.RECONSTRUCTION_TERM)

    # === Updates ===
    def discriminator_step(self, real, labels, stream):
        if not self.adversarial:
            return {}
        source, target = real
        fake = self.generator(source, training=True)

        def loss_fn():
            real_scores = self.discriminator(self.discriminator_inputs(source, target), training=True)
            fake_scores = self.discriminator(self.discriminator_inputs(source, fake), training=True)
            per_example = self.DISCRIMINATOR_LOSS_SCALE * self.discriminator_loss_fn(real_scores, fake_scores)
            return self.reduce_loss(per_example), batch_means(d_loss=per_example, d_real=real_scores,
                                                              d_fake=fake_scores)

        return self.update("discriminator", loss_fn)

    def generator_step(self, real, labels, stream):
        source, target = real

        def loss_fn():
            fake = self.generator(source, training=True)
            reconstruction = self.reconstruction(target, fake, source)
            per_example = self.reconstruction_weight * reconstruction
            terms = {self.RECONSTRUCTION_TERM: reconstruction}
            if self.adversarial:
                scores = self.discriminator(self.discriminator_inputs(source, fake), training=True)
                terms["g_adversarial"] = self.generator_loss_fn(scores)
                per_example += self.adversarial_weight * terms["g_adversarial"]
            return self.reduce_loss(per_example), batch_means(g_loss=per_example, **terms)

        return self.update("generator", loss_fn)

    def get_config(self):
        config = super().get_config()
        config.update(loss=self.loss, adversarial_weight=self.adversarial_weight)
        return config
