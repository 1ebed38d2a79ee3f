"""Scaling, resizing, channel conversion and batching shared by all sources.

This is the one place that turns raw examples into model inputs, so every
source (TFDS, IDX, folders, npz, generators) produces identical tensors.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import tensorflow as tf

from tfgan_zoo.utils import batching, validation

RESIZE_MODES = ("bilinear", "pad")
TFDS_SHUFFLE_BUFFER = 10_000
# Examples transformed at once by `transform_array`; bounds peak memory when
# a whole dataset is converted to numpy.
_ARRAY_CHUNK = 4096


@dataclasses.dataclass(frozen=True)
class Transform:
    """How raw examples become model inputs.

    Images are scaled to [-1, 1] (uint8 ``v -> v / 127.5 - 1``; floats are
    taken as already scaled), then resized or padded to `image_size`, then
    converted to `channels`. Points are only cast to float32.

    Attributes:
        image_size: Square output side in pixels, or None to keep the size.
        channels: 1 or 3 to convert grayscale <-> RGB, or None to keep.
        resize: "bilinear" (antialiased resize) or "pad" (centre the image on
            a background of -1).
    """

    image_size: int | None = None
    channels: int | None = None
    resize: str = "bilinear"

    def __post_init__(self):
        if self.image_size is not None:
            validation.check_int("image_size", self.image_size)
        if self.channels not in (None, 1, 3) or isinstance(self.channels, bool):
            raise ValueError(
                f"`channels` must be None, 1 or 3. Received: channels={self.channels!r}"
            )
        validation.check_choice("resize", self.resize, RESIZE_MODES)

    def output_shape(self, shape: tuple, kind: str) -> tuple:
        """Per-example output shape for a raw per-example `shape`.

        Args:
            shape: Raw shape, ``(H, W, C)`` for images (H or W may be None
                when sizes vary) or ``(2,)`` for points.
            kind: "image" or "points".

        Raises:
            ValueError: If the options do not fit the data.
        """
        if kind == "points":
            if self.image_size is not None or self.channels is not None:
                raise ValueError(
                    "`image_size` and `channels` apply to image datasets only; this "
                    f"one holds 2-D points. Received: image_size={self.image_size!r}, "
                    f"channels={self.channels!r}"
                )
            return tuple(shape)
        height, width, depth = shape
        if self.image_size is None and (height is None or width is None):
            raise ValueError(
                "Images of this dataset vary in size; pass `image_size` to resize "
                f"them. Received: image_size=None for image shape {tuple(shape)}"
            )
        if self.resize == "pad" and self.image_size is not None:
            if max(height or 0, width or 0) > self.image_size:
                raise ValueError(
                    f"resize='pad' cannot shrink {height}x{width} images to "
                    f"{self.image_size}x{self.image_size}; use resize='bilinear' or a "
                    f"larger size. Received: image_size={self.image_size!r}"
                )
        if self.channels is not None and depth != self.channels and depth not in (1, 3):
            raise ValueError(
                f"Cannot convert {depth}-channel images to {self.channels} channels; "
                f"only 1 <-> 3 is supported. Received: channels={self.channels!r}"
            )
        if self.image_size is not None:
            height = width = self.image_size
        return (height, width, self.channels or depth)

    def __call__(self, x: tf.Tensor, kind: str = "image") -> tf.Tensor:
        """Applies the transform to one example or a batch (rank 3 or 4)."""
        if kind == "points":
            return tf.cast(x, tf.float32)
        x = _to_unit_range(x)
        if self.image_size is not None:
            x = self._resize(x)
        if self.channels is not None:
            x = _convert_channels(x, self.channels)
        return x

    def _resize(self, x: tf.Tensor) -> tf.Tensor:
        size = self.image_size
        if x.shape[-3] == size and x.shape[-2] == size:
            return x
        if self.resize == "bilinear":
            x = tf.image.resize(x, [size, size], method="bilinear", antialias=True)
            # Float rounding in the filter can step a hair outside [-1, 1].
            return tf.clip_by_value(x, -1.0, 1.0)
        height, width = tf.shape(x)[-3], tf.shape(x)[-2]
        # pad_to_bounding_box fills with zeros; shifting by one makes the
        # background -1, the value of a black pixel after scaling.
        padded = tf.image.pad_to_bounding_box(
            x + 1.0, (size - height) // 2, (size - width) // 2, size, size
        )
        return padded - 1.0


def _to_unit_range(x: tf.Tensor) -> tf.Tensor:
    if x.dtype == tf.uint8:
        return tf.cast(x, tf.float32) / 127.5 - 1.0
    return tf.cast(x, tf.float32)


def _convert_channels(x: tf.Tensor, channels: int) -> tf.Tensor:
    depth = x.shape[-1]
    if depth == channels:
        return x
    if channels == 3:
        return tf.image.grayscale_to_rgb(x)
    return tf.image.rgb_to_grayscale(x)


def to_uint8(x: np.ndarray) -> np.ndarray:
    """Inverse of the [-1, 1] scaling, rounded to uint8."""
    return np.clip(np.round((np.asarray(x) + 1.0) * 127.5), 0, 255).astype(np.uint8)


def transform_array(x: np.ndarray, transform: Transform, kind: str) -> np.ndarray:
    """Applies `transform` to a whole numpy array, chunk by chunk."""
    if kind == "points":
        return np.array(x, dtype=np.float32)
    if not len(x):
        return np.zeros((0, *transform.output_shape(x.shape[1:], kind)), np.float32)
    return batching.map_in_batches(lambda chunk: transform(tf.constant(chunk)), x, _ARRAY_CHUNK)


def _order(ds: tf.data.Dataset, buffer_size: int, shuffle: bool, repeat: bool, seed: int):
    # Shuffling before repeating reshuffles every epoch, while the fixed seed
    # makes the whole sequence reproducible, so training can resume with
    # `dataset.skip(steps_done)`.
    if shuffle:
        ds = ds.shuffle(buffer_size, seed=seed, reshuffle_each_iteration=True)
    if repeat:
        ds = ds.repeat()
    return ds


def _index_order(count: int, shuffle: bool, repeat: bool, seed: int) -> tf.data.Dataset:
    """Example indices, epoch after epoch, each epoch a permutation keyed by `(seed, epoch)`.

    A pure function of the seed and the position in the stream, however many
    iterators are made over the dataset (`shuffle(reshuffle_each_iteration=True)`
    would give each new iterator, e.g. the one `tf.distribute` makes, another
    order), so a run under `MirroredStrategy` reads what a one-device run reads
    and `skip(steps_done)` repositions a resumed run.
    """
    epochs = tf.data.Dataset.counter() if repeat else tf.data.Dataset.range(1)
    indices = tf.range(count, dtype=tf.int64)

    def epoch_order(epoch):
        if not shuffle:
            return indices
        return tf.random.experimental.stateless_shuffle(indices, seed=tf.stack([tf.cast(seed, tf.int64), epoch]))

    return epochs.map(epoch_order).unbatch()


def endless_index_batches(count: int, batch_size: int, seed: int) -> tf.data.Dataset:
    """Endless batches of indices in `[0, count)`, a fresh seeded permutation every epoch (see `_index_order`)."""
    return _index_order(count, True, True, seed).batch(batch_size, drop_remainder=True)


def interleaving(num_first: int, num_second: int) -> np.ndarray:
    """The row order that spreads `num_first` rows (first) evenly among `num_second` rows (after them).

    Row i of each group is placed by its centre `(i + 0.5) / count`; ties put
    the first group's row first. `[A, A, B, B]` -> `[A, B, A, B]`. Equal
    parts of a batch so ordered (discriminator minibatches, replicas) each
    get their share of both groups.
    """
    centres = np.concatenate([(np.arange(num_first) + 0.5) / num_first,
                              (np.arange(num_second) + 0.5) / num_second])
    return np.argsort(centres, kind="stable").astype(np.int32)


def from_arrays(
    x: np.ndarray,
    y: np.ndarray | None,
    transform: Transform,
    kind: str,
    *,
    batch_size: int,
    shuffle: bool,
    repeat: bool,
    seed: int,
    drop_remainder: bool,
) -> tf.data.Dataset:
    """Batched dataset over in-memory arrays with a full-size shuffle buffer.

    Indices rather than examples are shuffled and each batch is gathered at
    once: the shuffle stays exact, the buffer stays small and the transform
    runs vectorised over whole batches.
    """
    images = tf.constant(x)
    labels = None if y is None else tf.constant(y, dtype=tf.int32)
    ds = _index_order(len(x), shuffle, repeat, seed)
    ds = ds.batch(batch_size, drop_remainder=drop_remainder)

    def gather(indices):
        batch = transform(tf.gather(images, indices), kind)
        if labels is None:
            return batch
        return batch, tf.gather(labels, indices)

    ds = ds.map(gather, num_parallel_calls=tf.data.AUTOTUNE)
    return ds.prefetch(tf.data.AUTOTUNE)


def from_examples(
    ds: tf.data.Dataset,
    transform: Transform,
    *,
    batch_size: int,
    shuffle: bool,
    repeat: bool,
    seed: int,
    drop_remainder: bool,
) -> tf.data.Dataset:
    """Batched dataset over a stream of ``image`` or ``(image, label)`` examples.

    Examples are transformed one at a time before batching because streamed
    images (e.g. from TFDS) may differ in size until resized.
    """
    ds = _order(ds, TFDS_SHUFFLE_BUFFER, shuffle, repeat, seed)

    def apply(*example):
        if len(example) == 1:
            return transform(example[0])
        return transform(example[0]), example[1]

    ds = ds.map(apply, num_parallel_calls=tf.data.AUTOTUNE)
    ds = ds.batch(batch_size, drop_remainder=drop_remainder)
    return ds.prefetch(tf.data.AUTOTUNE)
