"""Deep convolutional GAN networks (Radford et al. 2016).

The architecture guidelines of the paper: strided convolutions instead of
pooling, transposed convolutions in the generator, BatchNorm in both networks
except the generator's output and the discriminator's input, ReLU in the
generator with a tanh output, LeakyReLU(0.2) in the discriminator, and no
hidden dense layers (the generator's first layer is the paper's "project and
reshape" matrix multiplication; the discriminator ends in one dense score).
"""

import keras

from tfgan_zoo.networks import conditioning


def _stem_size(image_size):
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


def _upsamplings(image_size):
    stem, count = _stem_size(image_size), 0
    while stem * 2**count < image_size:
        count += 1
    return count


def _check_image_shape(name, shape):
    if len(shape) != 3 or shape[0] != shape[1]:
        raise ValueError(f"{name} must be a square image shape (size, size, channels). Received: {name}={tuple(shape)}")


def dcgan_generator(output_shape, latent_dim, *, num_classes=None, base_filters=64, kernel_size=4, name="generator"):
    """Latent vector -> image in [-1, 1] through transposed convolutions.

    Args:
        output_shape: `(size, size, channels)`, size 4 or 7 times a power of 2.
        latent_dim: size of the latent vector.
        num_classes: when set, the one-hot label is appended to the latent.
        base_filters: filters of the last hidden layer; each coarser layer doubles them.
        kernel_size: kernel of the transposed convolutions.
        name: name of the returned model.
    """
    _check_image_shape("output_shape", output_shape)
    size, channels = output_shape[0], output_shape[2]
    stem, upsamplings = _stem_size(size), _upsamplings(size)
    filters = base_filters * 2 ** (upsamplings - 1)
    inputs, x = conditioning.generator_inputs(latent_dim, num_classes)
    x = keras.layers.Dense(stem * stem * filters, use_bias=False, name="project")(x)
    x = keras.layers.Reshape((stem, stem, filters), name="reshape")(x)
    x = keras.layers.BatchNormalization(name="project_bn")(x)
    x = keras.layers.ReLU(name="project_relu")(x)
    for index in range(upsamplings - 1):
        filters //= 2
        x = keras.layers.Conv2DTranspose(filters, kernel_size, strides=2, padding="same", use_bias=False, name=f"up_{index}")(x)
        x = keras.layers.BatchNormalization(name=f"up_{index}_bn")(x)
        x = keras.layers.ReLU(name=f"up_{index}_relu")(x)
    x = keras.layers.Conv2DTranspose(channels, kernel_size, strides=2, padding="same", name="to_image")(x)
    return keras.Model(inputs, conditioning.output_activation(x, "tanh"), name=name)


def dcgan_discriminator(input_shape, *, num_classes=None, base_filters=64, kernel_size=4, leaky_slope=0.2, name="discriminator"):
    """Image -> one score (a logit) through strided convolutions.

    Args:
        input_shape: `(size, size, channels)`.
        num_classes: when set, one-hot label planes are stacked on the image.
        base_filters: filters of the first convolution; each later one doubles them.
        kernel_size: kernel of the convolutions.
        leaky_slope: negative slope of the LeakyReLU activations.
        name: name of the returned model.
    """
    _check_image_shape("input_shape", input_shape)
    inputs, x = conditioning.image_discriminator_inputs(input_shape, num_classes)
    filters = base_filters
    for index in range(_upsamplings(input_shape[0])):
        x = keras.layers.Conv2D(filters, kernel_size, strides=2, padding="same", use_bias=index == 0, name=f"down_{index}")(x)
        if index > 0:
            x = keras.layers.BatchNormalization(name=f"down_{index}_bn")(x)
        x = keras.layers.LeakyReLU(negative_slope=leaky_slope, name=f"down_{index}_leaky")(x)
        filters *= 2
    x = keras.layers.Flatten(name="flatten")(x)
    score = keras.layers.Dense(1, dtype="float32", name="score")(x)
    return keras.Model(inputs, score, name=name)
