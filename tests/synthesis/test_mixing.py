"""The augmentation data source: every batch mixes real and synthetic rows in exactly the configured ratio."""

import numpy as np
import pytest

from tfgan_zoo import synthesis
from tfgan_zoo.synthesis import mixing


def _sets(num_real=10, num_synthetic=7):
    """Rows identified by their value: real ones positive, synthetic ones negative; labels 0..2."""
    real = (np.arange(1, num_real + 1, dtype=np.float32)[:, None], np.arange(num_real) % 3)
    synthetic = (-np.arange(1, num_synthetic + 1, dtype=np.float32)[:, None], np.arange(num_synthetic) % 3)
    return real, synthetic


def _batches(count, seed=0, batch_size=8, synthetic_per_batch=3):
    real, synthetic = _sets()
    dataset = mixing.mixed_batches(real, synthetic, batch_size, synthetic_per_batch=synthetic_per_batch, seed=seed)
    return list(dataset.take(count).as_numpy_iterator())


def test_every_batch_holds_exactly_the_configured_synthetic_rows_spread_through_it():
    batches = _batches(12)
    seen_real, seen_synthetic = set(), set()
    for x, y in batches:
        values = x[:, 0]
        assert x.shape == (8, 1) and y.dtype == np.int32
        assert int(np.sum(values < 0)) == 3
        # Spread evenly: one synthetic row in each third of the batch (rows 0-2, 3-5, 6-7 hold 1, 1, 1).
        assert [int(np.sum(part < 0)) for part in np.array_split(values, 3)] == [1, 1, 1]
        # Every row keeps its own label.
        np.testing.assert_array_equal(y, (np.abs(values).astype(int) - 1) % 3)
        seen_real |= set(values[values > 0].tolist())
        seen_synthetic |= set(values[values < 0].tolist())
    assert seen_real == set(range(1, 11)) and seen_synthetic == {-v for v in range(1, 8)}


def test_the_sequence_is_a_function_of_the_seed():
    first, again, other = _batches(4), _batches(4), _batches(4, seed=1)
    for (a, _), (b, _) in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert any(not np.array_equal(a, b) for (a, _), (b, _) in zip(first, other))


def test_load_mixes_a_dataset_spec_with_a_synthetic_file(tmp_path):
    path = tmp_path / "synthetic.npz"
    blank = np.zeros((5, 32, 32, 3), np.uint8)
    synthesis.write_synthetic(str(path), synthesis.Synthesized(blank, np.arange(5, dtype=np.int32) % 3, {}, 1))
    x, y = next(iter(mixing.load("gen:shapes:24", f"npz:{path}", 6, synthetic_per_batch=2)))
    # The synthetic images are black everywhere (-1); the shapes are not.
    assert x.shape == (6, 32, 32, 3) and y.shape == (6,)
    assert int(np.sum(np.all(x.numpy() == -1.0, axis=(1, 2, 3)))) == 2


def test_bad_ratios_and_shapes_are_refused():
    real, synthetic = _sets()
    with pytest.raises(ValueError, match="synthetic_per_batch=8"):
        mixing.mixed_batches(real, synthetic, 8, synthetic_per_batch=8)
    with pytest.raises(ValueError, match="synthetic_per_batch=0"):
        mixing.mixed_batches(real, synthetic, 8, synthetic_per_batch=0)
    with pytest.raises(ValueError, match="same shape"):
        mixing.mixed_batches(real, (np.zeros((3, 2)), np.zeros(3)), 8, synthetic_per_batch=2)
