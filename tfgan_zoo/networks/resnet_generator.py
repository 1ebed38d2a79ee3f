"""The ResNet generator of CycleGAN (Zhu et al. 2017, after Johnson et al. 2016).

`c7s1-k, d2k, d4k, R4k x n, u2k, uk, c7s1-C`: a 7x7 stride-1 convolution, two
stride-2 3x3 convolutions (the filters doubling), `residual_blocks` residual
blocks of two 3x3 convolutions, two stride-2 transposed convolutions back to
the input size and a 7x7 convolution to the image with a tanh. Every
convolution but the last is followed by instance norm and a ReLU. The paper
uses 9 blocks at 256 px and 6 at 128 px; 28-32 px images (7-8 px in the
residual stage) need few, e.g. 3. Padding is zero padding ("same") instead of
the paper's reflection padding, so that every layer is a stock Keras layer.
"""

import keras

from tfgan_zoo.networks import conditioning
from tfgan_zoo.networks.unet import check_normalization, conv_block, normalization_layer


def resnet_generator(
    input_shape, output_channels, *, base_filters=64, residual_blocks=6, normalization="instance", name="generator",
):
    """Image `[B, H, W, C_in]` (input `image`) -> image `[B, H, W, output_channels]` in [-1, 1].

    Args:
        input_shape: `(height, width, channels)`; height and width divisible by 4.
        output_channels: channels of the generated images.
        base_filters: filters of the first convolution (`k`, 64 in the paper).
        residual_blocks: residual blocks at a quarter of the input size, >= 0.
        normalization: `"instance"` (the paper), `"batch"` or `"none"`.
        name: name of the returned model.
    """
    if len(input_shape) != 3 or input_shape[0] % 4 or input_shape[1] % 4:
        raise ValueError(
            "input_shape must be (height, width, channels) with sides divisible by 4. "
            f"Received: input_shape={tuple(input_shape)}"
        )
    if isinstance(residual_blocks, bool) or not isinstance(residual_blocks, int) or residual_blocks < 0:
        raise ValueError(f"residual_blocks must be an int >= 0. Received: residual_blocks={residual_blocks!r}")
    check_normalization(normalization)
    norm = None if normalization == "none" else normalization
    image = keras.Input(shape=tuple(input_shape), name="image")

    def block(x, filters, strides, kernel_size, block_name, transpose=False):
        return conv_block(x, filters, strides=strides, kernel_size=kernel_size, normalization=norm, name=block_name,
                          activation=keras.layers.ReLU(name=f"{block_name}_relu"), transpose=transpose)

    # === Encoder: c7s1-k, d2k, d4k ===
    x = block(image, base_filters, 1, 7, "c7s1")
    x = block(x, 2 * base_filters, 2, 3, "down_0")
    x = block(x, 4 * base_filters, 2, 3, "down_1")

    # === Residual blocks ===
    for index in range(residual_blocks):
        x = _residual_block(x, 4 * base_filters, norm, f"residual_{index}")

    # === Decoder: u2k, uk, c7s1-C ===
    x = block(x, 2 * base_filters, 2, 3, "up_0", transpose=True)
    x = block(x, base_filters, 2, 3, "up_1", transpose=True)
    x = keras.layers.Conv2D(output_channels, 7, padding="same", name="to_image")(x)
    return keras.Model(image, conditioning.output_activation(x, "tanh"), name=name)


def _residual_block(x, filters, normalization, name):
    """`x + norm(conv(relu(norm(conv(x)))))`: no activation after the sum, as in the authors' code."""
    residual = conv_block(x, filters, strides=1, kernel_size=3, normalization=normalization, name=f"{name}_a",
                          activation=keras.layers.ReLU(name=f"{name}_a_relu"))
    residual = keras.layers.Conv2D(filters, 3, padding="same", use_bias=normalization is None, name=f"{name}_b")(
        residual
    )
    norm = normalization_layer(normalization, f"{name}_b") if normalization else None
    if norm is not None:
        residual = norm(residual)
    return keras.layers.Add(name=f"{name}_sum")([x, residual])
