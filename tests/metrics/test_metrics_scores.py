"""Tests for tfgan_zoo.metrics.scores."""

import numpy as np
import pytest

from tfgan_zoo.metrics import scores


def _reference_inception_score(probs, splits):
    """Loop-based reference of Salimans et al.'s split-wise definition."""
    values = []
    for part in np.array_split(probs, splits):
        marginal = part.mean(axis=0)
        kls = [
            sum(p * np.log(p / q) for p, q in zip(row, marginal) if p > 0) for row in part
        ]
        values.append(np.exp(np.mean(kls)))
    return np.mean(values), np.std(values)


def _one_hot(indices, num_classes):
    return np.eye(num_classes)[indices]


def test_uniform_one_hot_scores_num_classes():
    probs = _one_hot(np.arange(100) % 10, 10)
    mean, std = scores.inception_score(probs)
    assert mean == pytest.approx(10.0, rel=1e-12)
    assert std == 0.0


def test_single_class_scores_one():
    mean, _ = scores.inception_score(_one_hot(np.full(50, 3), 5))
    assert mean == pytest.approx(1.0, abs=1e-12)


def test_uniform_predictions_score_one():
    mean, _ = scores.inception_score(np.full((20, 4), 0.25))
    assert mean == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("splits", [1, 3, 10])
def test_matches_reference_on_random_probabilities(splits):
    rng = np.random.default_rng(0)
    logits = rng.normal(scale=3.0, size=(103, 7))
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    expected_mean, expected_std = _reference_inception_score(probs, splits)
    mean, std = scores.inception_score(probs, splits=splits)
    assert mean == pytest.approx(expected_mean, rel=1e-10)
    assert std == pytest.approx(expected_std, rel=1e-8, abs=1e-12)


def test_accepts_float32_softmax_round_off():
    probs = np.full((8, 3), 1.0 / 3.0, dtype=np.float32)
    mean, _ = scores.inception_score(probs)
    assert mean == pytest.approx(1.0, abs=1e-9)


def test_inception_score_rejects_bad_arguments():
    probs = _one_hot([0, 1, 2], 3)
    with pytest.raises(ValueError, match="splits=0"):
        scores.inception_score(probs, splits=0)
    with pytest.raises(ValueError, match="splits=4"):
        scores.inception_score(probs, splits=4)
    with pytest.raises(ValueError, match="logits"):
        scores.inception_score(np.array([[2.0, -1.0]]))
    with pytest.raises(ValueError, match="sum to 1"):
        scores.inception_score(np.array([[0.5, 0.7]]))
    with pytest.raises(ValueError, match="probs.shape=\\(3,\\)"):
        scores.inception_score(np.array([0.2, 0.3, 0.5]))


def test_class_statistics_counts_histogram_modes_and_confidence():
    # 50 samples: 30 confident class-0, 19 unconfident class-1, 1 class-2.
    probs = np.concatenate([
        np.tile([0.95, 0.05, 0.0], (30, 1)),
        np.tile([0.2, 0.7, 0.1], (19, 1)),
        np.tile([0.0, 0.0, 1.0], (1, 1)),
    ])
    stats = scores.class_statistics(probs)
    assert stats["class_histogram"] == pytest.approx([0.6, 0.38, 0.02])
    # Class 2 holds exactly 2%, which is not *more* than mode_share.
    assert stats["modes_covered"] == 2
    assert stats["confident_share"] == pytest.approx(31 / 50)
    assert isinstance(stats["class_histogram"], list)


def test_class_statistics_thresholds_are_configurable():
    probs = np.concatenate([np.tile([0.8, 0.2], (9, 1)), np.tile([0.3, 0.7], (1, 1))])
    stats = scores.class_statistics(probs, confident=0.75, mode_share=0.2)
    assert stats["modes_covered"] == 1
    assert stats["confident_share"] == pytest.approx(0.9)


def test_class_statistics_rejects_bad_thresholds():
    probs = _one_hot([0, 1], 2)
    with pytest.raises(ValueError, match="confident=1.0"):
        scores.class_statistics(probs, confident=1.0)
    with pytest.raises(ValueError, match="mode_share=-0.1"):
        scores.class_statistics(probs, mode_share=-0.1)


def test_label_accuracy():
    probs = _one_hot([0, 1, 2, 2], 3)
    assert scores.label_accuracy(probs, [0, 1, 2, 0]) == pytest.approx(0.75)


def test_label_accuracy_rejects_bad_labels():
    probs = _one_hot([0, 1, 2], 3)
    with pytest.raises(ValueError, match="labels.shape=\\(2,\\)"):
        scores.label_accuracy(probs, [0, 1])
    with pytest.raises(ValueError, match="max=3"):
        scores.label_accuracy(probs, [0, 1, 3])
    with pytest.raises(ValueError, match="labels.dtype=float64"):
        scores.label_accuracy(probs, [0.0, 1.0, 2.0])
