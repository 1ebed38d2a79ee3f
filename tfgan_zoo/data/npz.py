"""Images (and optional labels) stored as arrays ``x`` and ``y`` in an .npz file."""

from __future__ import annotations

import os

import numpy as np

from tfgan_zoo.data.raw import RawData, labels_to_int32, num_classes_of

# Float images are taken as already scaled; this slack forgives rounding in
# whatever produced them without accepting [0, 1] or [0, 255] data.
_FLOAT_LIMIT = 1.001


def read_npz(path: str) -> RawData:
    """Reads ``x`` (N, H, W[, C]) and optional ``y`` (N,) from an npz file.

    ``x`` may be uint8 (scaled later), another integer type with values in
    [0, 255], or float already in [-1, 1].

    Raises:
        ValueError: If the file or ``x`` is missing, or the arrays are malformed.
    """
    where = repr(path)
    if not os.path.isfile(os.path.expanduser(path)):
        raise ValueError(f"npz file {where} does not exist. Received: path={path!r}")
    with np.load(os.path.expanduser(path), allow_pickle=False) as arrays:
        if "x" not in arrays.files:
            raise ValueError(
                f"npz file {where} has no array 'x'. Keys found: {sorted(arrays.files)}"
            )
        x = arrays["x"]
        y = arrays["y"] if "y" in arrays.files else None
    if x.ndim == 3:
        x = x[..., None]
    if x.ndim != 4 or len(x) == 0:
        raise ValueError(
            f"Array 'x' in npz file {where} must have shape (N, H, W) or (N, H, W, C) "
            f"with N > 0. Received: x.shape={x.shape}"
        )
    x = _check_values(x, where)
    if y is not None:
        y = labels_to_int32(y, len(x), f"npz file {where}")
    return RawData(x=x, y=y, kind="image", num_classes=num_classes_of(y))


def _check_values(x: np.ndarray, where: str) -> np.ndarray:
    if x.dtype == np.uint8:
        return x
    if np.issubdtype(x.dtype, np.integer) and x.min() >= 0 and x.max() <= 255:
        return x.astype(np.uint8)
    if np.issubdtype(x.dtype, np.floating):
        # Written as a negated "inside" test so that NaN fails too.
        if not np.all((x >= -_FLOAT_LIMIT) & (x <= _FLOAT_LIMIT)):
            raise ValueError(
                f"Float array 'x' in npz file {where} must lie in [-1, 1]. "
                f"Received: min={np.nanmin(x)}, max={np.nanmax(x)}, "
                f"has NaN={bool(np.isnan(x).any())}"
            )
        return x.astype(np.float32)
    raise ValueError(
        f"Array 'x' in npz file {where} must be uint8 (0..255) or float in [-1, 1]. "
        f"Received: dtype={x.dtype}, min={x.min()}, max={x.max()}"
    )
