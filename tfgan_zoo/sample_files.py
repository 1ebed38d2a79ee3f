"""Writing samples of a trained model to PNG grids and NPZ arrays."""

import os

import numpy as np

from tfgan_zoo import held_out
from tfgan_zoo.utils import images, validation


def write_samples(model, num, path, *, label=None, seed=0):
    """Samples `num` outputs with `training=False` and writes them to `path`.

    `.png`: a grid (a density plot for 2-D points). `.npz`: `x` (uint8
    `[N, H, W, C]` for images, float32 `[N, D]` for points) and, for
    conditional models, `y` (the labels asked for: balanced over the classes,
    or all `label`).
    """
    extension = os.path.splitext(path)[1].lower()
    if extension not in (".png", ".npz"):
        raise ValueError(f"The output must end in .png or .npz. Received: out={path!r}")
    validation.check_int("num", num)
    if label is not None and model.num_classes is None:
        raise ValueError(f"label is only for conditional models; this one is unconditional. Received: label={label!r}")
    labels = model.balanced_labels(num, label)
    samples = held_out.generate(model, num, labels=labels, seed=seed)
    if extension == ".png":
        images.write_png(path, images.samples_to_picture(samples))
        return
    arrays = {"x": images.to_uint8(samples) if samples.ndim == 4 else samples}
    if labels is not None:
        arrays["y"] = labels
    write_npz(path, arrays)


def write_npz(path, arrays):
    """Writes `arrays` (name -> numpy array) to a compressed `.npz`, atomically.

    The file is written under a temporary name, then renamed: a reader never
    sees a half-written file, and an interrupted write leaves any older file.
    """
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    temporary = f"{path}.tmp.npz"
    np.savez_compressed(temporary, **arrays)
    os.replace(temporary, path)
