"""Reading of in-memory sources (idx, mnist8k, folder, npz, gen) by split.

Decoded arrays are cached, so `info` followed by `load` reads files once.

Splits: sources made of a single file set (IDX ``images-idx3-ubyte``, folders,
npz files) are split deterministically: a permutation with seed 1234 puts
the last quarter in "test" and the rest in "train". Without a split in the
spec, ``split="train"`` means *all* examples (the documented meaning of
``mnist8k``), so train on ``NAME:train`` when evaluating on "test".
Generators draw "test" as a fresh sample with another data seed.
"""

from __future__ import annotations

import functools
import os

import numpy as np

from tfgan_zoo.data import folder, idx, npz, shapes, stacked
from tfgan_zoo.data.mixtures import DEFAULT_NUM_POINTS, MIXTURES
from tfgan_zoo.data.pipeline import Transform
from tfgan_zoo.data.raw import RawData
from tfgan_zoo.data.spec import HOLDOUT_SPLITS, Spec, parse_spec

HOLDOUT_SEED = 1234
# Generated data uses its own seeds, independent of the shuffle seed, so
# that every run trains on the same points.
_GEN_SEEDS = {"train": 0, "test": 1}


@functools.lru_cache(maxsize=8)
def _read(kind: str, target: str, part: str | None, size: int | None, resize: str) -> RawData:
    """Decodes one source; arguments form the cache key."""
    if kind == "idx":
        return idx.read_dir(target, part)
    if kind == "folder":
        return folder.read_folder(target, size, resize)
    if kind == "npz":
        return npz.read_npz(target)
    raise AssertionError(f"not a file source: {kind}")


@functools.lru_cache(maxsize=8)
def _generate(name: str, count: int | None, split: str, image_size: int | None) -> RawData:
    seed = _GEN_SEEDS[split]
    if name == "shapes":
        images, factors = shapes.render_shapes(
            count or shapes.DEFAULT_NUM_IMAGES, image_size or shapes.DEFAULT_IMAGE_SIZE, seed
        )
        return RawData(
            x=images, y=factors["shape"], kind="image",
            num_classes=len(shapes.SHAPE_NAMES), class_names=shapes.SHAPE_NAMES,
        )
    if name == "stacked_mnist8k":
        digits = read(parse_spec(f"mnist8k:{split}"), split, None, "bilinear")
        images, modes = stacked.stack_digits(digits.x, digits.y, count or stacked.DEFAULT_NUM_IMAGES, seed)
        return RawData(x=images, y=modes, kind="image", num_classes=stacked.NUM_MODES)
    mixture = MIXTURES[name]
    points, modes = mixture.sample(count or DEFAULT_NUM_POINTS, seed)
    return RawData(x=points, y=modes, kind="points", num_classes=len(mixture.centers))


def holdout(data: RawData, split: str) -> RawData:
    """The deterministic "train" (3/4) or "test" (1/4) part of `data`."""
    order = np.random.default_rng(HOLDOUT_SEED).permutation(len(data.x))
    num_train = len(order) - len(order) // 4
    part = order[:num_train] if split == "train" else order[num_train:]
    # Sorting keeps the original file order within each part.
    return data.subset(np.sort(part))


def read(spec: Spec, split: str, image_size: int | None, resize: str) -> RawData:
    """The examples of `spec` in the requested split.

    Args:
        spec: A parsed spec of an in-memory kind.
        split: "train" or "test"; a split inside the spec takes precedence.
        image_size: Requested output size; shapes render at it directly and
            folders of mixed sizes are resized to it while loading.
        resize: Requested resize mode.

    Raises:
        ValueError: If the split is not available or the source is invalid.
    """
    wanted = spec.split or split
    if wanted not in HOLDOUT_SPLITS:
        raise ValueError(
            f"Dataset {spec.text!r} offers the splits {HOLDOUT_SPLITS}. "
            f"Received: split={wanted!r}"
        )
    if spec.kind == "gen":
        # Rendering at the target size beats resizing; "pad" keeps its
        # meaning of padding the default rendering.
        size = image_size if resize == "bilinear" else None
        return _generate(spec.target, spec.count, wanted, size)
    directory = idx.mnist8k_dir(spec.text) if spec.kind == "mnist8k" else spec.target
    kind = "idx" if spec.kind == "mnist8k" else spec.kind
    key = os.path.abspath(os.path.expanduser(directory))
    if not os.path.exists(key):
        what = "file" if kind == "npz" else "directory"
        raise ValueError(
            f"The {what} {directory!r} of dataset {spec.text!r} does not exist. "
            f"Received: spec={spec.text!r}"
        )
    if kind == "idx" and os.path.isdir(key) and idx.has_split_files(key):
        return _read(kind, key, wanted, None, resize)
    if kind != "folder":
        # Only folders use the size while reading; a fixed key shares the cache.
        image_size, resize = None, "bilinear"
    data = _read(kind, key, None, image_size, resize)
    if spec.split is None and wanted == "train":
        return data
    return holdout(data, wanted)


def read_labelled(spec: str, split: str, image_size: int | None, resize: str, purpose: str):
    """`(RawData, Transform)` of an in-memory labelled source, for readers that pick examples by label.

    Args:
        spec: The dataset spec string.
        split: "train" or "test"; a split in the spec takes precedence.
        image_size: Square output size in pixels, or None to keep.
        resize: "bilinear" or "pad".
        purpose: What needs the labels, e.g. "Semi-supervised batches", for
            the error messages.

    Raises:
        ValueError: On a TFDS spec, a source without labels or bad options.
    """
    parsed, transform = parse_spec(spec), Transform(image_size, None, resize)
    if parsed.kind == "tfds":
        raise ValueError(f"{purpose} need an in-memory source, not TFDS. Received: spec={spec!r}")
    data = read(parsed, split, image_size, resize)
    if data.y is None:
        raise ValueError(f"{purpose} need a dataset with labels. Received: spec={spec!r}")
    transform.output_shape(data.x.shape[1:], data.kind)
    return data, transform
