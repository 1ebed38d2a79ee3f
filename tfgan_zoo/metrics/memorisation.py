"""Nearest-neighbour distances of samples to the training images.

A generator that memorises reproduces training images, so its samples sit
unusually close to them. "Unusually" is measured against real images the
model never saw: their distance to the nearest training image gives the
scale of ordinary closeness. Distances are L2 in pixel space.
"""

import numpy as np

from tfgan_zoo.metrics import neighbours


def _flatten(name, images):
    images = np.asarray(images, dtype=np.float64)
    if images.ndim < 2 or images.shape[0] < 1:
        raise ValueError(
            f"`{name}` must be a non-empty batch of samples. Received: {name}.shape={images.shape}"
        )
    return images.reshape(len(images), -1)


def real_to_real_distances(training, heldout=None, *, max_queries=2000, seed=0):
    """Nearest-training-image distances of real images.

    Args:
        training: Training images `[n, ...]`, `n >= 2`.
        heldout: Real images not used for training, or None to measure up to
            `max_queries` training images (a seeded subset) against the
            *other* training images, leaving each one out of its own search.
        max_queries: Bound on the leave-one-out queries, which cost
            `max_queries * n` distances.
        seed: Seed of the leave-one-out subset.

    Returns:
        Float64 array of distances, one per query image.
    """
    training = _flatten("training", training)
    if heldout is not None:
        distances, _ = neighbours.nearest_distances(_flatten("heldout", heldout), training)
        return distances
    if len(training) < 2:
        raise ValueError(
            f"Leave-one-out distances need at least 2 training images. Received: training.shape={training.shape}"
        )
    queries = np.random.default_rng(seed).permutation(len(training))[:max_queries]
    distances = np.empty(len(queries))
    for start, chunk in neighbours.distance_chunks(training[queries], training):
        rows = np.arange(len(chunk))
        chunk[rows, queries[start:start + len(chunk)]] = np.inf
        distances[start:start + len(chunk)] = chunk.min(axis=1)
    return distances


def nearest_neighbour_report(samples, training, heldout=None):
    """How close samples come to training images, against a real-data scale.

    Args:
        samples: Generated samples `[m, ...]`.
        training: Training images with the same per-sample shape.
        heldout: Real images outside the training set (recommended); without
            them the scale is the leave-one-out distance inside `training`.

    Returns:
        A dict with `mean`, `min` and `median` L2 distance of the samples to
        their nearest training image, `real_to_real_median`, and
        `share_closer_than_real` (share of samples nearer to a training image
        than the median real-to-real distance; about 0.5 for a model that
        generalises, near 1 for one that copies), plus `closest_index`, the
        training index nearest to the closest sample.

    Raises:
        ValueError: If the shapes disagree.
    """
    samples = _flatten("samples", samples)
    training_flat = _flatten("training", training)
    if samples.shape[1] != training_flat.shape[1]:
        raise ValueError(
            "`samples` and `training` must have the same per-sample shape. "
            f"Received: samples.shape={np.shape(samples)}, training.shape={np.shape(training)}"
        )
    distances, indices = neighbours.nearest_distances(samples, training_flat)
    scale = float(np.median(real_to_real_distances(training_flat, heldout)))
    return {
        "mean": float(distances.mean()),
        "min": float(distances.min()),
        "median": float(np.median(distances)),
        "real_to_real_median": scale,
        "share_closer_than_real": float(np.mean(distances < scale)),
        "closest_index": int(indices[np.argmin(distances)]),
    }
