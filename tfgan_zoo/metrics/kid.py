"""Kernel Inception Distance: an unbiased MMD between feature activations.

Follows Binkowski et al. (2018), "Demystifying MMD GANs": the squared MMD
with the cubic polynomial kernel k(x, y) = (x.y / d + 1)^3, estimated
without bias on random subsets and averaged over them. Unlike FID the
estimator is unbiased, so its expectation does not depend on the sample
count, and small evaluations are comparable with large ones.
"""

import numpy as np

from tfgan_zoo.metrics import _checks
from tfgan_zoo.utils import validation


def polynomial_kernel(x, y, *, degree=3, coef0=1.0):
    """k(x, y) = (x.y / d + coef0)^degree for all pairs of rows.

    Args:
        x: Float array `[n, d]`.
        y: Float array `[m, d]`.
        degree: Polynomial degree.
        coef0: Constant added before the power.

    Returns:
        The float64 kernel matrix `[n, m]`.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    return (x @ y.T / x.shape[1] + coef0) ** degree


def _mean_off_diagonal(kernel):
    """Mean of a square kernel matrix without its diagonal (the k(x, x) terms)."""
    size = kernel.shape[0]
    return (kernel.sum() - np.trace(kernel)) / (size * (size - 1))


def mmd2_unbiased(real, generated):
    """Unbiased estimate of the squared MMD with the cubic polynomial kernel.

    MMD^2_u = mean_{i != j} k(x_i, x_j) + mean_{i != j} k(y_i, y_j)
              - 2 mean_{i, j} k(x_i, y_j).

    Args:
        real: Activations `[n, d]`, `n >= 2`.
        generated: Activations `[m, d]`, `m >= 2`.

    Returns:
        The estimate as a Python float (may be slightly negative).

    Raises:
        ValueError: If the shapes are inconsistent or a side has fewer than 2
            rows.
    """
    real, generated = _check_pair(real, generated)
    return float(
        _mean_off_diagonal(polynomial_kernel(real, real))
        + _mean_off_diagonal(polynomial_kernel(generated, generated))
        - 2.0 * polynomial_kernel(real, generated).mean()
    )


def _check_pair(real, generated):
    # Fewer than 2 rows leaves no off-diagonal pair to average.
    return _checks.matching_features(real, generated, min_rows=2)


def kernel_distance_from_activations(
    real, generated, *, num_subsets=100, subset_size=1000, seed=0
):
    """KID: the unbiased MMD^2 averaged over random subsets.

    Each subset draws `subset_size` rows without replacement from each side,
    independently of the other subsets, as in Binkowski et al.'s reference
    code. When a side has fewer rows than `subset_size`, the subset size
    shrinks to the smaller side.

    Args:
        real: Activations of real samples `[n, d]`.
        generated: Activations of generated samples `[m, d]`.
        num_subsets: Number of subsets to average, `>= 1`.
        subset_size: Rows per side in each subset, `>= 2`.
        seed: Seed of the subset draws.

    Returns:
        A tuple `(mean, std)` of Python floats over the subsets.

    Raises:
        ValueError: If the inputs or arguments are invalid.
    """
    real, generated = _check_pair(real, generated)
    validation.check_int("num_subsets", num_subsets)
    validation.check_int("subset_size", subset_size, minimum=2)
    size = min(subset_size, real.shape[0], generated.shape[0])
    rng = np.random.default_rng(seed)
    estimates = np.empty(num_subsets)
    for index in range(num_subsets):
        real_rows = rng.choice(real.shape[0], size, replace=False)
        generated_rows = rng.choice(generated.shape[0], size, replace=False)
        estimates[index] = mmd2_unbiased(real[real_rows], generated[generated_rows])
    return float(estimates.mean()), float(estimates.std())
