"""The U-Net generator of pix2pix (Isola et al. 2017): an encoder-decoder with skip connections.

Encoder: `depth` stride-2 convolutions (LeakyReLU 0.2, normalization after
all but the first and the innermost, as in the authors' code: instance norm
of a 1x1 code would erase it), the filters doubling from `base_filters` up to
`max_filters`. Decoder: stride-2 transposed convolutions (ReLU) back up, each
output concatenated with the encoder's feature map of the same resolution,
then a last transposed convolution to the image with a tanh. With the default
depth the code shrinks to one pixel: 8 levels for the paper's 256 px, 5 for
28 or 32 px. Sizes that do not halve evenly (28 -> 14 -> 7 -> 4) are
cropped back on the way up.

Unlike the paper the decoder has no dropout: the paper's dropout is its only
noise and, as its authors report, barely changes the outputs; and Keras's
dropout keeps a random state that is not saved with a model, which would
break exact resume.
"""

import math

import keras

from tfgan_zoo.networks import conditioning
from tfgan_zoo.utils import validation

NORMALIZATIONS = ("batch", "instance", "none")


def check_normalization(normalization):
    validation.check_choice("normalization", normalization, NORMALIZATIONS)


def normalization_layer(normalization, name):
    """BatchNorm, instance norm (per example and channel, as CycleGAN uses) or None."""
    if normalization == "batch":
        return keras.layers.BatchNormalization(name=f"{name}_bn")
    if normalization == "instance":
        return keras.layers.GroupNormalization(groups=-1, name=f"{name}_in")
    return None


def max_depth(image_shape):
    """Levels until the smaller side is one pixel: `ceil(log2(min(height, width)))`."""
    return math.ceil(math.log2(min(image_shape[0], image_shape[1])))


def conv_block(x, filters, *, strides, kernel_size, normalization, activation, name, transpose=False):
    """Convolution (transposed when `transpose`), optional normalization, then `activation` (a layer)."""
    conv = keras.layers.Conv2DTranspose if transpose else keras.layers.Conv2D
    use_bias = normalization is None
    x = conv(filters, kernel_size, strides=strides, padding="same", use_bias=use_bias, name=name)(x)
    norm = normalization_layer(normalization, name) if normalization else None
    if norm is not None:
        x = norm(x)
    return activation(x)


def unet_generator(
    input_shape, output_channels, *, base_filters=64, depth=None, max_filters=512, kernel_size=4, leaky_slope=0.2,
    normalization="batch", name="generator",
):
    """Image `[B, H, W, C_in]` (input `image`) -> image `[B, H, W, output_channels]` in [-1, 1].

    The skip concatenations are the layers `skip_<i>`: the decoder's output
    at the resolution of encoder level `i` joined with that level's feature
    map (`down_<i>`).

    Args:
        input_shape: `(height, width, channels)` of the source images.
        output_channels: channels of the generated images.
        base_filters: filters of the first encoder level (64 in the paper).
        depth: encoder levels, at most `max_depth(input_shape)` (the default).
        max_filters: cap on the filters of any level (512 in the paper).
        kernel_size: kernel of every convolution (4 in the paper).
        leaky_slope: negative slope of the encoder's LeakyReLU.
        normalization: `"batch"` (the paper), `"instance"` or `"none"`.
        name: name of the returned model.
    """
    depth = resolve_depth(input_shape, depth, normalization)
    image = keras.Input(shape=tuple(input_shape), name="image")
    outputs = unet_layers(image, output_channels, base_filters=base_filters, depth=depth, max_filters=max_filters,
                          kernel_size=kernel_size, leaky_slope=leaky_slope, normalization=normalization)
    return keras.Model(image, outputs, name=name)


def resolve_depth(input_shape, depth, normalization):
    """`depth`, or `max_depth(input_shape)` for None, checked with the shape and normalization."""
    if len(input_shape) != 3:
        raise ValueError(f"input_shape must be (height, width, channels). Received: input_shape={tuple(input_shape)}")
    check_normalization(normalization)
    depth = max_depth(input_shape) if depth is None else depth
    if isinstance(depth, bool) or not isinstance(depth, int) or not 1 <= depth <= max_depth(input_shape):
        raise ValueError(
            f"depth must be an int in [1, {max_depth(input_shape)}] for {input_shape[0]}x{input_shape[1]} images. "
            f"Received: depth={depth!r}"
        )
    return depth


def unet_layers(x, output_channels, *, base_filters, depth, max_filters, kernel_size, leaky_slope, normalization):
    """The U-Net of `unet_generator` applied to a tensor `x` `[B, H, W, C]`.

    Returns its tanh output `[B, H, W, output_channels]`.

    For generators that prepare their U-Net's input from several inputs (the
    inpainting generator joins the masked image and the mask); arguments as
    in `unet_generator`, `depth` resolved by `resolve_depth`.
    """
    norm = None if normalization == "none" else normalization
    reference = x

    # === Encoder ===
    skips = []
    for level in range(depth):
        x = conv_block(
            x, _filters(base_filters, level, max_filters), strides=2, kernel_size=kernel_size,
            normalization=norm if 0 < level < depth - 1 else None, name=f"down_{level}",
            activation=keras.layers.LeakyReLU(negative_slope=leaky_slope, name=f"down_{level}_leaky"),
        )
        skips.append(x)

    # === Decoder ===
    for level in reversed(range(depth - 1)):
        x = conv_block(
            x, _filters(base_filters, level, max_filters), strides=2, kernel_size=kernel_size, normalization=norm,
            name=f"up_{level}", activation=keras.layers.ReLU(name=f"up_{level}_relu"), transpose=True,
        )
        x = _crop_to(x, skips[level], f"up_{level}_crop")
        x = keras.layers.Concatenate(name=f"skip_{level}")([x, skips[level]])
    x = keras.layers.Conv2DTranspose(output_channels, kernel_size, strides=2, padding="same", name="to_image")(x)
    x = _crop_to(x, reference, "to_image_crop")
    return conditioning.output_activation(x, "tanh")


def _filters(base_filters, level, max_filters):
    return min(base_filters * 2**level, max_filters)


def _crop_to(x, reference, name):
    """`x` without its last rows and columns beyond `reference`'s size (odd sizes round up going down)."""
    extra_rows, extra_columns = x.shape[1] - reference.shape[1], x.shape[2] - reference.shape[2]
    if not extra_rows and not extra_columns:
        return x
    return keras.layers.Cropping2D(((0, extra_rows), (0, extra_columns)), name=name)(x)
