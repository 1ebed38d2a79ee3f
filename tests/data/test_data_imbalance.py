"""Imbalanced views of a labelled dataset and top-up plans."""

import numpy as np
import pytest

from tfgan_zoo import data
from tfgan_zoo.data import imbalance


def test_minority_classes_keep_their_fraction_and_the_others_everything():
    labels = np.repeat([0, 1, 2, 3], [50, 40, 30, 3])
    kept = imbalance.imbalanced_indices(labels, [1, 3], 0.1, seed=0)
    assert np.all(np.diff(kept) > 0)
    # round(0.1 * 40) = 4; a class too small for its fraction keeps one example.
    assert np.bincount(labels[kept]).tolist() == [50, 4, 30, 1]
    np.testing.assert_array_equal(kept, imbalance.imbalanced_indices(labels, [1, 3], 0.1, seed=0))
    assert not np.array_equal(kept, imbalance.imbalanced_indices(labels, [1, 3], 0.1, seed=1))


def test_the_mnist8k_view_cuts_the_named_digits_to_two_percent():
    _, full = data.load_arrays("mnist8k:train")
    x, y = imbalance.imbalanced_arrays("mnist8k:train", [2, 5, 8], 0.02)
    full_counts, counts = np.bincount(full), np.bincount(y)
    assert x.shape == (len(y), 28, 28, 1) and x.dtype == np.float32 and y.dtype == np.int32
    for digit in range(10):
        expected = round(0.02 * full_counts[digit]) if digit in (2, 5, 8) else full_counts[digit]
        assert counts[digit] == expected, digit


def test_batches_draw_only_from_the_view():
    x_view, y_view = imbalance.imbalanced_arrays("gen:shapes:60", [1], 0.25, seed=0)
    allowed = {image.tobytes() for image in x_view}
    dataset = imbalance.load("gen:shapes:60", 8, minority_classes=[1], fraction=0.25, seed=3)
    for images, labels in dataset.take(12).as_numpy_iterator():
        assert images.shape == (8, 32, 32, 3) and labels.dtype == np.int32
        assert all(image.tobytes() in allowed for image in images)


def test_top_up_counts_bring_every_class_to_the_target():
    labels = np.array([0, 0, 0, 1, 2, 2])
    assert imbalance.top_up_counts(labels, 4) == {1: 2, 2: 1, 3: 3}
    assert imbalance.top_up_counts(labels, 3, target=4) == {0: 1, 1: 3, 2: 2}
    assert imbalance.top_up_counts(labels, 3, target=2) == {1: 1}


def test_bad_arguments_are_named(tmp_path):
    with pytest.raises(ValueError, match="fraction=0"):
        imbalance.imbalanced_indices([0, 1], [1], 0)
    with pytest.raises(ValueError, match="Minority class 7 has no example"):
        imbalance.imbalanced_indices([0, 1], [7], 0.5)
    with pytest.raises(ValueError, match="target=0"):
        imbalance.top_up_counts([0, 1], 2, target=0)
    np.savez(tmp_path / "unlabelled.npz", x=np.zeros((4, 8, 8), np.uint8))
    with pytest.raises(ValueError, match="need a dataset with labels"):
        imbalance.imbalanced_arrays(f"npz:{tmp_path / 'unlabelled.npz'}", [0], 0.5)
