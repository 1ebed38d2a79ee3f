"""Fully connected networks, as in Goodfellow et al. (2014)."""

import math

import keras

from tfgan_zoo.layers import MinibatchStdDev
from tfgan_zoo.networks import conditioning, features


def mlp_generator(
    output_shape,
    latent_dim,
    *,
    num_classes=None,
    hidden_units=(1024, 1024),
    activation="relu",
    output_activation="tanh",
    batch_norm=False,
    name="generator",
):
    """A stack of dense layers mapping a latent vector to a sample of `output_shape`.

    Args:
        output_shape: per-sample shape, e.g. `(28, 28, 1)` or `(2,)`.
        latent_dim: size of the latent vector.
        num_classes: when set, the generator also takes a `label` input.
        hidden_units: widths of the hidden dense layers.
        activation: activation of the hidden layers.
        output_activation: `"tanh"` for images in [-1, 1], `None` for points.
        batch_norm: batch normalization before each hidden activation (the
            BiGAN paper's fully connected generator; Goodfellow et al. have none).
        name: name of the returned model.
    """
    inputs, x = conditioning.generator_inputs(latent_dim, num_classes)
    for index, units in enumerate(hidden_units):
        if not batch_norm:
            x = keras.layers.Dense(units, activation=activation, name=f"dense_{index}")(x)
            continue
        x = keras.layers.Dense(units, use_bias=False, name=f"dense_{index}")(x)
        x = keras.layers.BatchNormalization(name=f"dense_{index}_bn")(x)
        x = keras.layers.Activation(activation, name=f"dense_{index}_activation")(x)
    x = keras.layers.Dense(math.prod(output_shape), name="to_sample")(x)
    x = keras.layers.Reshape(tuple(output_shape), name="reshape")(x)
    return keras.Model(inputs, conditioning.output_activation(x, output_activation), name=name)


def flat_sample_inputs(input_shape, num_classes=None):
    """Returns `(inputs, x)` for dense layers: the flattened sample, with the one-hot label when conditional.

    Args:
        input_shape: per-sample shape; the input is named `image` or `sample`.
        num_classes: when set, the network also takes a `label` input.
    """
    sample = conditioning.sample_input(input_shape)
    x = keras.layers.Flatten(name="flatten")(sample)
    if num_classes is None:
        return sample, x
    label = conditioning.label_input()
    return [sample, label], conditioning.append_label_to_vector(x, label, num_classes)


def mlp_discriminator(
    input_shape,
    *,
    num_classes=None,
    hidden_units=(256, 256),
    leaky_slope=0.01,
    dropout=0.0,
    spectral_norm=False,
    minibatch_stddev=False,
    minibatch_discrimination=0,
    name="discriminator",
):
    """Dense layers with LeakyReLU ending in one unconstrained score (a logit).

    The last hidden vector (after the optional minibatch layers) passes through
    an identity layer named `"features"` before the score layer; see
    `tfgan_zoo.networks.features_and_scores`.

    Args:
        input_shape: per-sample shape.
        num_classes: when set, the discriminator also takes a `label` input.
        hidden_units: widths of the hidden dense layers.
        leaky_slope: negative slope of the LeakyReLU activations.
        dropout: dropout rate after each hidden layer (0 disables it).
        spectral_norm: wrap every dense layer, the score included, in
            spectral normalization (Miyato et al. 2018).
        minibatch_stddev: append the minibatch standard deviation to the last
            hidden vector (Karras et al. 2018).
        minibatch_discrimination: number of minibatch discrimination kernels
            appended to the last hidden vector (Salimans et al. 2016); 0
            disables it.
        name: name of the returned model.
    """
    inputs, x = flat_sample_inputs(input_shape, num_classes)
    for index, units in enumerate(hidden_units):
        x = features.maybe_spectral_norm(keras.layers.Dense(units, name=f"dense_{index}"), spectral_norm)(x)
        x = keras.layers.LeakyReLU(negative_slope=leaky_slope, name=f"leaky_{index}")(x)
        if dropout:
            x = keras.layers.Dropout(dropout, name=f"dropout_{index}")(x)
    if minibatch_stddev:
        x = MinibatchStdDev(name="minibatch_stddev")(x)
    score = features.discriminator_head(
        x, spectral_norm=spectral_norm, minibatch_discrimination=minibatch_discrimination
    )
    return keras.Model(inputs, score, name=name)
