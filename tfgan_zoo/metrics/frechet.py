"""Frechet distance between Gaussian fits of feature activations.

This is the math core of FID: it works on plain arrays of activations and
knows nothing about images or feature networks. Everything is computed in
float64 because the trace of a matrix square root of nearly singular
covariances loses digits quickly in float32.
"""

import numpy as np


def _as_float64_matrix(name, value):
    """Converts `value` to a float64 2-D array or raises naming `name`."""
    array = np.asarray(value, dtype=np.float64)
    if array.ndim != 2:
        raise ValueError(
            f"`{name}` must be a 2-D array of shape [num_samples, num_features]. "
            f"Received: {name}.shape={array.shape}"
        )
    return array


def _gaussian_fit(name, activations):
    """Mean and ddof=1 covariance of `activations`; errors name `name`."""
    activations = _as_float64_matrix(name, activations)
    if activations.shape[0] < 2:
        raise ValueError(
            f"`{name}` needs at least 2 samples to estimate a covariance. "
            f"Received: {name}.shape={activations.shape}"
        )
    mu = activations.mean(axis=0)
    # rowvar=False: rows are samples. np.cov defaults to ddof=1. atleast_2d
    # keeps a single feature as a 1x1 matrix instead of a scalar.
    sigma = np.atleast_2d(np.cov(activations, rowvar=False))
    return mu, sigma


def gaussian_statistics(activations):
    """Fits a Gaussian to a batch of activations.

    Args:
        activations: Array-like of shape `[num_samples, num_features]`, with
            `num_samples >= 2`.

    Returns:
        A tuple `(mu, sigma)`: the float64 mean of shape `[num_features]` and
        the unbiased (ddof=1) float64 covariance of shape
        `[num_features, num_features]`.

    Raises:
        ValueError: If `activations` is not 2-D or has fewer than 2 rows.
    """
    return _gaussian_fit("activations", activations)


def _symmetric_sqrt(matrix):
    """Square root of a symmetric positive semi-definite matrix.

    Round-off can make a PSD covariance have tiny negative eigenvalues; they
    are clipped to zero so the root stays real.
    """
    eigenvalues, eigenvectors = np.linalg.eigh(matrix)
    roots = np.sqrt(np.clip(eigenvalues, 0.0, None))
    return (eigenvectors * roots) @ eigenvectors.T


def _trace_sqrt_product(sigma1, sigma2):
    """Computes tr(sqrt(sigma1 @ sigma2)) without a general matrix sqrt.

    sigma1 @ sigma2 is not symmetric, but it is similar to
    M = sqrt(sigma1) @ sigma2 @ sqrt(sigma1), which is symmetric PSD, so both
    have the same eigenvalues. Taking eigenvalues of M with `eigvalsh` is
    stable and avoids the complex round-off of a general `sqrtm`.
    """
    sqrt_sigma1 = _symmetric_sqrt(sigma1)
    m = sqrt_sigma1 @ sigma2 @ sqrt_sigma1
    # Symmetrize to remove round-off asymmetry before the symmetric solver.
    m = 0.5 * (m + m.T)
    eigenvalues = np.linalg.eigvalsh(m)
    return float(np.sum(np.sqrt(np.clip(eigenvalues, 0.0, None))))


def frechet_distance(mu1, sigma1, mu2, sigma2):
    """Frechet distance between two Gaussians.

    d^2 = ||mu1 - mu2||^2 + tr(sigma1) + tr(sigma2) - 2 tr(sqrt(sigma1 sigma2)).

    Args:
        mu1: Mean of the first Gaussian, shape `[num_features]`.
        sigma1: Covariance of the first Gaussian, shape
            `[num_features, num_features]`.
        mu2: Mean of the second Gaussian, same shape as `mu1`.
        sigma2: Covariance of the second Gaussian, same shape as `sigma1`.

    Returns:
        The squared Frechet distance as a Python float.

    Raises:
        ValueError: If the shapes are not consistent.
    """
    mu1 = np.atleast_1d(np.asarray(mu1, dtype=np.float64))
    mu2 = np.atleast_1d(np.asarray(mu2, dtype=np.float64))
    sigma1 = np.atleast_2d(np.asarray(sigma1, dtype=np.float64))
    sigma2 = np.atleast_2d(np.asarray(sigma2, dtype=np.float64))
    if mu1.ndim != 1 or mu1.shape != mu2.shape:
        raise ValueError(
            "`mu1` and `mu2` must be vectors of the same length. "
            f"Received: mu1.shape={mu1.shape}, mu2.shape={mu2.shape}"
        )
    expected = (mu1.shape[0], mu1.shape[0])
    if sigma1.shape != expected or sigma2.shape != expected:
        raise ValueError(
            f"`sigma1` and `sigma2` must have shape {expected} to match the "
            f"means. Received: sigma1.shape={sigma1.shape}, "
            f"sigma2.shape={sigma2.shape}"
        )
    diff = mu1 - mu2
    trace_term = _trace_sqrt_product(sigma1, sigma2)
    distance = diff @ diff + np.trace(sigma1) + np.trace(sigma2) - 2.0 * trace_term
    return float(distance)


def frechet_distance_from_activations(real, generated):
    """Frechet distance between Gaussian fits of two sets of activations.

    Args:
        real: Activations of real samples, shape `[num_real, num_features]`.
        generated: Activations of generated samples, shape
            `[num_generated, num_features]`.

    Returns:
        The squared Frechet distance as a Python float.

    Raises:
        ValueError: If either input is not 2-D, has fewer than 2 rows, or the
            feature dimensions differ.
    """
    real = _as_float64_matrix("real", real)
    generated = _as_float64_matrix("generated", generated)
    if real.shape[1] != generated.shape[1]:
        raise ValueError(
            "`real` and `generated` must have the same number of features. "
            f"Received: real.shape={real.shape}, generated.shape={generated.shape}"
        )
    mu1, sigma1 = _gaussian_fit("real", real)
    mu2, sigma2 = _gaussian_fit("generated", generated)
    return frechet_distance(mu1, sigma1, mu2, sigma2)
