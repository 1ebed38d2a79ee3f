"""TFDS source, exercised offline with `tfds.testing.mock_data`."""

import numpy as np
import pytest
import tensorflow as tf
import tensorflow_datasets as tfds

from tfgan_zoo import data


@pytest.fixture
def mocked_tfds():
    with tfds.testing.mock_data(num_examples=24):
        yield


def test_mnist_batches_have_the_documented_form(mocked_tfds):
    x, y = next(iter(data.load("tfds:mnist", 8, seed=3)))
    assert x.shape == (8, 28, 28, 1) and x.dtype == tf.float32
    assert y.shape == (8,) and y.dtype == tf.int32
    values = x.numpy()
    assert values.min() >= -1.0 and values.max() <= 1.0
    # Mock pixels are random uint8, so the scaled values must spread out.
    assert values.max() - values.min() > 1.0


def test_mnist_info(mocked_tfds):
    description = data.info("tfds:mnist")
    assert description.shape == (28, 28, 1)
    assert description.num_classes == 10
    assert description.kind == "image"
    assert len(description.class_names) == 10


def test_cifar10_resize_and_gray(mocked_tfds):
    x, y = data.load_arrays("tfds:cifar10:test", image_size=16, channels=1, limit=10)
    assert x.shape == (10, 16, 16, 1) and y.shape == (10,)
    assert data.info("tfds:cifar10", image_size=16, channels=1).shape == (16, 16, 1)


def test_unlabelled_dataset_yields_images_only(mocked_tfds):
    batch = next(iter(data.load("tfds:celeb_a", 2, image_size=32, shuffle=False)))
    assert isinstance(batch, tf.Tensor) and batch.shape == (2, 32, 32, 3)
    assert data.info("tfds:celeb_a").num_classes is None


def test_same_seed_same_batches(mocked_tfds):
    first = [b[1].numpy() for b in data.load("tfds:mnist", 6, seed=5).take(3)]
    second = [b[1].numpy() for b in data.load("tfds:mnist", 6, seed=5).take(3)]
    np.testing.assert_array_equal(first, second)


def test_load_arrays_requires_limit(mocked_tfds):
    with pytest.raises(ValueError, match="limit=None"):
        data.load_arrays("tfds:mnist")
    x, y = data.load_arrays("tfds:mnist", limit=5)
    assert x.shape == (5, 28, 28, 1) and y.dtype == np.int32


def test_unknown_tfds_name_is_reported():
    with pytest.raises(ValueError, match="tfds:no_such_dataset_xyz"):
        data.info("tfds:no_such_dataset_xyz")
