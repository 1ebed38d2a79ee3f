"""Tests for tfgan_zoo.metrics.kid against a float64 loop reference."""

import numpy as np
import pytest

from tfgan_zoo.metrics import kid


def _reference_mmd2(x, y):
    """Unbiased MMD^2 with k(a, b) = (a.b / d + 1)^3, written pair by pair."""
    d = x.shape[1]
    kernel = lambda a, b: (float(np.dot(a, b)) / d + 1.0) ** 3  # noqa: E731
    n, m = len(x), len(y)
    xx = sum(kernel(x[i], x[j]) for i in range(n) for j in range(n) if i != j) / (n * (n - 1))
    yy = sum(kernel(y[i], y[j]) for i in range(m) for j in range(m) if i != j) / (m * (m - 1))
    xy = sum(kernel(x[i], y[j]) for i in range(n) for j in range(m)) / (n * m)
    return xx + yy - 2.0 * xy


def test_mmd2_matches_loop_reference():
    rng = np.random.default_rng(0)
    real = rng.normal(size=(40, 6))
    generated = rng.normal(loc=0.4, scale=1.3, size=(35, 6))
    assert kid.mmd2_unbiased(real, generated) == pytest.approx(_reference_mmd2(real, generated), rel=1e-6)


def test_polynomial_kernel_is_cubic_of_scaled_dot_product():
    x = np.array([[1.0, 2.0], [0.0, -1.0]])
    y = np.array([[3.0, 1.0]])
    np.testing.assert_allclose(kid.polynomial_kernel(x, y), [[(5 / 2 + 1) ** 3], [(-1 / 2 + 1) ** 3]])


def test_kid_with_full_subsets_equals_the_reference_and_has_no_spread():
    rng = np.random.default_rng(1)
    real = rng.normal(size=(30, 5))
    generated = rng.normal(loc=0.5, size=(30, 5))
    # Subsets as large as the sets are permutations, and MMD ignores order.
    mean, std = kid.kernel_distance_from_activations(real, generated, num_subsets=4, subset_size=1000)
    assert mean == pytest.approx(_reference_mmd2(real, generated), rel=1e-6)
    assert std == pytest.approx(0.0, abs=1e-9)


def test_kid_averages_subsets_and_orders_distributions():
    rng = np.random.default_rng(2)
    real = rng.normal(size=(600, 8))
    same = rng.normal(size=(600, 8))
    shifted = rng.normal(loc=0.5, size=(600, 8))
    same_mean, same_std = kid.kernel_distance_from_activations(real, same, num_subsets=20, subset_size=200)
    shifted_mean, _ = kid.kernel_distance_from_activations(real, shifted, num_subsets=20, subset_size=200)
    assert same_std > 0.0
    # Unbiased: the estimate of a zero MMD scatters around 0.
    assert abs(same_mean) < 3 * same_std
    assert shifted_mean > 10 * abs(same_mean)


def test_kid_is_seeded():
    rng = np.random.default_rng(3)
    real, generated = rng.normal(size=(100, 4)), rng.normal(size=(100, 4))
    first = kid.kernel_distance_from_activations(real, generated, num_subsets=5, subset_size=50, seed=7)
    again = kid.kernel_distance_from_activations(real, generated, num_subsets=5, subset_size=50, seed=7)
    other = kid.kernel_distance_from_activations(real, generated, num_subsets=5, subset_size=50, seed=8)
    assert first == again and first != other


@pytest.mark.parametrize(
    "real, generated, match",
    [
        (np.zeros((5, 3)), np.zeros((5, 4)), "generated.shape=\\(5, 4\\)"),
        (np.zeros((1, 3)), np.zeros((5, 3)), "real.shape=\\(1, 3\\)"),
        (np.zeros(5), np.zeros((5, 3)), "real.shape=\\(5,\\)"),
    ],
)
def test_kid_rejects_bad_shapes(real, generated, match):
    with pytest.raises(ValueError, match=match):
        kid.kernel_distance_from_activations(real, generated)


def test_kid_rejects_bad_subset_arguments():
    features = np.zeros((5, 3))
    with pytest.raises(ValueError, match="subset_size=1"):
        kid.kernel_distance_from_activations(features, features, subset_size=1)
    with pytest.raises(ValueError, match="num_subsets=0"):
        kid.kernel_distance_from_activations(features, features, num_subsets=0)
