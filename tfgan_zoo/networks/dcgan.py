"""Deep convolutional GAN networks (Radford et al. 2016).

The architecture guidelines of the paper: strided convolutions instead of
pooling, transposed convolutions in the generator, BatchNorm in both networks
except the generator's output and the discriminator's input, ReLU in the
generator with a tanh output, LeakyReLU(0.2) in the discriminator, and no
hidden dense layers (the generator's first layer is the paper's "project and
reshape" matrix multiplication; the discriminator ends in one dense score).
"""

import keras

from tfgan_zoo.layers import MinibatchStdDev
from tfgan_zoo.networks import conditioning, features
from tfgan_zoo.utils import validation

# Normalizations `dcgan_discriminator` can put after its convolutions.
NORMALIZATIONS = ("batch", "layer", "none")
LABEL_CONDITIONINGS = ("planes", "projection")
# How `dcgan_generator` doubles the resolution.
UPSAMPLINGS = ("transpose", "resize")


def stem_size(image_size):
    """Smallest feature map the generator starts from: 7 for 28 px, 4 for powers of two."""
    for stem in (4, 7):
        size = image_size
        while size > stem and size % 2 == 0:
            size //= 2
        if size == stem:
            return stem
    raise ValueError(
        f"DCGAN networks need an image size of 4 or 7 times a power of two (e.g. 28, 32, 64). "
        f"Received: image_size={image_size}"
    )


def num_upsamplings(image_size):
    """How many 2x upsamplings take `stem_size(image_size)` to `image_size` (also the discriminator's downsamplings)."""
    stem, count = stem_size(image_size), 0
    while stem * 2**count < image_size:
        count += 1
    return count


def check_image_shape(name, shape):
    """Raises `ValueError` unless `shape` is `(size, size, channels)`."""
    if len(shape) != 3 or shape[0] != shape[1]:
        raise ValueError(f"{name} must be a square image shape (size, size, channels). Received: {name}={tuple(shape)}")


def dcgan_generator(
    output_shape, latent_dim, *, num_classes=None, base_filters=64, kernel_size=4, stem_convs=0, dense_units=(),
    upsampling="transpose", name="generator",
):
    """Latent vector -> image in [-1, 1] through transposed convolutions (or resize-convolutions).

    Args:
        output_shape: `(size, size, channels)`, size 4 or 7 times a power of 2.
        latent_dim: size of the latent vector.
        num_classes: when set, the one-hot label is appended to the latent.
        base_filters: filters of the last hidden layer; each coarser layer doubles them.
        kernel_size: kernel of the transposed convolutions.
        stem_convs: stride-1 3x3 convolutions (each with BatchNorm and ReLU)
            at the stem resolution, before the first transposed convolution.
        dense_units: widths of hidden dense layers (each with BatchNorm and
            ReLU) between the latent and the projection to the stem, as in
            InfoGAN's MNIST generator (one of 1024; Chen et al. 2016).
        upsampling: `"transpose"` (the paper's stride-2 transposed
            convolutions) or `"resize"` (nearest-neighbour 2x upsampling, then
            a stride-1 convolution of the same kernel: the resize-convolution
            of Odena et al. 2016, whose every output pixel sees the same
            number of kernel taps, so it cannot draw the checkerboard of
            uneven overlap).
        name: name of the returned model.
    """
    check_image_shape("output_shape", output_shape)
    validation.check_choice("upsampling", upsampling, UPSAMPLINGS)
    validation.check_int("stem_convs", stem_convs, minimum=0)
    dense_units = validation.check_widths("dense_units", dense_units)
    size, channels = output_shape[0], output_shape[2]
    stem, upsamplings = stem_size(size), num_upsamplings(size)
    filters = base_filters * 2 ** (upsamplings - 1)
    inputs, x = conditioning.generator_inputs(latent_dim, num_classes)
    for index, units in enumerate(dense_units):
        x = keras.layers.Dense(units, use_bias=False, name=f"dense_{index}")(x)
        x = keras.layers.BatchNormalization(name=f"dense_{index}_bn")(x)
        x = keras.layers.ReLU(name=f"dense_{index}_relu")(x)
    x = keras.layers.Dense(stem * stem * filters, use_bias=False, name="project")(x)
    x = keras.layers.Reshape((stem, stem, filters), name="reshape")(x)
    x = keras.layers.BatchNormalization(name="project_bn")(x)
    x = keras.layers.ReLU(name="project_relu")(x)
    for index in range(stem_convs):
        x = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"stem_{index}")(x)
        x = keras.layers.BatchNormalization(name=f"stem_{index}_bn")(x)
        x = keras.layers.ReLU(name=f"stem_{index}_relu")(x)
    for index in range(upsamplings - 1):
        filters //= 2
        x = _upsample(x, filters, kernel_size, upsampling, use_bias=False, name=f"up_{index}")
        x = keras.layers.BatchNormalization(name=f"up_{index}_bn")(x)
        x = keras.layers.ReLU(name=f"up_{index}_relu")(x)
    x = _upsample(x, channels, kernel_size, upsampling, use_bias=True, name="to_image")
    return keras.Model(inputs, conditioning.output_activation(x, "tanh"), name=name)


def _upsample(x, filters, kernel_size, upsampling, *, use_bias, name):
    """Doubles the resolution of `x` with one convolution named `name` (see `dcgan_generator`'s `upsampling`)."""
    if upsampling == "transpose":
        return keras.layers.Conv2DTranspose(
            filters, kernel_size, strides=2, padding="same", use_bias=use_bias, name=name
        )(x)
    x = keras.layers.UpSampling2D(2, interpolation="nearest", name=f"{name}_resize")(x)
    return keras.layers.Conv2D(filters, kernel_size, padding="same", use_bias=use_bias, name=name)(x)


def _normalization_layer(normalization, name, layer_axes=(1, 2, 3)):
    """The layer after each strided convolution but the first (or each hidden dense layer), or None.

    `layer_axes`: what layer normalization averages over, per example: height,
    width and channels of a feature map (as the critic's layer normalization in
    Gulrajani et al. 2017), or `-1` for a dense layer's units.
    """
    if normalization == "batch":
        return keras.layers.BatchNormalization(name=f"{name}_bn")
    if normalization == "layer":
        return keras.layers.LayerNormalization(axis=layer_axes, name=f"{name}_ln")
    return None


def check_normalization(normalization):
    """Raises `ValueError` unless `normalization` is one of `NORMALIZATIONS`."""
    validation.check_choice("normalization", normalization, NORMALIZATIONS)


def conv_trunk(x, *, base_filters, kernel_size, leaky_slope, normalization, spectral_norm=False):
    """The discriminator's strided convolutions: image features `x` down to the stem size.

    One stride-2 convolution per transposed convolution of the generator of
    the same image size, each followed by LeakyReLU; the filters start at
    `base_filters` and double each layer, and `normalization` follows every
    convolution but the first. The layers are named `down_<i>` (and
    `down_<i>_bn` or `_ln`, `down_<i>_leaky`), in discriminators and
    encoders alike. Returns the last feature map, unflattened.

    Args:
        x: `[B, size, size, C]`, the image (with label planes when conditional).
        base_filters: filters of the first convolution.
        kernel_size: kernel of the convolutions.
        leaky_slope: negative slope of the LeakyReLU activations.
        normalization: one of `NORMALIZATIONS` (see `dcgan_discriminator`).
        spectral_norm: wrap every convolution in spectral normalization.
    """
    filters = base_filters
    for index in range(num_upsamplings(x.shape[1])):
        use_bias = index == 0 or normalization == "none"
        conv = keras.layers.Conv2D(
            filters, kernel_size, strides=2, padding="same", use_bias=use_bias, name=f"down_{index}"
        )
        x = features.maybe_spectral_norm(conv, spectral_norm)(x)
        norm = _normalization_layer(normalization, f"down_{index}") if index > 0 else None
        if norm is not None:
            x = norm(x)
        x = keras.layers.LeakyReLU(negative_slope=leaky_slope, name=f"down_{index}_leaky")(x)
        filters *= 2
    return x


def dcgan_discriminator(
    input_shape,
    *,
    num_classes=None,
    base_filters=64,
    kernel_size=4,
    leaky_slope=0.2,
    spectral_norm=False,
    normalization="batch",
    minibatch_stddev=False,
    minibatch_discrimination=0,
    dense_units=(),
    label_conditioning="planes",
    name="discriminator",
):
    """Image -> one score (a logit) through strided convolutions.

    The flattened feature maps (after the optional minibatch layers) pass
    through an identity layer named `"features"` before the score layer; see
    `tfgan_zoo.networks.features_and_scores`.

    Args:
        input_shape: `(size, size, channels)`.
        num_classes: when set, the discriminator also takes a label (see `label_conditioning`).
        base_filters: filters of the first convolution; each later one doubles them.
        kernel_size: kernel of the convolutions.
        leaky_slope: negative slope of the LeakyReLU activations.
        spectral_norm: wrap every convolution and the score layer in spectral
            normalization (Miyato et al. 2018).
        normalization: after every convolution but the first: `"batch"`
            (BatchNorm, as in the DCGAN paper), `"layer"` (layer normalization
            over height, width and channels, which Gulrajani et al. 2017
            recommend for WGAN-GP critics since a gradient penalty per sample
            is invalid with batch statistics) or `"none"` (the convolutions then
            have biases).
        minibatch_stddev: append a minibatch standard deviation feature map to
            the last convolution's output (Karras et al. 2018).
        minibatch_discrimination: number of minibatch discrimination kernels
            appended to the flattened features (Salimans et al. 2016); 0
            disables it.
        dense_units: widths of hidden dense layers after the flattened
            convolutions (each followed by `normalization` and LeakyReLU),
            before the features, as in InfoGAN's MNIST discriminator (one of
            1024; Chen et al. 2016).
        label_conditioning: how a conditional discriminator reads the label:
            `"planes"` stacks one-hot label planes on the image (the CGAN
            paper's concatenation), `"projection"` adds the inner product of
            a class embedding with the features to the score (Miyato & Koyama
            2018; `features.projection_score`).
        name: name of the returned model.
    """
    check_image_shape("input_shape", input_shape)
    check_normalization(normalization)
    dense_units = validation.check_widths("dense_units", dense_units)
    validation.check_choice("label_conditioning", label_conditioning, LABEL_CONDITIONINGS)
    projected = num_classes is not None and label_conditioning == "projection"
    inputs, x = conditioning.image_discriminator_inputs(input_shape, None if projected else num_classes)
    label = conditioning.label_input() if projected else None  # read by the head, not stacked on the image
    if projected:
        inputs = [inputs, label]
    x = conv_trunk(
        x, base_filters=base_filters, kernel_size=kernel_size, leaky_slope=leaky_slope, normalization=normalization,
        spectral_norm=spectral_norm,
    )
    if minibatch_stddev:
        x = MinibatchStdDev(name="minibatch_stddev")(x)
    x = keras.layers.Flatten(name="flatten")(x)
    for index, units in enumerate(dense_units):
        dense = keras.layers.Dense(units, use_bias=normalization == "none", name=f"dense_{index}")
        x = features.maybe_spectral_norm(dense, spectral_norm)(x)
        norm = _normalization_layer(normalization, f"dense_{index}", layer_axes=-1)
        if norm is not None:
            x = norm(x)
        x = keras.layers.LeakyReLU(negative_slope=leaky_slope, name=f"dense_{index}_leaky")(x)
    score = features.discriminator_head(
        x, spectral_norm=spectral_norm, minibatch_discrimination=minibatch_discrimination,
        label=label, num_classes=num_classes,
    )
    return keras.Model(inputs, score, name=name)
