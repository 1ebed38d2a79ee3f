"""Progressive GAN networks (Karras et al. 2018), built once at full size with every level's branch.

Level `l` works at `4 * 2**l` pixels; the top level is the image size. The
generator is the paper's: a pixel-normalised latent projected to 4x4, then
per level nearest 2x upsampling and two 3x3 convolutions, each followed by
LeakyReLU(0.2) and pixel normalisation, with a 1x1 to-RGB convolution per
level. The discriminator mirrors it: a 1x1 from-RGB convolution per level,
two 3x3 convolutions and 2x2 average pooling per level, then minibatch
standard deviation, a 3x3 and a 4x4-to-vector layer at 4x4. Every weight
layer has an equalised learning rate.

How far the networks have grown is the `progress` of their `GrowthProgress`
layer (named `"progress"`); `FadeIn` layers mix each level in as in the
paper's "linear" structure. Every level is computed at every step, at full
resolution, also before the schedule reaches it: the graph never changes
(no retracing, one saved model, exact resume), at the price of paying for
the full-size networks from the first step; the unreached levels get zero
weight and zero gradient.

Deviation: each to-RGB output passes through tanh (the zoo's generators
produce images in [-1, 1]); the paper's output is linear.

Reference: Karras et al., "Progressive Growing of GANs for Improved Quality,
Stability, and Variation", ICLR 2018, Table 2.
"""

import math

import keras

from tfgan_zoo.layers import (
    EqualizedConv2D,
    EqualizedDense,
    FadeIn,
    GrowthProgress,
    MinibatchStdDev,
    NearestUpsample,
    PixelNorm,
)
from tfgan_zoo.networks import conditioning, features

PROGRESS_LAYER = "progress"
_LEAKY_SLOPE = 0.2
# The paper's first generator layer: He gain sqrt(2) / 4 (its 4x4 output has 16 values per filter).
_PROJECTION_GAIN = math.sqrt(2.0) / 4


def num_levels(image_size):
    """Levels from 4x4 to `image_size` (a power of two >= 4): 4 for 32 px."""
    levels = int(round(math.log2(image_size))) - 1
    if image_size < 4 or 4 * 2 ** (levels - 1) != image_size:
        raise ValueError(f"Progressive networks need an image size of 4 times a power of two. Received: "
                         f"image_size={image_size}")
    return levels


def level_filters(level, top, base_filters, max_filters):
    """Filters at `level`: `base_filters` at the top level, doubling per level down, at most `max_filters`."""
    return min(max_filters, base_filters * 2 ** (top - level))


def check_unconditional(num_classes, builder):
    if num_classes is not None:
        raise ValueError(f"{builder} builds unconditional networks. Received: num_classes={num_classes!r}")


def square_size(shape, name):
    if len(shape) != 3 or shape[0] != shape[1]:
        raise ValueError(f"{name} must be a square image shape (size, size, channels). Received: {name}={tuple(shape)}")
    return shape[0]


def conv_act(x, filters, kernel_size, name, pixel_norm=False):
    """Equalised convolution, LeakyReLU(0.2), and pixel normalisation when asked."""
    x = EqualizedConv2D(filters, kernel_size, name=name)(x)
    x = keras.layers.LeakyReLU(_LEAKY_SLOPE, name=f"{name}_leaky")(x)
    return PixelNorm(name=f"{name}_norm")(x) if pixel_norm else x


def _to_rgb(x, channels, level):
    x = EqualizedConv2D(channels, 1, gain=1.0, name=f"to_rgb_{level}")(x)
    return keras.layers.Activation("tanh", dtype="float32", name=f"image_{level}")(x)


def progan_generator(output_shape, latent_dim, *, num_classes=None, base_filters=16, max_filters=128,
                     name="generator"):
    """Latent -> image in [-1, 1], grown as far as its `"progress"` layer says.

    `image_<l>` is level `l`'s own image (`4 * 2**l` pixels); the output
    upsamples and fades them together up to the full size.

    Args:
        output_shape: `(size, size, channels)`, size 4 times a power of 2.
        latent_dim: size of the latent vector.
        num_classes: must be None (unconditional).
        base_filters: filters at the top level; each lower level doubles them.
        max_filters: most filters of any level.
        name: name of the returned model.
    """
    check_unconditional(num_classes, "progan_generator")
    size, channels = square_size(output_shape, "output_shape"), output_shape[2]
    top = num_levels(size) - 1
    latent = conditioning.latent_input(latent_dim)
    progress = GrowthProgress(top + 1, name=PROGRESS_LAYER)(latent)
    filters = level_filters(0, top, base_filters, max_filters)
    x = PixelNorm(name="latent_norm")(latent)
    x = EqualizedDense(16 * filters, gain=_PROJECTION_GAIN, name="project")(x)
    x = keras.layers.Reshape((4, 4, filters), name="reshape")(x)
    x = keras.layers.LeakyReLU(_LEAKY_SLOPE, name="project_leaky")(x)
    x = PixelNorm(name="project_norm")(x)
    x = conv_act(x, filters, 3, "conv_0", pixel_norm=True)
    image = _to_rgb(x, channels, 0)
    for level in range(1, top + 1):
        filters = level_filters(level, top, base_filters, max_filters)
        x = NearestUpsample(name=f"upsample_{level}")(x)
        x = conv_act(x, filters, 3, f"conv_{level}_a", pixel_norm=True)
        x = conv_act(x, filters, 3, f"conv_{level}_b", pixel_norm=True)
        image = NearestUpsample(dtype="float32", name=f"image_upsample_{level}")(image)
        image = FadeIn(level, dtype="float32", name=f"fade_{level}")([image, _to_rgb(x, channels, level), progress])
    return keras.Model(latent, image, name=name)


def progan_discriminator(input_shape, *, num_classes=None, base_filters=16, max_filters=128, minibatch_group=4,
                         progressive=True, name="discriminator"):
    """Image -> one score, reading the image at the level its `"progress"` layer says.

    Args:
        input_shape: `(size, size, channels)`, size 4 times a power of 2.
        num_classes: must be None (unconditional).
        base_filters: filters at the top level; each lower level doubles them.
        max_filters: most filters of any level.
        minibatch_group: group size of the minibatch standard deviation.
        progressive: with from-RGB branches at every level and a `"progress"`
            layer; False builds the full-size network only (StyleGAN's
            discriminator).
        name: name of the returned model.
    """
    check_unconditional(num_classes, "progan_discriminator")
    top = num_levels(square_size(input_shape, "input_shape")) - 1
    image = conditioning.sample_input(input_shape)
    progress = GrowthProgress(top + 1, name=PROGRESS_LAYER)(image) if progressive else None
    x = conv_act(image, level_filters(top, top, base_filters, max_filters), 1, f"from_rgb_{top}")
    downscaled = image
    for level in range(top, 0, -1):
        x = conv_act(x, level_filters(level, top, base_filters, max_filters), 3, f"conv_{level}_a")
        x = conv_act(x, level_filters(level - 1, top, base_filters, max_filters), 3, f"conv_{level}_b")
        x = keras.layers.AveragePooling2D(2, name=f"downsample_{level}")(x)
        if progressive:
            downscaled = keras.layers.AveragePooling2D(2, name=f"image_downsample_{level}")(downscaled)
            skip = conv_act(downscaled, level_filters(level - 1, top, base_filters, max_filters), 1,
                            f"from_rgb_{level - 1}")
            x = FadeIn(level, name=f"fade_{level}")([skip, x, progress])
    filters = level_filters(0, top, base_filters, max_filters)
    x = MinibatchStdDev(minibatch_group, name="minibatch_stddev")(x)
    x = conv_act(x, filters, 3, "conv_0")
    x = keras.layers.Flatten(name="flatten")(x)
    x = keras.layers.LeakyReLU(_LEAKY_SLOPE, name="dense_leaky")(EqualizedDense(filters, name="dense")(x))
    x = keras.layers.Identity(name=features.FEATURES_LAYER)(x)
    score = EqualizedDense(1, gain=1.0, dtype="float32", name="score")(x)
    return keras.Model(image, score, name=name)
