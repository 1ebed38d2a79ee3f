"""The state and the cross-fades of a progressively growing network (Karras et al. 2018).

A progressive network is built once at its full size, with every level's
branch (to-RGB in the generator, from-RGB in the discriminator). How far it
has grown is one number, `progress`, held by a `GrowthProgress` layer: level
`l` (resolution `4 * 2**l`) is fully grown at `progress == l`, and
`progress = l - 1 + alpha` fades level `l` in with weight `alpha`. Each
`FadeIn` layer mixes the path through level `l`'s new layers with the path
that skips them: `(1 - t) * skip + t * grown`, `t = clip(progress - (l - 1), 0, 1)`.
At `t = 0` the grown path gets exactly zero weight and exactly zero gradient,
so levels not yet reached neither show nor train.

Reference: Karras et al., "Progressive Growing of GANs for Improved Quality,
Stability, and Variation", ICLR 2018, section 3 and Figure 2.
"""

import keras
import tensorflow as tf

from tfgan_zoo.utils.validation import check_int


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class GrowthProgress(keras.layers.Layer):
    """Holds `progress` (a non-trainable scalar saved with the network) and outputs it per example, `[B, 1]`.

    The training model assigns `progress` from its step counter before each
    step (`set_progress`); an exported network keeps the value it was saved
    with.

    Args:
        num_levels: levels of the network (4x4 is level 0); `progress` lies
            in `[0, num_levels - 1]`.
        **kwargs: `keras.layers.Layer` arguments.
    """

    def __init__(self, num_levels, **kwargs):
        super().__init__(**kwargs)
        check_int("num_levels", num_levels)
        self.num_levels = num_levels

    def build(self, input_shape):
        # Same value on every replica: assigned from the step counter, read by the first replica's value.
        self.progress = self.add_weight(
            shape=(), initializer="zeros", trainable=False, name="progress", aggregation="only_first_replica"
        )

    def call(self, inputs):
        ones = tf.ones(tf.stack([tf.shape(inputs)[0], 1]), self.compute_dtype)
        return ones * tf.cast(self.progress, self.compute_dtype)

    def set_progress(self, value):
        """Assigns `value` (a float or a scalar tensor, checked to lie in `[0, num_levels - 1]`)."""
        if isinstance(value, (int, float)) and not 0 <= value <= self.num_levels - 1:
            raise ValueError(f"progress must be in [0, {self.num_levels - 1}]. Received: progress={value!r}")
        self.progress.assign(tf.cast(value, self.progress.dtype))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 1)

    def get_config(self):
        return {**super().get_config(), "num_levels": self.num_levels}


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class FadeIn(keras.layers.Layer):
    """`[skip, grown, progress] -> (1 - t) * skip + t * grown` with `t = clip(progress - (level - 1), 0, 1)`.

    `skip` and `grown` have the same shape `[B, H, W, C]`; `progress` is a
    `GrowthProgress` output `[B, 1]`. Written as a weighted sum (not
    `skip + t * (grown - skip)`) so that `t = 1` returns `grown` exactly
    and `t = 0` returns `skip` exactly.

    Args:
        level: the level this layer fades in (>= 1).
        **kwargs: `keras.layers.Layer` arguments.
    """

    def __init__(self, level, **kwargs):
        super().__init__(**kwargs)
        check_int("level", level)
        self.level = level

    def call(self, inputs):
        skip, grown, progress = inputs
        weight = tf.clip_by_value(tf.cast(progress, skip.dtype) - (self.level - 1), 0.0, 1.0)
        weight = tf.reshape(weight, [-1, 1, 1, 1])
        return (1.0 - weight) * skip + weight * grown

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        return {**super().get_config(), "level": self.level}


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class NearestUpsample(keras.layers.Layer):
    """Doubles height and width by repeating each pixel into a 2x2 block (nearest neighbour).

    The values of `keras.layers.UpSampling2D(2)`, from concatenations and
    reshapes with static sizes. UpSampling2D's reshapes reach the LiteRT
    converter with an unknown height, and the convolution after it then fails
    to convert to a builtin op; `tf.image.resize` converts, but its gradient
    has no XLA kernel on CPU (TF 2.21).

    Args:
        **kwargs: `keras.layers.Layer` arguments.
    """

    def call(self, inputs):
        height, width, channels = (int(size) for size in inputs.shape[1:])
        # Each pixel twice along the channels, read back as two columns; each row twice, read back as two rows.
        wide = tf.reshape(tf.concat([inputs, inputs], axis=-1), [-1, height, 2 * width, channels])
        return tf.reshape(tf.concat([wide, wide], axis=2), [-1, 2 * height, 2 * width, channels])

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 2 * input_shape[1], 2 * input_shape[2], input_shape[3])
