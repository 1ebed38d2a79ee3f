"""npz files with arrays x and y."""

import numpy as np
import pytest

from tfgan_zoo import data


def test_uint8_images_are_scaled_and_get_a_channel(tmp_path):
    x = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4) * 10
    path = tmp_path / "images.npz"
    np.savez(path, x=x, y=np.array([1, 0]))
    loaded, labels = data.load_arrays(f"npz:{path}")
    assert loaded.shape == (2, 3, 4, 1)
    np.testing.assert_allclose(loaded[..., 0], x / 127.5 - 1.0, atol=1e-6)
    np.testing.assert_array_equal(labels, [1, 0])
    assert labels.dtype == np.int32
    assert data.info(f"npz:{path}").num_classes == 2


def test_float_images_are_taken_as_is(tmp_path):
    x = np.linspace(-1.0, 1.0, 2 * 4 * 4 * 3).reshape(2, 4, 4, 3)
    path = tmp_path / "float.npz"
    np.savez(path, x=x)
    loaded, labels = data.load_arrays(f"npz:{path}")
    assert labels is None and loaded.dtype == np.float32
    np.testing.assert_allclose(loaded, x, atol=1e-6)


def test_missing_x_lists_the_keys(tmp_path):
    path = tmp_path / "bad.npz"
    np.savez(path, images=np.zeros((2, 4, 4), np.uint8), labels=np.zeros(2))
    with pytest.raises(ValueError, match="no array 'x'") as error:
        data.load_arrays(f"npz:{path}")
    assert "images" in str(error.value) and "labels" in str(error.value)


@pytest.mark.parametrize("low, high", [(0.0, 255.0), (-1.0, 1.5), (-2.0, 0.0)])
def test_float_outside_unit_range_is_rejected(tmp_path, low, high):
    path = tmp_path / "range.npz"
    np.savez(path, x=np.array([low, high], np.float32).reshape(1, 1, 2, 1))
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        data.load_arrays(f"npz:{path}")


def test_wrong_rank_and_label_length_are_rejected(tmp_path):
    flat = tmp_path / "flat.npz"
    np.savez(flat, x=np.zeros((5, 4), np.uint8))
    with pytest.raises(ValueError, match=r"x.shape=\(5, 4\)"):
        data.load_arrays(f"npz:{flat}")
    short = tmp_path / "short.npz"
    np.savez(short, x=np.zeros((5, 4, 4), np.uint8), y=np.zeros(3, np.int64))
    with pytest.raises(ValueError, match="len\\(y\\)=3"):
        data.load_arrays(f"npz:{short}")


def test_missing_file_names_it(tmp_path):
    spec = f"npz:{tmp_path / 'absent.npz'}"
    with pytest.raises(ValueError, match="does not exist") as error:
        data.load(spec, 4)
    assert spec in str(error.value)
