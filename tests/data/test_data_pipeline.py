"""Batching, determinism, resizing and argument validation of `load`."""

import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo import data

SMALL = "gen:shapes:100"


def _batches(dataset, count):
    return [tuple(t.numpy() for t in batch) for batch in dataset.take(count)]


def test_batch_shapes_and_remainder():
    kept = list(data.load(SMALL, 32, repeat=False, shuffle=False, drop_remainder=False))
    assert [len(y) for _, y in kept] == [32, 32, 32, 4]
    dropped = data.load(SMALL, 32, repeat=False)
    assert dropped.element_spec[0].shape == (32, 32, 32, 3)
    assert [len(y) for _, y in dropped] == [32, 32, 32]


def test_same_seed_repeats_and_other_seed_differs():
    first = _batches(data.load(SMALL, 16, seed=7), 3)
    second = _batches(data.load(SMALL, 16, seed=7), 3)
    other = _batches(data.load(SMALL, 16, seed=8), 3)
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a[0], b[0])
        np.testing.assert_array_equal(a[1], b[1])
    assert not all(np.array_equal(a[0], c[0]) for a, c in zip(first, other))


def test_skip_resumes_the_exact_sequence():
    # 100 examples in batches of 40 cross the epoch boundary by batch 3.
    full = _batches(data.load(SMALL, 40, seed=3), 6)
    resumed = _batches(data.load(SMALL, 40, seed=3).skip(4), 2)
    for a, b in zip(full[4:], resumed):
        np.testing.assert_array_equal(a[0], b[0])


def test_each_epoch_is_reshuffled():
    ds = data.load("gen:ring8:50", 50, seed=1)
    (x1, _), (x2, _) = _batches(ds, 2)
    assert not np.array_equal(x1, x2)
    np.testing.assert_array_equal(np.sort(x1, axis=0), np.sort(x2, axis=0))


def test_points_are_raw_coordinates():
    x, y = next(iter(data.load("gen:grid25", 256)))
    assert x.shape == (256, 2) and x.dtype == tf.float32 and y.dtype == tf.int32
    assert np.abs(x.numpy()).max() > 3.0


def test_labels_false_yields_images_only():
    batch = next(iter(data.load(SMALL, 8, labels=False)))
    assert isinstance(batch, tf.Tensor) and batch.shape == (8, 32, 32, 3)


def test_pad_centres_images_on_minus_one():
    plain, _ = data.load_arrays("mnist8k", limit=16)
    padded = next(iter(data.load("mnist8k", 16, image_size=32, resize="pad", shuffle=False)))[0]
    padded = padded.numpy()
    assert padded.shape == (16, 32, 32, 1)
    np.testing.assert_array_equal(padded[:, 2:30, 2:30], plain)
    border = np.ones((32, 32), bool)
    border[2:30, 2:30] = False
    assert np.all(padded[:, border] == -1.0)


def test_bilinear_resize_and_channel_conversion():
    x, _ = data.load_arrays("mnist8k", image_size=64, channels=3, limit=8)
    assert x.shape == (8, 64, 64, 3)
    assert x.min() >= -1.0 and x.max() <= 1.0
    np.testing.assert_array_equal(x[..., 0], x[..., 2])
    gray = next(iter(data.load(SMALL, 4, channels=1, labels=False)))
    assert gray.shape == (4, 32, 32, 1)
    assert data.info(SMALL, image_size=16, channels=1).shape == (16, 16, 1)


def test_pad_cannot_shrink():
    with pytest.raises(ValueError, match="image_size=20"):
        data.load("mnist8k", 4, image_size=20, resize="pad")


@pytest.mark.parametrize("batch_size", [0, -3, 2.5, True, "8"])
def test_bad_batch_size(batch_size):
    with pytest.raises(ValueError, match="batch_size") as error:
        data.load(SMALL, batch_size)
    assert repr(batch_size) in str(error.value)


@pytest.mark.parametrize(
    "spec, fragment",
    [
        ("foo:bar", "Unknown dataset kind 'foo'"),
        ("cifar", "Unknown dataset spec"),
        ("gen:spiral", "ring8, grid25, shapes"),
        ("gen:shapes:lots", "positive integer"),
        ("mnist8k:valid", "Unknown split"),
        ("tfds:", "names no tfds source"),
    ],
)
def test_bad_specs_name_the_value(spec, fragment):
    with pytest.raises(ValueError, match=fragment) as error:
        data.load(spec, 4)
    assert repr(spec) in str(error.value)


def test_missing_directory_names_the_value(tmp_path):
    for kind in ("folder", "idx"):
        spec = f"{kind}:{tmp_path / 'missing'}"
        with pytest.raises(ValueError, match="does not exist") as error:
            data.load(spec, 4)
        assert spec in str(error.value)


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        (dict(resize="nearest"), "resize='nearest'"),
        (dict(split="dev"), "split='dev'"),
        (dict(split="validation"), "split='validation'"),
        (dict(channels=2), "channels=2"),
        (dict(image_size=0), "image_size=0"),
        (dict(seed="a"), "seed='a'"),
    ],
)
def test_bad_options_name_the_value(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        data.load(SMALL, 4, **kwargs)


def test_points_reject_image_options():
    with pytest.raises(ValueError, match="image_size=32"):
        data.load("gen:ring8", 4, image_size=32)


def test_info_and_load_share_one_read(tmp_path):
    from tfgan_zoo.data import sources

    np.savez(tmp_path / "d.npz", x=np.zeros((10, 4, 4), np.uint8))
    spec = f"npz:{tmp_path / 'd.npz'}"
    before = sources._read.cache_info()
    data.info(spec)
    data.load(spec, 2)
    after = sources._read.cache_info()
    assert after.misses - before.misses == 1 and after.hits - before.hits == 1
