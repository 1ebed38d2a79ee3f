"""Classifiers: a sample in, one logit per class out.

Variants that train a classifier of their own beside the discriminator
(ControlGAN) build it here. The classifier takes the discriminator's input
(`image` for images, `sample` for vectors) and ends in a float32 dense layer
named `"logits"`, so it stays float32 under mixed precision and exports with
a named output.
"""

import keras

from tfgan_zoo.networks import conditioning
from tfgan_zoo.utils import validation

LOGITS_LAYER = "logits"
# Kinds `build_classifier` knows; `None` picks by the sample shape.
CLASSIFIERS = ("conv", "mlp")
# Normalizations `conv_classifier` can put after its convolutions.
NORMALIZATIONS = ("layer", "none")


def conv_classifier(
    input_shape, num_classes, *, filters=(32, 64, 128), kernel_size=3, leaky_slope=0.2, normalization="layer",
    name="classifier",
):
    """Image -> class logits through strided convolutions.

    Each entry of `filters` is one stride-2 convolution followed by the
    normalization and a LeakyReLU; the flattened maps feed the logits. Layer
    normalization (statistics of each example) rather than BatchNorm, as in
    the public ControlGAN reference code: the classifier behaves the same in
    training and inference, on any number of replicas.

    Args:
        input_shape: `(height, width, channels)`.
        num_classes: number of classes (logits).
        filters: filters of the convolutions, one stride-2 convolution each.
        kernel_size: kernel of the convolutions.
        leaky_slope: negative slope of the LeakyReLU activations.
        normalization: `"layer"` (over height, width and channels) or `"none"`.
        name: name of the returned model.

    Reference: Lee & Seok, "Controllable Generative Adversarial Network",
    IEEE Access 7, 2019.
    """
    if len(input_shape) != 3:
        raise ValueError(
            f"input_shape must be an image shape (height, width, channels). Received: input_shape={tuple(input_shape)}"
        )
    _check_common(num_classes, "filters", filters)
    validation.check_choice("normalization", normalization, NORMALIZATIONS)
    image = conditioning.sample_input(input_shape)
    x = image
    for index, width in enumerate(filters):
        x = keras.layers.Conv2D(width, kernel_size, strides=2, padding="same", name=f"conv_{index}")(x)
        if normalization == "layer":
            x = keras.layers.LayerNormalization(axis=(1, 2, 3), name=f"conv_{index}_ln")(x)
        x = keras.layers.LeakyReLU(negative_slope=leaky_slope, name=f"conv_{index}_leaky")(x)
    x = keras.layers.Flatten(name="flatten")(x)
    return keras.Model(image, _logits(x, num_classes), name=name)


def mlp_classifier(input_shape, num_classes, *, hidden_units=(256, 256), leaky_slope=0.2, name="classifier"):
    """Sample (any shape, flattened) -> class logits through dense layers.

    Args:
        input_shape: per-sample shape, e.g. `(2,)` or `(28, 28, 1)`.
        num_classes: number of classes (logits).
        hidden_units: widths of the hidden dense layers.
        leaky_slope: negative slope of the LeakyReLU activations.
        name: name of the returned model.
    """
    _check_common(num_classes, "hidden_units", hidden_units, allow_empty=True)
    sample = conditioning.sample_input(input_shape)
    x = keras.layers.Flatten(name="flatten")(sample)
    for index, units in enumerate(hidden_units):
        x = keras.layers.Dense(units, name=f"dense_{index}")(x)
        x = keras.layers.LeakyReLU(negative_slope=leaky_slope, name=f"leaky_{index}")(x)
    return keras.Model(sample, _logits(x, num_classes), name=name)


def build_classifier(kind, sample_shape, num_classes, **options):
    """The classifier of `kind` for samples of `sample_shape`.

    Args:
        kind: one of `CLASSIFIERS`, or `None`: `"conv"` for images (rank-3
            sample shapes), `"mlp"` otherwise.
        sample_shape: per-sample shape.
        num_classes: number of classes.
        **options: keyword arguments of the builder.
    """
    if kind is None:
        kind = "conv" if len(sample_shape) == 3 else "mlp"
    if kind not in CLASSIFIERS:
        raise ValueError(f"Unknown classifier. Expected one of {CLASSIFIERS} or None. Received: kind={kind!r}")
    builder = conv_classifier if kind == "conv" else mlp_classifier
    return builder(tuple(sample_shape), num_classes, **options)


def _logits(x, num_classes):
    return keras.layers.Dense(num_classes, dtype="float32", name=LOGITS_LAYER)(x)


def _check_common(num_classes, name, widths, allow_empty=False):
    if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 2:
        raise ValueError(f"num_classes must be an int >= 2. Received: num_classes={num_classes!r}")
    widths = list(widths)
    valid = all(isinstance(w, int) and not isinstance(w, bool) and w > 0 for w in widths)
    if not valid or (not widths and not allow_empty):
        raise ValueError(f"{name} must be a list of positive ints. Received: {name}={widths!r}")
