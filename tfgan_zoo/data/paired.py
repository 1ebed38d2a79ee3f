"""Batches for image-to-image models: paired `(source, target)` and unpaired `(domain_a, domain_b)`.

Both are made from any dataset `tfgan_zoo.data.load` reads and a task of
`tfgan_zoo.data.transforms` (e.g. `"edges"`: edge map -> image). Images are
float32 in [-1, 1]; labels, when asked for, are the int32 labels of the
images the pairs were made from (the digit of an MNIST pair). The order is a
pure function of `seed`, so `dataset.skip(steps_done)` resumes a run. A
seeded task's random content (inpainting masks) is keyed by `(seed, batch
index)`, so a resumed run draws the same masks too; its source is the tuple
`(masked images, masks)`.

Example:
    >>> pairs = load_paired("mnist8k:train", "edges", batch_size=64)
    >>> source, target = next(iter(pairs))   # [64, 28, 28, 1] edge maps, digits
    >>> sources, targets, labels = heldout_pairs("mnist8k:train", "edges", 100)   # from mnist8k:test
"""

from __future__ import annotations

import functools

import numpy as np
import tensorflow as tf

from tfgan_zoo import data
from tfgan_zoo.data import pipeline
from tfgan_zoo.data.spec import parse_spec
from tfgan_zoo.data.transforms import parse_task
from tfgan_zoo.utils import validation

# The permutation that splits a dataset into the two halves of an unpaired task.
HALVES_SEED = 4321
# Held-out examples read from a TFDS dataset (others are read whole).
TFDS_HELDOUT_LIMIT = 2048
# Second half of the seed of a seeded task's held-out draws, `[seed, HELDOUT_STREAM]`
# (training batches use `[seed, batch index]`, indices >= 0).
HELDOUT_STREAM = -1


def load_paired(spec, task, batch_size, *, image_size=None, resize="bilinear", split="train", seed=0, labels=False,
                shuffle=True, repeat=True, drop_remainder=True):
    """Batches `(source, target)` of `task` made from the images of `spec`; `(source, target, label)` with labels.

    Args:
        spec: any dataset spec of `tfgan_zoo.data.load` (TFDS included).
        task: a task spec or `transforms.Task`.
        batch_size: pairs per batch.
        image_size: square size of the images pairs are made from, or None to keep.
        resize: `"bilinear"` or `"pad"`.
        split: as in `tfgan_zoo.data.load`.
        seed: seed of the order.
        labels: add the images' labels (the dataset must have them).
        shuffle, repeat, drop_remainder: as in `tfgan_zoo.data.load`.

    Raises:
        ValueError: on a bad argument, or `labels=True` for a dataset without labels.
    """
    task = parse_task(task)
    images = data.load(spec, batch_size, image_size=image_size, resize=resize, split=split, shuffle=shuffle,
                       repeat=repeat, seed=seed, labels=labels, drop_remainder=drop_remainder)
    _check_labelled(images, spec, labels)

    if not task.seeded:
        def pair(batch, *batch_labels):
            return (*task.pair(batch), *batch_labels)

        return images.map(pair, num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)

    def seeded_pair(index, element):
        batch, *batch_labels = element if labels else (element,)
        return (*task.pair(batch, tf.stack([tf.constant(seed, tf.int64), index])), *batch_labels)

    # Enumerated before any skip: the masks of batch i are the same in a resumed run.
    return images.enumerate().map(seeded_pair, num_parallel_calls=tf.data.AUTOTUNE).prefetch(tf.data.AUTOTUNE)


def load_unpaired(spec, task, batch_size, *, spec_b=None, image_size=None, resize="bilinear", split="train", seed=0,
                  labels=False):
    """Endless batches `(a, b)` of two domains that share no image; `(a, b, labels_a, labels_b)` with labels.

    Domain A holds `task`'s sources, domain B its targets. Without `spec_b`
    they are made from the two disjoint halves of `spec` (a fixed seeded
    split of an in-memory dataset: `mnist8k`, `gen:`, `idx:`, `npz:`,
    `folder:`); with `spec_b`, A from `spec` and B from `spec_b` (e.g. a
    TFDS dataset's `trainA` and `trainB` splits with the task `"identity"`).
    The two streams have independent orders.

    Raises:
        ValueError: on a bad argument, halves of a TFDS dataset, or
            `labels=True` for a dataset without labels.
    """
    task = parse_task(task)
    options = dict(image_size=image_size, resize=resize, split=split, labels=labels)
    if spec_b is None:
        if parse_spec(spec).kind == "tfds":
            raise ValueError(
                "Halves of a dataset need an in-memory source; name domain B's TFDS dataset in spec_b. "
                f"Received: spec={spec!r}"
            )
        stream_a, stream_b = _halves(spec, batch_size, seed, **options)
    else:
        stream_a = data.load(spec, batch_size, seed=seed, **options)
        stream_b = data.load(spec_b, batch_size, seed=seed + 1, **options)
    for stream, name in ((stream_a, spec), (stream_b, spec_b or spec)):
        _check_labelled(stream, name, labels)

    def translate(a, b):
        if labels:
            return task.source(a[0]), task.target(b[0]), a[1], b[1]
        return task.source(a), task.target(b)

    dataset = tf.data.Dataset.zip((stream_a, stream_b)).map(translate, num_parallel_calls=tf.data.AUTOTUNE)
    return dataset.prefetch(tf.data.AUTOTUNE)


def _halves(spec, batch_size, seed, *, image_size, resize, split, labels):
    """The endless batches of the two halves of an in-memory dataset, each in its own order."""
    x, y = data.load_arrays(spec, image_size=image_size, resize=resize, split=split)
    order = np.random.default_rng(HALVES_SEED).permutation(len(x))
    streams = []
    for part, half in enumerate(np.array_split(order, 2)):
        half = np.sort(half)
        streams.append(
            pipeline.from_arrays(
                x[half],
                y[half] if labels and y is not None else None,
                pipeline.Transform(),
                "image",
                batch_size=batch_size,
                shuffle=True,
                repeat=True,
                seed=seed + part,
                drop_remainder=True,
            )
        )
    return streams


def heldout_spec(spec):
    """The spec of the examples held out from training on `spec`: a `train...` split becomes `test...`.

    `mnist8k:train` -> `mnist8k:test`, `tfds:cycle_gan/horse2zebra:trainA`
    -> `...:testA`. A spec without a split is read with `split="test"`: the
    held-out quarter of a file source (which training on the whole spec has
    seen) or a fresh draw of a generated one.
    """
    split = parse_spec(spec).split
    if not split or "train" not in split:
        return spec
    return spec[: len(spec) - len(split)] + split.replace("train", "test", 1)


def heldout_pairs(spec, task, num, *, seed=0, image_size=None, resize="bilinear"):
    """`(sources, targets, labels)` of `num` held-out images of `spec` (see `heldout_spec`), as numpy.

    The images are a seeded choice among the held-out split (its first
    `TFDS_HELDOUT_LIMIT` examples for TFDS); `labels` is None for a dataset
    without labels. A seeded task's sources are a tuple of arrays (inpainting:
    masked images and masks) drawn with `[seed, HELDOUT_STREAM]`.

    Raises:
        ValueError: when `num` exceeds the held-out examples.
    """
    task = parse_task(task)
    images, labels = heldout_images(spec, num, seed=seed, image_size=image_size, resize=resize)
    sources, targets = task.pair(tf.constant(images), (seed, HELDOUT_STREAM) if task.seeded else None)
    return tf.nest.map_structure(lambda tensor: tensor.numpy(), sources), targets.numpy(), labels


def heldout_images(spec, num, *, seed=0, image_size=None, resize="bilinear"):
    """`(images, labels)` of `num` held-out examples of `spec` (see `heldout_spec`), a seeded choice, as numpy.

    Images are float32 in [-1, 1]; `labels` is None for a dataset without
    labels. The held-out split is read once per process.

    Raises:
        ValueError: when `num` exceeds the held-out examples.
    """
    validation.check_int("num", num)
    images, labels = _heldout_images(heldout_spec(spec), image_size, resize)
    if num > len(images):
        raise ValueError(
            f"num must be at most the {len(images)} held-out examples of {heldout_spec(spec)!r}. Received: num={num!r}"
        )
    chosen = np.random.default_rng(seed).permutation(len(images))[:num]
    return images[chosen], None if labels is None else labels[chosen]


@functools.lru_cache(maxsize=4)
def _heldout_images(spec, image_size, resize):
    limit = TFDS_HELDOUT_LIMIT if parse_spec(spec).kind == "tfds" else None
    return data.load_arrays(spec, image_size=image_size, resize=resize, split="test", limit=limit)


def _check_labelled(dataset, spec, labels):
    if labels and not isinstance(dataset.element_spec, tuple):
        raise ValueError(f"{spec!r} has no labels. Received: spec={spec!r}, labels=True")
