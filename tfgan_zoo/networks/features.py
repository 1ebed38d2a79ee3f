"""The discriminator's head: its last features and the score computed from them.

Every discriminator of the zoo passes the representation that feeds its final
score through an identity layer named `"features"`, so that losses can read it
(feature matching, Salimans et al. 2016) without rebuilding the network. The
head is assembled here, with the options that stabilise training: spectral
normalization, the minibatch layers and the projection of a label.
"""

import keras

from tfgan_zoo.layers import MinibatchDiscrimination
from tfgan_zoo.networks import conditioning

FEATURES_LAYER = "features"
LINEAR_SCORE, CLASS_EMBEDDING = "linear_score", "class_embedding"


def maybe_spectral_norm(layer, spectral_norm):
    """`layer` itself, or wrapped in `keras.layers.SpectralNormalization`.

    The wrapper takes the layer's name (so `get_layer(name)` still finds it) and
    its dtype policy (so a float32 score stays float32 under mixed precision);
    the wrapped layer is renamed `<name>_inner`.

    Args:
        layer: an unbuilt layer with a `kernel` (`Dense`, `Conv2D`).
        spectral_norm: whether to wrap it.

    Reference: Miyato et al., "Spectral Normalization for Generative
    Adversarial Networks", ICLR 2018.
    """
    if not spectral_norm:
        return layer
    name = layer.name
    layer.name = f"{name}_inner"
    return keras.layers.SpectralNormalization(layer, dtype=layer.dtype_policy, name=name)


def discriminator_head(x, *, spectral_norm=False, minibatch_discrimination=0, label=None, num_classes=None):
    """Vector `x` -> one float32 score, through the `"features"` layer.

    Args:
        x: the flattened representation `[B, F]`.
        spectral_norm: wrap the score layer in spectral normalization.
        minibatch_discrimination: number of minibatch discrimination kernels
            appended to `x` before the features (0 disables it).
        label: the discriminator's integer label input, to project onto the
            features (`projection_score`); None for a plain linear score.
        num_classes: number of classes of `label`.

    Returns:
        The score tensor `[B, 1]`.

    Reference: Salimans et al., "Improved Techniques for Training GANs",
    NeurIPS 2016 (minibatch discrimination and feature matching).
    """
    if (
        isinstance(minibatch_discrimination, bool)
        or not isinstance(minibatch_discrimination, int)
        or minibatch_discrimination < 0
    ):
        raise ValueError(
            "minibatch_discrimination must be an integer >= 0 (0 disables it). "
            f"Received: minibatch_discrimination={minibatch_discrimination!r}"
        )
    if minibatch_discrimination:
        x = MinibatchDiscrimination(minibatch_discrimination, name="minibatch_discrimination")(x)
    x = keras.layers.Identity(name=FEATURES_LAYER)(x)
    if label is not None:
        return projection_score(x, label, num_classes, spectral_norm=spectral_norm)
    score_layer = keras.layers.Dense(1, dtype="float32", name="score")
    return maybe_spectral_norm(score_layer, spectral_norm)(x)


def projection_score(phi, label, num_classes, *, spectral_norm=False):
    """`linear(phi) + <class_embedding(label), phi>`: the projection discriminator's score `[B, 1]`.

    `class_embedding` is a bias-free dense layer on the one-hot label (an
    embedding matrix that spectral normalization can wrap); the score layer
    is named `"score"`, its linear part `LINEAR_SCORE`.

    Reference: Miyato & Koyama, "cGANs with Projection Discriminator", ICLR 2018.
    """
    linear = maybe_spectral_norm(keras.layers.Dense(1, dtype="float32", name=LINEAR_SCORE), spectral_norm)(phi)
    embedding = keras.layers.Dense(phi.shape[-1], use_bias=False, name=CLASS_EMBEDDING)
    embedding = maybe_spectral_norm(embedding, spectral_norm)(conditioning.one_hot(label, num_classes))
    projection = keras.layers.Dot(axes=1, name="projection")([embedding, phi])
    return keras.layers.Add(dtype="float32", name="score")([linear, projection])


def features_and_scores(discriminator):
    """A model returning `[features, score]` that shares `discriminator`'s layers.

    Calling it uses the discriminator's own variables, so training either
    trains both. The features are the output of the `"features"` layer, the
    representation the final score layer reads; the generator's
    feature-matching loss compares their batch means on real and generated
    samples.

    Args:
        discriminator: a functional discriminator with a `"features"` layer
            (every discriminator built by `tfgan_zoo.networks`).

    Returns:
        A `keras.Model` with the discriminator's inputs and the outputs
        `[features, score]`.

    Raises:
        ValueError: if the discriminator has no `"features"` layer (e.g. one
            saved before the layer was added).

    Reference: Salimans et al., "Improved Techniques for Training GANs",
    NeurIPS 2016, section 3.1 (feature matching).
    """
    layer_names = [layer.name for layer in getattr(discriminator, "layers", ())]
    if FEATURES_LAYER not in layer_names:
        raise ValueError(
            f"The discriminator has no {FEATURES_LAYER!r} layer to read features from; rebuild it with "
            f"tfgan_zoo.networks. Received: discriminator={getattr(discriminator, 'name', discriminator)!r}"
        )
    features = discriminator.get_layer(FEATURES_LAYER).output
    return keras.Model(
        discriminator.input, [features, discriminator.output], name=f"{discriminator.name}_features_and_scores"
    )
