"""Adversarial autoencoder: an autoencoder whose codes a discriminator matches to the prior."""

import keras
import tensorflow as tf

from tfgan_zoo import losses
from tfgan_zoo.models.encoder_model import EncoderAdversarialModel, reconstruction_update
from tfgan_zoo.models.network_model import batch_means
from tfgan_zoo.utils import validation

# Per-example distances between a sample and its reconstruction.
RECONSTRUCTION_LOSSES = losses.RECONSTRUCTION_LOSSES


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class AdversarialAutoencoder(EncoderAdversarialModel):
    """Encoder E(x) -> z, decoder G(z) -> x, and a code discriminator D(z).

    Each minibatch trains three phases (Section 2 of the paper):

    1. regularisation, D: D learns to score prior draws `z ~ p(z)` as real
       and codes `E(x)` as fake (discriminator optimizer, D's variables);
    2. regularisation, E: E is updated to make D score its codes real, with
       the family's generator loss times `adversarial_weight` (generator
       optimizer, E's variables only);
    3. reconstruction: E and G minimise the pixel distance between x and
       `G(E(x))` (generator optimizer, E's and G's variables).

    The base class runs D's update (phase 1) first in each step and
    `generator_step` then runs phases 2 and 3, so over a run the phases cycle
    reconstruction -> D -> E exactly as in the paper; only the first step
    starts at D. Phases 2 and 3 share the generator optimizer, so it counts
    two iterations per step and E's Adam moments see both objectives; the
    paper gives each phase its own learning rate, which `adversarial_weight`
    stands in for (exactly so with SGD). The decoder is the model's
    `generator`: `generate()` samples `G(z)` with `z` from the prior, and its
    input is named `latent`. The encoder is deterministic (the paper's first
    choice of q(z|x)).

    Args:
        generator: the decoder, `latent` -> sample.
        discriminator: the code discriminator, `latent` -> score, e.g.
            `tfgan_zoo.networks.encoders.code_discriminator`.
        encoder: sample -> code of size `latent_dim`.
        loss: loss family of the code GAN, one of
            `tfgan_zoo.losses.LOSS_FAMILIES`.
        reconstruction_loss: `"mse"` (mean squared error over the sample's
            elements) or `"l1"` (mean absolute error).
        adversarial_weight: weight of E's adversarial loss (phase 2).
        **kwargs: the `AdversarialModel` arguments (`latent_prior` is the
            prior codes are matched to); unconditional only.

    Example:

    ```python
    model = tfgan_zoo.models.AdversarialAutoencoder(decoder, code_discriminator, encoder)
    model.compile(generator_optimizer=keras.optimizers.Adam(1e-3),
                  discriminator_optimizer=keras.optimizers.Adam(1e-4))
    model.fit(images, batch_size=64, epochs=10)
    samples = model.generate(64)   # G(z), z from the prior
    ```

    Reference: Makhzani et al., "Adversarial Autoencoders", ICLR 2016 workshop.
    """

    def __init__(
        self, generator, discriminator, encoder, *, loss="non_saturating", reconstruction_loss="mse",
        adversarial_weight=1.0, **kwargs,
    ):
        generator_loss_fn, discriminator_loss_fn = losses.get_loss_family(loss)
        losses.check_reconstruction_loss(reconstruction_loss)
        validation.check_number("adversarial_weight", adversarial_weight, "(0, inf)")
        super().__init__(generator, discriminator, encoder, **kwargs)
        shapes = [tuple(tensor.shape[1:]) for tensor in discriminator.inputs]
        if shapes != [(self.latent_dim,)]:
            raise ValueError(
                f"The code discriminator takes codes of shape ({self.latent_dim},). "
                f"Received: discriminator input shapes {shapes}"
            )
        self.loss = loss
        self.reconstruction_loss = reconstruction_loss
        self.adversarial_weight = float(adversarial_weight)
        self.generator_loss_fn = generator_loss_fn
        self.discriminator_loss_fn = discriminator_loss_fn

    @property
    def loss_names(self):
        return ("d_loss", "g_loss", "reconstruction_loss", "d_prior", "d_codes")

    def score_codes(self, codes, training=True):
        """D's scores of latent codes (prior draws or encodings)."""
        return self.discriminator(codes, training=training)

    def discriminate(self, samples, labels=None, training=True, weights=None):
        """The code discriminator's score of each sample's code, `D(E(x))`: how prior-like it looks.

        What the evaluation's discriminator histogram reads. `labels` and
        `weights` are not used by the adversarial autoencoder.
        """
        if weights is not None:
            raise ValueError("AdversarialAutoencoder has no stateless discriminator call. Received: weights (not None)")
        return self.score_codes(self.encoder(samples, training=training), training=training)

    def reconstruction_error(self, samples, reconstructions):
        """Per-example distance between samples and their reconstructions, shape `[batch]`."""
        return losses.reconstruction_error(samples, reconstructions, self.reconstruction_loss)

    # === Updates ===
    def discriminator_step(self, real, labels, stream):
        """Phase 1: D tells prior draws (real) from the encoder's codes (fake)."""
        prior = self.sample_latent(stream, tf.shape(real)[0])
        codes = self.encoder(real, training=True)
        return self.discriminator_update(self.score_codes, (prior,), (codes,), ("d_prior", "d_codes"))

    def generator_step(self, real, labels, stream):
        """Phases 2 and 3: E fools D, then E and G reconstruct."""
        terms = self.encoder_adversarial_step(real)
        terms.update(self.reconstruction_step(real))
        return terms

    def encoder_adversarial_step(self, real):
        """Phase 2: E moves its codes towards where D sees the prior."""

        def loss_fn():
            per_example = self.generator_loss_fn(self.score_codes(self.encoder(real, training=True)))
            return self.adversarial_weight * self.reduce_loss(per_example), batch_means(g_loss=per_example)

        return self.update("generator", loss_fn, self.encoder.trainable_variables)

    def reconstruction_step(self, real):
        """Phase 3: E and G minimise the reconstruction error of the minibatch."""
        return reconstruction_update(self, self.encoder, self.generator, real, self.reconstruction_loss)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "loss": self.loss,
                "reconstruction_loss": self.reconstruction_loss,
                "adversarial_weight": self.adversarial_weight,
            }
        )
        return config
