"""A cheap fingerprint of file-based datasets, so a resumed run notices data replaced between sessions.

Files (`npz:`) are fingerprinted by size and a hash of their first and last
MiB; folders (`idx:`, `folder:`) by the relative names and sizes of their
files. Modification times are left out, so copying the same data is not a
change. Generated, TFDS and bundled (`mnist8k`) data have no fingerprint:
they are defined by their spec.
"""

import hashlib
import os

from tfgan_zoo.data.spec import parse_spec

_CHUNK = 1 << 20
STATE_KEY = "data_fingerprint"


def fingerprint(dataset):
    """A hex digest of the data a spec names, or None for specs defined by their text (or not parsable here)."""
    try:
        spec = parse_spec(dataset)
    except ValueError:
        return None  # other spec forms (e.g. paired datasets) are read by their own modules
    path = os.path.expanduser(spec.target)
    digest = hashlib.sha256()
    if spec.kind == "npz" and os.path.isfile(path):
        _hash_file(digest, path)
    elif spec.kind in ("idx", "folder") and os.path.isdir(path):
        for root, folders, names in os.walk(path):
            folders.sort()
            for name in sorted(names):
                full = os.path.join(root, name)
                digest.update(f"{os.path.relpath(full, path)}\0{os.path.getsize(full)}\n".encode())
    else:
        return None
    return digest.hexdigest()


def _hash_file(digest, path):
    size = os.path.getsize(path)
    digest.update(str(size).encode())
    with open(path, "rb") as handle:
        # Small files are hashed whole; large ones by their ends (where npz keeps its index).
        digest.update(handle.read(_CHUNK if size > 2 * _CHUNK else size))
        if size > 2 * _CHUNK:
            handle.seek(-_CHUNK, os.SEEK_END)
            digest.update(handle.read(_CHUNK))


def check_unchanged(dataset, recorded, state_path):
    """Raises ValueError when the data `dataset` names differs from the `recorded` fingerprint."""
    current = fingerprint(dataset)
    if recorded is not None and current is not None and current != recorded:
        raise ValueError(
            f"The data of {dataset!r} changed since this run was trained on it (its fingerprint in {state_path} "
            f"differs): resuming would continue on other data. Restore the original data or train in a new --out. "
            f"Received: dataset={dataset!r}"
        )
    return current
