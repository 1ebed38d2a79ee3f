"""A `tf.data` source that mixes real and synthetic labelled examples in a fixed ratio per batch.

Every batch holds exactly `synthetic_per_batch` synthetic rows and
`batch_size - synthetic_per_batch` real ones, spread evenly through the
batch (so the equal parts a training step splits a batch into each get
their share). Each stream runs through its own seeded permutation, epoch
after epoch, so the sequence is a pure function of `seed` and
`dataset.skip(n)` resumes it.

Example:
    >>> ds = load("npz:imbalanced.npz", "npz:synthetic.npz", batch_size=64, synthetic_per_batch=16)
    >>> images, labels = next(iter(ds))   # 48 real and 16 synthetic rows, interleaved
"""

import numpy as np
import tensorflow as tf

from tfgan_zoo import data
from tfgan_zoo.data import pipeline
from tfgan_zoo.utils import validation


def mixed_batches(real, synthetic, batch_size, *, synthetic_per_batch, seed=0):
    """Endless `(x, y)` batches mixing two labelled sets of arrays.

    Args:
        real: `(x, y)` numpy arrays of real examples, x as the model takes it
            (float32 in [-1, 1] for images).
        synthetic: `(x, y)` of synthetic examples of the same sample shape.
        batch_size: rows per batch.
        synthetic_per_batch: synthetic rows in every batch, in
            `[1, batch_size)`.
        seed: seed of both streams' order.

    Raises:
        ValueError: on bad counts or arrays that do not fit together.
    """
    validation.check_int("batch_size", batch_size)
    validation.check_int("synthetic_per_batch", synthetic_per_batch)
    if synthetic_per_batch >= batch_size:
        raise ValueError(
            f"synthetic_per_batch must be below batch_size={batch_size} to leave room for real rows. "
            f"Received: synthetic_per_batch={synthetic_per_batch!r}"
        )
    (real_x, real_y), (synthetic_x, synthetic_y) = _checked("real", real), _checked("synthetic", synthetic)
    if real_x.shape[1:] != synthetic_x.shape[1:]:
        raise ValueError(
            f"Real and synthetic samples must have the same shape. Received: real {real_x.shape[1:]}, "
            f"synthetic {synthetic_x.shape[1:]}"
        )
    num_real = batch_size - synthetic_per_batch
    # Synthetic rows first, then real ones, each group spread through the batch.
    order = tf.constant(pipeline.interleaving(synthetic_per_batch, num_real))
    samples = tf.constant(np.concatenate([synthetic_x, real_x]))
    labels = tf.constant(np.concatenate([synthetic_y, real_y]))
    offset = tf.constant(len(synthetic_x), tf.int64)

    def merge(synthetic_rows, real_rows):
        rows = tf.gather(tf.concat([synthetic_rows, real_rows + offset], axis=0), order)
        return tf.gather(samples, rows), tf.gather(labels, rows)

    streams = (
        pipeline.endless_index_batches(len(synthetic_x), synthetic_per_batch, seed),
        pipeline.endless_index_batches(len(real_x), num_real, seed + 1),
    )
    return tf.data.Dataset.zip(streams).map(merge, num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)


def load(real_spec, synthetic_spec, batch_size, *, synthetic_per_batch, seed=0, split="train", image_size=None):
    """`mixed_batches` of two dataset specs, e.g. ``mnist8k:train`` and ``npz:synthetic.npz``.

    Both are read whole with `tfgan_zoo.data.load_arrays` (`split` applies to
    the real spec; the synthetic file is read whole); `image_size` resizes
    both.
    """
    real = data.load_arrays(real_spec, split=split, image_size=image_size)
    synthetic = data.load_arrays(synthetic_spec, image_size=image_size)
    for spec, (_, labels) in ((real_spec, real), (synthetic_spec, synthetic)):
        if labels is None:
            raise ValueError(f"Mixed batches need labelled datasets. Received: spec={spec!r} without labels")
    return mixed_batches(real, synthetic, batch_size, synthetic_per_batch=synthetic_per_batch, seed=seed)


def _checked(name, arrays):
    x, y = arrays
    x, y = np.asarray(x, np.float32), np.asarray(y, np.int32).reshape(-1)
    if len(x) == 0 or len(x) != len(y):
        raise ValueError(
            f"{name} needs as many labels as samples, at least one. Received: {len(x)} samples, {len(y)} labels"
        )
    return x, y
