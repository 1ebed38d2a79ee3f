"""Encoders of the VAE family: a sample -> the mean and log-variance of q(z | x).

An encoder is a functional `keras.Model` with two outputs, in this order:

- `mean` (`MEAN_OUTPUT`): the posterior mean, `[B, latent_dim]`;
- `log_variance` (`LOG_VARIANCE_OUTPUT`): the log of the posterior's diagonal
  variance, `[B, latent_dim]`.

Both outputs are float32 under mixed precision (the variance is
exponentiated). The input is named `image` for image tensors and `sample`
for vectors, plus `label` for conditional encoders (the label is appended as
in the discriminators), so an encoder exports as a signature with the same
input names as the discriminator would have.

Reference: Kingma & Welling, "Auto-Encoding Variational Bayes", ICLR 2014
(the Gaussian encoder of appendix C.2).
"""

import keras

from tfgan_zoo.networks import conditioning, dcgan, mlp
from tfgan_zoo.utils import validation

MEAN_OUTPUT = "mean"
LOG_VARIANCE_OUTPUT = "log_variance"


def gaussian_posterior_head(x, latent_dim):
    """Vector `x` -> `[mean, log_variance]`, two float32 dense layers of `latent_dim` units."""
    validation.check_int("latent_dim", latent_dim)
    mean = keras.layers.Dense(latent_dim, dtype="float32", name=MEAN_OUTPUT)(x)
    log_variance = keras.layers.Dense(latent_dim, dtype="float32", name=LOG_VARIANCE_OUTPUT)(x)
    return [mean, log_variance]


def mlp_encoder(
    input_shape, latent_dim, *, num_classes=None, hidden_units=(512, 512), activation="relu", name="encoder"
):
    """Dense layers from a flattened sample to the Gaussian posterior's parameters.

    Args:
        input_shape: per-sample shape, e.g. `(28, 28, 1)` or `(2,)`.
        latent_dim: size of the latent vector.
        num_classes: when set, the encoder also takes a `label` input whose
            one-hot vector is appended to the flattened sample.
        hidden_units: widths of the hidden dense layers.
        activation: activation of the hidden layers.
        name: name of the returned model.

    Reference: Kingma & Welling, "Auto-Encoding Variational Bayes", ICLR 2014.
    """
    inputs, x = mlp.flat_sample_inputs(input_shape, num_classes)
    for index, units in enumerate(hidden_units):
        x = keras.layers.Dense(units, activation=activation, name=f"dense_{index}")(x)
    return keras.Model(inputs, gaussian_posterior_head(x, latent_dim), name=name)


def dcgan_encoder(
    input_shape,
    latent_dim,
    *,
    num_classes=None,
    base_filters=64,
    kernel_size=4,
    leaky_slope=0.2,
    normalization="batch",
    name="encoder",
):
    """Strided convolutions, as in the DCGAN discriminator, to the posterior's parameters.

    The convolution stack mirrors `dcgan_generator`: one stride-2 convolution
    per transposed convolution of the generator of the same image size, so
    a 32 px image is reduced to 4x4 and a 28 px one to 7x7 before the two
    dense heads.

    Args:
        input_shape: `(size, size, channels)`, size 4 or 7 times a power of 2.
        latent_dim: size of the latent vector.
        num_classes: when set, one-hot label planes are stacked on the image.
        base_filters: filters of the first convolution; each later one doubles them.
        kernel_size: kernel of the convolutions.
        leaky_slope: negative slope of the LeakyReLU activations.
        normalization: after every convolution but the first: `"batch"`,
            `"layer"` or `"none"` (see `dcgan_discriminator`).
        name: name of the returned model.

    References: Radford et al., "Unsupervised Representation Learning with
    Deep Convolutional Generative Adversarial Networks", ICLR 2016; Larsen et
    al., "Autoencoding beyond pixels using a learned similarity metric", ICML
    2016 (a convolutional encoder of this shape).
    """
    dcgan.check_image_shape("input_shape", input_shape)
    dcgan.check_normalization(normalization)
    inputs, x = conditioning.image_discriminator_inputs(input_shape, num_classes)
    x = dcgan.conv_trunk(
        x, base_filters=base_filters, kernel_size=kernel_size, leaky_slope=leaky_slope, normalization=normalization
    )
    x = keras.layers.Flatten(name="flatten")(x)
    return keras.Model(inputs, gaussian_posterior_head(x, latent_dim), name=name)


# Network family name (as in `tfgan_zoo.networks.NETWORKS`) -> encoder builder.
ENCODERS = {"mlp": mlp_encoder, "dcgan": dcgan_encoder}


def build_encoder(name, sample_shape, latent_dim, *, num_classes=None, **options):
    """Builds the encoder of network family `name` for samples of `sample_shape`.

    Args:
        name: a key of `ENCODERS` (the recipe's `networks`).
        sample_shape: per-sample shape.
        latent_dim: size of the latent vector.
        num_classes: number of classes of a conditional encoder, else `None`.
        **options: keyword arguments of the builder (e.g. `base_filters`).
    """
    if name not in ENCODERS:
        raise ValueError(f"Unknown encoder networks. Expected one of {sorted(ENCODERS)}. Received: networks={name!r}")
    return ENCODERS[name](tuple(sample_shape), latent_dim, num_classes=num_classes, **options)
