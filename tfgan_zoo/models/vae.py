"""Variational autoencoder (Kingma & Welling 2014), the zoo's non-adversarial baseline.

The VAE lives on the shared base so that training, checkpoints, exact
resume, sampling, export and the command line treat it as any other variant:
its networks are `encoder` and `decoder`, each with its own optimizer, and
the decoder is what it samples with (`generator`, input `latent`, sampled
from the N(0, I) prior by `generate`).
"""

import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo import losses
from tfgan_zoo.models.adversarial_model import AdversarialModel
from tfgan_zoo.models.network_model import batch_means
from tfgan_zoo.models.sampling import int_labels
from tfgan_zoo.utils import batching, validation

RECONSTRUCTIONS = ("bernoulli", "gaussian")
ENCODE_SIGNATURE = "encode"
# Draw purpose of the reparameterisation noise (see `AdversarialModel.substream`);
# GAN uses 1-6, the latent is 0.
POSTERIOR_NOISE = 8


def reparameterise(mean, log_variance, noise):
    """`mean + sigma * noise`, a posterior draw differentiable in its parameters.

    Args:
        mean: posterior means `[B, latent_dim]`.
        log_variance: posterior log-variances `[B, latent_dim]`.
        noise: standard normal noise of the same shape.

    Reference: Kingma & Welling 2014, section 2.4 (the reparameterisation trick).
    """
    mean = tf.cast(mean, tf.float32)
    return mean + tf.exp(0.5 * tf.cast(log_variance, tf.float32)) * tf.cast(noise, tf.float32)


# === Shared by the VAE family ===
class EncodingMixin:
    """Encoding, posterior draws, reconstructions and the `encode` export of a VAE-like model.

    Mixed into an `AdversarialModel` whose `encoder` maps samples (and
    labels) to `[mean, log_variance]` (see `tfgan_zoo.networks.vae_encoders`).
    """

    def encode(self, samples, labels=None, training=False):
        """`(mean, log_variance)` of q(z | x), float32 tensors `[B, latent_dim]`."""
        inputs = samples if self.num_classes is None else [samples, labels]
        mean, log_variance = self.encoder(inputs, training=training)
        return tf.cast(mean, tf.float32), tf.cast(log_variance, tf.float32)

    def posterior_noise(self, stream, batch_size):
        """The standard normal noise of the reparameterisation in update `stream` of a step."""
        return self.random_normal(self.substream(stream, POSTERIOR_NOISE), batch_size, [self.latent_dim])

    def reconstruct(self, samples, labels=None, *, batch_size=256, use_ema=True):
        """Decodes the posterior means of `samples`, with `training=False`, as float32 numpy.

        Args:
            samples: data `[N, ...]`.
            labels: class labels `[N]` for conditional models.
            batch_size: samples per call.
            use_ema: decode with the EMA generator when the model has one.
        """
        samples = np.asarray(samples, np.float32)
        if self.num_classes is not None and labels is None:
            raise ValueError(f"A conditional model reconstructs with labels. Received: labels={labels!r}")
        generator = self.sampling_generator if use_ema else self.generator
        return self.generate_batches(self.codes(samples, labels, batch_size=batch_size), labels, batch_size, generator)

    def codes(self, samples, labels=None, *, batch_size=256):
        """The deterministic codes of `samples`: posterior means, in batches, as float32 numpy `[N, latent_dim]`."""
        samples = np.asarray(samples, np.float32)
        if self.num_classes is not None and labels is None:
            raise ValueError(f"A conditional model encodes with labels. Received: labels={labels!r}")
        means = batching.map_in_batches(lambda part, part_labels: self.encode(part, part_labels)[0],
                                        (samples, int_labels(labels)), batch_size)
        return means.astype(np.float32)

    def export_signatures(self):
        """`{"encode": (encoder, input names)}`: samples (and labels) -> `mean`, `log_variance`."""
        return {ENCODE_SIGNATURE: (self.encoder, [tensor.name for tensor in self.encoder.inputs])}


def check_encoder(encoder, generator, num_classes, generator_name="generator"):
    """Checks that `encoder` maps the generator's samples (and labels) to `[mean, log_variance]`."""
    for name, network in (("encoder", encoder), (generator_name, generator)):
        if not isinstance(network, keras.Model) or not network.built:
            raise ValueError(f"{name} must be a built keras.Model. Received: {name}={network!r}")
    latent_dim = int(generator.inputs[0].shape[-1])
    outputs = encoder.outputs
    if len(outputs) != 2 or any(tuple(output.shape[1:]) != (latent_dim,) for output in outputs):
        raise ValueError(
            f"encoder must output [mean, log_variance], each of shape (None, {latent_dim}) (the generator's "
            f"latent size). Received: encoder outputs {[tuple(output.shape) for output in outputs]}"
        )
    expected_inputs = 1 if num_classes is None else 2
    if len(encoder.inputs) != expected_inputs:
        raise ValueError(
            f"encoder must take {expected_inputs} input(s) (samples{', labels' if num_classes else ''}) with "
            f"num_classes={num_classes!r}. Received: encoder inputs {[tensor.name for tensor in encoder.inputs]}"
        )
    sample_shape, generated_shape = tuple(encoder.inputs[0].shape[1:]), tuple(generator.outputs[0].shape[1:])
    if sample_shape != generated_shape:
        raise ValueError(
            f"encoder must take the generator's samples of shape {generated_shape}. "
            f"Received: encoder input shape {sample_shape}"
        )


def check_normal_prior(latent_prior):
    """Raises unless the prior is N(0, I), the one the closed-form KL term assumes."""
    if latent_prior != "normal":
        raise ValueError(
            f"The VAE family's KL term is against the N(0, I) prior; it needs latent_prior='normal'. "
            f"Received: latent_prior={latent_prior!r}"
        )


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class VAE(EncodingMixin, AdversarialModel):
    """Encoder to a Gaussian posterior, reparameterised draw, decoder; trained on the negative ELBO.

    Per example, `loss = reconstruction + kl` with
    `kl = sum(sigma^2 + mu^2 - log(sigma^2) - 1) / 2` and `reconstruction`
    the decoder's negative log-likelihood of the example: `"bernoulli"`
    (cross-entropy of [0, 1]-mapped intensities, the paper's MNIST decoder)
    or `"gaussian"` (squared error over `2 * observation_variance`). The
    latent is drawn as `mu + sigma * eps` with the model's stateless noise,
    so a resumed run draws what the uninterrupted one would have.

    Networks: `encoder` and `decoder`; the decoder is also `generator`, so
    `generate`, `latent_for_seed`, the EMA, sample grids and the exported
    `serving_default`/`sample` signatures are the GANs' own. There is no
    discriminator: `discriminate` refuses to run.

    Optimizers: `decoder_optimizer` and `encoder_optimizer` (`compile`'s
    first and second), both on the same loss from the same forward pass.
    Adam, SGD and RMSprop act on each variable separately, so with equal
    settings this is exactly one optimizer over both networks; a recipe's
    `g_*` fields set the decoder's optimizer and `d_*` the encoder's.
    Models written when the encoder sat in a discriminator slot
    (`generator_optimizer`, `discriminator_optimizer`) still load.

    Each step is one update: the `generator_step` hook trains both networks
    and `discriminator_step` does nothing, so `d_steps` must be 1.

    Args:
        encoder: a built `keras.Model` from samples (and `label` when
            conditional) to `[mean, log_variance]`, e.g. from
            `tfgan_zoo.networks.vae_encoders`.
        decoder: a built `keras.Model` from `latent` (and `label`) to
            samples: a zoo generator.
        reconstruction: `"bernoulli"` (samples and decoder outputs in
            [-1, 1]) or `"gaussian"`.
        observation_variance: the Gaussian decoder's fixed variance per
            dimension (the weight of the squared error is
            `1 / (2 * observation_variance)`); unused by `"bernoulli"`.
        **kwargs: the `AdversarialModel` arguments (`latent_prior` must be
            `"normal"`; `num_classes` makes a conditional VAE, Sohn et al.
            2015, with the label fed to both networks).

    Example:

    ```python
    from tfgan_zoo.networks import dcgan_generator, vae_encoders
    model = tfgan_zoo.models.VAE(vae_encoders.dcgan_encoder((28, 28, 1), 16), dcgan_generator((28, 28, 1), 16))
    model.compile(decoder_optimizer=keras.optimizers.Adam(1e-3), encoder_optimizer=keras.optimizers.Adam(1e-3))
    model.fit(tfgan_zoo.data.load("mnist8k", batch_size=64), steps_per_epoch=100)
    mean, log_variance = model.encode(images)
    ```

    Reference: Kingma & Welling, "Auto-Encoding Variational Bayes", ICLR 2014.
    """

    NETWORKS = ("encoder", "decoder")
    OPTIMIZERS = {"decoder": None, "encoder": None}
    LEGACY_NAMES = {"generator": "decoder", "discriminator": "encoder"}

    def __init__(self, encoder, decoder, *, reconstruction="bernoulli", observation_variance=1.0, **kwargs):
        validation.check_choice("reconstruction", reconstruction, RECONSTRUCTIONS)
        validation.check_number("observation_variance", observation_variance, "(0, inf)")
        check_normal_prior(kwargs.get("latent_prior", "normal"))
        if kwargs.get("d_steps", 1) != 1:
            raise ValueError(
                f"A VAE makes one update per step (it has no discriminator); d_steps must be 1. "
                f"Received: d_steps={kwargs['d_steps']!r}"
            )
        check_encoder(encoder, decoder, kwargs.get("num_classes"), "decoder")
        super().__init__({"encoder": encoder, "decoder": decoder}, **kwargs)
        self.reconstruction = reconstruction
        self.observation_variance = float(observation_variance)

    @property
    def generator(self):
        """The decoder: what the VAE samples with."""
        return self.decoder

    # === Loss ===
    @property
    def loss_names(self):
        return ("loss", "reconstruction", "kl")

    def reconstruction_loss(self, real, decoded):
        """The configured per-example reconstruction term, `-log p(x | z)`."""
        if self.reconstruction == "bernoulli":
            return losses.bernoulli_reconstruction(real, decoded)
        return losses.gaussian_reconstruction(real, decoded, self.observation_variance)

    def elbo_terms(self, real, labels, noise, training=True):
        """Per-example `(reconstruction, kl)` of `real`, with the latent drawn with `noise`."""
        mean, log_variance = self.encode(real, labels, training=training)
        decoded = self.generate_from(reparameterise(mean, log_variance, noise), labels, training=training)
        return self.reconstruction_loss(real, decoded), losses.kl_divergence(mean, log_variance)

    # === Updates ===
    def discriminator_step(self, real, labels, stream):
        """Nothing: a VAE has no discriminator, and its encoder learns in `generator_step`."""
        return {}

    def generator_step(self, real, labels, stream):
        """One joint update of encoder and decoder on the negative ELBO of `real`."""
        noise = self.posterior_noise(stream, tf.shape(real)[0])

        def loss_fn():
            reconstruction, kl = self.elbo_terms(real, labels, noise)
            loss = self.reduce_loss(reconstruction + kl)
            return {"decoder": loss, "encoder": loss}, batch_means(
                loss=reconstruction + kl, reconstruction=reconstruction, kl=kl)

        return self.update_jointly(("decoder", "encoder"), loss_fn)

    # === Config ===
    def get_config(self):
        config = super().get_config()
        config.update({"reconstruction": self.reconstruction, "observation_variance": self.observation_variance})
        return config
