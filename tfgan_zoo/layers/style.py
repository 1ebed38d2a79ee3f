"""StyleGAN's synthesis layers: the learned constant, noise inputs, AdaIN style modulation, truncation in W.

Reference: Karras et al., "A Style-Based Generator Architecture for
Generative Adversarial Networks", CVPR 2019.
"""

import math

import keras
import tensorflow as tf

from tfgan_zoo.utils.validation import check_int


def _tile_to_batch(value, reference):
    """`value` `[1, ...]` repeated along axis 0 to the batch size of `reference`."""
    multiples = tf.concat([tf.shape(reference)[:1], tf.ones([value.shape.rank - 1], tf.int32)], axis=0)
    return tf.tile(value, multiples)


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class LearnedConstant(keras.layers.Layer):
    """The synthesis network's input: one learned `[size, size, channels]` tensor (N(0, 1) at first), per example.

    Its input only gives the batch size. Drawn from N(0, 1) as in StyleGAN2,
    not ones as in StyleGAN: the AdaIN that follows normalises each channel
    over the 4x4 pixels, and a constant of ones has no spatial variance, so
    that normalisation divides by `sqrt(epsilon)`. The constant's and the
    first noise strength's gradients then start about 1e6 times the median
    variable's, and the constant's spatial spread stays as small as the first
    noise input (0.017 against 0.013 after 1,750 steps on mnist8k): noise,
    not w, decides the digit, and sampling with the one fixed noise image
    of every example (`ConstantNoise`) draws few digit classes.

    Args:
        size: height and width.
        channels: channels.
        **kwargs: `keras.layers.Layer` arguments.
    """

    def __init__(self, size, channels, **kwargs):
        super().__init__(**kwargs)
        check_int("size", size)
        check_int("channels", channels)
        self.size = size
        self.channels = channels

    def build(self, input_shape):
        self.constant = self.add_weight(shape=(1, self.size, self.size, self.channels), name="constant",
                                        initializer=keras.initializers.RandomNormal(stddev=1.0))

    def call(self, inputs):
        return _tile_to_batch(tf.cast(self.constant, self.compute_dtype), inputs)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.size, self.size, self.channels)

    def get_config(self):
        return {**super().get_config(), "size": self.size, "channels": self.channels}


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class NoiseInput(keras.layers.Layer):
    """`[x, noise] -> x + strength * noise`: one noise image `[B, H, W, 1]` scaled per channel.

    `strength` is learned and starts at zero (as in StyleGAN), so the noise
    has no effect until training finds a use for it.

    Args:
        **kwargs: `keras.layers.Layer` arguments.
    """

    def build(self, input_shape):
        self.strength = self.add_weight(shape=(input_shape[0][-1],), initializer="zeros", name="strength")

    def call(self, inputs):
        x, noise = inputs
        return x + self.strength * tf.cast(noise, x.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape[0]


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class AdaptiveInstanceNorm(keras.layers.Layer):
    """AdaIN: `[x, styles] -> scale * (x - mean) / std + bias`, statistics per example and channel over H, W.

    The layer's style is `styles[:, style_index]` (`styles` holds one
    W vector per synthesis layer, `[B, num_layers, w_dim]`); a learned,
    equalised affine map turns it into `(scale, bias)` per channel, with
    `scale = 1 + A_s w + b_s` as in StyleGAN. The output's per-channel mean
    is `bias` and its standard deviation `|scale|` (up to `epsilon`).

    Args:
        style_index: which synthesis layer's style this layer reads.
        epsilon: added to the variance.
        **kwargs: `keras.layers.Layer` arguments.
    """

    def __init__(self, style_index, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        check_int("style_index", style_index, minimum=0)
        self.style_index = style_index
        self.epsilon = float(epsilon)

    def build(self, input_shape):
        channels, w_dim = int(input_shape[0][-1]), int(input_shape[1][-1])
        # Equalised (N(0, 1) stored, scaled by 1 / sqrt(fan_in)), gain 1: the styles are linear in w.
        self.kernel = self.add_weight(shape=(w_dim, 2 * channels), initializer=keras.initializers.RandomNormal(),
                                      name="kernel")
        self.bias = self.add_weight(shape=(2 * channels,), initializer="zeros", name="bias")
        self.runtime_scale = 1.0 / math.sqrt(w_dim)

    def styles(self, styles):
        """`(scale, bias)`, each `[B, C]`, of this layer for the per-layer styles `[B, num_layers, w_dim]`."""
        w = tf.cast(styles[:, self.style_index], tf.float32)
        affine = tf.matmul(w, tf.cast(self.kernel, tf.float32) * self.runtime_scale) + tf.cast(self.bias, tf.float32)
        scale, bias = tf.split(affine, 2, axis=-1)
        return scale + 1.0, bias

    def call(self, inputs):
        x, styles = inputs
        values = tf.cast(x, tf.float32)
        mean, variance = tf.nn.moments(values, axes=[1, 2], keepdims=True)
        normalised = (values - mean) * tf.math.rsqrt(variance + self.epsilon)
        scale, bias = self.styles(styles)
        return tf.cast(normalised * scale[:, None, None, :] + bias[:, None, None, :], x.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        return {**super().get_config(), "style_index": self.style_index, "epsilon": self.epsilon}


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class ConstantNoise(keras.layers.Layer):
    """One fixed noise image `[size, size, 1]`, drawn at build from `seed` and saved, per example.

    What an exported StyleGAN generator feeds its noise inputs: a plain
    `latent -> image` function, deterministic, with no random op (LiteRT has
    none in its builtin set), that still passes noise through the learned
    noise strengths (StyleGAN2's `noise_mode="const"`). Training draws fresh
    noise instead. The input only gives the batch size.

    Args:
        size: height and width.
        seed: seed of the draw.
        **kwargs: `keras.layers.Layer` arguments.
    """

    def __init__(self, size, seed=0, **kwargs):
        super().__init__(**kwargs)
        check_int("size", size)
        self.size = size
        self.seed = int(seed)

    def build(self, input_shape):
        self.noise = self.add_weight(shape=(1, self.size, self.size, 1),
                                     initializer=keras.initializers.RandomNormal(seed=self.seed), trainable=False,
                                     name="noise")

    def call(self, inputs):
        return _tile_to_batch(tf.cast(self.noise, self.compute_dtype), inputs)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.size, self.size, 1)

    def get_config(self):
        return {**super().get_config(), "size": self.size, "seed": self.seed}


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class Truncation(keras.layers.Layer):
    """The truncation trick in W: `w -> w_avg + psi * (w - w_avg)`.

    `w_avg` (the running mean of the mapping network's outputs, kept by the
    training model) and `psi` are non-trainable weights saved with the
    network: `psi = 1` (the initial value) changes nothing, `psi = 0` maps
    every latent to `w_avg`, values between trade variety for typicality.

    Args:
        **kwargs: `keras.layers.Layer` arguments.
    """

    def build(self, input_shape):
        # Assigned identically on every replica; see `GrowthProgress`.
        self.w_avg = self.add_weight(shape=(int(input_shape[-1]),), initializer="zeros", trainable=False,
                                     name="w_avg", aggregation="only_first_replica")
        self.psi = self.add_weight(shape=(), initializer="ones", trainable=False, name="psi",
                                   aggregation="only_first_replica")

    def call(self, inputs):
        average = tf.cast(self.w_avg, inputs.dtype)
        return average + tf.cast(self.psi, inputs.dtype) * (inputs - average)

    def track(self, batch_mean, decay):
        """Moves `w_avg` towards `batch_mean` (`[w_dim]`): `w_avg <- decay * w_avg + (1 - decay) * batch_mean`."""
        batch_mean = tf.stop_gradient(tf.cast(batch_mean, self.w_avg.dtype))
        self.w_avg.assign(decay * self.w_avg + (1.0 - decay) * batch_mean)

    def compute_output_shape(self, input_shape):
        return input_shape
