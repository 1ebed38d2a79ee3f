"""Training batches for semi-supervised learning: a few labelled examples among many unlabelled ones.

A fixed subset of `num_labelled` examples keeps its labels (class-balanced by
default, chosen by `selection_seed`); every example of the split, those
included, also serves as unlabelled data with the label -1. Each batch mixes
`labelled_per_batch` examples drawn from the labelled subset with
unlabelled ones, as Salimans et al. (2016) feed a labelled and an unlabelled
minibatch to every discriminator update. The labelled rows are spread evenly
through the batch, so the equal parts a training step splits a batch into
(discriminator minibatches, replicas) each get their share.

Example:
    >>> ds = load("mnist8k:train", batch_size=64, num_labelled=100)
    >>> images, labels = next(iter(ds))   # labels: 32 in [0, 10), 32 equal to -1
    >>> x, y = labelled_arrays("mnist8k:train", 100)   # the same 100 examples, for a baseline
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from tfgan_zoo.data import pipeline, sources
from tfgan_zoo.data.pipeline import endless_index_batches, interleaving
from tfgan_zoo.utils import validation

UNLABELLED = -1


def select_labelled(labels, num_labelled, *, seed=0, balanced=True):
    """Indices of the examples that keep their labels, sorted.

    Args:
        labels: integer labels of every example `[N]`.
        num_labelled: how many examples keep their label.
        seed: seed of the choice.
        balanced: the same number from every class (the first
            `num_labelled % K` classes of a seeded order get one more), as in
            Salimans et al.'s 10 labels per MNIST digit; else a uniform choice.

    Raises:
        ValueError: if `num_labelled` is not in `[1, N]` or a class has too
            few examples.
    """
    labels = np.asarray(labels).reshape(-1)
    validation.check_int("num_labelled", num_labelled)
    if num_labelled > len(labels):
        raise ValueError(
            f"num_labelled must be at most the {len(labels)} examples of the split. "
            f"Received: num_labelled={num_labelled!r}"
        )
    rng = np.random.default_rng(seed)
    if not balanced:
        return np.sort(rng.choice(len(labels), num_labelled, replace=False))
    classes = rng.permutation(np.unique(labels))
    counts = np.full(len(classes), num_labelled // len(classes))
    counts[: num_labelled % len(classes)] += 1
    chosen = []
    for label, count in zip(classes, counts):
        members = np.flatnonzero(labels == label)
        if count > len(members):
            raise ValueError(
                f"Class {label} has {len(members)} examples, fewer than the {count} a balanced choice of "
                f"{num_labelled} needs. Received: num_labelled={num_labelled!r}"
            )
        chosen.append(rng.choice(members, count, replace=False))
    return np.sort(np.concatenate(chosen))


def labelled_arrays(spec, num_labelled, *, image_size=None, resize="bilinear", split="train", selection_seed=0,
                    balanced=True):
    """The labelled examples `load` would use, as numpy `(x, y)` (x scaled as in `tfgan_zoo.data.load`).

    Train a plain classifier on these to compare with the semi-supervised model.
    """
    data, transform = _read(spec, image_size, resize, split)
    chosen = select_labelled(data.y, num_labelled, seed=selection_seed, balanced=balanced)
    x = pipeline.transform_array(data.x[chosen], transform, data.kind)
    return x, np.asarray(data.y[chosen], np.int32)


def load(spec, batch_size, *, num_labelled=100, labelled_per_batch=None, image_size=None, resize="bilinear",
         split="train", seed=0, selection_seed=0, balanced=True):
    """Endless `(x, y)` batches in which `labelled_per_batch` rows are labelled and the rest have y = -1.

    The order is a pure function of `seed` (so `skip(steps_done)` resumes a
    run), the labelled subset one of `selection_seed`.

    Args:
        spec: an in-memory dataset spec with labels (`mnist8k:train`,
            `gen:shapes`, `idx:...`, `npz:...`, `folder:...`).
        batch_size: rows per batch.
        num_labelled: examples that keep their labels, in all.
        labelled_per_batch: labelled rows per batch, in `[1, batch_size)`;
            default half the batch.
        image_size: square output size in pixels, or None to keep.
        resize: `"bilinear"` or `"pad"`.
        split: `"train"` or `"test"`; a split in the spec takes precedence.
        seed: seed of the order of both streams.
        selection_seed: seed of which examples keep their labels.
        balanced: see `select_labelled`.

    Raises:
        ValueError: on a bad argument, a TFDS spec or a source without labels.
    """
    validation.check_int("batch_size", batch_size)
    if labelled_per_batch is None:
        labelled_per_batch = max(1, batch_size // 2)
    validation.check_int("labelled_per_batch", labelled_per_batch)
    if labelled_per_batch >= batch_size:
        raise ValueError(
            f"labelled_per_batch must be below batch_size={batch_size} to leave room for unlabelled rows. "
            f"Received: labelled_per_batch={labelled_per_batch!r}"
        )
    data, transform = _read(spec, image_size, resize, split)
    chosen = select_labelled(data.y, num_labelled, seed=selection_seed, balanced=balanced)
    samples = tf.constant(data.x)
    chosen_rows, chosen_labels = tf.constant(chosen, tf.int64), tf.constant(data.y[chosen], tf.int32)
    num_unlabelled = batch_size - labelled_per_batch
    order = tf.constant(interleaving(labelled_per_batch, num_unlabelled))

    def merge(labelled_positions, unlabelled_rows):
        rows = tf.concat([tf.gather(chosen_rows, labelled_positions), unlabelled_rows], axis=0)
        labels = tf.concat(
            [tf.gather(chosen_labels, labelled_positions), tf.fill([num_unlabelled], UNLABELLED)], axis=0
        )
        rows, labels = tf.gather(rows, order), tf.gather(labels, order)
        return transform(tf.gather(samples, rows), data.kind), labels

    labelled = endless_index_batches(len(chosen), labelled_per_batch, seed)
    unlabelled = endless_index_batches(len(data.x), num_unlabelled, seed)
    dataset = tf.data.Dataset.zip((labelled, unlabelled)).map(merge, num_parallel_calls=tf.data.AUTOTUNE)
    return dataset.prefetch(tf.data.AUTOTUNE)


def _read(spec, image_size, resize, split):
    return sources.read_labelled(spec, split, image_size, resize, "Semi-supervised batches")
