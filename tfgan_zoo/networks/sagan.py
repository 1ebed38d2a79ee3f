"""SAGAN networks (Zhang et al. 2019): self-attention and spectral normalization in both networks.

DCGAN-shaped at the small sizes this project trains (stride-2 transposed
convolutions up, stride-2 convolutions down), with three changes from the
paper: a `SelfAttention` block at one feature-map resolution in each
network, spectral normalization on every weight layer of the generator as
well as the discriminator, and a discriminator without BatchNorm (spectral
normalization constrains it instead). The generator keeps BatchNorm.
"""

import keras

from tfgan_zoo.layers import SelfAttention
from tfgan_zoo.networks import conditioning, features
from tfgan_zoo.networks.dcgan import check_image_shape, num_upsamplings, stem_size


def check_attention_resolution(attention_resolution, resolutions):
    """`attention_resolution` must be 0 (no attention) or a feature-map size the network has."""
    if attention_resolution and attention_resolution not in resolutions:
        raise ValueError(
            f"attention_resolution must be 0 (none) or one of the feature-map sizes {sorted(resolutions)}. "
            f"Received: attention_resolution={attention_resolution!r}"
        )


def maybe_attention(x, attention_resolution, spectral_norm, name="attention"):
    """`x` through a `SelfAttention` block when its height is `attention_resolution`."""
    if x.shape[1] != attention_resolution:
        return x
    return SelfAttention(spectral_norm=spectral_norm, name=name)(x)


def sagan_generator(
    output_shape, latent_dim, *, num_classes=None, base_filters=32, attention_resolution=16, spectral_norm=True,
    name="generator",
):
    """Latent vector -> image in [-1, 1]: transposed convolutions with self-attention.

    The filters start at `base_filters * 2**(upsamplings - 1)` in the
    projected stem and halve at each stride-2 transposed convolution
    (BatchNorm, ReLU); a 3x3 convolution makes the image.

    Args:
        output_shape: `(size, size, channels)`, size 4 or 7 times a power of 2.
        latent_dim: size of the latent vector.
        num_classes: when set, the one-hot label is appended to the latent.
        base_filters: width scale (see above).
        attention_resolution: the feature-map size (after an upsampling)
            followed by self-attention; 0 for none.
        spectral_norm: spectral normalization on every weight layer.
        name: name of the returned model.
    """
    check_image_shape("output_shape", output_shape)
    size, channels = output_shape[0], output_shape[2]
    stem, upsamplings = stem_size(size), num_upsamplings(size)
    check_attention_resolution(attention_resolution, [stem * 2 ** (index + 1) for index in range(upsamplings)])
    filters = base_filters * 2 ** (upsamplings - 1)
    inputs, x = conditioning.generator_inputs(latent_dim, num_classes)
    project = keras.layers.Dense(stem * stem * filters, use_bias=False, name="project")
    x = features.maybe_spectral_norm(project, spectral_norm)(x)
    x = keras.layers.Reshape((stem, stem, filters), name="reshape")(x)
    x = keras.layers.BatchNormalization(name="project_bn")(x)
    x = keras.layers.ReLU(name="project_relu")(x)
    for index in range(upsamplings):
        filters = max(filters // 2, 1)
        up = keras.layers.Conv2DTranspose(filters, 4, strides=2, padding="same", use_bias=False, name=f"up_{index}")
        x = features.maybe_spectral_norm(up, spectral_norm)(x)
        x = keras.layers.BatchNormalization(name=f"up_{index}_bn")(x)
        x = keras.layers.ReLU(name=f"up_{index}_relu")(x)
        x = maybe_attention(x, attention_resolution, spectral_norm)
    to_image = keras.layers.Conv2D(channels, 3, padding="same", name="to_image")
    x = features.maybe_spectral_norm(to_image, spectral_norm)(x)
    return keras.Model(inputs, conditioning.output_activation(x, "tanh"), name=name)


def sagan_discriminator(
    input_shape, *, num_classes=None, base_filters=32, attention_resolution=16, leaky_slope=0.1, spectral_norm=True,
    name="discriminator",
):
    """Image -> one score: strided convolutions with self-attention, no BatchNorm.

    One stride-2 4x4 convolution (LeakyReLU) per generator upsampling, the
    filters doubling from `base_filters`; the flattened last map passes the
    `"features"` layer to a dense score (see `networks.features`).

    Args:
        input_shape: `(size, size, channels)`.
        num_classes: when set, one-hot label planes are stacked on the image.
        base_filters: filters of the first convolution.
        attention_resolution: the feature-map size (after a downsampling)
            followed by self-attention; 0 for none.
        leaky_slope: negative slope of the LeakyReLU activations (0.1 in SAGAN).
        spectral_norm: spectral normalization on every weight layer.
        name: name of the returned model.
    """
    check_image_shape("input_shape", input_shape)
    size, downsamplings = input_shape[0], num_upsamplings(input_shape[0])
    check_attention_resolution(attention_resolution, [size // 2 ** (index + 1) for index in range(downsamplings)])
    inputs, x = conditioning.image_discriminator_inputs(input_shape, num_classes)
    filters = base_filters
    for index in range(downsamplings):
        down = keras.layers.Conv2D(filters, 4, strides=2, padding="same", name=f"down_{index}")
        x = features.maybe_spectral_norm(down, spectral_norm)(x)
        x = keras.layers.LeakyReLU(negative_slope=leaky_slope, name=f"down_{index}_leaky")(x)
        x = maybe_attention(x, attention_resolution, spectral_norm)
        filters *= 2
    x = keras.layers.Flatten(name="flatten")(x)
    return keras.Model(inputs, features.discriminator_head(x, spectral_norm=spectral_norm), name=name)
