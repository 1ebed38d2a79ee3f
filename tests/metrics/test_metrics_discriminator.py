"""The discriminator-output histogram and its separation scores."""

import numpy as np
import pytest

from conftest import fake_images, fake_labels, tiny_gan
from tfgan_zoo.metrics import discriminator


def _brute_force_auc(positive, negative):
    wins = [(p > n) + 0.5 * (p == n) for p in positive for n in negative]
    return float(np.mean(wins))


def test_auc_matches_pairwise_count_with_ties():
    rng = np.random.default_rng(0)
    positive = rng.integers(0, 5, size=40).astype(float)
    negative = rng.integers(-1, 4, size=30).astype(float)
    assert discriminator.roc_auc(positive, negative) == pytest.approx(_brute_force_auc(positive, negative))


def test_histogram_of_separated_and_identical_scores():
    rng = np.random.default_rng(1)
    separated = discriminator.discriminator_histogram(rng.normal(3, 1, 500), rng.normal(-3, 1, 300), num_bins=10)
    assert separated["auc"] > 0.99 and separated["accuracy_at_zero"] > 0.98
    assert sum(separated["real_counts"]) == 500 and sum(separated["generated_counts"]) == 300
    assert len(separated["bin_edges"]) == 11
    scores = rng.normal(size=400)
    same = discriminator.discriminator_histogram(scores, scores)
    assert same["auc"] == pytest.approx(0.5) and same["real_counts"] == same["generated_counts"]


def test_discriminator_outputs_of_a_conditional_model():
    model = tiny_gan(num_classes=3)
    images, labels = fake_images(10), fake_labels(10)
    scores = discriminator.discriminator_outputs(model, images, labels, batch_size=4)
    expected = np.asarray(model.discriminate(images, labels, training=False)).ravel()
    assert scores.shape == (10,)
    np.testing.assert_allclose(scores, expected, rtol=1e-5, atol=1e-6)


def test_auc_rejects_empty_sets():
    with pytest.raises(ValueError, match="0 negative"):
        discriminator.roc_auc([1.0], [])
