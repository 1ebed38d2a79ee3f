"""Image files in a directory, optionally one subdirectory per class."""

from __future__ import annotations

import pathlib

import numpy as np
import tensorflow as tf

from tfgan_zoo.data.pipeline import Transform, to_uint8
from tfgan_zoo.data.raw import RawData

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif")


def _images_in(folder: pathlib.Path) -> list[pathlib.Path]:
    return sorted(
        p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_EXTENSIONS
    )


def _classes_in(folder: pathlib.Path) -> list[pathlib.Path]:
    # Hidden folders (".ipynb_checkpoints", ".git") are never classes.
    return sorted(
        p for p in folder.iterdir()
        if p.is_dir() and not p.name.startswith(".") and _images_in(p)
    )


def _decode(path: pathlib.Path) -> np.ndarray:
    try:
        image = tf.io.decode_image(tf.io.read_file(str(path)), expand_animations=False)
    except tf.errors.OpError as error:
        raise ValueError(f"Cannot decode image file {str(path)!r}: {error.message}") from error
    image = image.numpy()
    # Alpha channels carry no colour; drop them (RGBA -> RGB, gray+A -> gray).
    if image.shape[-1] in (2, 4):
        return image[..., :-1]
    return image


def _common_channels(images: list[np.ndarray]) -> list[np.ndarray]:
    # A folder mixing gray and colour files becomes colour throughout.
    if all(image.shape[-1] == images[0].shape[-1] for image in images):
        return images
    return [np.repeat(image, 3, axis=-1) if image.shape[-1] == 1 else image for image in images]


def _stack(
    images: list[np.ndarray], paths: list[pathlib.Path], image_size: int | None, resize: str
) -> np.ndarray:
    reference = images[0].shape[:2]
    mismatch = next((i for i, image in enumerate(images) if image.shape[:2] != reference), None)
    if mismatch is None:
        return np.stack(images)
    if image_size is None:
        raise ValueError(
            f"Images differ in size: {str(paths[0])!r} is {reference[0]}x{reference[1]} "
            f"but {str(paths[mismatch])!r} is {images[mismatch].shape[0]}x"
            f"{images[mismatch].shape[1]}; pass `image_size` to resize them. "
            "Received: image_size=None"
        )
    # Bring every image to the target size now, with the pipeline's own
    # transform, so that they fit in one array; later resizing is a no-op.
    fit = Transform(image_size=image_size, resize=resize)
    return np.stack([to_uint8(fit(image[None])[0].numpy()) for image in images])


def read_folder(
    directory: str, image_size: int | None = None, resize: str = "bilinear"
) -> RawData:
    """Decodes every image of a directory into memory.

    Args:
        directory: Either a directory of images (no labels) or a directory of
            class subdirectories (labels = index of the sorted name).
        image_size: Target size, used here only when image sizes differ.
        resize: Resize mode for that case, as in `Transform`.

    Raises:
        ValueError: If the directory is missing or holds no images, mixes
            top-level images with class folders, or sizes differ without
            `image_size`.
    """
    folder = pathlib.Path(directory).expanduser()
    if not folder.is_dir():
        raise ValueError(
            f"Image directory {directory!r} does not exist. Received: directory={directory!r}"
        )
    classes, top_level = _classes_in(folder), _images_in(folder)
    if classes and top_level:
        raise ValueError(
            f"Image directory {directory!r} has both images ({top_level[0].name}, ...) and "
            f"class subfolders ({classes[0].name}, ...); keep only one layout."
        )
    if not classes and not top_level:
        raise ValueError(
            f"Image directory {directory!r} holds no {'/'.join(IMAGE_EXTENSIONS)} files, "
            "directly or in subfolders."
        )
    groups = [_images_in(c) for c in classes] if classes else [top_level]
    paths = [path for group in groups for path in group]
    images = _common_channels([_decode(path) for path in paths])
    x = _stack(images, paths, image_size, resize)
    if not classes:
        return RawData(x=x, y=None, kind="image")
    y = np.concatenate([np.full(len(g), k, dtype=np.int32) for k, g in enumerate(groups)])
    names = tuple(c.name for c in classes)
    return RawData(x=x, y=y, kind="image", num_classes=len(names), class_names=names)
