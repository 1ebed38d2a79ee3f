"""MNIST IDX files: header parsing, file discovery and the mnist8k location.

An IDX file starts with a big-endian magic number ``0x0000TTNN`` (TT = 0x08
for uint8 payloads, NN = number of dimensions), then NN big-endian uint32
sizes, then the payload. Images use magic 2051 (3 dims), labels 2049 (1 dim).
Files may be gzip-compressed; compression is detected from the content.
"""

from __future__ import annotations

import gzip
import os
import pathlib
import struct

import numpy as np

from tfgan_zoo.data.raw import RawData, labels_to_int32, num_classes_of

IMAGES_MAGIC = 2051
LABELS_MAGIC = 2049
MNIST8K_ENV = "TFGAN_ZOO_MNIST8K"
_GZIP_MAGIC = b"\x1f\x8b"
# File stems per split. The first entry is the single file set of mnist8k;
# the others are the names of the official MNIST distribution.
_SINGLE = ("images-idx3-ubyte", "labels-idx1-ubyte")
_BY_SPLIT = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


def read_idx(path: str | os.PathLike, expected_magic: int) -> np.ndarray:
    """Reads one uint8 IDX file (gzip-compressed or not).

    Args:
        path: The file.
        expected_magic: IMAGES_MAGIC or LABELS_MAGIC.

    Returns:
        The payload as a uint8 array shaped by the header.

    Raises:
        ValueError: On a wrong magic number or a payload of the wrong size.
    """
    with open(path, "rb") as handle:
        content = handle.read()
    if content[:2] == _GZIP_MAGIC:
        try:
            content = gzip.decompress(content)
        except (OSError, EOFError) as error:
            raise ValueError(f"IDX file {str(path)!r} is a corrupt gzip file: {error}") from error
    if len(content) < 4:
        raise ValueError(f"IDX file {str(path)!r} is too short to hold a header.")
    (magic,) = struct.unpack(">I", content[:4])
    if magic != expected_magic:
        raise ValueError(
            f"IDX file {str(path)!r} has magic number {magic}, expected {expected_magic}."
        )
    ndim = magic & 0xFF
    header_size = 4 + 4 * ndim
    if len(content) < header_size:
        raise ValueError(f"IDX file {str(path)!r} is truncated inside its header.")
    dims = struct.unpack(f">{ndim}I", content[4:header_size])
    expected = header_size + int(np.prod(dims))
    if len(content) != expected:
        problem = "truncated" if len(content) < expected else "longer than its header says"
        raise ValueError(
            f"IDX file {str(path)!r} is {problem}: header {dims} needs {expected} bytes, "
            f"file has {len(content)}."
        )
    return np.frombuffer(content, dtype=np.uint8, offset=header_size).reshape(dims)


def _find(directory: pathlib.Path, stem: str) -> pathlib.Path | None:
    for name in (stem + ".gz", stem):
        if (directory / name).is_file():
            return directory / name
    return None


def has_split_files(directory: str) -> bool:
    """Whether `directory` holds the official train/t10k file names."""
    return _find(pathlib.Path(directory), _BY_SPLIT["train"][0]) is not None


def read_dir(directory: str, split: str | None) -> RawData:
    """Reads the images (and labels, when present) of an IDX directory.

    Args:
        directory: Directory with either the single set ``images-idx3-ubyte``
            / ``labels-idx1-ubyte`` or the official ``train-*`` / ``t10k-*``
            names, each optionally ``.gz``.
        split: "train" or "test" to choose among official names; None for the
            single set.

    Raises:
        ValueError: If the directory or its image file is missing, or a file
            is malformed or the counts disagree.
    """
    folder = pathlib.Path(directory).expanduser()
    if not folder.is_dir():
        raise ValueError(
            f"IDX directory {directory!r} does not exist. Received: directory={directory!r}"
        )
    images_stem, labels_stem = _SINGLE if split is None else _BY_SPLIT[split]
    images_path = _find(folder, images_stem)
    if images_path is None:
        found = sorted(p.name for p in folder.iterdir())
        raise ValueError(
            f"IDX directory {directory!r} has no {images_stem}[.gz] file. Expected "
            f"images-idx3-ubyte[.gz] or train-/t10k-images-idx3-ubyte[.gz]. Found: {found}"
        )
    x = read_idx(images_path, IMAGES_MAGIC)[..., None]
    labels_path = _find(folder, labels_stem)
    y = None
    if labels_path is not None:
        y = read_idx(labels_path, LABELS_MAGIC)
        if len(y) != len(x):
            raise ValueError(
                f"IDX label file {str(labels_path)!r} holds {len(y)} labels but image "
                f"file {str(images_path)!r} holds {len(x)} images."
            )
        y = labels_to_int32(y, len(x), repr(str(labels_path)))
    num_classes = num_classes_of(y)
    # IDX is MNIST's format, whose classes are the digits themselves.
    names = None if num_classes is None else tuple(str(i) for i in range(num_classes))
    return RawData(x=x, y=y, kind="image", num_classes=num_classes, class_names=names)


def mnist8k_dir(spec: str = "mnist8k") -> str:
    """Locates the shared mnist8k directory.

    Uses the environment variable ``TFGAN_ZOO_MNIST8K`` when set, else the
    first existing of ``<project root>/../shared/datasets/mnist8k`` and
    ``<cwd>/../shared/datasets/mnist8k``.

    Args:
        spec: The spec being resolved, for error messages.

    Raises:
        ValueError: If no candidate directory exists.
    """
    override = os.environ.get(MNIST8K_ENV)
    if override:
        if not os.path.isdir(override):
            raise ValueError(
                f"Environment variable {MNIST8K_ENV} points to a missing directory. "
                f"Received: {MNIST8K_ENV}={override!r}, spec={spec!r}"
            )
        return override
    project_root = pathlib.Path(__file__).resolve().parents[2]
    relative = pathlib.Path("..", "shared", "datasets", "mnist8k")
    candidates = [project_root / relative, pathlib.Path.cwd() / relative]
    for candidate in candidates:
        if candidate.is_dir():
            return str(candidate.resolve())
    raise ValueError(
        "Cannot find the mnist8k data. Set the environment variable "
        f"{MNIST8K_ENV} to the directory holding images-idx3-ubyte.gz, or place it at "
        f"one of {[str(c) for c in candidates]}. Received: spec={spec!r}"
    )
