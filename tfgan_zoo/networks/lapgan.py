"""LAPGAN's networks: one generator and one discriminator per pyramid level, and the sampling cascade.

Levels run coarse to fine (see `tfgan_zoo.pyramid`). Level 0 is any
unconditional pair of `tfgan_zoo.networks.NETWORKS` at the coarsest size;
each later level k has

- a residual generator `[coarse, noise] -> residual`: `coarse` is the
  upsampled image of level k-1 and `noise` a plane of the same height and
  width (the paper's extra colour plane);
- a residual discriminator `[residual, coarse] -> score` that adds the
  coarse image to the residual before its first convolution, as in the
  paper, so it judges the level's image given its low-pass part.

`cascade_generator` chains them into one `latent -> image` model, the
model's `generator`: the latent is cut into level 0's latent vector and
each level's noise plane. `level_discriminators` bundles the
discriminators into one multi-input model, the model's `discriminator`.

Reference: Denton, Chintala, Szlam & Fergus, "Deep Generative Image Models
using a Laplacian Pyramid of Adversarial Networks", NeurIPS 2015.
"""

import math

import keras

from tfgan_zoo.networks import conditioning, features
from tfgan_zoo.networks.dcgan import check_image_shape, check_normalization, conv_trunk
from tfgan_zoo.utils import validation

# The layer of the cascade that holds level k's image is `LEVEL_IMAGE_PREFIX + str(k)`.
LEVEL_IMAGE_PREFIX = "level_image_"
_GENERATOR_NORMALIZATIONS = ("batch", "none")


def pyramid_shapes(image_shape, levels):
    """`[(s / 2**levels, ...), ..., image_shape]`: each level's image shape, coarse to fine."""
    check_image_shape("image_shape", image_shape)
    if isinstance(levels, bool) or not isinstance(levels, int) or levels < 0:
        raise ValueError(f"levels must be an int >= 0. Received: levels={levels!r}")
    size, channels = image_shape[0], image_shape[2]
    if size % 2**levels:
        raise ValueError(
            f"An image of size {size} cannot be halved {levels} times. Received: image_shape={tuple(image_shape)}, "
            f"levels={levels}"
        )
    return [(size // 2 ** (levels - level), size // 2 ** (levels - level), channels) for level in range(levels + 1)]


def residual_generator(
    image_shape, *, noise_channels=1, filters=(64, 64), kernel_size=3, normalization="batch", name="residual_generator"
):
    """`[coarse, noise]` -> the band-pass residual of one pyramid level.

    Stride-1 convolutions with ReLU on the coarse image stacked with the
    noise planes, then a linear convolution to the image's channels: a
    residual is signed and not bounded to [-1, 1] in general, so there is
    no tanh.

    Args:
        image_shape: `(size, size, channels)` of the level (coarse image and residual).
        noise_channels: noise planes stacked on the coarse image.
        filters: filters of the hidden convolutions.
        kernel_size: kernel of every convolution.
        normalization: `"batch"` (BatchNorm after each hidden convolution) or `"none"`.
        name: name of the returned model.
    """
    check_image_shape("image_shape", image_shape)
    validation.check_choice("normalization", normalization, _GENERATOR_NORMALIZATIONS)
    validation.check_int("noise_channels", noise_channels)
    coarse = keras.Input(tuple(image_shape), name="coarse")
    noise = keras.Input((*image_shape[:2], noise_channels), name="noise")
    x = keras.layers.Concatenate(name="coarse_and_noise")([coarse, noise])
    for index, count in enumerate(filters):
        x = keras.layers.Conv2D(
            count, kernel_size, padding="same", use_bias=normalization == "none", name=f"conv_{index}"
        )(x)
        if normalization == "batch":
            x = keras.layers.BatchNormalization(name=f"conv_{index}_bn")(x)
        x = keras.layers.ReLU(name=f"conv_{index}_relu")(x)
    x = keras.layers.Conv2D(image_shape[2], kernel_size, padding="same", name="to_residual")(x)
    return keras.Model([coarse, noise], conditioning.output_activation(x, None, name="residual"), name=name)


def residual_discriminator(
    image_shape, *, base_filters=64, kernel_size=4, leaky_slope=0.2, normalization="batch", spectral_norm=False,
    name="residual_discriminator",
):
    """`[residual, coarse]` -> one score (a logit) for one pyramid level.

    The coarse image is added to the residual before the first convolution
    (Denton et al.), then DCGAN's strided convolutions
    (`tfgan_zoo.networks.dcgan.conv_trunk`) and the shared `"features"` ->
    `"score"` head.

    Args:
        image_shape: `(size, size, channels)` of the level, size 4 or 7 times a power of 2.
        base_filters, kernel_size, leaky_slope, normalization, spectral_norm: as in
            `tfgan_zoo.networks.dcgan_discriminator`.
        name: name of the returned model.
    """
    check_image_shape("image_shape", image_shape)
    check_normalization(normalization)
    residual = keras.Input(tuple(image_shape), name="residual")
    coarse = keras.Input(tuple(image_shape), name="coarse")
    x = keras.layers.Add(name="coarse_plus_residual")([coarse, residual])
    x = conv_trunk(
        x, base_filters=base_filters, kernel_size=kernel_size, leaky_slope=leaky_slope, normalization=normalization,
        spectral_norm=spectral_norm,
    )
    x = keras.layers.Flatten(name="flatten")(x)
    return keras.Model([residual, coarse], features.discriminator_head(x, spectral_norm=spectral_norm), name=name)


def cascade_generator(level_generators, name="generator"):
    """`latent` -> image: level 0's generator, then each residual level added to the upsampled image.

    The latent is level 0's latent vector followed by each level's noise
    planes, flattened; the image of level k is the output of the layer
    `LEVEL_IMAGE_PREFIX + str(k)`. The cascade's own layers compute in
    float32, so under mixed precision the pyramid sums stay exact.

    Args:
        level_generators: level 0's `latent -> image` generator, then one
            `[coarse, noise] -> residual` generator per finer level.
        name: name of the returned model.
    """
    coarsest, residual_levels = level_generators[0], level_generators[1:]
    noise_shapes = [tuple(generator.inputs[1].shape[1:]) for generator in residual_levels]
    sizes = [int(coarsest.inputs[0].shape[-1])] + [math.prod(shape) for shape in noise_shapes]
    latent = conditioning.latent_input(sum(sizes))
    offsets = [sum(sizes[:index]) for index in range(len(sizes) + 1)]
    image = keras.layers.Identity(dtype="float32", name=f"{LEVEL_IMAGE_PREFIX}0")(coarsest(latent[:, : offsets[1]]))
    for level, (generator, shape) in enumerate(zip(residual_levels, noise_shapes), start=1):
        noise = keras.layers.Reshape(shape, name=f"noise_{level}")(latent[:, offsets[level] : offsets[level + 1]])
        coarse = nearest_upsample(image, name=f"upsample_{level}")
        residual = generator([coarse, noise])
        image = keras.layers.Add(dtype="float32", name=f"{LEVEL_IMAGE_PREFIX}{level}")([coarse, residual])
    return keras.Model(latent, image, name=name)


def nearest_upsample(image, name):
    """`tfgan_zoo.pyramid.upsample` of a symbolic image by concatenations and reshapes.

    `UpSampling2D(interpolation="nearest")` (or `repeat`) computes the same,
    but the LiteRT converter of TF 2.21 then leaves the convolution after a
    second nearest upsampling of a sum as a Select TF op (`tf.Conv2D`), so a
    cascade of two residual levels would not convert with builtin ops.
    """
    height, width, channels = image.shape[1:]
    concatenate, reshape = keras.layers.Concatenate, keras.layers.Reshape
    wide = concatenate(axis=-1, dtype="float32", name=f"{name}_columns")([image, image])
    wide = reshape((height, 2 * width, channels), name=f"{name}_wide")(wide)
    tall = concatenate(axis=2, dtype="float32", name=f"{name}_rows")([wide, wide])
    return reshape((2 * height, 2 * width, channels), name=name)(tall)


def level_discriminators(discriminators, name="discriminator"):
    """All level discriminators as one model: `[image_0, residual_1, coarse_1, ...]` -> `[score_0, score_1, ...]`.

    Args:
        discriminators: level 0's `image -> score` discriminator, then one
            `[residual, coarse] -> score` discriminator per finer level.
        name: name of the returned model.
    """
    image = keras.Input(tuple(discriminators[0].inputs[0].shape[1:]), name="level_0_image")
    inputs, scores = [image], [discriminators[0](image)]
    for level, discriminator in enumerate(discriminators[1:], start=1):
        shape = tuple(discriminator.inputs[0].shape[1:])
        residual = keras.Input(shape, name=f"level_{level}_residual")
        coarse = keras.Input(shape, name=f"level_{level}_coarse")
        inputs += [residual, coarse]
        scores.append(discriminator([residual, coarse]))
    return keras.Model(inputs, scores, name=name)
