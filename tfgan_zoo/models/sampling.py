"""Sampling and config pieces shared by the models.

`AdversarialModel` (every latent variant) and `TwoStage` (a composition of
trained generators) both sample through `LatentSampler`; every model
(`NetworkModel` and `TwoStage`) picks class labels through `ClassLabels` and
serializes its networks through `NetworkConfig`.
"""

import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo.utils import batching

# Second half of the stateless seed of `latent_for_seed`: `[seed, SAMPLING_SEED_SALT]`.
# The exported `sample` signature uses the same pair, so a seed names the same
# latent vector in Python and on a server.
SAMPLING_SEED_SALT = 0x5EED


class ClassLabels:
    """The labels to sample `num` samples with; the host class sets `num_classes` (None when unconditional)."""

    def balanced_labels(self, num, label=None):
        """Labels for `num` samples: all `label`, or cycling through the classes."""
        if self.num_classes is None:
            return None
        if label is not None:
            if not 0 <= int(label) < self.num_classes:
                raise ValueError(f"label must be in [0, {self.num_classes}). Received: label={label!r}")
            return np.full([num], int(label), np.int32)
        return (np.arange(num) % self.num_classes).astype(np.int32)


class LatentSampler(ClassLabels):
    """Sampling from `self.generator` (or `self.sampling_generator`) with `training=False`.

    Shared by `AdversarialModel` and models that only compose trained
    generators (`tfgan_zoo.models.TwoStage`). The host class sets
    `generator`, `sampling_generator` (what `generate` samples with by
    default), `latent_dim`, `latent_prior` and `num_classes`.
    """

    def generate_from(self, latent, labels=None, training=False, generator=None):
        """Runs a generator (default: the live one) on latent vectors and labels."""
        generator = generator or self.generator
        if self.num_classes is None:
            return generator(latent, training=training)
        return generator([latent, labels], training=training)

    # === Sampling ===
    def latent_for_seed(self, num, seed=0):
        """`num` latent vectors from the prior, a pure function of `seed`."""
        stateless = tf.random.stateless_normal if self.latent_prior == "normal" else tf.random.stateless_uniform
        return stateless([num, self.latent_dim], seed=[int(seed), SAMPLING_SEED_SALT]).numpy()

    def generate(self, num=None, *, latent=None, labels=None, seed=0, batch_size=256, use_ema=True):
        """Samples with `training=False`, in batches, as a float32 numpy array.

        Args:
            num: number of samples; ignored when `latent` is given.
            latent: explicit latent vectors `[num, latent_dim]`.
            labels: class labels `[num]` for conditional models; balanced over
                the classes when omitted.
            seed: seed of the latent vectors when `latent` is omitted.
            batch_size: samples per generator call.
            use_ema: sample from the EMA generator when the model has one.
        """
        latent, labels = self.sampling_inputs(num, latent, labels, seed)
        generator = self.sampling_generator if use_ema else self.generator
        return self.generate_batches(latent, labels, batch_size, generator)

    def sampling_inputs(self, num=None, latent=None, labels=None, seed=0):
        """`(latent, labels)` as `generate` samples them: checked float32 latents and (conditional) labels.

        Arguments as in `generate`: `latent` is drawn from `seed` when
        omitted, `labels` balanced over the classes.
        """
        if latent is None:
            if num is None or int(num) < 1:
                raise ValueError(f"num must be a positive int when latent is not given. Received: num={num!r}")
            latent = self.latent_for_seed(int(num), seed)
        latent = np.asarray(latent, np.float32)
        if latent.ndim != 2 or latent.shape[1] != self.latent_dim:
            raise ValueError(f"latent must have shape [num, {self.latent_dim}]. Received: shape={latent.shape}")
        if self.num_classes is not None and labels is None:
            labels = self.balanced_labels(len(latent))
        return latent, labels

    def generate_batches(self, latent, labels, batch_size, generator=None):
        """`generator` (default: the live one) on `latent` and `labels`, in batches, as a float32 numpy array."""
        def run(part, part_labels):
            return self.generate_from(part, part_labels, generator=generator)

        return batching.map_in_batches(run, (latent, int_labels(labels)), batch_size).astype(np.float32)


class NetworkConfig:
    """`get_config` and `from_config` pieces for a model whose constructor takes networks (or lists of networks).

    Shared by `AdversarialModel` and `tfgan_zoo.models.TwoStage`. The host
    class names those constructor arguments in `NETWORKS` and keeps
    each network in the attribute of the same name.
    """

    NETWORKS = ()

    def networks_config(self):
        """`{name: config}` of the networks in `NETWORKS`, for `get_config`."""
        return {name: _serialize_networks(getattr(self, name)) for name in self.NETWORKS}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        for key in cls.NETWORKS:
            config[key] = _deserialize_networks(config[key], custom_objects)
        return cls(**config)


def latent_from_seeds(seeds, latent_dim, latent_prior):
    """One latent row per int64 seed, from the prior, with stateless random ops.

    This is the draw of the exported `sample` signature.
    """
    draw = tf.random.stateless_normal if latent_prior == "normal" else tf.random.stateless_uniform
    stream = tf.constant(SAMPLING_SEED_SALT, tf.int64)

    def one_row(seed):
        return draw([latent_dim], seed=tf.stack([seed, stream]), dtype=tf.float32)

    # A loop over rows, not one draw for the batch: each row depends on its
    # own seed only, whatever else is in the request.
    return tf.map_fn(one_row, tf.cast(seeds, tf.int64), fn_output_signature=tf.TensorSpec([latent_dim], tf.float32))


def int_labels(labels):
    """Class labels as an int32 array, or None."""
    return None if labels is None else np.asarray(labels, np.int32)


def _serialize_networks(networks):
    """The config of a network, or the list of configs of a list of networks (one per level, say)."""
    if isinstance(networks, (list, tuple)):
        return [keras.layers.serialize(network) for network in networks]
    return keras.layers.serialize(networks)


def _deserialize_networks(config, custom_objects):
    if isinstance(config, list):
        return [keras.layers.deserialize(entry, custom_objects=custom_objects) for entry in config]
    return keras.layers.deserialize(config, custom_objects=custom_objects)
