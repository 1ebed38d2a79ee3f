"""A classifier of several attributes at once, and how far samples agree with it.

The domain classifier's convolutional trunk (`classifier.build_domain_classifier`)
with one softmax head per attribute, e.g. the shape and colour of the
generated shapes. It reads what a sample shows when there is no single
class label: whether a StackGAN sample matches its caption, or whether a
DCGAN sample of shapes is one shape of one colour.
"""

import keras
import numpy as np

from tfgan_zoo.metrics import classifier


def train_attribute_classifier(images, attributes, counts, *, epochs=3, seed=0, verbose=0):
    """A classifier with one logit head per attribute, trained on `images`.

    Args:
        images: `[N, H, W, C]` in [-1, 1].
        attributes: `{name: int labels [N]}`.
        counts: `{name: number of values}`, for the heads (its order is the heads' order).
        epochs: training epochs.
        seed: seed of the initial weights and the batch order.
        verbose: Keras progress output.

    Returns:
        A `keras.Model` from images to `{name: logits}`.
    """
    missing = sorted(set(counts) - set(attributes))
    if missing:
        raise ValueError(f"Every attribute in counts needs labels. Received: counts={counts}, no labels for {missing}")
    keras.utils.set_random_seed(seed)
    trunk = classifier.build_domain_classifier(images.shape[1:], 2)
    features = trunk.get_layer(classifier.FEATURES_LAYER).output
    heads = {name: keras.layers.Dense(count, name=name)(features) for name, count in counts.items()}
    model = keras.Model(trunk.input, heads)
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss={name: keras.losses.SparseCategoricalCrossentropy(from_logits=True) for name in heads})
    model.fit(images, {name: attributes[name] for name in heads}, batch_size=64, epochs=epochs, verbose=verbose)
    return model


def attribute_probabilities(model, samples, batch_size=256):
    """`{name: softmax probabilities [N, values]}` of every head for `samples`."""
    logits = model.predict(samples, batch_size=batch_size, verbose=0)
    return {name: keras.ops.convert_to_numpy(keras.ops.softmax(values, axis=-1)) for name, values in logits.items()}


def agreement(model, samples, wanted):
    """Share of `samples` whose classified attributes equal `wanted`, per attribute and all at once."""
    probabilities = attribute_probabilities(model, samples)
    matches = {name: np.argmax(probabilities[name], axis=-1) == wanted[name] for name in probabilities}
    report = {name: float(np.mean(hits)) for name, hits in matches.items()}
    report["all"] = float(np.mean(np.logical_and.reduce(list(matches.values()))))
    report["count"] = int(len(samples))
    return report


def confident_share(model, samples, threshold=0.9):
    """Share of `samples` every head of `model` classifies with probability above `threshold`."""
    return share_confident(attribute_probabilities(model, samples), threshold)


def share_confident(probabilities, threshold=0.9):
    """Share of samples whose every head's top probability (`attribute_probabilities`) is above `threshold`."""
    confident = [values.max(axis=-1) > threshold for values in probabilities.values()]
    return float(np.mean(np.logical_and.reduce(confident)))
