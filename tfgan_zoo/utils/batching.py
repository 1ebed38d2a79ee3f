"""Walking arrays a batch of rows at a time, and mapping a function over those batches."""

import numpy as np

from tfgan_zoo.utils import validation


def batch_slices(count, batch_size):
    """Yields the `slice`s of `batch_size` consecutive rows that cover `count` rows (the last may be shorter)."""
    validation.check_int("batch_size", batch_size)
    for start in range(0, count, batch_size):
        yield slice(start, start + batch_size)


def batches(arrays, batch_size):
    """Yields the rows of `arrays` `batch_size` at a time (the last batch may be shorter).

    Args:
        arrays: one array, or a tuple of arrays with as many rows each (a
            None in the tuple stays None in every batch, e.g. absent labels).
        batch_size: rows per batch, a positive int.

    Yields:
        A slice of the array, or a tuple of slices for a tuple of arrays.

    Raises:
        ValueError: on a bad `batch_size`, or arrays of different lengths.
    """
    several = isinstance(arrays, tuple)
    parts = arrays if several else (arrays,)
    lengths = {len(part) for part in parts if part is not None}
    if len(lengths) != 1:
        raise ValueError(f"The arrays must have as many rows each. Received: lengths={sorted(lengths)}")
    for rows in batch_slices(lengths.pop(), batch_size):
        batch = tuple(None if part is None else part[rows] for part in parts)
        yield batch if several else batch[0]


def map_in_batches(fn, arrays, batch_size):
    """`fn` applied to `arrays` batch by batch, its outputs as numpy arrays joined along the rows.

    Args:
        fn: takes one batch (for a tuple of arrays, one argument per array)
            and returns an array or tensor, or a tuple or list of them.
        arrays: as in `batches`.
        batch_size: rows per call of `fn`.

    Returns:
        A numpy array, or a tuple of them when `fn` returns several. An empty
        input is given to `fn` once as it is, so the result keeps the shape
        `fn` gives after the rows.
    """
    call = (lambda batch: fn(*batch)) if isinstance(arrays, tuple) else fn
    outputs = [call(batch) for batch in batches(arrays, batch_size)] or [call(arrays)]
    if isinstance(outputs[0], (tuple, list)):
        return tuple(
            np.concatenate([np.asarray(output[index]) for output in outputs]) for index in range(len(outputs[0]))
        )
    return np.concatenate([np.asarray(output) for output in outputs])
