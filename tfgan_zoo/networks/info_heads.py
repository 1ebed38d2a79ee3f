"""InfoGAN's Q network: the code distribution read from the discriminator's trunk.

Q shares every layer of the discriminator up to its `"features"` layer and
adds a small head (by default one dense layer per distribution parameter), so
approximating the posterior of the codes costs almost nothing beyond D.
"""

import keras

from tfgan_zoo.networks import features
from tfgan_zoo.utils import validation

# Names of the Q network's outputs (and of the exported `codes` signature's).
CONTINUOUS_MEAN = "continuous_mean"
CONTINUOUS_LOG_STD = "continuous_log_std"


def code_logits_name(index):
    """Output name of the logits of categorical code `index`."""
    return f"code_logits_{index}"


def check_codes(categorical_codes, continuous_codes):
    """Validates a code layout; returns `(categorical_codes as a tuple, continuous_codes)`.

    Args:
        categorical_codes: category counts, one per categorical code, each >= 2.
        continuous_codes: number of continuous codes, >= 0.
    """
    if isinstance(categorical_codes, int) or not all(
        isinstance(count, int) and not isinstance(count, bool) and count >= 2 for count in categorical_codes
    ):
        raise ValueError(
            "categorical_codes must be a list of category counts, each an int >= 2 (e.g. [10]). "
            f"Received: categorical_codes={categorical_codes!r}"
        )
    if isinstance(continuous_codes, bool) or not isinstance(continuous_codes, int) or continuous_codes < 0:
        raise ValueError(f"continuous_codes must be an int >= 0. Received: continuous_codes={continuous_codes!r}")
    if not categorical_codes and not continuous_codes:
        raise ValueError(
            "InfoGAN needs at least one code. Received: categorical_codes=[] and continuous_codes=0"
        )
    return tuple(categorical_codes), continuous_codes


def info_head(x, categorical_codes, continuous_codes, *, hidden_units=(), batch_norm=False, learn_std=False,
              leaky_slope=0.1):
    """Features `x` -> `{name: float32 tensor}` of the code distribution parameters.

    Args:
        x: the discriminator's features `[B, F]`.
        categorical_codes: category counts; code `i` gets logits `code_logits_<i>`.
        continuous_codes: number of continuous codes; they get a Gaussian mean
            `continuous_mean` (and `continuous_log_std` with `learn_std`).
        hidden_units: widths of dense LeakyReLU layers before the outputs
            (the paper's MNIST Q has one of 128 units; default none: one dense
            layer from D's features to each output).
        batch_norm: BatchNorm after each hidden dense layer, before its
            activation (the paper's MNIST Q: FC 128, BN, LeakyReLU).
        learn_std: also predict the log standard deviation of the continuous
            codes (otherwise it is fixed at 1, a scaled squared error).
        leaky_slope: negative slope of the hidden LeakyReLU activations.

    Reference: Chen et al., "InfoGAN: Interpretable Representation Learning
    by Information Maximizing Generative Adversarial Nets", NeurIPS 2016,
    section 5 and appendix C.
    """
    categorical_codes, continuous_codes = check_codes(categorical_codes, continuous_codes)
    validation.check_widths("hidden_units", hidden_units)
    for index, units in enumerate(hidden_units):
        x = keras.layers.Dense(units, use_bias=not batch_norm, name=f"q_dense_{index}")(x)
        if batch_norm:
            x = keras.layers.BatchNormalization(name=f"q_bn_{index}")(x)
        x = keras.layers.LeakyReLU(negative_slope=leaky_slope, name=f"q_leaky_{index}")(x)
    outputs = {}
    for index, count in enumerate(categorical_codes):
        name = code_logits_name(index)
        outputs[name] = keras.layers.Dense(count, dtype="float32", name=name)(x)
    if continuous_codes:
        outputs[CONTINUOUS_MEAN] = keras.layers.Dense(continuous_codes, dtype="float32", name=CONTINUOUS_MEAN)(x)
        if learn_std:
            outputs[CONTINUOUS_LOG_STD] = keras.layers.Dense(
                continuous_codes, dtype="float32", name=CONTINUOUS_LOG_STD
            )(x)
    return outputs


def info_networks(discriminator, categorical_codes, continuous_codes, **head_kwargs):
    """`(training_network, q_network)`: two views of D's trunk with a Q head.

    Both share the discriminator's layers (training either trains D) and one
    new head. `training_network` returns the dict of head outputs plus
    `"features"` and `"score"` (one pass of the trunk serves D's loss and
    Q's); `q_network` returns only the head outputs, for serving.

    Args:
        discriminator: a functional discriminator with a `"features"` layer
            (any discriminator of `tfgan_zoo.networks`).
        categorical_codes, continuous_codes, **head_kwargs: see `info_head`.
    """
    trunk = features.features_and_scores(discriminator)
    trunk_features, score = trunk.outputs
    head = info_head(trunk_features, categorical_codes, continuous_codes, **head_kwargs)
    training_network = keras.Model(
        discriminator.input, {**head, "features": trunk_features, "score": score}, name="info_training_network"
    )
    q_network = keras.Model(discriminator.input, head, name="q_network")
    return training_network, q_network
