"""GAN: the update rule of Goodfellow et al. 2014 with any loss family and penalty."""

import keras
import tensorflow as tf

from tfgan_zoo import losses
from tfgan_zoo.models.adversarial_model import AdversarialModel


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class GAN(AdversarialModel):
    """A generator and a discriminator trained against each other by a loss family.

    Fully connected GAN, DCGAN and CGAN are all this update rule; they differ in
    networks (and conditioning), so they are recipes of this class rather
    than classes of their own.

    Args:
        generator: see `AdversarialModel`.
        discriminator: see `AdversarialModel`.
        loss: loss family name, one of `tfgan_zoo.losses.LOSS_FAMILIES`
            (`"minimax"` is the saturating `log(1 - D(G(z)))` generator loss).
        gradient_penalty_weight: weight of the WGAN-GP penalty on interpolates
            (0 disables it).
        r1_weight: weight `gamma / 2` of the R1 penalty on real data (0
            disables it).
        **kwargs: the `AdversarialModel` arguments (`latent_prior`,
            `num_classes`, `d_steps`, `ema_decay`, `seed`, `name`).

    Example:

    ```python
    model = tfgan_zoo.models.GAN(generator, discriminator, loss="non_saturating")
    model.compile(generator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                  discriminator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    model.fit(tfgan_zoo.data.load("mnist8k", batch_size=64), steps_per_epoch=100)
    ```

    Reference: Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014.
    """

    def __init__(self, generator, discriminator, *, loss="non_saturating", gradient_penalty_weight=0.0, r1_weight=0.0, **kwargs):
        generator_loss_fn, discriminator_loss_fn = losses.get_loss_family(loss)
        for name, value in (("gradient_penalty_weight", gradient_penalty_weight), ("r1_weight", r1_weight)):
            if value < 0:
                raise ValueError(f"{name} must be >= 0. Received: {name}={value!r}")
        super().__init__(generator, discriminator, **kwargs)
        self.generator_loss_fn = generator_loss_fn
        self.discriminator_loss_fn = discriminator_loss_fn
        self.loss = loss
        self.gradient_penalty_weight = float(gradient_penalty_weight)
        self.r1_weight = float(r1_weight)

    @property
    def loss_names(self):
        names = ("d_loss", "g_loss", "d_real", "d_fake")
        if self.gradient_penalty_weight:
            names += ("gradient_penalty",)
        if self.r1_weight:
            names += ("r1_penalty",)
        return names

    def discriminator_step(self, real, labels, stream):
        batch_size = tf.shape(real)[0]
        latent = self.sample_latent(stream, batch_size)
        fake = self.generate_from(latent, labels, training=True)
        terms = {}
        with tf.GradientTape() as tape:
            real_scores = self.discriminate(real, labels)
            fake_scores = self.discriminate(fake, labels)
            adversarial = self.discriminator_loss_fn(real_scores, fake_scores)
            total = adversarial
            if self.gradient_penalty_weight:
                interpolation = self.random_uniform(stream + _PENALTY_STREAM, batch_size, [])
                penalty = losses.gradient_penalty(
                    lambda x: self.discriminate(x, labels), real, fake, interpolation
                )
                total += self.gradient_penalty_weight * penalty
                terms["gradient_penalty"] = tf.reduce_mean(penalty)
            if self.r1_weight:
                penalty = losses.r1_penalty(lambda x: self.discriminate(x, labels), real)
                total += self.r1_weight * penalty
                terms["r1_penalty"] = tf.reduce_mean(penalty)
            loss = self.reduce_loss(total)
            scaled_loss = self.discriminator_optimizer.scale_loss(loss)
        self.apply_gradients(self.discriminator_optimizer, tape, scaled_loss, self.discriminator.trainable_variables)
        terms["d_loss"] = tf.reduce_mean(adversarial)
        terms["d_real"] = tf.reduce_mean(tf.cast(real_scores, tf.float32))
        terms["d_fake"] = tf.reduce_mean(tf.cast(fake_scores, tf.float32))
        return terms

    def generator_step(self, batch_size, labels, stream):
        latent = self.sample_latent(stream, batch_size)
        with tf.GradientTape() as tape:
            fake = self.generate_from(latent, labels, training=True)
            per_example = self.generator_loss_fn(self.discriminate(fake, labels))
            loss = self.reduce_loss(per_example)
            scaled_loss = self.generator_optimizer.scale_loss(loss)
        self.apply_gradients(self.generator_optimizer, tape, scaled_loss, self.generator.trainable_variables)
        return {"g_loss": tf.reduce_mean(per_example)}

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "loss": self.loss,
                "gradient_penalty_weight": self.gradient_penalty_weight,
                "r1_weight": self.r1_weight,
            }
        )
        return config


# Offset of the penalty's draws from the latent draws of the same update.
_PENALTY_STREAM = 32
