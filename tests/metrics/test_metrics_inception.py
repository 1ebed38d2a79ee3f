"""InceptionV3 wiring: a random-weight model saved locally and loaded through our path."""

import keras
import numpy as np
import pytest

from tfgan_zoo.metrics import evaluation, inception


def test_preprocessing_repeats_grayscale_and_resizes_to_299():
    gray = np.full((2, 28, 28, 1), 0.3, np.float32)
    prepared = inception.preprocess_for_inception(gray).numpy()
    assert prepared.shape == (2, 299, 299, 3)
    np.testing.assert_allclose(prepared, 0.3, atol=1e-6)  # still in [-1, 1]
    colour = np.stack([np.full((8, 8), value) for value in (-1.0, 0.0, 1.0)], axis=-1)[None]
    np.testing.assert_allclose(inception.preprocess_for_inception(colour).numpy()[0, 150, 150], [-1, 0, 1], atol=1e-6)


def test_random_weights_file_loads_and_gives_pool_features(tmp_path):
    keras.utils.set_random_seed(0)
    reference = keras.applications.InceptionV3(
        include_top=False, weights=None, input_shape=(299, 299, 3), pooling="avg"
    )
    path = str(tmp_path / "inception_random.weights.h5")
    reference.save_weights(path)

    network = evaluation.load_feature_network(path)
    images = np.random.default_rng(0).uniform(-1, 1, size=(2, 28, 28, 1)).astype(np.float32)
    outputs = network.outputs(images)
    assert outputs.features.shape == (2, inception.INCEPTION_FEATURES) and outputs.probabilities is None
    expected = reference(inception.preprocess_for_inception(images), training=False)
    np.testing.assert_allclose(outputs.features, np.asarray(expected), rtol=1e-4, atol=1e-5)
    assert not network.has_probabilities


def test_missing_weights_file_fails_without_downloading(tmp_path):
    with pytest.raises(ValueError, match="nowhere.h5"):
        inception.inception_network(str(tmp_path / "nowhere.h5"))
    with pytest.raises(ValueError, match="nowhere.h5"):
        evaluation.load_feature_network(str(tmp_path / "nowhere.h5"))
