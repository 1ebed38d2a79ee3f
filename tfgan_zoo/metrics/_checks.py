"""Array checks shared by the metrics modules (the scalar ones are in `tfgan_zoo.utils.validation`).

Each raises `ValueError` naming the argument and the value received.
"""

import numpy as np


def check_labels(name, labels, num_samples, num_classes):
    """Returns `labels` as an integer array of shape [num_samples].

    Raises:
        ValueError: If the shape or dtype is wrong or a label is outside
            `[0, num_classes)`.
    """
    labels = np.asarray(labels)
    if labels.shape != (num_samples,):
        raise ValueError(
            f"`{name}` must have shape ({num_samples},) to match the samples. "
            f"Received: {name}.shape={labels.shape}"
        )
    if not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"`{name}` must hold integers. Received: {name}.dtype={labels.dtype}")
    if num_samples and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(
            f"`{name}` must be in [0, {num_classes}). Received: {name} with "
            f"min={labels.min()}, max={labels.max()}"
        )
    return labels


def feature_matrix(name, value, min_rows=1):
    """Returns `value` as a float64 [num_samples, num_features] array.

    Raises:
        ValueError: If it is not 2-D or has fewer than `min_rows` rows.
    """
    array = np.asarray(value, dtype=np.float64)
    if array.ndim != 2 or array.shape[0] < min_rows:
        raise ValueError(
            f"`{name}` must be a 2-D array [num_samples, num_features] with at least "
            f"{min_rows} row(s). Received: {name}.shape={array.shape}"
        )
    return array


def matching_features(real, generated, min_rows=1):
    """Both feature sets as float64 matrices with the same number of columns."""
    real = feature_matrix("real", real, min_rows)
    generated = feature_matrix("generated", generated, min_rows)
    if real.shape[1] != generated.shape[1]:
        raise ValueError(
            "`real` and `generated` must have the same number of features. "
            f"Received: real.shape={real.shape}, generated.shape={generated.shape}"
        )
    return real, generated
