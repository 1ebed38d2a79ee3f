"""Conditioning Augmentation (StackGAN): a Gaussian condition around a text embedding."""

import keras
import tensorflow as tf


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class ConditioningAugmentation(keras.layers.Layer):
    """`[embedding, noise]` -> `[condition, mean, log_variance]` with `condition = mean + sigma * noise`.

    A dense layer maps the text embedding to the mean and log-variance of a
    diagonal Gaussian; the condition the generator sees is a draw from it,
    reparameterised by standard normal `noise` (an input, so the draw is
    replayable and the layer converts to LiteRT with builtin ops). The
    training objective adds `KL(N(mean, sigma^2) || N(0, I))` to the
    generator's loss (`tfgan_zoo.models.vae.kl_divergence`), which keeps the
    conditioning manifold smooth; the mean and log-variance are outputs for
    that term. `noise = 0` gives the mean, the condition's most likely value.

    Args:
        units: width of the condition (the paper's N_g = 128).
        **kwargs: base `keras.layers.Layer` arguments (`name`, `dtype`).

    Reference: Zhang et al., "StackGAN: Text to Photo-realistic Image
    Synthesis with Stacked Generative Adversarial Networks", ICCV 2017, 3.1.
    """

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        if isinstance(units, bool) or not isinstance(units, int) or units < 1:
            raise ValueError(f"units must be an int >= 1. Received: units={units!r}")
        self.units = units
        self.statistics = keras.layers.Dense(2 * units, name="statistics")

    def build(self, input_shape):
        embedding_shape, noise_shape = input_shape
        if noise_shape[-1] != self.units:
            raise ValueError(
                f"The noise must have the condition's width {self.units}. Received: noise shape {tuple(noise_shape)}"
            )
        self.statistics.build(embedding_shape)
        super().build(input_shape)

    def call(self, inputs):
        embedding, noise = inputs
        mean, log_variance = tf.split(self.statistics(embedding), 2, axis=-1)
        condition = mean + tf.exp(0.5 * log_variance) * tf.cast(noise, mean.dtype)
        return [condition, mean, log_variance]

    def compute_output_shape(self, input_shape):
        return [(input_shape[0][0], self.units)] * 3

    def get_config(self):
        return {**super().get_config(), "units": self.units}
