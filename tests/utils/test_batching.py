"""utils.batching: batches of rows, and a function mapped over them."""

import numpy as np
import pytest

from tfgan_zoo.utils.batching import batch_slices, batches, map_in_batches


def test_batch_slices_cover_every_row_once_the_last_shorter():
    assert list(batch_slices(7, 3)) == [slice(0, 3), slice(3, 6), slice(6, 9)]
    assert list(batch_slices(0, 3)) == []


@pytest.mark.parametrize("batch_size", [0, -1, 2.0, True])
def test_a_bad_batch_size_is_refused(batch_size):
    with pytest.raises(ValueError, match=f"batch_size must be a positive int. Received: batch_size={batch_size!r}"):
        list(batch_slices(4, batch_size))


def test_batches_of_one_array_and_of_several_with_a_missing_one():
    x, y = np.arange(5), np.arange(5) * 10
    assert [batch.tolist() for batch in batches(x, 2)] == [[0, 1], [2, 3], [4]]
    pairs = list(batches((x, None, y), 4))
    assert [(a.tolist(), b, c.tolist()) for a, b, c in pairs] == [
        ([0, 1, 2, 3], None, [0, 10, 20, 30]),
        ([4], None, [40]),
    ]


def test_batches_refuse_arrays_of_different_lengths():
    with pytest.raises(ValueError, match=r"as many rows each. Received: lengths=\[2, 3\]"):
        list(batches((np.zeros(3), np.zeros(2)), 2))


def test_map_in_batches_joins_outputs_and_calls_fn_per_batch():
    calls = []

    def double(batch):
        calls.append(len(batch))
        return batch * 2

    np.testing.assert_array_equal(map_in_batches(double, np.arange(5), 2), np.arange(5) * 2)
    assert calls == [2, 2, 1]


def test_map_in_batches_with_several_inputs_and_outputs():
    x, y = np.arange(6.0).reshape(3, 2), np.array([1.0, 2.0, 3.0])
    total, first = map_in_batches(lambda a, b: (a.sum(axis=1) + b, a[:, :1]), (x, y), 2)
    np.testing.assert_array_equal(total, [2.0, 7.0, 12.0])
    np.testing.assert_array_equal(first, [[0.0], [2.0], [4.0]])


def test_map_in_batches_of_no_rows_keeps_the_output_shape():
    result = map_in_batches(lambda batch: np.zeros((len(batch), 3, 2)), np.zeros((0, 5)), 4)
    assert result.shape == (0, 3, 2)
