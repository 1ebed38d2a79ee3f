"""Discriminators that also classify: a class head on the discriminator's trunk.

Two variants read the `"features"` layer every zoo discriminator has (see
`tfgan_zoo.networks.features`):

- `auxiliary_classifier_discriminator`: ACGAN's discriminator, whose outputs
  are the real/fake `score` and `class_logits`, both read from the same
  features (Odena et al. 2017).
- `classifier_discriminator`: the semi-supervised GAN's discriminator, a
  K-class classifier whose logits replace the score; real/fake is read from
  the logits with an implicit fake class (Salimans et al. 2016).

Both are new functional models built on the given discriminator's layers, so
they share its trunk (and the layers it was built with) rather than copy it.
"""

import keras
import numpy as np

from tfgan_zoo.networks import features
from tfgan_zoo.utils import batching, validation

CLASS_LOGITS_LAYER = "class_logits"
SCORE_LAYER = "score"
# The two kinds of class head a discriminator can be given.
HEADS = ("auxiliary", "classifier")


def auxiliary_classifier_discriminator(discriminator, num_classes, *, name=None):
    """`sample -> [score, class_logits]`: a discriminator with an auxiliary classifier.

    The class logits are one dense layer on the `"features"` layer, beside
    the existing score layer; spectral normalization is applied to the class
    layer when the score layer has it.

    Args:
        discriminator: an unconditional zoo discriminator (one input, a
            `"features"` layer feeding a `"score"` layer).
        num_classes: K, the number of classes (>= 2).
        name: name of the returned model; default the discriminator's.

    Returns:
        A functional `keras.Model` with outputs `[score [B, 1], class_logits [B, K]]`.

    Reference: Odena et al., "Conditional Image Synthesis with Auxiliary
    Classifier GANs", ICML 2017.
    """
    trunk = _features_of(discriminator, num_classes)
    score = discriminator.get_layer(SCORE_LAYER).output
    logits = _class_layer(discriminator, num_classes)(trunk)
    return keras.Model(discriminator.input, [score, logits], name=name or discriminator.name)


def classifier_discriminator(discriminator, num_classes, *, name=None):
    """`sample -> class_logits`: the discriminator's trunk with K class logits instead of a score.

    The score layer is dropped; the real/fake decision comes from the logits
    with an implicit fake class, `D(x) = Z / (Z + 1)`, `Z = sum_k exp(l_k)`
    (see `tfgan_zoo.models.SemiSupervisedGAN`).

    Args:
        discriminator: an unconditional zoo discriminator (one input, a
            `"features"` layer feeding a `"score"` layer).
        num_classes: K, the number of real classes (>= 2).
        name: name of the returned model; default the discriminator's.

    Returns:
        A functional `keras.Model` with output `class_logits [B, K]`.

    Reference: Salimans et al., "Improved Techniques for Training GANs",
    NeurIPS 2016, section 5; Odena, "Semi-Supervised Learning with Generative
    Adversarial Networks", 2016.
    """
    trunk = _features_of(discriminator, num_classes)
    logits = _class_layer(discriminator, num_classes)(trunk)
    return keras.Model(discriminator.input, logits, name=name or discriminator.name)


def class_logits_network(discriminator):
    """`sample -> class_logits` of a discriminator with a class head, sharing its layers.

    Args:
        discriminator: a model built by `auxiliary_classifier_discriminator`
            or `classifier_discriminator` (it has a `"class_logits"` layer).
    """
    names = [layer.name for layer in discriminator.layers]
    if CLASS_LOGITS_LAYER not in names:
        raise ValueError(
            f"The discriminator has no {CLASS_LOGITS_LAYER!r} layer. "
            f"Received: discriminator={discriminator.name!r} with layers {names}"
        )
    if len(discriminator.outputs) == 1:
        return discriminator
    logits = discriminator.get_layer(CLASS_LOGITS_LAYER).output
    return keras.Model(discriminator.input, logits, name=f"{discriminator.name}_classifier")


def predict_classes(classifier, samples, batch_size=256):
    """The most likely class of each sample under `classifier` (`training=False`), as int32 numpy.

    Args:
        classifier: a network mapping samples to class logits.
        samples: samples `[N, ...]`.
        batch_size: samples per call.
    """
    samples = np.asarray(samples, np.float32)
    logits = batching.map_in_batches(lambda batch: classifier(batch, training=False), samples, batch_size)
    return np.argmax(logits, axis=-1).astype(np.int32)


def build_class_head_networks(
    name, sample_shape, latent_dim, num_classes, *, head, conditional_generator, generator_kwargs=None,
    discriminator_kwargs=None,
):
    """Builds `(generator, discriminator with a class head)` from the network registry.

    The discriminator is always built unconditional (it predicts the label
    instead of reading it); the generator takes the label when
    `conditional_generator` (ACGAN) and not otherwise (semi-supervised GAN).

    Args:
        name: networks registered in `tfgan_zoo.networks.NETWORKS` (`"dcgan"`, `"mlp"`, ...).
        sample_shape: per-sample shape.
        latent_dim: size of the latent vector.
        num_classes: K, the number of classes.
        head: `"auxiliary"` (`[score, class_logits]`) or `"classifier"` (`class_logits`).
        conditional_generator: whether the generator takes a `label` input.
        generator_kwargs: options of the generator builder.
        discriminator_kwargs: options of the discriminator builder.
    """
    from tfgan_zoo import networks

    validation.check_choice("head", head, HEADS)
    if name not in networks.NETWORKS:
        raise ValueError(f"Unknown networks. Expected one of {sorted(networks.NETWORKS)}. Received: networks={name!r}")
    build_generator, build_discriminator = networks.NETWORKS[name]
    generator = build_generator(
        tuple(sample_shape), latent_dim, num_classes=num_classes if conditional_generator else None,
        **(generator_kwargs or {}),
    )
    trunk = build_discriminator(tuple(sample_shape), num_classes=None, **(discriminator_kwargs or {}))
    with_head = auxiliary_classifier_discriminator if head == "auxiliary" else classifier_discriminator
    return generator, with_head(trunk, num_classes)


def _features_of(discriminator, num_classes):
    """The `"features"` output of an unconditional discriminator, after checking both."""
    if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 2:
        raise ValueError(f"num_classes must be an int >= 2. Received: num_classes={num_classes!r}")
    if len(discriminator.inputs) != 1:
        raise ValueError(
            "A discriminator with a class head predicts the label, so it must not take one: build it "
            f"with num_classes=None. Received: discriminator inputs {[t.name for t in discriminator.inputs]}"
        )
    names = [layer.name for layer in discriminator.layers]
    if features.FEATURES_LAYER not in names or SCORE_LAYER not in names:
        raise ValueError(
            f"The discriminator needs {features.FEATURES_LAYER!r} and {SCORE_LAYER!r} layers (every "
            f"tfgan_zoo discriminator has them). Received: discriminator={discriminator.name!r}"
        )
    return discriminator.get_layer(features.FEATURES_LAYER).output


def _class_layer(discriminator, num_classes):
    """The class logits layer, float32, spectrally normalized when the score layer is."""
    spectral_norm = isinstance(discriminator.get_layer(SCORE_LAYER), keras.layers.SpectralNormalization)
    layer = keras.layers.Dense(num_classes, dtype="float32", name=CLASS_LOGITS_LAYER)
    return features.maybe_spectral_norm(layer, spectral_norm)
