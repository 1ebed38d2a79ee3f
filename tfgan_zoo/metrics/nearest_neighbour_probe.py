"""1-nearest-neighbour classification accuracy of learned features, the BiGAN paper's probe.

Features of labelled training samples are the reference set; each test sample
takes the label of its nearest training feature, and the probe reports the
share of test samples labelled correctly. No parameters are fitted, so the
accuracy measures the feature space itself: how well distances between codes
follow the classes. Donahue et al. (2017) report 97.39% for BiGAN encoder
features on the full MNIST.
"""

import numpy as np

from tfgan_zoo.metrics import _checks, neighbours
from tfgan_zoo.utils import validation

DISTANCES = ("euclidean", "cosine")


def _labels(name, labels, count):
    labels = np.asarray(labels)
    if labels.shape != (count,) or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(
            f"`{name}` must be integers of shape ({count},), one per feature row. "
            f"Received: {name}.shape={labels.shape}, dtype={labels.dtype}"
        )
    return labels


def _unit_rows(name, features):
    norms = np.linalg.norm(features, axis=1, keepdims=True)
    if np.any(norms == 0):
        raise ValueError(
            f"Cosine distance is undefined for a zero feature vector. Received: {name} with "
            f"{int(np.sum(norms == 0))} zero row(s)"
        )
    return features / norms


def nearest_neighbour_predictions(train_features, train_labels, test_features, *, distance="euclidean"):
    """The label of each test row's nearest training row (the first one on ties).

    Args:
        train_features: `[n, d]` reference features.
        train_labels: `[n]` integer labels of the reference rows.
        test_features: `[m, d]` features to label.
        distance: `"euclidean"` or `"cosine"` (Euclidean between rows scaled
            to unit length, which orders neighbours as cosine distance does).

    Returns:
        An integer array `[m]`.
    """
    validation.check_choice("distance", distance, DISTANCES)
    train_features = _checks.feature_matrix("train_features", train_features)
    test_features = _checks.feature_matrix("test_features", test_features)
    train_labels = _labels("train_labels", train_labels, len(train_features))
    if train_features.shape[1] != test_features.shape[1]:
        raise ValueError(
            "`train_features` and `test_features` must have the same number of columns. "
            f"Received: train_features.shape={train_features.shape}, test_features.shape={test_features.shape}"
        )
    if distance == "cosine":
        train_features = _unit_rows("train_features", train_features)
        test_features = _unit_rows("test_features", test_features)
    _, nearest = neighbours.nearest_distances(test_features, train_features)
    return train_labels[nearest]


def nearest_neighbour_accuracy(train_features, train_labels, test_features, test_labels, *, distance="euclidean"):
    """Share of test rows whose nearest training row has their label.

    Args:
        train_features: `[n, d]` features of the labelled reference samples
            (e.g. encoder codes of the training images).
        train_labels: `[n]` integer labels.
        test_features: `[m, d]` features of held-out samples.
        test_labels: `[m]` integer labels.
        distance: `"euclidean"` or `"cosine"`.

    Returns:
        The accuracy, a float in [0, 1].

    Reference: Donahue et al., "Adversarial Feature Learning", ICLR 2017,
    Section 4.2 (1NN accuracy of encoder features on MNIST).
    """
    predictions = nearest_neighbour_predictions(train_features, train_labels, test_features, distance=distance)
    test_labels = _labels("test_labels", test_labels, len(predictions))
    return float(np.mean(predictions == test_labels))


def encoder_nearest_neighbour_accuracy(encode, train_samples, train_labels, test_samples, test_labels, **kwargs):
    """`nearest_neighbour_accuracy` of the codes `encode(samples)`, e.g. `model.encode` of a BiGAN.

    Args:
        encode: a function from a batch of samples to `[batch, d]` features.
        train_samples, train_labels: the labelled reference samples.
        test_samples, test_labels: held-out samples.
        **kwargs: passed to `nearest_neighbour_accuracy` (`distance`).
    """
    return nearest_neighbour_accuracy(
        np.asarray(encode(train_samples)), train_labels, np.asarray(encode(test_samples)), test_labels, **kwargs
    )
