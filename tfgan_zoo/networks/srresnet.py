"""The SRResNet generator and the SRGAN discriminator (Ledig et al. 2017).

Generator: a 9x9 convolution with PReLU, `residual_blocks` blocks of
conv-BN-PReLU-conv-BN with an identity skip, a conv-BN whose output is added
to the first convolution's (the long skip), then one sub-pixel stage per
factor 2 of `upscale` (a 3x3 convolution to 4x the filters, `depth_to_space`,
PReLU) and a 9x9 convolution to the image with a tanh. `depth_to_space` is a
LiteRT builtin (DEPTH_TO_SPACE), so the generator exports without select ops.

Discriminator: the paper's VGG-like network that judges a high-resolution
image alone (not conditioned on its source): 3x3 convolutions with
LeakyReLU(0.2), the filters doubling every two and every second one of stride
2, BatchNorm after all but the first, then a dense layer with LeakyReLU and
the zoo's `discriminator_head` (the `"features"` layer, one logit).
"""

import keras
import tensorflow as tf

from tfgan_zoo.networks import conditioning
from tfgan_zoo.networks.features import discriminator_head


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class SubPixelUpsampling(keras.layers.Layer):
    """`[B, H, W, C * f^2]` -> `[B, H * f, W * f, C]` by `tf.nn.depth_to_space` (Shi et al. 2016's pixel shuffle).

    Args:
        factor: the upscaling factor `f`, an int >= 2.
    """

    def __init__(self, factor=2, **kwargs):
        super().__init__(**kwargs)
        if isinstance(factor, bool) or not isinstance(factor, int) or factor < 2:
            raise ValueError(f"factor must be an int >= 2. Received: factor={factor!r}")
        self.factor = factor

    def call(self, inputs):
        return tf.nn.depth_to_space(inputs, self.factor)

    def compute_output_shape(self, input_shape):
        batch, height, width, channels = input_shape
        height, width = (None if side is None else side * self.factor for side in (height, width))
        return batch, height, width, channels // self.factor**2

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def _prelu(name):
    # One slope per channel, shared over positions, as in the paper's PReLU.
    return keras.layers.PReLU(shared_axes=[1, 2], name=name)


def srresnet_generator(input_shape, output_channels, *, base_filters=64, residual_blocks=16, upscale=4,
                       normalization="batch", name="generator"):
    """Low-resolution image `[B, H, W, C_in]` (input `image`) -> `[B, H * upscale, W * upscale, output_channels]`.

    The output is in [-1, 1].

    Args:
        input_shape: `(height, width, channels)` of the low-resolution images.
        output_channels: channels of the high-resolution images.
        base_filters: filters of every convolution before the upsampling (64 in the paper).
        residual_blocks: residual blocks, >= 0 (16 in the paper).
        upscale: 2, 4 or 8; one sub-pixel x2 stage per factor 2.
        normalization: `"batch"` (the paper) or `"none"` (EDSR, Lim et al. 2017, drops it).
        name: name of the returned model.
    """
    if normalization not in ("batch", "none"):
        raise ValueError(f"normalization must be 'batch' or 'none'. Received: normalization={normalization!r}")
    if upscale not in (2, 4, 8):
        raise ValueError(f"upscale must be 2, 4 or 8. Received: upscale={upscale!r}")
    if isinstance(residual_blocks, bool) or not isinstance(residual_blocks, int) or residual_blocks < 0:
        raise ValueError(f"residual_blocks must be an int >= 0. Received: residual_blocks={residual_blocks!r}")
    image = keras.Input(shape=tuple(input_shape), name="image")

    def batch_norm(x, layer_name):
        return keras.layers.BatchNormalization(name=layer_name)(x) if normalization == "batch" else x

    # === Features at the low resolution ===
    x = keras.layers.Conv2D(base_filters, 9, padding="same", name="head")(image)
    head = x = _prelu("head_prelu")(x)
    for index in range(residual_blocks):
        block_input = x
        x = keras.layers.Conv2D(base_filters, 3, padding="same", name=f"residual_{index}_conv_0")(x)
        x = batch_norm(x, f"residual_{index}_bn_0")
        x = _prelu(f"residual_{index}_prelu")(x)
        x = keras.layers.Conv2D(base_filters, 3, padding="same", name=f"residual_{index}_conv_1")(x)
        x = batch_norm(x, f"residual_{index}_bn_1")
        x = keras.layers.Add(name=f"residual_{index}_skip")([block_input, x])
    x = keras.layers.Conv2D(base_filters, 3, padding="same", name="body_conv")(x)
    x = batch_norm(x, "body_bn")
    x = keras.layers.Add(name="long_skip")([head, x])

    # === Sub-pixel upsampling, x2 per stage ===
    for index in range(upscale.bit_length() - 1):
        x = keras.layers.Conv2D(4 * base_filters, 3, padding="same", name=f"upsample_{index}_conv")(x)
        x = SubPixelUpsampling(2, name=f"upsample_{index}_shuffle")(x)
        x = _prelu(f"upsample_{index}_prelu")(x)
    x = keras.layers.Conv2D(output_channels, 9, padding="same", name="to_image")(x)
    return keras.Model(image, conditioning.output_activation(x, "tanh"), name=name)


def srgan_discriminator(source_shape, target_shape, *, base_filters=64, blocks=4, dense_units=1024, leaky_slope=0.2,
                        normalization="batch", name="discriminator"):
    """High-resolution image `[B, H, W, C]` (input `image`) -> one float32 logit `[B, 1]`.

    Args:
        source_shape: shape of the low-resolution sources (unused: the paper's
            discriminator judges images alone; taken for the registry's signature).
        target_shape: `(height, width, channels)` of the high-resolution images.
        base_filters: filters of the first two convolutions (64 in the paper).
        blocks: pairs of convolutions (stride 1, then 2), the filters doubling
            per pair (4 in the paper: 64 to 512).
        dense_units: units of the dense layer before the score (1024 in the paper).
        leaky_slope: negative slope of the LeakyReLU activations.
        normalization: `"batch"` after every convolution but the first (the paper) or `"none"`.
        name: name of the returned model.
    """
    del source_shape
    if normalization not in ("batch", "none"):
        raise ValueError(f"normalization must be 'batch' or 'none'. Received: normalization={normalization!r}")
    if isinstance(blocks, bool) or not isinstance(blocks, int) or blocks < 1:
        raise ValueError(f"blocks must be an int >= 1. Received: blocks={blocks!r}")
    image = keras.Input(shape=tuple(target_shape), name="image")
    x = image
    for index in range(2 * blocks):
        filters, strides = base_filters * 2 ** (index // 2), 1 + index % 2
        x = keras.layers.Conv2D(filters, 3, strides=strides, padding="same", name=f"conv_{index}")(x)
        if index > 0 and normalization == "batch":
            x = keras.layers.BatchNormalization(name=f"conv_{index}_bn")(x)
        x = keras.layers.LeakyReLU(negative_slope=leaky_slope, name=f"conv_{index}_leaky")(x)
    x = keras.layers.Flatten(name="flatten")(x)
    x = keras.layers.Dense(dense_units, name="dense")(x)
    x = keras.layers.LeakyReLU(negative_slope=leaky_slope, name="dense_leaky")(x)
    return keras.Model(image, discriminator_head(x), name=name)
