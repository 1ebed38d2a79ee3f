"""The last good checkpoints of a run, what is wrong with a bad one, and the recipe inside each.

A run keeps `checkpoints/model.keras` (the newest) and, when `keep` > 1, the
`keep - 1` checkpoints before it as `model.prev-<step>.keras`: each save
renames the current file to its `prev` name, then renames the new one into
place. A crash between the two renames leaves only `prev` files, which the
loader reads. Every checkpoint also carries the run's recipe
(`tfgan_zoo/recipe.json` inside the `.keras` zip, which Keras ignores), so
the run's identity survives the loss of `recipe.json`.
"""

import glob
import json
import os
import re
import warnings
import zipfile

import keras
import numpy as np

from tfgan_zoo.reliability import files

RECIPE_ENTRY = "tfgan_zoo/recipe.json"
_PREVIOUS = re.compile(r"\.prev-(\d+)\.keras$")
# Suffix a bad checkpoint is renamed to, so it is neither loaded again nor rotated over a good one.
CORRUPT_SUFFIX = ".corrupt"


class CheckpointError(ValueError):
    """No checkpoint of a run can be loaded; the message names each file and what is wrong with it."""


def previous_path(path, step):
    return f"{path[: -len('.keras')]}.prev-{int(step)}.keras"


def candidates(path):
    """`path` (when it exists), then its `prev` files, newest step first."""
    previous = glob.glob(glob.escape(path[: -len(".keras")]) + ".prev-*.keras")
    previous = [p for p in previous if _PREVIOUS.search(p)]
    previous.sort(key=lambda p: int(_PREVIOUS.search(p).group(1)), reverse=True)
    return ([path] if os.path.exists(path) else []) + previous


def diagnose(path):
    """What is wrong with the file's container, or None when it is a readable zip whose entries pass their CRC."""
    try:
        size = os.path.getsize(path)
        if size == 0:
            return "it is empty (0 bytes)"
        if not zipfile.is_zipfile(path):
            return f"it is not a .keras zip archive ({size} bytes: truncated or overwritten)"
        with zipfile.ZipFile(path) as archive:
            damaged = archive.testzip()
    except (OSError, zipfile.BadZipFile, EOFError) as error:
        return f"it cannot be read ({error})"
    if damaged is not None:
        return f"its entry {damaged!r} fails its CRC check (the file is damaged)"
    return None


def stored_recipe(path):
    """The recipe dict saved inside a checkpoint, or None (unreadable, or written before checkpoints held it)."""
    try:
        with zipfile.ZipFile(path) as archive:
            if RECIPE_ENTRY not in archive.namelist():
                return None
            return json.loads(archive.read(RECIPE_ENTRY))
    except (OSError, zipfile.BadZipFile, EOFError, ValueError):
        return None


def model_class_name(path):
    """The class name in a checkpoint's `config.json`, or None when unreadable."""
    try:
        with zipfile.ZipFile(path) as archive:
            return json.loads(archive.read("config.json")).get("class_name")
    except (OSError, zipfile.BadZipFile, EOFError, KeyError, ValueError):
        return None


def first_nonfinite_weight(model):
    """The path of the first weight holding NaN or Inf, or None."""
    for weight in model.weights:
        if not np.all(np.isfinite(weight.numpy())):
            return weight.path
    return None


def load_checkpoint(path):
    """Loads `path` or, when it is bad, the newest good checkpoint before it.

    A checkpoint is bad when its file is damaged, Keras cannot load it, or
    its weights hold NaN/Inf. Each bad one is reported with `warnings.warn`.

    Returns:
        `(model, loaded_path, bad)`: `bad` lists `(path, reason)` of the
        checkpoints skipped, newest first.

    Raises:
        CheckpointError: none can be loaded (the message names every file and its fault).
    """
    bad = []
    for candidate in candidates(path):
        model, reason = _try_load(candidate)
        if model is not None:
            return model, candidate, bad
        bad.append((candidate, reason))
        older = "trying the previous one" if len(bad) < len(candidates(path)) else "no other checkpoint is left"
        warnings.warn(f"Checkpoint {candidate} is unusable: {reason}; {older}.", stacklevel=2)
    if not bad:
        raise CheckpointError(f"No checkpoint found (missing {path}). Received: path={path!r}")
    faults = "; ".join(f"{p}: {reason}" for p, reason in bad)
    raise CheckpointError(f"No usable checkpoint: {faults}. Received: path={path!r}")


def _try_load(path):
    reason = diagnose(path)
    if reason is not None:
        return None, reason
    try:
        model = keras.models.load_model(path)
    except Exception as error:  # noqa: BLE001  (Keras raises many kinds; all mean "this file is bad")
        return None, f"Keras cannot load it ({type(error).__name__}: {str(error).splitlines()[0][:300]})"
    nonfinite = first_nonfinite_weight(model)
    if nonfinite is not None:
        return None, f"its weight {nonfinite} holds NaN or Inf"
    return model, None


def quarantine(paths):
    """Renames bad checkpoints to `<name>.corrupt` (kept for inspection, never loaded or rotated again)."""
    for path in paths:
        if os.path.exists(path):
            os.replace(path, path + CORRUPT_SUFFIX)


def save_checkpoint(model, path, *, recipe=None, previous_step=None, keep=1):
    """Writes `model` to `path` atomically, keeping the `keep - 1` checkpoints before it.

    The model goes to a temporary file of this process first (removed if
    anything fails), the recipe dict (if given) is stored inside, then the
    current `path` becomes `model.prev-<previous_step>.keras` and the new
    file takes its place. An OSError (full or read-only disk) becomes a
    `files.RunIOError` naming the path.
    """
    temporary = files.temporary_name(path)
    try:
        with files.clear_os_errors("write the checkpoint"):
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            model.save(temporary)
            if recipe is not None:
                with zipfile.ZipFile(temporary, "a") as archive:
                    archive.writestr(RECIPE_ENTRY, json.dumps(recipe, indent=2))
            if keep > 1 and previous_step is not None and os.path.exists(path):
                os.replace(path, previous_path(path, previous_step))
            os.replace(temporary, path)
    finally:
        files.remove_quietly(temporary)
    _prune(path, keep)


def _prune(path, keep):
    for old in candidates(path)[max(keep, 1):]:
        if old != path:
            files.remove_quietly(old)
