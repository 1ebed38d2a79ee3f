"""Tests for PRD (Sajjadi et al. 2018) and the k-means behind it."""

import numpy as np
import pytest

from tfgan_zoo.metrics import kmeans, prd

_MIDDLE = 500  # index of the angle pi/4 (lambda = 1) among 1001 angles


def _blobs(rng, centers, per_center, scale=0.1):
    return np.concatenate([rng.normal(loc=center, scale=scale, size=(per_center, len(center))) for center in centers])


def test_identical_histograms_give_the_analytic_curve():
    dist = np.array([0.2, 0.3, 0.5])
    precision, recall = prd.prd_from_histograms(dist, dist)
    slopes = np.tan(np.linspace(1e-10, np.pi / 2 - 1e-10, 1001))
    # For P = Q: precision = min(lambda, 1) and recall = min(1, 1 / lambda).
    np.testing.assert_allclose(precision, np.minimum(slopes, 1.0), atol=1e-9)
    np.testing.assert_allclose(recall, np.minimum(1.0, 1.0 / slopes), atol=1e-9)
    assert precision[_MIDDLE] == pytest.approx(1.0) and recall[_MIDDLE] == pytest.approx(1.0)


def test_half_overlapping_histograms():
    generated, real = np.array([0.5, 0.0, 0.5]), np.array([0.5, 0.5, 0.0])
    precision, recall = prd.prd_from_histograms(generated, real)
    # Only the first bin is shared: precision(lambda) = min(lambda / 2, 1 / 2).
    assert precision[_MIDDLE] == pytest.approx(0.5) and recall[_MIDDLE] == pytest.approx(0.5)
    assert precision.max() == pytest.approx(0.5) and recall.max() == pytest.approx(0.5)


def test_disjoint_histograms_give_zero():
    precision, recall = prd.prd_from_histograms([1.0, 0.0], [0.0, 1.0])
    assert precision.max() == 0.0 and recall.max() == 0.0


def test_histograms_reject_bad_arguments():
    with pytest.raises(ValueError, match="num_angles=2"):
        prd.prd_from_histograms([1.0], [1.0], num_angles=2)
    with pytest.raises(ValueError, match="epsilon=0.5"):
        prd.prd_from_histograms([1.0], [1.0], epsilon=0.5)
    with pytest.raises(ValueError, match="real_dist.shape=\\(3,\\)"):
        prd.prd_from_histograms([0.5, 0.5], [0.2, 0.3, 0.5])


def test_kmeans_recovers_well_separated_blobs():
    rng = np.random.default_rng(0)
    centers = [(0.0, 0.0, 0.0), (5.0, 0.0, 0.0), (0.0, 5.0, 5.0)]
    points = _blobs(rng, centers, 50)
    labels, found = kmeans.kmeans(points, 3, seed=1)
    truth = np.repeat(np.arange(3), 50)
    # Each true blob maps to exactly one cluster and vice versa.
    pairs = {(int(t), int(label)) for t, label in zip(truth, labels)}
    assert len(pairs) == 3 and len({label for _, label in pairs}) == 3
    assert np.sort(found[:, 0]).round().tolist() == [0.0, 0.0, 5.0]


def test_kmeans_rejects_more_clusters_than_points():
    with pytest.raises(ValueError, match="num_clusters=5"):
        kmeans.kmeans(np.zeros((3, 2)), 5)


def test_prd_of_identical_sets_reaches_one():
    rng = np.random.default_rng(1)
    features = rng.normal(size=(400, 8))
    summary = prd.prd_summary(features, features.copy(), num_runs=3)
    assert summary["f_8"] > 0.99 and summary["f_1_8"] > 0.99
    assert summary["precision"][_MIDDLE] == pytest.approx(1.0) and summary["recall"][_MIDDLE] == pytest.approx(1.0)


def test_prd_of_disjoint_sets_is_near_zero():
    rng = np.random.default_rng(2)
    real = rng.normal(size=(300, 8))
    generated = rng.normal(loc=50.0, size=(300, 8))
    summary = prd.prd_summary(real, generated, num_runs=3)
    assert summary["max_precision"] < 0.05 and summary["max_recall"] < 0.05
    assert summary["f_8"] < 0.05 and summary["f_1_8"] < 0.05


def test_prd_separates_dropped_modes_from_bad_samples():
    rng = np.random.default_rng(3)
    centers = [(0.0, 0.0), (10.0, 0.0), (0.0, 10.0), (10.0, 10.0)]
    real = _blobs(rng, centers, 100)
    # Two of four modes, each twice as often: realistic samples, half the modes.
    dropped = _blobs(rng, centers[:2], 200)
    summary = prd.prd_summary(real, dropped, num_clusters=8, num_runs=5)
    # F_1/8 (precision) stays high, F_8 (recall) falls to about the covered half.
    assert summary["f_1_8"] > 0.9
    assert 0.4 < summary["f_8"] < 0.6


def test_prd_enforces_balance_unless_asked_not_to():
    rng = np.random.default_rng(4)
    real, generated = rng.normal(size=(50, 3)), rng.normal(size=(40, 3))
    with pytest.raises(ValueError, match="len\\(real\\)=50, len\\(generated\\)=40"):
        prd.prd_from_activations(real, generated)
    precision, recall = prd.prd_from_activations(real, generated, enforce_balance=False, num_clusters=5, num_runs=2)
    assert precision.shape == recall.shape == (1001,)


def test_f_beta_pair_weights_recall_and_precision():
    precision, recall = np.array([1.0]), np.array([0.5])
    f_8, f_1_8 = prd.max_f_beta_pair(precision, recall)
    assert f_8 == pytest.approx(65 * 0.5 / (64 + 0.5), rel=1e-6)
    assert f_1_8 == pytest.approx((1 + 1 / 64) * 0.5 / (1 / 64 + 0.5), rel=1e-6)
    assert f_8 < f_1_8
