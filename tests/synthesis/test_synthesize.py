"""Synthetic labelled datasets: class counts, dtypes, the file format and the confidence filter."""

import keras
import numpy as np
import pytest

from conftest import constant_classifier, tiny_gan
from tfgan_zoo import data, synthesis
from tfgan_zoo.utils import images


def _threshold_classifier(scale, centre, shape=(8, 8, 1)):
    """Two classes decided by the image's mean m: logits `scale * (m - centre) * [-1, 1]`.

    So p(class 1) = sigmoid(2 scale (m - centre)).
    """
    image = keras.Input(shape)
    mean = keras.layers.GlobalAveragePooling2D()(image)
    dense = keras.layers.Dense(2, name="logits")
    model = keras.Model(image, dense(mean))
    bias = np.array([scale * centre, -scale * centre], np.float32)
    dense.set_weights([np.array([[-scale, scale]], np.float32), bias])
    return model


def test_files_hold_the_requested_class_counts_as_uint8_images_and_int32_labels(tmp_path):
    model = tiny_gan(num_classes=3)
    result = synthesis.synthesize(model, 5, seed=3)
    assert result.x.shape == (15, 8, 8, 1) and result.x.dtype == np.uint8
    assert result.y.dtype == np.int32 and np.bincount(result.y).tolist() == [5, 5, 5]
    assert result.rounds == 1 and result.drawn == {0: 5, 1: 5, 2: 5}
    # Without a classifier, round 0 is what `generate` samples for these labels and seed.
    np.testing.assert_array_equal(result.x, images.to_uint8(model.generate(15, labels=result.y, seed=3)))

    path = tmp_path / "synthetic.npz"
    synthesis.write_synthetic(str(path), result)
    with np.load(path) as arrays:
        assert sorted(arrays.files) == ["x", "y"]
        assert arrays["x"].dtype == np.uint8 and arrays["y"].dtype == np.int32
    # The project's npz data source reads it back, labels and all.
    x, y = data.load_arrays(f"npz:{path}")
    np.testing.assert_array_equal(y, result.y)
    np.testing.assert_allclose(x, result.x / 127.5 - 1.0, atol=1e-6)
    assert data.info(f"npz:{path}").num_classes == 3


def test_a_top_up_plan_gives_each_named_class_its_own_count():
    model = tiny_gan(num_classes=3)
    result = synthesis.synthesize(model, {2: 4, 0: 1})
    assert np.bincount(result.y, minlength=3).tolist() == [1, 0, 4]
    assert result.y.tolist() == [0, 2, 2, 2, 2]


def test_the_confidence_filter_keeps_only_samples_the_classifier_is_sure_of_as_stored():
    model = tiny_gan(num_classes=2)
    means = model.generate(200, seed=9).mean(axis=(1, 2, 3))
    classifier = _threshold_classifier(1.5 / float(np.std(means)), float(np.median(means)))
    result = synthesis.synthesize(model, 6, classifier=classifier, min_confidence=0.9, max_rounds=10)
    assert np.bincount(result.y).tolist() == [6, 6]
    # Some samples were rejected, and every kept one passes when read back from uint8.
    assert sum(result.drawn.values()) > 12 and result.rounds > 1
    probabilities = keras.ops.convert_to_numpy(keras.ops.softmax(classifier(result.x / 127.5 - 1.0)))
    assert np.all(probabilities[np.arange(12), result.y] >= 0.9)
    assert np.all(np.argmax(probabilities, axis=1) == result.y)


def test_a_class_the_classifier_never_accepts_is_named_after_max_rounds():
    model = tiny_gan(num_classes=3)
    with pytest.raises(ValueError, match=r"Class 1 is still 3 samples short after max_rounds=2 rounds.*\{1: 3, 2: 3\}"):
        synthesis.synthesize(model, 3, classifier=constant_classifier(3, 0), max_rounds=2)


def test_bad_requests_are_refused():
    conditional = tiny_gan(num_classes=3)
    with pytest.raises(ValueError, match="needs a conditional model"):
        synthesis.synthesize(tiny_gan(), 3)
    with pytest.raises(ValueError, match="per_class=0"):
        synthesis.synthesize(conditional, 0)
    with pytest.raises(ValueError, match=r"in \[0, 3\). Received: class 3"):
        synthesis.synthesize(conditional, {3: 2})
    with pytest.raises(ValueError, match="min_confidence=1.5"):
        synthesis.synthesize(conditional, 2, min_confidence=1.5)
    with pytest.raises(ValueError, match=r"takes samples of shape \(4, 4, 1\)"):
        synthesis.synthesize(conditional, 2, classifier=constant_classifier(3, 0, shape=(4, 4, 1)))
    with pytest.raises(ValueError, match="out='x.png'"):
        synthesis.write_synthetic("x.png", synthesis.synthesize(conditional, 1))
