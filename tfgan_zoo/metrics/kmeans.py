"""A small seeded k-means (Lloyd's algorithm with k-means++ seeding) in numpy.

PRD needs only cluster assignments of a few thousand feature vectors, so a
dependency on scikit-learn is not worth it.
"""

import numpy as np

from tfgan_zoo.metrics import _checks
from tfgan_zoo.utils import validation


def squared_distances(points, centers):
    """||p - c||^2 for every pair of rows, clipped at 0 against round-off."""
    squared = (
        np.sum(points * points, axis=1)[:, None]
        - 2.0 * points @ centers.T
        + np.sum(centers * centers, axis=1)[None, :]
    )
    return np.maximum(squared, 0.0)


def _plus_plus_centers(points, num_clusters, rng):
    """k-means++ seeding: each new centre is drawn with probability ~ D(x)^2."""
    centers = [points[rng.integers(len(points))]]
    closest = squared_distances(points, centers[0][None])[:, 0]
    for _ in range(1, num_clusters):
        total = closest.sum()
        # All points on existing centres (duplicates): any point will do.
        index = rng.choice(len(points), p=closest / total) if total > 0 else rng.integers(len(points))
        centers.append(points[index])
        closest = np.minimum(closest, squared_distances(points, points[index][None])[:, 0])
    return np.stack(centers)


def _cluster_means(points, labels, centers):
    """Mean of each cluster's points; an emptied cluster keeps its old centre."""
    order = np.argsort(labels, kind="stable")
    counts = np.bincount(labels, minlength=len(centers))
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    # A sorted segment sum (reduceat) avoids a tiny one-hot matrix product,
    # which a multi-threaded BLAS runs badly on a busy machine.
    occupied = counts > 0
    means = centers.copy()
    sums = np.add.reduceat(points[order], starts[occupied], axis=0)
    means[occupied] = sums / counts[occupied, None]
    return means


def kmeans(points, num_clusters, *, seed=0, max_iterations=100, tolerance=1e-6):
    """Clusters rows of `points` into `num_clusters` groups.

    Args:
        points: Array-like `[n, d]` with `n >= num_clusters`.
        num_clusters: Number of clusters, `>= 1`.
        seed: Seed of the k-means++ seeding.
        max_iterations: Upper bound on Lloyd iterations.
        tolerance: Stop when no centre moves by more than this (relative to
            the data's overall scale).

    Returns:
        A tuple `(labels, centers)`: int64 `[n]` assignments and float64
        `[num_clusters, d]` centres.

    Raises:
        ValueError: If the arguments are invalid.
    """
    points = _checks.feature_matrix("points", points)
    validation.check_int("num_clusters", num_clusters)
    validation.check_int("max_iterations", max_iterations)
    if num_clusters > len(points):
        raise ValueError(
            f"`num_clusters` must be at most the number of points ({len(points)}). "
            f"Received: num_clusters={num_clusters}"
        )
    rng = np.random.default_rng(seed)
    centers = _plus_plus_centers(points, num_clusters, rng)
    scale = max(float(np.abs(points).max()), 1e-12)
    for _ in range(max_iterations):
        labels = np.argmin(squared_distances(points, centers), axis=1)
        moved = _cluster_means(points, labels, centers)
        shift = float(np.abs(moved - centers).max())
        centers = moved
        if shift <= tolerance * scale:
            break
    labels = np.argmin(squared_distances(points, centers), axis=1)
    return labels, centers
