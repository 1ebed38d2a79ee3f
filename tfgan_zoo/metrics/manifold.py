"""k-NN manifold metrics: improved precision/recall and density/coverage.

Each sample of a set gets a ball reaching to its k-th nearest neighbour in
the same set; the union of the balls estimates the set's manifold.

- Improved precision and recall (Kynkaanniemi et al. 2019): precision is the
  share of generated samples inside the real manifold, recall the share of
  real samples inside the generated manifold.
- Density and coverage (Naeem et al. 2020): density counts how many real
  balls hold each generated sample (divided by k, so about 1 when the
  distributions match, and not capped at 1); coverage is the share of real
  balls that hold at least one generated sample. Both use real balls only,
  which makes them robust to generated outliers.

A point on a ball's boundary counts as inside (distance <= radius), as in
the papers' definitions.
"""

import numpy as np

from tfgan_zoo.metrics import _checks, neighbours

DEFAULT_K = 3


def manifold_metrics(real, generated, *, k=DEFAULT_K):
    """Improved precision/recall and density/coverage in one pass.

    Args:
        real: Real features `[n, d]`, `n > k`.
        generated: Generated features `[m, d]`, `m > k`.
        k: Neighbour rank defining the ball radii; the papers use 3 (P/R)
            and 5 (density/coverage); one k serves both here.

    Returns:
        A dict with float `precision`, `recall`, `density` and `coverage`.

    Raises:
        ValueError: If the shapes are inconsistent or a side has `<= k` rows.
    """
    real, generated = _checks.matching_features(real, generated)
    real_radii = neighbours.kth_neighbour_distances(real, k)
    generated_radii = neighbours.kth_neighbour_distances(generated, k)

    # Rows: generated samples; columns: real samples.
    in_real_ball_count = np.zeros(len(generated))
    real_covered = np.zeros(len(real), dtype=bool)
    real_recalled = np.zeros(len(real), dtype=bool)
    for start, distances in neighbours.distance_chunks(generated, real):
        stop = start + len(distances)
        inside_real = distances <= real_radii[None, :]
        in_real_ball_count[start:stop] = inside_real.sum(axis=1)
        real_covered |= inside_real.any(axis=0)
        real_recalled |= (distances <= generated_radii[start:stop, None]).any(axis=0)
    return {
        "precision": float(np.mean(in_real_ball_count > 0)),
        "recall": float(np.mean(real_recalled)),
        "density": float(np.mean(in_real_ball_count) / k),
        "coverage": float(np.mean(real_covered)),
    }


def improved_precision_recall(real, generated, *, k=DEFAULT_K):
    """Kynkaanniemi et al.'s precision and recall; see `manifold_metrics`.

    Returns:
        A tuple `(precision, recall)` of Python floats.
    """
    results = manifold_metrics(real, generated, k=k)
    return results["precision"], results["recall"]


def density_coverage(real, generated, *, k=DEFAULT_K):
    """Naeem et al.'s density and coverage; see `manifold_metrics`.

    Returns:
        A tuple `(density, coverage)` of Python floats.
    """
    results = manifold_metrics(real, generated, k=k)
    return results["density"], results["coverage"]
