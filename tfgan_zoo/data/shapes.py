"""Offline image dataset of coloured shapes with known generative factors.

Each image shows one square, circle or triangle in a saturated colour on a
black background. Because every factor is known, the data suits conditional
generation and disentanglement checks without any download.

Geometry is defined in image-fraction units (0 = left/top edge, 1 =
right/bottom edge) so one seed yields the same scenes at every resolution.
A pixel belongs to a shape when its centre lies strictly inside it:

- square: ``|px - x| < size / 2`` and ``|py - y| < size / 2``;
- circle: ``(px - x)**2 + (py - y)**2 < (size / 2)**2``;
- triangle: apex at ``(x, y - size / 2)``, base on the row ``y + size / 2``
  with width ``size``, i.e. ``y - size/2 <= py < y + size/2`` and
  ``|px - x| < (py - (y - size/2)) / 2``.
"""

from __future__ import annotations

import numpy as np

from tfgan_zoo.utils import batching, validation

SHAPE_NAMES = ("square", "circle", "triangle")
COLOUR_NAMES = ("red", "green", "blue", "yellow", "magenta", "cyan")
COLOURS = np.array(
    [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0], [255, 0, 255], [0, 255, 255]],
    dtype=np.uint8,
)
MIN_SIZE, MAX_SIZE = 0.35, 0.70
DEFAULT_NUM_IMAGES = 10_000
DEFAULT_IMAGE_SIZE = 32

# Images rendered per vectorised step; bounds the boolean work arrays to
# roughly _CHUNK * image_size**2 elements.
_CHUNK = 1024


def sample_factors(num: int, seed: int = 0) -> dict[str, np.ndarray]:
    """Draws the generative factors of `num` images.

    Args:
        num: Number of images.
        seed: Seed of the numpy generator.

    Returns:
        Dict of arrays of length `num`: ``shape`` (int32 index into
        `SHAPE_NAMES`), ``colour`` (int32 index into `COLOUR_NAMES`),
        ``size`` (float32 side/diameter as a fraction of the image) and
        ``x``, ``y`` (float32 centre column/row as fractions of the image).
    """
    rng = np.random.default_rng(seed)
    # A permutation of a repeating pattern keeps the classes exactly balanced.
    shape = rng.permutation(np.arange(num) % len(SHAPE_NAMES))
    colour = rng.integers(0, len(COLOURS), size=num)
    size = rng.uniform(MIN_SIZE, MAX_SIZE, size=num)
    # Centre bounds keep the whole bounding box of the shape in the image.
    x = rng.uniform(size / 2, 1.0 - size / 2)
    y = rng.uniform(size / 2, 1.0 - size / 2)
    return {
        "shape": shape.astype(np.int32),
        "colour": colour.astype(np.int32),
        "size": size.astype(np.float32),
        "x": x.astype(np.float32),
        "y": y.astype(np.float32),
    }


def _masks(factors: dict[str, np.ndarray], image_size: int) -> np.ndarray:
    """Boolean (N, S, S) masks of the shapes described by `factors`."""
    centres = (np.arange(image_size, dtype=np.float64) + 0.5) / image_size
    px = centres[None, None, :]
    py = centres[None, :, None]
    # Factors are float32; computing in float64 from those exact values lets
    # anyone recompute the same masks from the returned factors.
    x, y, size = (factors[key].astype(np.float64)[:, None, None] for key in ("x", "y", "size"))
    half = size / 2
    dx, dy = np.abs(px - x), py - y
    square = (dx < half) & (np.abs(dy) < half)
    circle = dx**2 + dy**2 < half**2
    from_apex = dy + half
    triangle = (from_apex >= 0) & (dy < half) & (dx < from_apex / 2)
    kind = factors["shape"][:, None, None]
    return np.where(kind == 0, square, np.where(kind == 1, circle, triangle))


def render_shapes(
    num: int, image_size: int = DEFAULT_IMAGE_SIZE, seed: int = 0
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Renders `num` shape images and returns them with their factors.

    Args:
        num: Number of images, a positive int.
        image_size: Height and width in pixels, an int >= 8.
        seed: Seed of the factors; the same seed gives the same scenes at any
            `image_size`.

    Returns:
        ``(images, factors)``: uint8 array (num, image_size, image_size, 3)
        and the factor dict of `sample_factors`.

    Raises:
        ValueError: If `num` or `image_size` is out of range.
    """
    validation.check_int("num", num)
    validation.check_int("image_size", image_size, minimum=8)
    factors = sample_factors(num, seed)
    images = np.zeros((num, image_size, image_size, 3), dtype=np.uint8)
    for rows in batching.batch_slices(num, _CHUNK):
        part = {key: value[rows] for key, value in factors.items()}
        mask = _masks(part, image_size)
        colours = COLOURS[part["colour"]][:, None, None, :]
        images[rows] = np.where(mask[..., None], colours, 0)
    return images, factors
