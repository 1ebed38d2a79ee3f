"""Equalised-learning-rate layers and pixelwise feature normalisation (Karras et al. 2018).

An equalised layer stores its weights as draws of N(0, 1) (N(0, 1 / lr_multiplier^2)
with a learning-rate multiplier) and multiplies them at run time by He's
constant `gain / sqrt(fan_in)`. The function is that of a He-initialised
layer, but an adaptive optimizer (Adam, RMSprop) now moves every weight at the
same relative speed, whatever its layer's fan-in: the "equalised learning rate"
of progressive GANs, kept by StyleGAN (whose mapping network also slows its
learning rate by `lr_multiplier`, 0.01).

Reference: Karras et al., "Progressive Growing of GANs for Improved Quality,
Stability, and Variation", ICLR 2018, section 4.1.
"""

import math

import keras
import tensorflow as tf

from tfgan_zoo.utils.validation import check_int, check_number

# He's gain for LeakyReLU(0.2) layers is about sqrt(2); the networks use it throughout, as the paper's code does.
HE_GAIN = math.sqrt(2.0)


class _Equalized(keras.layers.Layer):
    """What both equalised layers share: N(0, 1) storage, the run-time scale, the bias."""

    def __init__(self, gain=HE_GAIN, lr_multiplier=1.0, use_bias=True, **kwargs):
        super().__init__(**kwargs)
        check_number("gain", gain, "(0, inf)")
        check_number("lr_multiplier", lr_multiplier, "(0, inf)")
        self.gain = float(gain)
        self.lr_multiplier = float(lr_multiplier)
        self.use_bias = bool(use_bias)

    def _add_kernel_and_bias(self, kernel_shape, fan_in, units):
        # Stored so that `kernel * lr_multiplier` is N(0, 1): the multiplier then scales each optimizer step.
        self.kernel = self.add_weight(
            shape=kernel_shape, initializer=keras.initializers.RandomNormal(stddev=1.0 / self.lr_multiplier),
            name="kernel",
        )
        self.bias = self.add_weight(shape=(units,), initializer="zeros", name="bias") if self.use_bias else None
        self.runtime_scale = self.gain / math.sqrt(fan_in) * self.lr_multiplier

    def _scaled_kernel(self):
        return self.kernel * self.runtime_scale

    def _add_bias(self, outputs):
        if self.bias is None:
            return outputs
        return outputs + self.bias * self.lr_multiplier

    def get_config(self):
        return {**super().get_config(), "gain": self.gain, "lr_multiplier": self.lr_multiplier,
                "use_bias": self.use_bias}


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class EqualizedDense(_Equalized):
    """`x @ (kernel * gain / sqrt(fan_in) * lr_multiplier) + bias * lr_multiplier`.

    The kernel is stored N(0, 1 / lr_multiplier^2).

    Args:
        units: output features.
        gain: numerator of He's constant (`sqrt(2)` before LeakyReLU, 1 before a linear output).
        lr_multiplier: scales the layer's effective learning rate (StyleGAN's mapping network: 0.01).
        use_bias: add a bias (stored zero-initialised, scaled by `lr_multiplier`).
        **kwargs: `keras.layers.Layer` arguments.
    """

    def __init__(self, units, gain=HE_GAIN, lr_multiplier=1.0, use_bias=True, **kwargs):
        super().__init__(gain, lr_multiplier, use_bias, **kwargs)
        check_int("units", units)
        self.units = units

    def build(self, input_shape):
        fan_in = int(input_shape[-1])
        self._add_kernel_and_bias((fan_in, self.units), fan_in, self.units)

    def call(self, inputs):
        return self._add_bias(tf.matmul(inputs, self._scaled_kernel()))

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.units)

    def get_config(self):
        return {**super().get_config(), "units": self.units}


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class EqualizedConv2D(_Equalized):
    """A stride-1, `"same"`-padded convolution with an equalised kernel (fan-in `k * k * C_in`).

    Args:
        filters: output channels.
        kernel_size: side of the square kernel.
        gain, lr_multiplier, use_bias: as for `EqualizedDense`.
        **kwargs: `keras.layers.Layer` arguments.
    """

    def __init__(self, filters, kernel_size, gain=HE_GAIN, lr_multiplier=1.0, use_bias=True, **kwargs):
        super().__init__(gain, lr_multiplier, use_bias, **kwargs)
        check_int("filters", filters)
        check_int("kernel_size", kernel_size)
        self.filters = filters
        self.kernel_size = kernel_size

    def build(self, input_shape):
        channels = int(input_shape[-1])
        shape = (self.kernel_size, self.kernel_size, channels, self.filters)
        self._add_kernel_and_bias(shape, self.kernel_size * self.kernel_size * channels, self.filters)

    def call(self, inputs):
        return self._add_bias(tf.nn.conv2d(inputs, self._scaled_kernel(), strides=1, padding="SAME"))

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], self.filters)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "kernel_size": self.kernel_size}


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class PixelNorm(keras.layers.Layer):
    """Scales each feature vector (the last axis, at every pixel) to unit mean square.

    `x / sqrt(mean(x^2 over channels) + epsilon)`, computed in float32. In
    a progressive GAN's generator it follows every convolution, in place of
    BatchNorm, so that no signal magnitude can escalate between G and D.

    Args:
        epsilon: added to the mean square.
        **kwargs: `keras.layers.Layer` arguments.
    """

    def __init__(self, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        check_number("epsilon", epsilon, "(0, inf)")
        self.epsilon = float(epsilon)

    def call(self, inputs):
        x = tf.cast(inputs, tf.float32)
        normalised = x * tf.math.rsqrt(tf.reduce_mean(tf.square(x), axis=-1, keepdims=True) + self.epsilon)
        return tf.cast(normalised, inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "epsilon": self.epsilon}
