"""Image folders: class subfolders, flat folders, mixed sizes."""

import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo import data


def _write_png(path, value, height=6, width=5, channels=3):
    image = np.full((height, width, channels), value, dtype=np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(tf.io.encode_png(image).numpy())


@pytest.fixture
def class_folder(tmp_path):
    # Written out of order: labels must follow sorted names, not creation.
    _write_png(tmp_path / "zebra" / "b.png", 200)
    _write_png(tmp_path / "zebra" / "a.png", 150)
    _write_png(tmp_path / "ant" / "only.PNG", 0)
    (tmp_path / "empty").mkdir()
    (tmp_path / ".hidden").mkdir()
    _write_png(tmp_path / ".hidden" / "x.png", 9)
    return tmp_path


def test_class_subfolders_give_labels_and_names(class_folder):
    x, y = data.load_arrays(f"folder:{class_folder}")
    assert x.shape == (3, 6, 5, 3) and x.dtype == np.float32
    np.testing.assert_array_equal(y, [0, 1, 1])
    # ant/only.PNG is 0; zebra/a.png (150) sorts before zebra/b.png (200).
    expected = np.array([0, 150, 200], np.float32) / 127.5 - 1.0
    np.testing.assert_allclose(x[:, 0, 0, 0], expected, rtol=0, atol=1e-6)
    description = data.info(f"folder:{class_folder}")
    assert description.class_names == ("ant", "zebra")
    assert description.num_classes == 2
    assert description.shape == (6, 5, 3)


def test_flat_folder_has_no_labels(tmp_path):
    for i in range(3):
        _write_png(tmp_path / f"img{i}.png", 40 * i, channels=1)
    x, y = data.load_arrays(f"folder:{tmp_path}")
    assert y is None and x.shape == (3, 6, 5, 1)
    batch = next(iter(data.load(f"folder:{tmp_path}", 2)))
    assert isinstance(batch, tf.Tensor) and batch.shape == (2, 6, 5, 1)


def test_mixed_sizes_without_image_size_name_the_file(tmp_path):
    _write_png(tmp_path / "a.png", 10, height=6, width=5)
    _write_png(tmp_path / "b.png", 10, height=8, width=8)
    with pytest.raises(ValueError, match="image_size") as error:
        data.load_arrays(f"folder:{tmp_path}")
    message = str(error.value)
    assert "b.png" in message and "6x5" in message and "8x8" in message


def test_mixed_sizes_with_image_size_are_resized(tmp_path):
    _write_png(tmp_path / "a.png", 255, height=6, width=5)
    _write_png(tmp_path / "b.png", 255, height=8, width=8)
    x, _ = data.load_arrays(f"folder:{tmp_path}", image_size=4)
    assert x.shape == (2, 4, 4, 3)
    np.testing.assert_allclose(x, 1.0)


def test_gray_and_colour_files_become_colour(tmp_path):
    _write_png(tmp_path / "gray.png", 100, channels=1)
    _write_png(tmp_path / "rgba.png", 100, channels=4)
    x, _ = data.load_arrays(f"folder:{tmp_path}")
    assert x.shape == (2, 6, 5, 3)


def test_folder_without_images_is_rejected(tmp_path):
    (tmp_path / "notes.txt").write_text("no images")
    with pytest.raises(ValueError, match="holds no"):
        data.info(f"folder:{tmp_path}")
