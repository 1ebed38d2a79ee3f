"""Euclidean distances between sets of vectors, in row chunks.

Full distance matrices of 10,000 x 10,000 float64 take 800 MB; every caller
here only needs a reduction per row or column, so rows are processed in
chunks and the matrix never exists at once.
"""

import numpy as np

from tfgan_zoo.metrics import _checks
from tfgan_zoo.utils import batching, validation

# Rows per chunk: 1024 x 10,000 float64 distances are 80 MB.
CHUNK_ROWS = 1024


def distance_chunks(queries, references, chunk_rows=None):
    """Yields `(start, distances)` with the Euclidean distances of a row chunk.

    Args:
        queries: Float64 array `[n, d]`.
        references: Float64 array `[m, d]`.
        chunk_rows: Query rows per chunk (default `CHUNK_ROWS`).

    Yields:
        `start` (index of the chunk's first query) and a `[chunk, m]` array.
    """
    chunk_rows = chunk_rows or CHUNK_ROWS
    reference_norms = np.sum(references * references, axis=1)
    for rows in batching.batch_slices(len(queries), chunk_rows):
        chunk = queries[rows]
        squared = np.sum(chunk * chunk, axis=1)[:, None] - 2.0 * chunk @ references.T + reference_norms[None, :]
        yield rows.start, np.sqrt(np.maximum(squared, 0.0))


def kth_neighbour_distances(points, k):
    """Distance of each row to its k-th nearest other row of the same set.

    Args:
        points: Array-like `[n, d]` with `n > k`.
        k: Neighbour rank, `>= 1` (1 is the nearest other point).

    Returns:
        Float64 array `[n]`.

    Raises:
        ValueError: If `k` is not below the number of points.
    """
    points = _checks.feature_matrix("points", points)
    validation.check_int("k", k)
    if k >= len(points):
        raise ValueError(
            f"`k` must be smaller than the number of points ({len(points)}). Received: k={k}"
        )
    radii = np.empty(len(points))
    for start, distances in distance_chunks(points, points):
        rows = np.arange(len(distances))
        # The expansion |a|^2 - 2ab + |b|^2 leaves round-off on the diagonal;
        # setting it to exactly 0 keeps each point its own nearest neighbour.
        distances[rows, start + rows] = 0.0
        # Index 0 after partitioning is the point itself.
        radii[start:start + len(distances)] = np.partition(distances, k, axis=1)[:, k]
    return radii


def nearest_distances(queries, references):
    """Distance of each query row to its nearest reference row.

    Args:
        queries: Array-like `[n, d]`.
        references: Array-like `[m, d]`, `m >= 1`.

    Returns:
        A tuple `(distances, indices)`: float64 `[n]` and int64 `[n]`.
    """
    queries = _checks.feature_matrix("queries", queries)
    references = _checks.feature_matrix("references", references)
    if queries.shape[1] != references.shape[1]:
        raise ValueError(
            "`queries` and `references` must have the same number of columns. "
            f"Received: queries.shape={queries.shape}, references.shape={references.shape}"
        )
    distances = np.empty(len(queries))
    indices = np.empty(len(queries), dtype=np.int64)
    for start, chunk in distance_chunks(queries, references):
        nearest = np.argmin(chunk, axis=1)
        indices[start:start + len(chunk)] = nearest
        distances[start:start + len(chunk)] = chunk[np.arange(len(chunk)), nearest]
    return distances, indices

