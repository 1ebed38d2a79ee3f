"""The copy of a generator that LiteRT files are converted from.

Same weights, same function, two changes LiteRT needs:

- float32 layers: the float16 layers of a mixed-precision policy break
  LiteRT conversion;
- one-hot label encodings looked up in an identity matrix instead of the
  `ONE_HOT` op: LiteRT's int8 quantizer (TF 2.21) gives `ONE_HOT` the output
  scale of the concatenation that follows but keeps its on/off values in
  their own scale, so a one-hot 1.0 reached a trained conditional generator
  as about 4.5 (mean abs error 0.18 instead of 0.005 on cgan_mnist8k).
  A `GATHER` from a constant is quantized with the shared scale. (`EQUAL` +
  `CAST` does not help: the converter fuses it back into `ONE_HOT`.)
"""

import keras
import tensorflow as tf


class OneHotLookup(keras.layers.Layer):
    """`CategoryEncoding(output_mode="one_hot")` of int labels `[B]`, as rows of an identity matrix.

    Args:
        num_tokens: number of classes.
    """

    def __init__(self, num_tokens, **kwargs):
        super().__init__(**kwargs)
        self.num_tokens = int(num_tokens)

    def call(self, labels):
        return tf.gather(tf.eye(self.num_tokens, dtype=self.compute_dtype), tf.cast(labels, tf.int32))

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.num_tokens)

    def get_config(self):
        return {**super().get_config(), "num_tokens": self.num_tokens}


def conversion_copy(network):
    """`network` when LiteRT can convert it as is, else a float32 clone with the same weights."""
    layers = [layer for layer in network.layers if not isinstance(layer, keras.layers.InputLayer)]
    if not any(_is_one_hot(layer) or layer.dtype_policy.compute_dtype != "float32" for layer in layers):
        return network

    def rebuild(layer):
        if _is_one_hot(layer):
            return OneHotLookup(layer.num_tokens, dtype="float32", name=layer.name)
        config = layer.get_config()
        # An input layer's `dtype` is its tensor's (int32 labels stay int32).
        if not isinstance(layer, keras.layers.InputLayer):
            config["dtype"] = "float32"
        return layer.__class__.from_config(config)

    copy = keras.models.clone_model(network, clone_function=rebuild)
    copy.set_weights(network.get_weights())
    return copy


def _is_one_hot(layer):
    return isinstance(layer, keras.layers.CategoryEncoding) and layer.output_mode == "one_hot"
