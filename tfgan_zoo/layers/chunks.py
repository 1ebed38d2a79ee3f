"""Equal chunks of a vector, as separate tensors (BigGAN's hierarchical latent)."""

import keras
import tensorflow as tf

from tfgan_zoo.utils.validation import check_int


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class Chunks(keras.layers.Layer):
    """Splits `[B, D]` into a list of `count` tensors `[B, D // count]`, in order.

    A stock layer for what a `Lambda` would otherwise do, so networks that use
    it load in safe mode and convert to LiteRT (`SPLIT`).

    Args:
        count: number of chunks; it must divide `D`.
        **kwargs: base `keras.layers.Layer` arguments (`name`, `dtype`).
    """

    def __init__(self, count, **kwargs):
        super().__init__(**kwargs)
        check_int("count", count)
        self.count = count

    def build(self, input_shape):
        if len(input_shape) != 2 or input_shape[-1] is None or input_shape[-1] % self.count:
            raise ValueError(
                f"Chunks splits [batch, size] with size a multiple of count={self.count}. "
                f"Received: input_shape={tuple(input_shape)}"
            )
        super().build(input_shape)

    def call(self, inputs):
        return tf.split(inputs, self.count, axis=-1)

    def compute_output_shape(self, input_shape):
        return [(input_shape[0], input_shape[-1] // self.count)] * self.count

    def get_config(self):
        return {**super().get_config(), "count": self.count}
