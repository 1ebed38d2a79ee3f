"""Per-example distances between samples and their reconstructions (autoencoder phases)."""

import tensorflow as tf

# Distances `reconstruction_error` knows.
RECONSTRUCTION_LOSSES = ("mse", "l1")


def check_reconstruction_loss(kind):
    if kind not in RECONSTRUCTION_LOSSES:
        raise ValueError(
            f"reconstruction_loss must be one of {RECONSTRUCTION_LOSSES}. Received: reconstruction_loss={kind!r}"
        )


def reconstruction_error(samples, reconstructions, kind="mse"):
    """Per-example mean over the sample's elements of the squared (`"mse"`) or absolute (`"l1"`) error, `[batch]`."""
    difference = tf.cast(reconstructions, tf.float32) - tf.cast(samples, tf.float32)
    distance = tf.square(difference) if kind == "mse" else tf.abs(difference)
    return tf.reduce_mean(tf.reshape(distance, [tf.shape(distance)[0], -1]), axis=1)
