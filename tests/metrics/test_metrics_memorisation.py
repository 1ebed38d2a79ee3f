"""Nearest-neighbour distances of samples to training images."""

import numpy as np
import pytest
import scipy.spatial

from tfgan_zoo.metrics import memorisation


def _images(count, seed):
    return np.random.default_rng(seed).uniform(-1, 1, size=(count, 6, 6, 1))


def test_copies_of_training_images_are_exposed():
    training = _images(200, seed=0)
    copies = training[[5, 17, 99]] + 1e-3
    report = memorisation.nearest_neighbour_report(copies, training, _images(100, seed=1))
    assert report["min"] == pytest.approx(1e-3 * 6, rel=1e-3)  # sqrt(36 * 1e-6)
    assert report["share_closer_than_real"] == 1.0
    assert report["closest_index"] in (5, 17, 99)


def test_fresh_samples_sit_at_the_real_scale():
    training = _images(300, seed=2)
    report = memorisation.nearest_neighbour_report(_images(300, seed=3), training, _images(300, seed=4))
    assert 0.3 < report["share_closer_than_real"] < 0.7
    assert report["mean"] == pytest.approx(report["real_to_real_median"], rel=0.1)


def test_distances_match_scipy():
    training, samples = _images(50, seed=5), _images(20, seed=6)
    flat = lambda images: images.reshape(len(images), -1)  # noqa: E731
    expected = scipy.spatial.distance.cdist(flat(samples), flat(training)).min(axis=1)
    report = memorisation.nearest_neighbour_report(samples, training, samples)
    assert report["mean"] == pytest.approx(expected.mean(), rel=1e-9)
    assert report["min"] == pytest.approx(expected.min(), rel=1e-9)
    # Leave-one-out: each training image against the others.
    leave_one_out = scipy.spatial.distance.cdist(flat(training), flat(training))
    np.fill_diagonal(leave_one_out, np.inf)
    np.testing.assert_allclose(
        np.sort(memorisation.real_to_real_distances(training)), np.sort(leave_one_out.min(axis=1)), rtol=1e-9
    )


def test_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="samples.shape=\\(2, 16\\)"):
        memorisation.nearest_neighbour_report(np.zeros((2, 4, 4, 1)), np.zeros((5, 3, 3, 1)))
