"""Turning samples into pictures: uint8 conversion, grids, point plots, PNG files."""

import math
import os

import numpy as np
import tensorflow as tf


def to_uint8(images):
    """Maps float images in [-1, 1] to uint8 in [0, 255] (values outside are clipped)."""
    images = np.asarray(images, np.float32)
    return np.clip(np.rint((images + 1.0) * 127.5), 0, 255).astype(np.uint8)


def make_grid(images, columns=None, padding=1):
    """Tiles uint8 images `[N, H, W, C]` into one `[rows*H, columns*W, C]` image."""
    images = np.asarray(images)
    if images.ndim != 4:
        raise ValueError(f"make_grid takes images [N, H, W, C]. Received: shape={images.shape}")
    count, height, width, channels = images.shape
    columns = columns or math.ceil(math.sqrt(count))
    rows = math.ceil(count / columns)
    grid = np.zeros(
        (rows * (height + padding) + padding, columns * (width + padding) + padding, channels), images.dtype
    )
    for index, image in enumerate(images):
        top = padding + (index // columns) * (height + padding)
        left = padding + (index % columns) * (width + padding)
        grid[top : top + height, left : left + width] = image
    return grid


def plot_points(points, size=256, extent=None):
    """Renders 2-D points as a white-on-black density image `[size, size, 1]` uint8."""
    points = np.asarray(points, np.float64)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"plot_points takes points [N, 2]. Received: shape={points.shape}")
    extent = extent or float(np.max(np.abs(points))) * 1.1 + 1e-6
    counts, _, _ = np.histogram2d(
        points[:, 1], points[:, 0], bins=size, range=[[-extent, extent], [-extent, extent]]
    )
    # Log scale so both dense modes and stray samples are visible; y points up.
    image = np.log1p(counts[::-1]) / max(np.log1p(counts.max()), 1e-6)
    return (image[..., None] * 255).astype(np.uint8)


def samples_to_picture(samples, columns=None):
    """One picture of a batch of samples: a grid for images, a density plot for points."""
    samples = np.asarray(samples)
    if samples.ndim == 2:
        return plot_points(samples)
    return make_grid(to_uint8(samples), columns)


def write_png(path, image):
    """Writes a uint8 `[H, W, C]` image; the file appears complete or not at all."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    temporary = f"{path}.tmp"
    tf.io.write_file(temporary, tf.io.encode_png(np.asarray(image, np.uint8)))
    os.replace(temporary, path)
