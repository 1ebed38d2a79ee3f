"""Tests for tfgan_zoo.metrics.mixtures on hand-built sample sets."""

import numpy as np
import pytest

from tfgan_zoo.metrics import mixtures

RING_SIGMA = 0.01
GRID_SIGMA = 0.05


def _ring_centers(num_modes=8, radius=1.0):
    angles = 2.0 * np.pi * np.arange(num_modes) / num_modes
    return radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def _grid_centers():
    values = np.array([-4.0, -2.0, 0.0, 2.0, 4.0])
    return np.stack(np.meshgrid(values, values), axis=-1).reshape(-1, 2)


def test_samples_on_three_of_eight_modes():
    centers = _ring_centers()
    samples = np.repeat(centers[[0, 3, 5]], 10, axis=0)
    result = mixtures.mixture_metrics(samples, centers, RING_SIGMA)
    assert result["high_quality_share"] == 1.0
    assert result["modes_covered"] == 3
    assert result["reverse_kl"] == pytest.approx(np.log(8.0 / 3.0), rel=1e-12)
    assert result["mode_histogram"] == [10, 0, 0, 10, 0, 10, 0, 0]


def test_all_modes_equally_covered_has_zero_reverse_kl():
    centers = _grid_centers()
    rng = np.random.default_rng(0)
    # Offsets of at most 2 sigma keep every sample high quality.
    offsets = rng.uniform(-1.4, 1.4, size=(25 * 4, 2)) * GRID_SIGMA
    samples = np.repeat(centers, 4, axis=0) + offsets
    result = mixtures.mixture_metrics(samples, centers, GRID_SIGMA)
    assert result["modes_covered"] == 25
    assert result["high_quality_share"] == 1.0
    assert result["reverse_kl"] == pytest.approx(0.0, abs=1e-12)


def test_far_samples_are_not_high_quality():
    centers = _ring_centers()
    samples = np.zeros((20, 2))  # the ring's centre is 1 away from every mode
    result = mixtures.mixture_metrics(samples, centers, RING_SIGMA)
    assert result["high_quality_share"] == 0.0
    assert result["modes_covered"] == 0
    assert result["reverse_kl"] == float("inf")
    assert result["mode_histogram"] == [0] * 8


def test_quality_threshold_and_unequal_counts():
    centers = _ring_centers()
    direction = centers[1] / np.linalg.norm(centers[1])
    samples = np.concatenate([
        np.repeat(centers[[0]], 3, axis=0),
        centers[[1]] + 2.9 * RING_SIGMA * direction,  # inside 3 sigma
        centers[[2]] + 3.5 * RING_SIGMA * direction,  # outside 3 sigma
    ])
    result = mixtures.mixture_metrics(samples, centers, RING_SIGMA)
    assert result["high_quality_share"] == pytest.approx(4 / 5)
    assert result["modes_covered"] == 2
    p = np.array([0.75, 0.25])
    assert result["reverse_kl"] == pytest.approx(np.sum(p * np.log(p * 8)), rel=1e-12)
    # A looser threshold admits the fifth sample.
    loose = mixtures.mixture_metrics(samples, centers, RING_SIGMA, quality_sigmas=4.0)
    assert loose["high_quality_share"] == 1.0
    assert loose["modes_covered"] == 3


def test_rejects_bad_arguments():
    centers = _ring_centers()
    with pytest.raises(ValueError, match="sigma=0"):
        mixtures.mixture_metrics(np.zeros((3, 2)), centers, 0)
    with pytest.raises(ValueError, match="quality_sigmas=-1.0"):
        mixtures.mixture_metrics(np.zeros((3, 2)), centers, 0.1, quality_sigmas=-1.0)
    with pytest.raises(ValueError, match="centers.shape=\\(8, 3\\)"):
        mixtures.mixture_metrics(np.zeros((3, 2)), np.zeros((8, 3)), 0.1)
    with pytest.raises(ValueError, match="samples.shape=\\(3,\\)"):
        mixtures.mixture_metrics(np.zeros(3), centers, 0.1)
