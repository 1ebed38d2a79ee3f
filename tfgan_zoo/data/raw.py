"""Containers for decoded data: `RawData` (internal) and `DataInfo` (public)."""

from __future__ import annotations

import dataclasses

import numpy as np


@dataclasses.dataclass(frozen=True)
class DataInfo:
    """Static description of a dataset as `load` would deliver it.

    Attributes:
        shape: Per-example shape after resizing and channel conversion, e.g.
            ``(28, 28, 1)`` for images or ``(2,)`` for points.
        num_classes: Number of label classes, or None without labels.
        num_examples: Examples in the selected split, or None when unknown
            (TFDS datasets that are not downloaded).
        class_names: Name of each class index, or None when unnamed.
        kind: "image" or "points".
    """

    shape: tuple[int, ...]
    num_classes: int | None
    num_examples: int | None
    class_names: tuple[str, ...] | None
    kind: str


@dataclasses.dataclass(frozen=True, eq=False)
class RawData:
    """Decoded, untransformed examples of an in-memory source.

    Attributes:
        x: uint8 images (N, H, W, C), float images already in [-1, 1], or
            float32 points (N, 2). Read-only: it may be shared by a cache.
        y: int32 labels (N,), or None.
        kind: "image" or "points".
        num_classes: Number of classes, or None without labels.
        class_names: Class names, or None when unnamed.
    """

    x: np.ndarray
    y: np.ndarray | None
    kind: str = "image"
    num_classes: int | None = None
    class_names: tuple[str, ...] | None = None

    def __post_init__(self):
        # Cached arrays are handed to many callers; freezing them turns an
        # accidental in-place edit into an error instead of silent corruption.
        self.x.setflags(write=False)
        if self.y is not None:
            self.y.setflags(write=False)

    def subset(self, indices: np.ndarray) -> RawData:
        """The examples at `indices`, with the same class metadata."""
        return dataclasses.replace(
            self, x=self.x[indices], y=None if self.y is None else self.y[indices]
        )

    def describe(self, shape: tuple[int, ...]) -> DataInfo:
        """`DataInfo` of this data once transformed to per-example `shape`."""
        return DataInfo(
            shape=tuple(shape),
            num_classes=self.num_classes,
            num_examples=len(self.x),
            class_names=self.class_names,
            kind=self.kind,
        )


def labels_to_int32(y: np.ndarray, num_examples: int, where: str) -> np.ndarray:
    """Validates integer class labels and converts them to int32.

    Args:
        y: Candidate labels.
        num_examples: Required length.
        where: File or spec named in error messages.

    Raises:
        ValueError: If the labels are not a 1-D array of non-negative ints of
            length `num_examples`.
    """
    y = np.asarray(y)
    if y.ndim != 1 or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(
            f"Labels in {where} must be a 1-D integer array. "
            f"Received: shape={y.shape}, dtype={y.dtype}"
        )
    if len(y) != num_examples:
        raise ValueError(
            f"Labels in {where} number {len(y)} but there are {num_examples} images. "
            f"Received: len(y)={len(y)}"
        )
    if len(y) and y.min() < 0:
        raise ValueError(
            f"Labels in {where} must be >= 0. Received: min label {int(y.min())}"
        )
    return y.astype(np.int32)


def num_classes_of(y: np.ndarray | None) -> int | None:
    """Classes implied by labels 0..max, or None without labels."""
    if y is None or len(y) == 0:
        return None
    return int(y.max()) + 1
