"""Tests for tfgan_zoo.metrics.frechet against a scipy float64 reference."""

import numpy as np
import pytest
import scipy.linalg

from tfgan_zoo.metrics import frechet


def _reference_distance(real, generated):
    """Textbook FID with scipy's general matrix square root."""
    mu1, mu2 = real.mean(axis=0), generated.mean(axis=0)
    sigma1 = np.cov(real, rowvar=False)
    sigma2 = np.cov(generated, rowvar=False)
    covmean = scipy.linalg.sqrtm(sigma1 @ sigma2).real
    diff = mu1 - mu2
    return diff @ diff + np.trace(sigma1) + np.trace(sigma2) - 2.0 * np.trace(covmean)


def _correlated(rng, num_samples, dim, scale=1.0):
    mixing = rng.normal(size=(dim, dim)) * scale
    return rng.normal(size=(num_samples, dim)) @ mixing + rng.normal(size=dim)


def test_gaussian_statistics_matches_numpy():
    rng = np.random.default_rng(0)
    activations = rng.normal(size=(50, 4)).astype(np.float32)
    mu, sigma = frechet.gaussian_statistics(activations)
    assert mu.dtype == np.float64 and sigma.dtype == np.float64
    np.testing.assert_allclose(mu, activations.astype(np.float64).mean(axis=0))
    np.testing.assert_allclose(sigma, np.cov(activations.astype(np.float64), rowvar=False, ddof=1))


def test_gaussian_statistics_single_feature_gives_matrix():
    mu, sigma = frechet.gaussian_statistics([[1.0], [3.0]])
    assert mu.shape == (1,) and sigma.shape == (1, 1)
    assert sigma[0, 0] == pytest.approx(2.0)


@pytest.mark.parametrize(
    "activations, match",
    [
        (np.zeros((1, 3)), "activations.shape=\\(1, 3\\)"),
        (np.zeros(5), "activations.shape=\\(5,\\)"),
        (np.zeros((4, 2, 2)), "activations.shape=\\(4, 2, 2\\)"),
    ],
)
def test_gaussian_statistics_rejects_bad_shapes(activations, match):
    with pytest.raises(ValueError, match=match):
        frechet.gaussian_statistics(activations)


def test_matches_scipy_on_independent_features():
    rng = np.random.default_rng(1)
    real = rng.normal(size=(500, 64))
    generated = rng.normal(loc=0.3, scale=1.2, size=(500, 64))
    expected = _reference_distance(real, generated)
    actual = frechet.frechet_distance_from_activations(real, generated)
    assert actual == pytest.approx(expected, rel=1e-6)


def test_matches_scipy_on_correlated_features():
    rng = np.random.default_rng(2)
    real = _correlated(rng, 500, 64)
    generated = _correlated(rng, 400, 64, scale=0.5)
    expected = _reference_distance(real, generated)
    actual = frechet.frechet_distance_from_activations(real, generated)
    assert actual == pytest.approx(expected, rel=1e-6)


def test_matches_scipy_on_rank_deficient_covariance():
    # Fewer samples than features (as with small FID evaluations) makes both
    # covariances singular, where tiny negative eigenvalues appear.
    rng = np.random.default_rng(3)
    real = _correlated(rng, 40, 64)
    generated = _correlated(rng, 50, 64)
    expected = _reference_distance(real, generated)
    actual = frechet.frechet_distance_from_activations(real, generated)
    assert actual == pytest.approx(expected, rel=1e-6)


def test_identical_inputs_give_zero():
    rng = np.random.default_rng(4)
    real = _correlated(rng, 500, 64)
    scale = np.trace(np.cov(real, rowvar=False))
    distance = frechet.frechet_distance_from_activations(real, real.copy())
    assert abs(distance) < 1e-6 * scale


def test_mean_shift_of_same_samples_gives_squared_norm():
    rng = np.random.default_rng(5)
    real = _correlated(rng, 300, 16)
    shift = rng.normal(size=16)
    distance = frechet.frechet_distance_from_activations(real, real + shift)
    assert distance == pytest.approx(shift @ shift, rel=1e-9)


def test_mean_shift_adds_squared_norm_for_different_covariances():
    rng = np.random.default_rng(6)
    mu, sigma1 = frechet.gaussian_statistics(_correlated(rng, 300, 16))
    _, sigma2 = frechet.gaussian_statistics(_correlated(rng, 300, 16, scale=0.3))
    shift = rng.normal(size=16)
    base = frechet.frechet_distance(mu, sigma1, mu, sigma2)
    shifted = frechet.frechet_distance(mu, sigma1, mu + shift, sigma2)
    assert shifted - base == pytest.approx(shift @ shift, rel=1e-9)


def test_known_value_for_diagonal_gaussians():
    # For commuting covariances the distance has a closed form:
    # |mu1 - mu2|^2 + sum (sqrt(a_i) - sqrt(b_i))^2.
    a = np.array([1.0, 4.0, 9.0])
    b = np.array([4.0, 1.0, 9.0])
    mu1, mu2 = np.zeros(3), np.array([1.0, 2.0, 0.0])
    expected = 5.0 + np.sum((np.sqrt(a) - np.sqrt(b)) ** 2)
    actual = frechet.frechet_distance(mu1, np.diag(a), mu2, np.diag(b))
    assert actual == pytest.approx(expected, rel=1e-12)
    assert isinstance(actual, float)


def test_frechet_distance_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="mu2.shape=\\(4,\\)"):
        frechet.frechet_distance(np.zeros(3), np.eye(3), np.zeros(4), np.eye(3))
    with pytest.raises(ValueError, match="sigma2.shape=\\(4, 4\\)"):
        frechet.frechet_distance(np.zeros(3), np.eye(3), np.zeros(3), np.eye(4))


def test_from_activations_rejects_feature_mismatch():
    with pytest.raises(ValueError, match="generated.shape=\\(5, 4\\)"):
        frechet.frechet_distance_from_activations(np.zeros((5, 3)), np.zeros((5, 4)))
    with pytest.raises(ValueError, match="generated.shape=\\(1, 3\\)"):
        frechet.frechet_distance_from_activations(np.zeros((5, 3)), np.zeros((1, 3)))
