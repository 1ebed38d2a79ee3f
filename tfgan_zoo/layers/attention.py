"""Self-attention over the positions of a feature map (SAGAN, Zhang et al. 2019).

A convolution sees a neighbourhood; an attention layer lets every position
read every other one, so a generator can keep distant parts of an image
consistent and a discriminator can check them against each other.
"""

import keras
import tensorflow as tf

from tfgan_zoo.utils.validation import check_int


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class SelfAttention(keras.layers.Layer):
    """`x + gamma * o`: each position adds a learned mix of every position's value.

    For a feature map `x` `[B, H, W, C]` with `N = H * W` positions, 1x1
    convolutions give queries `f(x)` and keys `g(x)` (`C // key_ratio`
    channels) and values `h(x)` (`C // value_ratio` channels). The attention
    map `beta = softmax(f(x) g(x)^T)` `[B, N, N]` has one row per query
    position, summing to 1 over the key positions; `o` is the attended values
    `beta h(x)` mapped back to `C` channels by a last 1x1 convolution. The
    scalar `gamma` starts at 0, so the layer starts as the identity and the
    network learns how much non-local evidence to use.

    `attention(x)` returns the map itself, for visualisation
    (`tfgan_zoo.attention_maps`).

    Args:
        key_ratio: channels of the queries and keys are `C // key_ratio` (at least 1).
        value_ratio: channels of the values are `C // value_ratio` (at least 1).
        spectral_norm: wrap the four 1x1 convolutions in spectral
            normalization, as SAGAN does in both networks.
        **kwargs: base `keras.layers.Layer` arguments (`name`, `dtype`).

    Example:

    ```python
    x = keras.layers.Conv2D(32, 3, padding="same")(image)
    x = tfgan_zoo.layers.SelfAttention(spectral_norm=True, name="attention")(x)
    ```

    Reference: Zhang et al., "Self-Attention Generative Adversarial
    Networks", ICML 2019, section 3 (the value projection `C // 2` follows
    BigGAN's implementation).
    """

    def __init__(self, key_ratio=8, value_ratio=2, spectral_norm=False, **kwargs):
        super().__init__(**kwargs)
        check_int("key_ratio", key_ratio)
        check_int("value_ratio", value_ratio)
        self.key_ratio = key_ratio
        self.value_ratio = value_ratio
        self.spectral_norm = bool(spectral_norm)

    def build(self, input_shape):
        if len(input_shape) != 4 or None in input_shape[1:]:
            raise ValueError(
                f"SelfAttention takes feature maps [batch, height, width, channels] of known size. "
                f"Received: input_shape={tuple(input_shape)}"
            )
        channels = input_shape[-1]
        key_channels = max(1, channels // self.key_ratio)
        value_channels = max(1, channels // self.value_ratio)

        def conv(filters, name):
            layer = keras.layers.Conv2D(filters, 1, use_bias=False, dtype=self.dtype_policy, name=name)
            if not self.spectral_norm:
                return layer
            return keras.layers.SpectralNormalization(layer, dtype=self.dtype_policy, name=f"{name}_sn")

        # === Layers ===
        self.query = conv(key_channels, "query")
        self.key = conv(key_channels, "key")
        self.value = conv(value_channels, "value")
        self.output_projection = conv(channels, "output_projection")
        for layer, size in ((self.query, channels), (self.key, channels), (self.value, channels),
                            (self.output_projection, value_channels)):
            layer.build((*input_shape[:-1], size))
        self.gamma = self.add_weight(name="gamma", shape=(), initializer="zeros")
        super().build(input_shape)

    def attention(self, inputs, training=False):
        """The attention map `[B, N, N]`: row `i` is where query position `i` reads, summing to 1."""
        queries = self._positions(self.query(inputs, training=training))
        keys = self._positions(self.key(inputs, training=training))
        logits = tf.matmul(queries, keys, transpose_b=True)
        # Softmax in float32: under mixed precision the N logits of a row overflow float16 sums.
        return tf.nn.softmax(tf.cast(logits, tf.float32), axis=-1)

    def call(self, inputs, training=False):
        attention = tf.cast(self.attention(inputs, training=training), inputs.dtype)
        values = self._positions(self.value(inputs, training=training))
        attended = tf.reshape(tf.matmul(attention, values), [-1, *inputs.shape[1:3], values.shape[-1]])
        output = self.output_projection(attended, training=training)
        return inputs + tf.cast(self.gamma, inputs.dtype) * output

    @staticmethod
    def _positions(feature_map):
        """`[B, H, W, C]` -> `[B, H * W, C]`, positions in row-major order."""
        height, width, channels = feature_map.shape[1:]
        return tf.reshape(feature_map, [-1, height * width, channels])

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {
            **super().get_config(),
            "key_ratio": self.key_ratio,
            "value_ratio": self.value_ratio,
            "spectral_norm": self.spectral_norm,
        }
