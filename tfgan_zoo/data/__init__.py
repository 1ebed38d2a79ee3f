"""Datasets for GAN training, addressed by spec strings.

Specs: ``tfds:NAME[:SPLIT]``, ``idx:DIR[:train|test]``, ``mnist8k[:train|test]``,
``folder:DIR``, ``npz:FILE`` and ``gen:NAME[:N]`` with NAME in ``ring8``,
``grid25``, ``shapes``. Images come out float32 in [-1, 1], points as raw
float32 coordinates, labels as int32.

Example:
    >>> ds = tfgan_zoo.data.load("gen:shapes", batch_size=64)
    >>> images, labels = next(iter(ds))   # [64, 32, 32, 3], [64]
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from tfgan_zoo.data import pipeline, sources, tfds_source
from tfgan_zoo.data.mixtures import MIXTURES, Mixture
from tfgan_zoo.data.pipeline import Transform
from tfgan_zoo.data.raw import DataInfo
from tfgan_zoo.data.shapes import render_shapes
from tfgan_zoo.data.spec import parse_spec
from tfgan_zoo.utils import validation

__all__ = ["DataInfo", "MIXTURES", "Mixture", "info", "load", "recipe_info", "load_arrays", "render_shapes"]

_SPLITS = ("train", "test", "validation")


def _tfds_split(spec, split: str) -> str:
    # A split written in the spec ("tfds:mnist:test[:50%]") wins.
    return spec.split or split


def _tfds_info(spec, split: str, transform: Transform) -> tuple[DataInfo, bool]:
    """`DataInfo` of a TFDS spec and whether it has a ``label`` feature."""
    facts = tfds_source.describe(spec.target, _tfds_split(spec, split), spec.text)
    description = DataInfo(
        shape=transform.output_shape(facts["shape"], "image"),
        num_classes=facts["num_classes"],
        num_examples=facts["num_examples"],
        class_names=facts["class_names"],
        kind="image",
    )
    return description, facts["has_labels"]


def info(
    spec: str, *, image_size: int | None = None, channels: int | None = None,
    resize: str = "bilinear",
) -> DataInfo:
    """Describes the dataset `load` would return, reading in-memory data once.

    `num_examples` counts the split named in the spec, else the "train" split
    (all examples of single-file-set sources).

    Args:
        spec: Dataset spec string.
        image_size: Square output size in pixels, or None to keep.
        channels: 1 or 3 to convert, or None to keep.
        resize: "bilinear" or "pad".

    Raises:
        ValueError: On an invalid spec or option.
    """
    parsed, transform = parse_spec(spec), Transform(image_size, channels, resize)
    if parsed.kind == "tfds":
        return _tfds_info(parsed, "train", transform)[0]
    data = sources.read(parsed, "train", image_size, resize)
    return data.describe(transform.output_shape(data.x.shape[1:], data.kind))


def recipe_info(recipe) -> DataInfo:
    """`info` of the data a recipe trains on: its `dataset` at its `image_size` and `resize`."""
    return info(recipe.dataset, image_size=recipe.image_size or None, resize=recipe.resize)


def load(
    spec: str, batch_size: int, *, image_size: int | None = None,
    channels: int | None = None, resize: str = "bilinear", split: str = "train",
    shuffle: bool = True, repeat: bool = True, seed: int = 0, labels: bool = True,
    drop_remainder: bool = True,
) -> tf.data.Dataset:
    """Batched, prefetching dataset of `spec`.

    Elements are ``(x, y)`` when the source has labels and `labels` is True,
    else ``x``: x is float32 ``[B, H, W, C]`` in [-1, 1] for images or
    ``[B, 2]`` raw coordinates for points; y is int32 ``[B]``. Equal seeds
    give equal batch sequences, so ``load(...).skip(n)`` resumes training.

    Args:
        spec: Dataset spec string.
        batch_size: Examples per batch, a positive int.
        image_size: Square output size in pixels, or None to keep.
        channels: 1 or 3 to convert, or None to keep.
        resize: "bilinear" (antialiased) or "pad" (centred on -1).
        split: "train", "test" or "validation" (TFDS only); a split in the
            spec takes precedence.
        shuffle: Shuffle every epoch (seeded).
        repeat: Repeat forever.
        seed: Shuffle seed.
        labels: Include labels when the source has them.
        drop_remainder: Drop a final partial batch.

    Raises:
        ValueError: On an invalid spec or argument.
    """
    validation.check_int("batch_size", batch_size)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(f"`seed` must be an int. Received: seed={seed!r}")
    validation.check_choice("split", split, _SPLITS)
    parsed, transform = parse_spec(spec), Transform(image_size, channels, resize)
    options = dict(
        batch_size=batch_size, shuffle=shuffle, repeat=repeat, seed=seed,
        drop_remainder=drop_remainder,
    )
    if parsed.kind == "tfds":
        with_labels = labels and _tfds_info(parsed, split, transform)[1]
        stream = tfds_source.examples(parsed.target, _tfds_split(parsed, split), with_labels)
        return pipeline.from_examples(stream, transform, **options)
    data = sources.read(parsed, split, image_size, resize)
    transform.output_shape(data.x.shape[1:], data.kind)
    y = data.y if labels else None
    return pipeline.from_arrays(data.x, y, transform, data.kind, **options)


def load_arrays(
    spec: str, *, image_size: int | None = None, channels: int | None = None,
    resize: str = "bilinear", split: str = "train", limit: int | None = None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """The whole split of `spec` as numpy arrays, in source order.

    Args:
        spec: Dataset spec string.
        image_size: Square output size in pixels, or None to keep.
        channels: 1 or 3 to convert, or None to keep.
        resize: "bilinear" or "pad".
        split: As in `load`.
        limit: Read at most this many examples (the first ones). Required for
            ``tfds:`` specs, which may be too large for memory.

    Returns:
        ``(x, y)``: float32 x scaled as in `load`, int32 y or None.

    Raises:
        ValueError: On an invalid spec or argument.
    """
    if limit is not None:
        validation.check_int("limit", limit)
    validation.check_choice("split", split, _SPLITS)
    parsed, transform = parse_spec(spec), Transform(image_size, channels, resize)
    if parsed.kind == "tfds":
        if limit is None:
            raise ValueError(
                f"`limit` is required for TFDS datasets, which may not fit in memory. "
                f"Received: limit=None, spec={spec!r}"
            )
        return _tfds_arrays(parsed, split, transform, limit)
    data = sources.read(parsed, split, image_size, resize)
    transform.output_shape(data.x.shape[1:], data.kind)
    x, y = data.x[:limit], None if data.y is None else data.y[:limit]
    x = pipeline.transform_array(x, transform, data.kind)
    return x, None if y is None else np.array(y, dtype=np.int32)


def _tfds_arrays(spec, split: str, transform: Transform, limit: int):
    description, with_labels = _tfds_info(spec, split, transform)
    stream = tfds_source.examples(spec.target, _tfds_split(spec, split), with_labels)
    batches = pipeline.from_examples(
        stream.take(limit), transform, batch_size=256, shuffle=False, repeat=False,
        seed=0, drop_remainder=False,
    )
    xs, ys = [], []
    for batch in batches.as_numpy_iterator():
        xs.append(batch[0] if with_labels else batch)
        if with_labels:
            ys.append(batch[1])
    x = np.concatenate(xs) if xs else np.zeros((0, *description.shape), np.float32)
    y = (np.concatenate(ys) if ys else np.zeros((0,), np.int32)) if with_labels else None
    return x, y
