"""BigGAN (Brock et al. 2019): the GAN update plus orthogonal regularisation of G, sampled with truncation."""

import math

import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo import losses
from tfgan_zoo.models import sampling
from tfgan_zoo.models.gan import GAN
from tfgan_zoo.utils import validation

TRUNCATION_INPUT = "truncation"


def truncate_latent(latent, threshold):
    """Standard normal latents mapped, entry by entry, to a normal truncated to `[-threshold, threshold]`.

    The truncation trick: sampling from a truncated normal trades variety for
    fidelity. BigGAN redraws the entries outside the threshold until they
    fall inside; here each entry `z` is mapped to the truncated normal's
    quantile of `Phi(z)` instead, `Phi^-1(Phi(-t) + Phi(z) (1 - 2 Phi(-t)))`.
    Both give exactly the truncated normal, but the map needs no loop and
    keeps a sample's identity across thresholds: the same seed squeezed
    further towards the mode, entry order preserved. It is computed on
    tail probabilities, which float32 resolves far into the tails.

    Args:
        latent: N(0, 1) latents `[B, D]`.
        threshold: `t`, a scalar or one per row (`[B, 1]`); rows with `t <= 0`
            are returned unchanged.

    Returns:
        float32 `[B, D]`, every entry of a truncated row in `[-t, t]`.
    """
    latent = tf.convert_to_tensor(latent, tf.float32)
    threshold = tf.cast(threshold, tf.float32)
    tail_beyond_threshold = 0.5 * tf.math.erfc(threshold / math.sqrt(2.0))
    tail_beyond_latent = 0.5 * tf.math.erfc(tf.abs(latent) / math.sqrt(2.0))
    tail = tail_beyond_threshold + tail_beyond_latent * (1.0 - 2.0 * tail_beyond_threshold)
    magnitude = tf.minimum(-tf.math.ndtri(tail), threshold)
    return tf.where(threshold > 0.0, tf.sign(latent) * magnitude, latent)


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class BigGAN(GAN):
    """The `GAN` update rule with BigGAN's orthogonal regularisation, and truncated sampling.

    Everything else that makes BigGAN lives elsewhere and composes: the
    networks (`networks="biggan"`: conditional BatchNorm from a shared class
    embedding and a hierarchical latent, a projection discriminator,
    self-attention, spectral normalization), the hinge loss and the
    generator EMA (`loss`, `ema_decay`), synchronised BatchNorm (the
    recipe's `sync_batchnorm`).

    Sampling with `generate(..., truncation=t)` draws the latent from a
    normal truncated to `[-t, t]` (`truncate_latent`); the exported `sample`
    signature takes a per-row `truncation` input beside `seed` (a row with
    `truncation <= 0` is not truncated).

    Args:
        generator: see `AdversarialModel`; its latent prior must be normal.
        discriminator: see `AdversarialModel`.
        orthogonal_weight: `beta` of the orthogonal regularisation
            (`losses.orthogonal_regularisation`) of the generator's weight
            matrices and filters, class embedding excepted, added to its
            loss; 0 disables it.
        **kwargs: the `GAN` arguments (`loss`, penalties, switches) and the
            `AdversarialModel` ones (`num_classes`, `ema_decay`, `seed`, ...).

    Example:

    ```python
    generator, discriminator = tfgan_zoo.networks.build_networks("biggan", (32, 32, 1), 64, num_classes=10)
    model = tfgan_zoo.models.BigGAN(generator, discriminator, loss="hinge", num_classes=10, ema_decay=0.999)
    model.compile(keras.optimizers.Adam(1e-4, 0.0, 0.999), keras.optimizers.Adam(4e-4, 0.0, 0.999))
    model.fit(dataset)
    images = model.generate(16, truncation=0.5)
    ```

    Reference: Brock et al., "Large Scale GAN Training for High Fidelity
    Natural Image Synthesis", ICLR 2019.
    """

    def __init__(self, generator, discriminator, *, orthogonal_weight=1e-4, **kwargs):
        validation.check_number("orthogonal_weight", orthogonal_weight, "[0, inf)")
        if kwargs.get("latent_prior", "normal") != "normal":
            raise ValueError(
                "BigGAN truncates a normal latent; use latent_prior='normal'. "
                f"Received: latent_prior={kwargs['latent_prior']!r}"
            )
        super().__init__(generator, discriminator, **kwargs)
        self.orthogonal_weight = float(orthogonal_weight)

    @property
    def loss_names(self):
        return super().loss_names + (("orthogonal_penalty",) if self.orthogonal_weight else ())

    @property
    def orthogonal_kernels(self):
        """The generator's trainable matrices and filters, without embeddings (as BigGAN's own code)."""
        embeddings = {
            id(variable)
            for layer in self.generator.layers
            if isinstance(layer, keras.layers.Embedding)
            for variable in layer.weights
        }
        return [v for v in self.generator.trainable_variables if len(v.shape) >= 2 and id(v) not in embeddings]

    def extra_generator_terms(self, fake_extra, labels, latent):
        """The orthogonal regularisation of the generator's kernels, when weighted."""
        if not self.orthogonal_weight:
            return 0.0, {}
        penalty = losses.orthogonal_regularisation(self.orthogonal_kernels)
        return self.replica_share(self.orthogonal_weight * penalty), {"orthogonal_penalty": penalty}

    # === Truncated sampling ===
    def generate(self, num=None, *, truncation=None, latent=None, seed=0, **kwargs):
        """`AdversarialModel.generate`; with `truncation=t > 0` the latents are truncated to `[-t, t]`.

        Explicit `latent` vectors are truncated too (they must be N(0, 1)
        draws); without them, seed `seed` gives the latents of the untruncated
        call, squeezed (see `truncate_latent`).
        """
        if truncation is not None:
            if isinstance(truncation, bool) or not isinstance(truncation, (int, float)) or not truncation > 0:
                raise ValueError(f"truncation must be None or a number > 0. Received: truncation={truncation!r}")
            if latent is None:
                if num is None or int(num) < 1:
                    raise ValueError(f"num must be a positive int when latent is not given. Received: num={num!r}")
                latent = self.latent_for_seed(int(num), seed)
            latent = truncate_latent(np.asarray(latent, np.float32), float(truncation)).numpy()
        return super().generate(num, latent=latent, seed=seed, **kwargs)

    @property
    def sample_latent_inputs(self):
        """Inputs of the exported `sample` signature that `latent_from_seeds` reads: a per-row `truncation`."""
        return {TRUNCATION_INPUT: tf.TensorSpec([None], tf.float32, name=TRUNCATION_INPUT)}

    def latent_from_seeds(self, seeds, truncation):
        """One latent row per int64 seed, truncated by its row's `truncation` (in-graph, for `sample`).

        Row `i` is `truncate_latent(latent_for_seed(1, seeds[i]), truncation[i])`.
        """
        latent = sampling.latent_from_seeds(seeds, self.latent_dim, self.latent_prior)
        return truncate_latent(latent, tf.reshape(truncation, [-1, 1]))

    def get_config(self):
        return {**super().get_config(), "orthogonal_weight": self.orthogonal_weight}
