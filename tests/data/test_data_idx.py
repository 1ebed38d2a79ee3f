"""IDX reading: the shared mnist8k data and hand-written files."""

import gzip
import struct

import numpy as np
import pytest

from tfgan_zoo import data

# Class counts published in /work/shared/datasets/README.md.
MNIST8K_COUNTS = [798, 886, 818, 798, 787, 717, 768, 828, 803, 797]


def _write_idx(path, magic, array, compress):
    header = struct.pack(">I", magic) + struct.pack(f">{array.ndim}I", *array.shape)
    payload = header + array.astype(np.uint8).tobytes()
    path.write_bytes(gzip.compress(payload) if compress else payload)


def _tiny_set(directory, prefix="", compress=True, count=6):
    rng = np.random.default_rng(7)
    images = rng.integers(0, 256, size=(count, 4, 3), dtype=np.uint8)
    labels = np.arange(count, dtype=np.uint8) % 3
    suffix = ".gz" if compress else ""
    _write_idx(directory / f"{prefix}images-idx3-ubyte{suffix}", 2051, images, compress)
    _write_idx(directory / f"{prefix}labels-idx1-ubyte{suffix}", 2049, labels, compress)
    return images, labels


def _as_uint8(x):
    return np.round((x + 1.0) * 127.5).astype(np.uint8)


def test_mnist8k_shapes_range_and_class_counts():
    x, y = data.load_arrays("mnist8k")
    assert x.shape == (8000, 28, 28, 1) and x.dtype == np.float32
    assert y.shape == (8000,) and y.dtype == np.int32
    assert x.min() == -1.0 and x.max() == 1.0
    assert np.bincount(y).tolist() == MNIST8K_COUNTS


def test_mnist8k_info():
    description = data.info("mnist8k")
    assert description.shape == (28, 28, 1)
    assert description.num_examples == 8000
    assert description.num_classes == 10
    assert description.kind == "image"


def test_mnist8k_train_and_test_are_disjoint_and_cover_everything():
    x_train, y_train = data.load_arrays("mnist8k:train")
    x_test, y_test = data.load_arrays("mnist8k:test")
    assert len(x_train) == 6000 and len(x_test) == 2000
    train_keys = {image.tobytes() for image in _as_uint8(x_train)}
    test_keys = {image.tobytes() for image in _as_uint8(x_test)}
    assert not train_keys & test_keys
    combined = np.bincount(np.concatenate([y_train, y_test]), minlength=10)
    assert combined.tolist() == MNIST8K_COUNTS
    # The split argument reaches the same held-out part as the suffix.
    x_arg, _ = data.load_arrays("mnist8k", split="test")
    np.testing.assert_array_equal(x_arg, x_test)


def test_mnist8k_env_var_overrides_location(tmp_path, monkeypatch):
    images, labels = _tiny_set(tmp_path)
    monkeypatch.setenv("TFGAN_ZOO_MNIST8K", str(tmp_path))
    x, y = data.load_arrays("mnist8k")
    np.testing.assert_array_equal(_as_uint8(x)[..., 0], images)
    np.testing.assert_array_equal(y, labels)


def test_mnist8k_env_var_pointing_nowhere_is_explained(tmp_path, monkeypatch):
    missing = str(tmp_path / "nowhere")
    monkeypatch.setenv("TFGAN_ZOO_MNIST8K", missing)
    with pytest.raises(ValueError, match="TFGAN_ZOO_MNIST8K") as error:
        data.info("mnist8k")
    assert missing in str(error.value)


@pytest.mark.parametrize("compress", [True, False])
def test_tiny_idx_round_trips_exactly(tmp_path, compress):
    images, labels = _tiny_set(tmp_path, compress=compress)
    x, y = data.load_arrays(f"idx:{tmp_path}")
    assert x.shape == (6, 4, 3, 1)
    np.testing.assert_array_equal(x[..., 0], images.astype(np.float32) / 127.5 - 1.0)
    np.testing.assert_array_equal(y, labels)


def test_official_names_select_files_by_split(tmp_path):
    train_images, _ = _tiny_set(tmp_path, prefix="train-", count=5)
    test_images, _ = _tiny_set(tmp_path, prefix="t10k-", compress=False, count=3)
    x_train, _ = data.load_arrays(f"idx:{tmp_path}")
    x_test, _ = data.load_arrays(f"idx:{tmp_path}:test")
    np.testing.assert_array_equal(_as_uint8(x_train)[..., 0], train_images)
    np.testing.assert_array_equal(_as_uint8(x_test)[..., 0], test_images)


def test_images_without_labels_load_unlabelled(tmp_path):
    _tiny_set(tmp_path)
    (tmp_path / "labels-idx1-ubyte.gz").unlink()
    x, y = data.load_arrays(f"idx:{tmp_path}")
    assert y is None and len(x) == 6
    assert data.info(f"idx:{tmp_path}").num_classes is None


def test_corrupted_magic_names_the_file(tmp_path):
    _tiny_set(tmp_path, compress=False)
    path = tmp_path / "images-idx3-ubyte"
    content = bytearray(path.read_bytes())
    content[3] = 0x04  # 2051 -> 2052
    path.write_bytes(bytes(content))
    with pytest.raises(ValueError, match="magic number 2052") as error:
        data.load_arrays(f"idx:{tmp_path}")
    assert str(path) in str(error.value)


def test_truncated_payload_names_the_file(tmp_path):
    _tiny_set(tmp_path, compress=False)
    path = tmp_path / "images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:-5])
    with pytest.raises(ValueError, match="truncated") as error:
        data.load_arrays(f"idx:{tmp_path}")
    assert str(path) in str(error.value)


def test_label_count_mismatch_names_both_files(tmp_path):
    _tiny_set(tmp_path)
    _write_idx(tmp_path / "labels-idx1-ubyte.gz", 2049, np.zeros(4, np.uint8), True)
    with pytest.raises(ValueError, match="4 labels") as error:
        data.load_arrays(f"idx:{tmp_path}")
    assert "labels-idx1-ubyte.gz" in str(error.value)
    assert "images-idx3-ubyte.gz" in str(error.value)


def test_directory_without_idx_files_lists_contents(tmp_path):
    (tmp_path / "readme.txt").write_text("nothing here")
    with pytest.raises(ValueError, match="readme.txt"):
        data.load_arrays(f"idx:{tmp_path}")
