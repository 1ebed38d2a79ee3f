"""pix2pix: a conditional GAN with an L1 term for paired image-to-image translation (Isola et al. 2017)."""

import keras
import tensorflow as tf

from tfgan_zoo import losses
from tfgan_zoo.models.image_to_image import ImageToImageModel, mean_absolute_error


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class Pix2Pix(ImageToImageModel):
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

    def __init__(self, generator, discriminator, *, loss="non_saturating", l1_weight=100.0, adversarial_weight=1.0,
                 **kwargs):
        generator_loss_fn, discriminator_loss_fn = losses.get_loss_family(loss)
        for name, value in (("l1_weight", l1_weight), ("adversarial_weight", adversarial_weight)):
            if not value >= 0:
                raise ValueError(f"{name} must be >= 0. Received: {name}={value!r}")
        super().__init__(generator, discriminator, **kwargs)
        self.generator_loss_fn = generator_loss_fn
        self.discriminator_loss_fn = discriminator_loss_fn
        self.loss = loss
        self.l1_weight = float(l1_weight)
        self.adversarial_weight = float(adversarial_weight)

    @property
    def adversarial(self):
        """Whether the discriminator takes part (False for the L1-only baseline)."""
        return self.adversarial_weight > 0

    @property
    def has_discriminator(self):
        # Read by `tfgan-zoo evaluate`: an L1-only model's discriminator is untrained.
        return self.adversarial

    @property
    def loss_names(self):
        if not self.adversarial:
            return ("g_loss", "g_l1")
        return ("d_loss", "g_loss", "d_real", "d_fake", "g_adversarial", "g_l1")

    # === Updates ===
    def discriminator_step(self, real, labels, stream):
        if not self.adversarial:
            return {}
        source, target = real
        fake = self.generator(source, training=True)
        optimizer = self.discriminator_optimizer
        with tf.GradientTape() as tape:
            real_scores = self.discriminator([source, target], training=True)
            fake_scores = self.discriminator([source, fake], training=True)
            per_example = 0.5 * self.discriminator_loss_fn(real_scores, fake_scores)
            scaled_loss = optimizer.scale_loss(self.reduce_loss(per_example))
        self.apply_gradients(optimizer, tape, scaled_loss, self.discriminator_variables)
        return {
            "d_loss": tf.reduce_mean(per_example),
            "d_real": tf.reduce_mean(tf.cast(real_scores, tf.float32)),
            "d_fake": tf.reduce_mean(tf.cast(fake_scores, tf.float32)),
        }

    def generator_step(self, real, labels, stream):
        source, target = real
        optimizer = self.generator_optimizer
        with tf.GradientTape() as tape:
            fake = self.generator(source, training=True)
            l1 = mean_absolute_error(target, fake)
            per_example = self.l1_weight * l1
            if self.adversarial:
                adversarial = self.generator_loss_fn(self.discriminator([source, fake], training=True))
                per_example += self.adversarial_weight * adversarial
            scaled_loss = optimizer.scale_loss(self.reduce_loss(per_example))
        self.apply_gradients(optimizer, tape, scaled_loss, self.generator_variables)
        terms = {"g_loss": tf.reduce_mean(per_example), "g_l1": tf.reduce_mean(l1)}
        if self.adversarial:
            terms["g_adversarial"] = tf.reduce_mean(adversarial)
        return terms

    def get_config(self):
        config = super().get_config()
        config.update(loss=self.loss, l1_weight=self.l1_weight, adversarial_weight=self.adversarial_weight)
        return config
