"""Held-out splits and caching of the domain classifier trained on a dataset spec."""

import numpy as np
import pytest

from tfgan_zoo.metrics import dataset_classifier


def _rows(images):
    return {image.tobytes() for image in images}


def test_mnist8k_uses_the_data_layers_disjoint_splits():
    (x_train, y_train), (x_test, y_test) = dataset_classifier.heldout_arrays("mnist8k")
    assert (len(x_train), len(x_test)) == (6000, 2000)
    assert not _rows(x_train) & _rows(x_test)
    assert set(np.unique(y_test)) == set(range(10))
    # A split written in the spec does not make "test" equal "train".
    (x_named, _), (x_named_test, _) = dataset_classifier.heldout_arrays("mnist8k:train")
    assert len(x_named) == 6000 and not _rows(x_named) & _rows(x_named_test)


def test_generated_specs_hold_out_a_fresh_draw():
    (x_train, _), (x_test, y_test) = dataset_classifier.heldout_arrays("gen:shapes:40", image_size=16)
    assert x_train.shape == x_test.shape == (40, 16, 16, 3)
    assert not np.array_equal(x_train, x_test) and y_test.dtype == np.int32


def test_npz_holds_out_a_seeded_quarter(tmp_path):
    # Each image carries its index as its single pixel value.
    x = np.arange(20, dtype=np.uint8).reshape(20, 1, 1, 1)
    np.savez(tmp_path / "tiny.npz", x=x, y=np.arange(20) % 2)
    (x_train, y_train), (x_test, _) = dataset_classifier.heldout_arrays(f"npz:{tmp_path / 'tiny.npz'}")
    assert (len(x_train), len(x_test)) == (15, 5)
    assert not _rows(x_train) & _rows(x_test)
    np.testing.assert_array_equal(np.rint((x_train[:, 0, 0, 0] + 1) * 127.5).astype(int) % 2, y_train)


def test_unlabelled_and_point_datasets_are_refused(tmp_path):
    np.savez(tmp_path / "unlabelled.npz", x=np.zeros((8, 4, 4, 1), np.uint8))
    with pytest.raises(ValueError, match="labelled dataset.*unlabelled.npz"):
        dataset_classifier.heldout_arrays(f"npz:{tmp_path / 'unlabelled.npz'}")
    with pytest.raises(ValueError, match="image dataset.*gen:ring8"):
        dataset_classifier.train_classifier_on_dataset("gen:ring8")


def test_trains_once_then_loads_the_cache(tmp_path):
    path = str(tmp_path / "classifier.keras")
    model, facts = dataset_classifier.load_or_train_classifier(path, "gen:shapes:48", epochs=1)
    assert facts["dataset"] == "gen:shapes:48" and facts["train"] == facts["heldout"] == 48
    assert 0.0 <= facts["heldout_accuracy"] <= 1.0
    loaded, loaded_facts = dataset_classifier.load_or_train_classifier(path, "unused:spec", epochs=1)
    assert loaded_facts == facts
    np.testing.assert_array_equal(loaded.get_layer("features").get_weights()[0],
                                  model.get_layer("features").get_weights()[0])


def test_a_cached_classifier_of_another_size_is_refused_by_name(tmp_path):
    # A 28-px classifier left in a folder that now scores 32-px samples (verify's
    # 32-px families) fails before any scoring, naming the file and both shapes.
    import keras

    path = str(tmp_path / "classifier.keras")
    inputs = keras.Input((28, 28, 1))
    keras.Model(inputs, keras.layers.Dense(10)(keras.layers.Flatten()(inputs))).save(path)
    model, _ = dataset_classifier.load_or_train_classifier(path, "mnist8k", sample_shape=(28, 28, 1))
    assert model.input_shape == (None, 28, 28, 1)
    with pytest.raises(ValueError, match=r"cached at .*classifier\.keras takes images of shape \(28, 28, 1\).*"
                                         r"sample_shape=\(32, 32, 1\)"):
        dataset_classifier.load_or_train_classifier(path, "mnist8k", sample_shape=(32, 32, 1))
