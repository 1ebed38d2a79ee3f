"""The augmentation mode of synthesis: per-class variations of real images by an image-conditioned model."""

import keras
import numpy as np
import pytest

from conftest import constant_classifier, fake_images, tiny_gan
from tfgan_zoo import synthesis
from tfgan_zoo.models import DAGAN
from tfgan_zoo.networks import dagan as dagan_networks
from tfgan_zoo.utils import images as image_utils

SHAPE = (8, 8, 1)


def _dagan():
    generator = dagan_networks.image_conditioned_generator(SHAPE, 4, code_dim=4, base_filters=4)
    discriminator = dagan_networks.pair_discriminator(SHAPE, base_filters=4)
    model = DAGAN(generator, discriminator)
    model.compile(generator_optimizer=keras.optimizers.Adam(1e-3), discriminator_optimizer=keras.optimizers.Adam(1e-3))
    return model


def _sources():
    """Seven images: three of class 0, one of class 1, three of class 3 (no class 2)."""
    return fake_images(7, SHAPE, seed=4), np.array([0, 3, 0, 1, 3, 0, 3], np.int32)


def test_per_class_counts_dtypes_and_labels_of_their_sources():
    model, (x, y) = _dagan(), _sources()
    result = synthesis.augment(model, x, y, 5, seed=2)
    assert result.x.shape == (15, *SHAPE) and result.x.dtype == np.uint8
    assert result.y.dtype == np.int32 and result.source.dtype == np.int32
    assert result.y.tolist() == [0] * 5 + [1] * 5 + [3] * 5, "every class present in the sources, grouped"
    np.testing.assert_array_equal(result.y, y[result.source])
    assert result.rounds == 1 and result.drawn == {0: 5, 1: 5, 3: 5}
    # Each class goes through its own images round-robin: 5 variations of 3 images are 2 + 2 + 1.
    assert sorted(np.bincount(result.source[:5], minlength=7)[[0, 2, 5]]) == [1, 2, 2]
    assert set(result.source[5:10]) == {3}
    # Round 0 is what `generate` makes of those sources with that seed, as stored.
    np.testing.assert_array_equal(result.x, image_utils.to_uint8(model.generate(sources=x[result.source], seed=2)))


def test_variations_of_one_image_differ_between_latents_and_repeat_for_the_same_seed():
    model, (x, y) = _dagan(), _sources()
    first = synthesis.augment(model, x, y, {1: 4}, seed=7)
    assert first.source.tolist() == [3, 3, 3, 3], "class 1 has one image: every variation varies it"
    variations = first.x.astype(np.int32)
    assert all(np.abs(variations[i] - variations[j]).max() > 0 for i in range(4) for j in range(i + 1, 4))
    again = synthesis.augment(model, x, y, {1: 4}, seed=7)
    np.testing.assert_array_equal(again.x, first.x)
    other = synthesis.augment(model, x, y, {1: 4}, seed=8)
    assert np.abs(other.x.astype(np.int32) - variations).max() > 0


def test_a_top_up_plan_and_the_confidence_filter_reuse_the_sampling_rules(tmp_path):
    model, (x, y) = _dagan(), _sources()
    # Class 0 is never accepted by a classifier sure of class 3: it is named, as in `synthesize`.
    with pytest.raises(ValueError, match=r"Class 0 is still 1 samples short after max_rounds=2 rounds"):
        synthesis.augment(model, x, y, {3: 2, 0: 1}, classifier=constant_classifier(4, 3), max_rounds=2,
                          min_confidence=0.9)
    result = synthesis.augment(model, x, y, {3: 2}, classifier=constant_classifier(4, 3), min_confidence=0.9)
    assert result.y.tolist() == [3, 3] and set(y[result.source]) == {3}
    path = tmp_path / "augmented.npz"
    synthesis.write_synthetic(str(path), result)
    with np.load(path) as arrays:
        assert sorted(arrays.files) == ["source", "x", "y"] and arrays["source"].dtype == np.int32


def test_bad_requests_are_refused():
    model, (x, y) = _dagan(), _sources()
    with pytest.raises(ValueError, match=r"image-conditioned model .* generator inputs \['latent', 'label'\]"):
        synthesis.augment(tiny_gan(SHAPE, num_classes=3), x, y, 2)
    with pytest.raises(ValueError, match=r"Class 2 has no image to vary"):
        synthesis.augment(model, x, y, {2: 3})
    with pytest.raises(ValueError, match="per_class=0"):
        synthesis.augment(model, x, y, 0)
    with pytest.raises(ValueError, match=r"varies images of shape \(8, 8, 1\).*\(7, 4, 4, 1\)"):
        synthesis.augment(model, fake_images(7, (4, 4, 1)), y, 2)
    with pytest.raises(ValueError, match="7 labels"):
        synthesis.augment(model, x[:5], y, 2)
    with pytest.raises(ValueError, match="min_confidence=2"):
        synthesis.augment(model, x, y, 2, min_confidence=2)
    assert synthesis.is_image_conditioned(model) and not synthesis.is_image_conditioned(tiny_gan(SHAPE))
