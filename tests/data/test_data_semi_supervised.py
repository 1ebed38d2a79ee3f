"""Semi-supervised batches: the configured labelled examples, spread through each batch, the rest -1."""

import numpy as np
import pytest

from tfgan_zoo import data
from tfgan_zoo.data import semi_supervised

SPEC = "gen:shapes:60"


def _batches(count, **kwargs):
    options = dict(batch_size=8, num_labelled=6, labelled_per_batch=4, seed=3)
    dataset = semi_supervised.load(SPEC, **{**options, **kwargs})
    return list(dataset.take(count).as_numpy_iterator())


def _row_keys(images):
    return [image.tobytes() for image in images]


def test_batches_hold_exactly_the_configured_labelled_examples_with_their_true_labels():
    x_all, y_all = data.load_arrays(SPEC)
    true_label = dict(zip(_row_keys(x_all), y_all))
    x_labelled, y_labelled = semi_supervised.labelled_arrays(SPEC, 6)
    assert len(x_labelled) == 6 and np.bincount(y_labelled, minlength=3).tolist() == [2, 2, 2]
    chosen = set(_row_keys(x_labelled))
    seen_labelled, seen_unlabelled = set(), set()
    for images, labels in _batches(12):
        assert images.shape == (8, 32, 32, 3) and labels.dtype == np.int32
        assert int(np.sum(labels >= 0)) == 4 and set(labels[labels < 0]) == {-1}
        for key, label in zip(_row_keys(images), labels):
            if label >= 0:
                assert label == true_label[key]
                seen_labelled.add(key)
            else:
                seen_unlabelled.add(key)
    # Only the chosen 6 ever carry a label; unlabelled rows come from the whole split.
    assert seen_labelled == chosen
    assert len(seen_unlabelled) > 30 and seen_unlabelled <= set(true_label)


def test_labelled_rows_are_spread_so_every_part_of_a_batch_gets_its_share():
    np.testing.assert_array_equal(semi_supervised.interleaving(2, 2), [0, 2, 1, 3])
    for _, labels in _batches(3, batch_size=12, labelled_per_batch=4):
        assert [int(np.sum(part >= 0)) for part in np.split(labels, 4)] == [1, 1, 1, 1]


def test_the_order_is_a_function_of_the_seed_and_the_subset_of_the_selection_seed():
    first, again, other = _batches(3), _batches(3), _batches(3, seed=4)
    for (a, la), (b, lb) in zip(first, again):
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(la, lb)
    assert any(not np.array_equal(a, b) for (a, _), (b, _) in zip(first, other))
    _, y = data.load_arrays(SPEC)
    assert not np.array_equal(
        semi_supervised.select_labelled(y, 6, seed=0), semi_supervised.select_labelled(y, 6, seed=1)
    )
    unbalanced = semi_supervised.select_labelled(y, 7, seed=0, balanced=False)
    assert len(unbalanced) == len(set(unbalanced)) == 7


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="labelled_per_batch must be below batch_size=8"):
        semi_supervised.load(SPEC, 8, labelled_per_batch=8)
    with pytest.raises(ValueError, match="num_labelled must be at most the 60 examples"):
        semi_supervised.load(SPEC, 8, num_labelled=61)
    with pytest.raises(ValueError, match="needs a dataset with labels|in-memory"):
        semi_supervised.load("tfds:mnist", 8)
    with pytest.raises(ValueError, match="has 10 examples, fewer than the 20"):
        semi_supervised.select_labelled(np.array([0] * 40 + [1] * 10), 40)
