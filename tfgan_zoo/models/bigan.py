"""BiGAN: an encoder learned jointly with the generator, by a discriminator of (sample, code) pairs."""

import keras
import tensorflow as tf

from tfgan_zoo import losses
from tfgan_zoo.models.encoder_model import EncoderAdversarialModel
from tfgan_zoo.models.network_model import batch_means


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class BiGAN(EncoderAdversarialModel):
    """Generator G(z), encoder E(x) and a discriminator D(x, z) of joint pairs.

    D is trained to score the pair `(x, E(x))` of a real sample and its code
    as real and the pair `(G(z), z)` of a prior draw and its sample as fake.
    G and E are trained together against D with the labels inverted: G wants
    `(G(z), z)` scored real and E wants `(x, E(x))` scored fake. At the
    optimum `E = G^-1` (Theorem 2 of the paper), so E's codes are features
    learned without labels. One update of G and E uses the generator
    optimizer over both networks' variables (`generator_variables`); D has
    the discriminator optimizer.

    The G and E loss for each family is the discriminator's loss with the
    pair labels swapped (`non_saturating`, the paper's practical choice, and
    `least_squares`), the negated discriminator loss for `minimax` (the
    paper's min-max game, Eq. 3) and `wasserstein`, and the linear
    `D(x, E(x)) - D(G(z), z)` for `hinge`, whose generator loss is linear too.

    Args:
        generator: `latent` -> sample.
        discriminator: `[sample, latent]` -> score, e.g.
            `tfgan_zoo.networks.encoders.dcgan_joint_discriminator`.
        encoder: sample -> code of size `latent_dim`, e.g.
            `tfgan_zoo.networks.encoders.dcgan_encoder`.
        loss: loss family name, one of `tfgan_zoo.losses.LOSS_FAMILIES`.
        **kwargs: the `AdversarialModel` arguments (`latent_prior`,
            `d_steps`, `ema_decay`, `seed`, `name`); unconditional only.

    Example:

    ```python
    model = tfgan_zoo.models.BiGAN(generator, discriminator, encoder)
    model.compile(generator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                  discriminator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    model.fit(images, batch_size=64, epochs=10)
    codes = model.encode(images)           # features for a nearest-neighbour probe
    reconstructions = model.reconstruct(images)   # G(E(x))
    ```

    Reference: Donahue et al., "Adversarial Feature Learning", ICLR 2017;
    Dumoulin et al., "Adversarially Learned Inference", ICLR 2017 (ALI, the
    same model).
    """

    def __init__(self, generator, discriminator, encoder, *, loss="non_saturating", **kwargs):
        generator_loss_fn, discriminator_loss_fn = losses.get_loss_family(loss)
        super().__init__(generator, discriminator, encoder, **kwargs)
        _check_joint_discriminator(discriminator, tuple(generator.outputs[0].shape[1:]), self.latent_dim)
        self.loss = loss
        self.generator_loss_fn = generator_loss_fn
        self.discriminator_loss_fn = discriminator_loss_fn

    @property
    def loss_names(self):
        return ("d_loss", "g_loss", "d_real", "d_fake")

    # === The pairs D scores ===
    def score_pairs(self, samples, codes, training=True):
        """D's scores of the pairs `(samples[i], codes[i])`."""
        return self.discriminator([samples, codes], training=training)

    def discriminate(self, samples, labels=None, training=True, weights=None):
        """D's score of each sample paired with its own code, `D(x, E(x))`.

        What the evaluation's discriminator histogram reads, for real and
        generated samples alike. `labels` and `weights` are not used by BiGAN.
        """
        if weights is not None:
            raise ValueError("BiGAN has no stateless discriminator call. Received: weights (not None)")
        samples = tf.convert_to_tensor(samples)  # numpy from the metrics; paired with a tensor below
        return self.score_pairs(samples, self.encoder(samples, training=training), training=training)

    def encoder_generator_loss(self, real_scores, fake_scores):
        """The per-example loss of G and E: D's game with the pair labels inverted.

        Args:
            real_scores: D's scores of `(x, E(x))`.
            fake_scores: D's scores of `(G(z), z)`.
        """
        if self.loss == "minimax":
            return -self.discriminator_loss_fn(real_scores, fake_scores)
        if self.loss == "hinge":
            return losses.wasserstein_discriminator_loss(fake_scores, real_scores)
        return self.discriminator_loss_fn(fake_scores, real_scores)

    # === Updates ===
    def discriminator_step(self, real, labels, stream):
        latent = self.sample_latent(stream, tf.shape(real)[0])
        fake = self.generate_from(latent, training=True)
        codes = self.encoder(real, training=True)
        return self.discriminator_update(self.score_pairs, (real, codes), (fake, latent), ("d_real", "d_fake"))

    def generator_step(self, real, labels, stream):
        latent = self.sample_latent(stream, tf.shape(real)[0])

        def loss_fn():
            fake = self.generate_from(latent, training=True)
            codes = self.encoder(real, training=True)
            per_example = self.encoder_generator_loss(self.score_pairs(real, codes), self.score_pairs(fake, latent))
            return self.reduce_loss(per_example), batch_means(g_loss=per_example)

        return self.update("generator", loss_fn)

    def get_config(self):
        config = super().get_config()
        config["loss"] = self.loss
        return config


def _check_joint_discriminator(discriminator, sample_shape, latent_dim):
    shapes = [tuple(tensor.shape[1:]) for tensor in discriminator.inputs]
    if shapes != [sample_shape, (latent_dim,)]:
        raise ValueError(
            f"BiGAN's discriminator takes [sample {sample_shape}, latent ({latent_dim},)] pairs. "
            f"Received: discriminator input shapes {shapes}"
        )
