"""Improved precision/recall and density/coverage against a brute-force reference."""

import numpy as np
import pytest
import scipy.spatial

from tfgan_zoo.metrics import manifold, neighbours


def _reference(real, generated, k):
    """The papers' definitions on full scipy distance matrices."""
    real_real = scipy.spatial.distance.cdist(real, real)
    generated_generated = scipy.spatial.distance.cdist(generated, generated)
    real_generated = scipy.spatial.distance.cdist(real, generated)
    real_radii = np.sort(real_real, axis=1)[:, k]  # column 0 is the point itself
    generated_radii = np.sort(generated_generated, axis=1)[:, k]
    inside_real = real_generated <= real_radii[:, None]  # [real, generated]
    return {
        "precision": np.mean(inside_real.any(axis=0)),
        "recall": np.mean((real_generated <= generated_radii[None, :]).any(axis=1)),
        "density": inside_real.sum() / (k * len(generated)),
        "coverage": np.mean(inside_real.any(axis=1)),
    }


def test_matches_brute_force_on_overlapping_sets(monkeypatch):
    # Small chunks exercise the accumulation across chunks.
    monkeypatch.setattr(neighbours, "CHUNK_ROWS", 37)
    rng = np.random.default_rng(0)
    real = rng.normal(size=(150, 5))
    generated = rng.normal(loc=0.4, scale=1.3, size=(120, 5))
    expected = _reference(real, generated, k=3)
    actual = manifold.manifold_metrics(real, generated, k=3)
    for key, value in expected.items():
        assert actual[key] == pytest.approx(value, abs=1e-12), key
    assert 0.0 < actual["precision"] < 1.0 and 0.0 < actual["coverage"] < 1.0


def test_identical_sets_are_fully_precise_recalled_and_covered():
    features = np.random.default_rng(1).normal(size=(200, 6))
    precision, recall = manifold.improved_precision_recall(features, features.copy())
    density, coverage = manifold.density_coverage(features, features.copy())
    assert precision == 1.0 and recall == 1.0 and coverage == 1.0
    assert density >= 1.0


def test_disjoint_sets_score_zero():
    rng = np.random.default_rng(2)
    real, generated = rng.normal(size=(100, 4)), rng.normal(loc=100.0, size=(100, 4))
    assert manifold.manifold_metrics(real, generated) == {
        "precision": 0.0, "recall": 0.0, "density": 0.0, "coverage": 0.0,
    }


def test_mode_dropping_keeps_precision_and_loses_recall():
    rng = np.random.default_rng(3)
    real = np.concatenate([rng.normal(size=(100, 3)), rng.normal(loc=20.0, size=(100, 3))])
    generated = rng.normal(size=(200, 3))
    results = manifold.manifold_metrics(real, generated)
    assert results["precision"] > 0.9
    assert results["recall"] < 0.6 and results["coverage"] < 0.6


def test_rejects_too_few_points_for_k():
    with pytest.raises(ValueError, match="k=3"):
        manifold.manifold_metrics(np.zeros((3, 2)), np.zeros((10, 2)))
