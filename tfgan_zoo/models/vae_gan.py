"""VAE-GAN (Larsen et al. 2016): a VAE whose decoder is also a GAN generator,
with the reconstruction error measured in the discriminator's feature space."""

import keras
import tensorflow as tf

from tfgan_zoo import losses, networks
from tfgan_zoo.models.adversarial_model import AdversarialModel
from tfgan_zoo.models.network_model import batch_means
from tfgan_zoo.models.vae import (
    EncodingMixin,
    check_encoder,
    check_normal_prior,
    reparameterise,
)
from tfgan_zoo.utils import validation

# GAN switches VAEGAN does not implement (its loss family is `loss`).


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class VAEGAN(EncodingMixin, AdversarialModel):
    """Encoder, decoder (= generator) and discriminator, trained as in Larsen et al.'s Algorithm 1.

    With `x` a real batch, `z ~ q(z | x)` (reparameterised), `x~ = Dec(z)`
    its reconstruction, `x_p = Dec(z_p)` with `z_p ~ N(0, I)`, and
    `Dis_l` the discriminator's `"features"` layer (the representation its
    score is computed from; see `tfgan_zoo.networks.features_and_scores`):

    - `L_prior = KL(q(z | x) || N(0, I))` per example;
    - `L_llike = sum((Dis_l(x) - Dis_l(x~))^2) / 2` per example: the
      negative log-likelihood of `Dis_l(x)` under a unit Gaussian around
      `Dis_l(x~)`, the paper's feature-space reconstruction error;
    - encoder: minimises `L_prior + L_llike`;
    - decoder: minimises `reconstruction_weight * L_llike` (the paper's
      gamma) plus the family's generator loss on both `x~` and `x_p`;
    - discriminator: the family's discriminator loss of `x` against `x~`
      and of `x` against `x_p`, averaged. The paper's
      `log D(x) + log(1 - D(x~)) + log(1 - D(x_p))` counts the real term once
      and each generated batch once; averaging weights the real batch as
      much as the two generated batches together, so D faces the plain GAN
      problem with the 50/50 mixture of reconstructions and prior samples
      as its generated distribution, with any loss family.

    Only the encoder and decoder follow `L_llike`; the discriminator learns
    from the adversarial loss alone (the paper's choice: a discriminator
    trained to reconstruct would collapse its features). The discriminator
    runs in training mode on each batch separately, as in `GAN`.

    Updates: each step updates D once per minibatch (`d_steps`, as in
    `GAN`), then encoder and decoder together on the last minibatch, both
    gradients taken from one forward pass before either network moves.
    Algorithm 1 updates all three networks from one forward pass; here D
    moves first and the encoder and decoder see the updated D, as every
    GAN of the zoo alternates.

    Optimizers: `generator_optimizer` moves the decoder,
    `discriminator_optimizer` the discriminator and a third,
    `encoder_optimizer` (an argument of `compile`, saved with the model),
    the encoder. When `compile` gets no `encoder_optimizer` it makes a fresh
    copy of the generator optimizer's settings, so `training.build_model`
    works unchanged and a recipe's `g_*` fields set both the decoder's and
    the encoder's optimizers.

    Args:
        encoder: a built `keras.Model` from samples (and `label`) to
            `[mean, log_variance]` (see `tfgan_zoo.networks.vae_encoders`).
        generator: the decoder, a zoo generator (`latent`, and `label` when
            conditional, to samples).
        discriminator: a zoo discriminator with a `"features"` layer.
        loss: loss family name, one of `tfgan_zoo.losses.LOSS_FAMILIES`; the
            paper writes the minimax game, `"minimax"`; the default `"non_saturating"` is the
            same game with the usual generator heuristic.
        reconstruction_weight: gamma, the weight of `L_llike` in the
            decoder's loss against the adversarial term. The paper leaves it
            to tune; the zoo's recipes use 0.01, which kept the game
            balanced on mnist8k where 1.0 let D win outright early on.
        **kwargs: the `AdversarialModel` arguments (`latent_prior` must be
            `"normal"`).

    Reference: Larsen, Sonderby, Larochelle & Winther, "Autoencoding beyond
    pixels using a learned similarity metric", ICML 2016.
    """

    NETWORKS = ("encoder", "generator", "discriminator")
    # The encoder's optimizer, when not given, copies the generator's settings.
    OPTIMIZERS = {"generator": None, "discriminator": None, "encoder": "generator"}

    def __init__(self, encoder, generator, discriminator, *, loss="non_saturating", reconstruction_weight=1.0,
                 **kwargs):
        generator_loss_fn, discriminator_loss_fn = losses.get_loss_family(loss)
        validation.check_number("reconstruction_weight", reconstruction_weight, "[0, inf)")
        check_normal_prior(kwargs.get("latent_prior", "normal"))
        check_encoder(encoder, generator, kwargs.get("num_classes"))
        super().__init__({"encoder": encoder, "generator": generator, "discriminator": discriminator}, **kwargs)
        self.feature_network = networks.features_and_scores(discriminator)
        self.generator_loss_fn = generator_loss_fn
        self.discriminator_loss_fn = discriminator_loss_fn
        self.loss = loss
        self.reconstruction_weight = float(reconstruction_weight)

    # === Losses ===
    @property
    def loss_names(self):
        return ("d_loss", "g_loss", "kl", "reconstruction", "d_real", "d_reconstructed", "d_prior")

    def feature_reconstruction(self, real, reconstructed, labels=None, training=True):
        """`(L_llike per example, D's scores of the reconstructions)`.

        `L_llike = sum((Dis_l(real) - Dis_l(reconstructed))^2) / 2` over
        the `"features"` layer; `real`'s features are a fixed target.
        """
        real_features, _ = self.feature_network(self._discriminator_inputs(real, labels), training=training)
        features, scores = self.feature_network(self._discriminator_inputs(reconstructed, labels), training=training)
        difference = tf.cast(features, tf.float32) - tf.stop_gradient(tf.cast(real_features, tf.float32))
        return 0.5 * losses.sum_per_example(tf.square(difference)), scores

    def discriminator_objective(self, real_scores, reconstructed_scores, prior_scores):
        """Per-example discriminator loss: real against each generated batch, averaged."""
        return 0.5 * (
            self.discriminator_loss_fn(real_scores, reconstructed_scores)
            + self.discriminator_loss_fn(real_scores, prior_scores)
        )

    def encoder_decoder_objectives(self, real, labels, noise, prior_latent):
        """`(encoder loss, decoder loss, logged terms)` on `real`, for one joint update.

        Args:
            real: a real minibatch.
            labels: its labels for conditional models, else `None`.
            noise: the reparameterisation's standard normal noise `[B, latent_dim]`.
            prior_latent: latent vectors from the prior `[B, latent_dim]`.
        """
        mean, log_variance = self.encode(real, labels, training=True)
        reconstructed = self.generate_from(reparameterise(mean, log_variance, noise), labels, training=True)
        prior_samples = self.generate_from(prior_latent, labels, training=True)
        distance, reconstructed_scores = self.feature_reconstruction(real, reconstructed, labels)
        prior_scores = self.discriminate(prior_samples, labels)
        kl = losses.kl_divergence(mean, log_variance)
        adversarial = self.generator_loss_fn(reconstructed_scores) + self.generator_loss_fn(prior_scores)
        encoder_loss = self.reduce_loss(kl + distance)
        decoder_loss = self.reduce_loss(self.reconstruction_weight * distance + adversarial)
        terms = {
            "g_loss": tf.reduce_mean(adversarial),
            "kl": tf.reduce_mean(kl),
            "reconstruction": tf.reduce_mean(distance),
        }
        return encoder_loss, decoder_loss, terms

    def _discriminator_inputs(self, samples, labels):
        return samples if self.num_classes is None else [samples, labels]

    # === Updates ===
    def discriminator_step(self, real, labels, stream):
        batch_size = tf.shape(real)[0]
        mean, log_variance = self.encode(real, labels, training=True)
        latent = reparameterise(mean, log_variance, self.posterior_noise(stream, batch_size))
        reconstructed = self.generate_from(latent, labels, training=True)
        prior_samples = self.generate_from(self.sample_latent(stream, batch_size), labels, training=True)

        def loss_fn():
            real_scores = self.discriminate(real, labels)
            reconstructed_scores = self.discriminate(reconstructed, labels)
            prior_scores = self.discriminate(prior_samples, labels)
            per_example = self.discriminator_objective(real_scores, reconstructed_scores, prior_scores)
            return self.reduce_loss(per_example), batch_means(
                d_loss=per_example, d_real=real_scores, d_reconstructed=reconstructed_scores, d_prior=prior_scores)

        return self.update("discriminator", loss_fn, self.discriminator.trainable_variables)

    def generator_step(self, real, labels, stream):
        """One joint update of encoder and decoder (the discriminator stays as it is)."""
        batch_size = tf.shape(real)[0]
        noise, prior_latent = self.posterior_noise(stream, batch_size), self.sample_latent(stream, batch_size)

        def loss_fn():
            encoder_loss, decoder_loss, terms = self.encoder_decoder_objectives(real, labels, noise, prior_latent)
            return {"encoder": encoder_loss, "generator": decoder_loss}, terms

        return self.update_jointly(("encoder", "generator"), loss_fn)

    # === Config ===
    def get_config(self):
        config = super().get_config()
        config.update({"loss": self.loss, "reconstruction_weight": self.reconstruction_weight})
        return config
