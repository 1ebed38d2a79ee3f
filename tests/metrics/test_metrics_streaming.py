"""Streaming metrics equal their one-shot versions, fed in uneven batches."""

import numpy as np
import pytest

from tfgan_zoo.metrics import features, frechet, kid, scores, streaming

# Uneven batch boundaries, including a single row and an empty batch.
_CUTS = (0, 1, 1, 17, 100, 233, 300)


def _batches(array):
    return [array[start:stop] for start, stop in zip(_CUTS[:-1], _CUTS[1:])]


def _data(seed=0):
    rng = np.random.default_rng(seed)
    mixing = rng.normal(size=(12, 12))
    real = rng.normal(size=(300, 12)) @ mixing + 3.0
    generated = rng.normal(loc=0.2, scale=1.1, size=(300, 12)) @ mixing + 3.0
    return real, generated


def test_streaming_fid_equals_one_shot():
    real, generated = _data()
    metric = streaming.StreamingFrechetDistance(12)
    for real_batch in _batches(real):
        metric.update_state(real_features=real_batch)
    for generated_batch in _batches(generated)[::-1]:
        metric.update_state(generated_features=generated_batch)
    expected = frechet.frechet_distance_from_activations(real, generated)
    assert metric.result() == pytest.approx(expected, rel=1e-6)


def test_streaming_fid_resets_and_accepts_both_sides_per_call():
    real, generated = _data(1)
    metric = streaming.StreamingFrechetDistance(12)
    metric.update_state(real_features=generated, generated_features=real)
    metric.reset_state()
    for real_batch, generated_batch in zip(_batches(real), _batches(generated)):
        metric.update_state(real_batch, generated_batch)
    expected = frechet.frechet_distance_from_activations(real, generated)
    assert metric.result() == pytest.approx(expected, rel=1e-6)


def test_streaming_fid_runs_an_injected_feature_network():
    rng = np.random.default_rng(2)
    real_images = rng.uniform(-1, 1, size=(60, 4, 4, 1))
    generated_images = rng.uniform(-0.5, 1, size=(50, 4, 4, 1))
    network = features.FeatureNetwork(lambda batch: batch.reshape(len(batch), -1)[:, :6] ** 2, batch_size=7)
    metric = streaming.StreamingFrechetDistance(6, feature_network=network)
    metric.update_state(real_features=real_images[:25], generated_features=generated_images[:10])
    metric.update_state(real_features=real_images[25:], generated_features=generated_images[10:])
    expected = features.frechet_classifier_distance(real_images, generated_images, network)
    assert metric.result() == pytest.approx(expected, rel=1e-6)


def test_streaming_fid_errors_name_the_problem():
    metric = streaming.StreamingFrechetDistance(3)
    with pytest.raises(ValueError, match="real_features.shape=\\(2, 4\\)"):
        metric.update_state(real_features=np.zeros((2, 4)))
    metric.update_state(real_features=np.ones((1, 3)), generated_features=np.ones((5, 3)))
    with pytest.raises(ValueError, match="at least 2 real samples"):
        metric.result()


def test_streaming_kid_equals_one_shot():
    real, generated = _data(3)
    metric = streaming.StreamingKernelDistance(12, max_samples=300, num_subsets=10, subset_size=100, seed=4)
    # Subsets are drawn by row index, so the streamed order must be the array's.
    for real_batch, generated_batch in zip(_batches(real), _batches(generated)):
        metric.update_state(real_batch, generated_batch)
    expected = kid.kernel_distance_from_activations(real, generated, num_subsets=10, subset_size=100, seed=4)
    np.testing.assert_allclose(metric.result(), expected, rtol=1e-6)


def test_streaming_kid_refuses_more_than_its_capacity():
    metric = streaming.StreamingKernelDistance(2, max_samples=4)
    metric.update_state(real_features=np.zeros((3, 2)))
    with pytest.raises(ValueError, match="max_samples=4.*Received: 5"):
        metric.update_state(real_features=np.zeros((2, 2)))


def test_streaming_inception_score_equals_one_shot():
    rng = np.random.default_rng(5)
    logits = rng.normal(scale=3.0, size=(300, 7))
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    probs[:5] = np.eye(7)[:5]  # exact zeros exercise 0 log 0 = 0
    metric = streaming.StreamingInceptionScore(7)
    for batch in _batches(probs):
        metric.update_state(batch)
    expected, _ = scores.inception_score(probs, splits=1)
    assert metric.result() == pytest.approx(expected, rel=1e-6)


def test_streaming_inception_score_checks_its_input():
    metric = streaming.StreamingInceptionScore(3)
    with pytest.raises(ValueError, match="probs.shape=\\(2, 4\\)"):
        metric.update_state(np.full((2, 4), 0.25))
    with pytest.raises(ValueError, match="did you pass logits"):
        metric.update_state(np.array([[-1.0, 1.0, 1.0]]))
    with pytest.raises(ValueError, match="features only"):
        streaming.StreamingInceptionScore(3, feature_network=lambda batch: batch)
