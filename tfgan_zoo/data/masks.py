"""Random hole masks for inpainting: rectangles and free-form brush strokes covering a set share of the image.

A mask is float32 `[B, H, W, 1]`, 1 where a pixel is missing (the hole) and
0 where it is known. Every function is pure TensorFlow and stateless: the
masks are a function of `seed` (a pair of ints, as `tf.random.stateless_*`
take), so they can be drawn inside `tf.data` (`tfgan_zoo.data.paired` keys
them by batch index, which makes a resumed run draw the same masks).

- `rect`: one axis-aligned rectangle per image, aspect ratio drawn
  log-uniformly in [1/2, 2], area `share * H * W` (within half a row);
- `free`: random brush strokes (a smooth random walk of round brush dabs,
  as the free-form masks of Yu et al. 2019), drawn in order until exactly
  `round(share * H * W)` pixels are covered (the last dab is cut);
- `mixed`: each image gets a `rect` or a `free` mask with probability 1/2.

Spec strings name a kind and a share, e.g. `"rect:0.25"`, `"free:0.4"`; the
inpainting task of `tfgan_zoo.data.transforms` is `"mask:" + spec`.

Example:
    >>> masks = random_masks("free:0.25", 16, 28, 28, seed=(0, 1))   # [16, 28, 28, 1]
    >>> float(tf.reduce_mean(masks))                                  # 0.25 (196 of 784 pixels)
    >>> holes = apply_masks(images, masks)                            # missing pixels set to 0
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import tensorflow as tf

from tfgan_zoo.utils import validation

MASK_KINDS = ("rect", "free", "mixed")
DEFAULT_SHARE = 0.25
# The value missing pixels get in a masked image: the middle of [-1, 1].
HOLE_FILL = 0.0
# Second half of the stateless seed of `masks_for_seed`: `[seed, MASK_SEED_SALT]`.
MASK_SEED_SALT = 0x3A5C
# Rectangles: aspect ratio (height / width) drawn log-uniformly in [1/MAX_ASPECT, MAX_ASPECT].
MAX_ASPECT = 2.0
# Free-form strokes: dabs per stroke, the brush radius as a share of the smaller side, and the
# standard deviation (radians) of the turn between dabs.
DABS_PER_STROKE = 12
BRUSH_RADIUS_SHARE = 1.0 / 12.0
TURN_STDDEV = 0.5
# Strokes are drawn until they could cover this many times the requested pixels (they overlap).
_STROKE_MARGIN = 3.0


@dataclasses.dataclass(frozen=True)
class MaskSpec:
    """A kind of mask (`MASK_KINDS`) and the share of pixels it covers, in (0, 1)."""

    kind: str
    share: float

    @property
    def name(self):
        return f"{self.kind}:{self.share:g}"


def parse_mask(spec):
    """The `MaskSpec` of `"KIND[:SHARE]"` (default share 0.25); a `MaskSpec` passes through.

    Raises:
        ValueError: on an unknown kind or a share outside (0, 1).
    """
    if isinstance(spec, MaskSpec):
        return spec
    kind, separator, share_text = str(spec).partition(":")
    if kind not in MASK_KINDS:
        raise ValueError(f"Unknown mask kind. Expected {'|'.join(MASK_KINDS)}[:SHARE], e.g. 'rect:0.25'. "
                         f"Received: mask={spec!r}")
    try:
        share = float(share_text) if separator else DEFAULT_SHARE
    except ValueError:
        share = math.nan
    if not 0.0 < share < 1.0:
        raise ValueError(f"The share of a mask must be a number in (0, 1), as in 'rect:0.25'. Received: mask={spec!r}")
    return MaskSpec(kind, share)


# === Drawing masks ===
def random_masks(spec, batch_size, height, width, seed):
    """Masks `[batch_size, height, width, 1]` (1 = missing) of a spec, a pure function of `seed` (2 ints).

    Drawn on the CPU (as `tf.data` does anyway): the strokes' trigonometry
    could round differently on an accelerator and move a pixel at a dab's rim.
    """
    spec = parse_mask(spec)
    with tf.device("/CPU:0"):
        return _random_masks(spec, batch_size, height, width, seed)


def _random_masks(spec, batch_size, height, width, seed):
    if spec.kind == "rect":
        return rectangular_masks(batch_size, height, width, spec.share, seed)
    if spec.kind == "free":
        return free_form_masks(batch_size, height, width, spec.share, seed)
    rect_seed, free_seed, coin_seed = tf.unstack(tf.random.experimental.stateless_split(_seed(seed), 3))
    coin = tf.random.stateless_uniform([batch_size, 1, 1, 1], coin_seed) < 0.5
    return tf.where(coin, rectangular_masks(batch_size, height, width, spec.share, rect_seed),
                    free_form_masks(batch_size, height, width, spec.share, free_seed))


def rectangular_masks(batch_size, height, width, share, seed):
    """One rectangle per image covering `share * height * width` pixels (within half a row), placed uniformly.

    The side lengths follow an aspect ratio drawn log-uniformly in
    [1/MAX_ASPECT, MAX_ASPECT], then are bounded by the image.
    """
    _check_sizes(batch_size, height, width, share)
    ratio_seed, top_seed, left_seed = tf.unstack(tf.random.experimental.stateless_split(_seed(seed), 3))
    area = share * height * width
    log_ratio = tf.random.stateless_uniform([batch_size], ratio_seed, -math.log(MAX_ASPECT), math.log(MAX_ASPECT))
    # The height is at least area / width, so the width that completes the area fits.
    rows = tf.clip_by_value(tf.round(tf.sqrt(area * tf.exp(log_ratio))), math.ceil(area / width), height)
    columns = tf.clip_by_value(tf.round(area / rows), 1.0, width)
    top = tf.floor(tf.random.stateless_uniform([batch_size], top_seed) * (height - rows + 1.0))
    left = tf.floor(tf.random.stateless_uniform([batch_size], left_seed) * (width - columns + 1.0))
    y = tf.range(height, dtype=tf.float32)[None, :, None]
    x = tf.range(width, dtype=tf.float32)[None, None, :]
    inside_rows = (y >= top[:, None, None]) & (y < (top + rows)[:, None, None])
    inside_columns = (x >= left[:, None, None]) & (x < (left + columns)[:, None, None])
    return tf.cast(inside_rows & inside_columns, tf.float32)[..., None]


def free_form_masks(batch_size, height, width, share, seed, *, brush_radius=None):
    """Brush strokes covering exactly `round(share * height * width)` pixels of each image.

    Each stroke starts at a uniform point with a uniform heading and takes
    `DABS_PER_STROKE` steps of one brush radius, turning by a normal angle
    (`TURN_STDDEV`) each step and bouncing off the borders. A pixel's key is
    the index of the first dab that covers it, plus its distance to that
    dab's centre (in half radii): the pixels with the smallest keys form the
    mask, so strokes are laid down in order and the last dab grows from its
    centre until the count is reached. Strokes are drawn for
    `_STROKE_MARGIN` times the requested area; in the rare image they still
    fall short, the closest uncovered pixels to any dab complete the count.

    Args:
        brush_radius: in pixels; default `BRUSH_RADIUS_SHARE` of the smaller side (at least 1).
    """
    _check_sizes(batch_size, height, width, share)
    radius = float(brush_radius or max(1.0, BRUSH_RADIUS_SHARE * min(height, width)))
    count = max(1, round(share * height * width))
    # A dab one radius from the last adds at most 2 r^2 new pixels.
    strokes = math.ceil(_STROKE_MARGIN * count / (2.0 * radius * radius * DABS_PER_STROKE))
    centres = _stroke_centres(batch_size, strokes, height, width, radius, seed)  # [B, strokes * dabs, 2]
    pixels = tf.reshape(tf.stack(tf.meshgrid(tf.range(height, dtype=tf.float32), tf.range(width, dtype=tf.float32),
                                             indexing="ij"), axis=-1), [1, 1, height * width, 2])
    # Keys of pixels no dab covers: beyond every dab's index, ordered by the distance to the nearest dab.
    uncovered = float(strokes * DABS_PER_STROKE)
    keys = tf.fill([batch_size, height * width], uncovered + height + width)
    for stroke in range(strokes):
        # One stroke at a time keeps the distance tensor at [B, dabs, H * W].
        dabs = centres[:, stroke * DABS_PER_STROKE : (stroke + 1) * DABS_PER_STROKE, None, :]
        distance = tf.norm(pixels - dabs, axis=-1)
        index = tf.range(stroke * DABS_PER_STROKE, (stroke + 1) * DABS_PER_STROKE, dtype=tf.float32)[None, :, None]
        covered_key = tf.where(distance <= radius, index + 0.5 * distance / radius, uncovered + distance)
        keys = tf.minimum(keys, tf.reduce_min(covered_key, axis=1))
    # The `count` pixels with the smallest keys (exactly `count`: ties go to the lower pixel index).
    chosen = tf.math.top_k(-keys, k=count).indices
    rows = tf.broadcast_to(tf.range(tf.shape(chosen)[0])[:, None], tf.shape(chosen))
    flat = tf.scatter_nd(tf.stack([rows, chosen], axis=-1), tf.ones_like(chosen, tf.float32), tf.shape(keys))
    return tf.reshape(flat, [batch_size, height, width, 1])


def _stroke_centres(batch_size, strokes, height, width, radius, seed):
    """Dab centres `[B, strokes * DABS_PER_STROKE, 2]` (row, column) of smooth random walks inside the image."""
    start_seed, heading_seed, turn_seed = tf.unstack(tf.random.experimental.stateless_split(_seed(seed), 3))
    size = tf.constant([height - 1.0, width - 1.0])
    start = tf.random.stateless_uniform([batch_size, strokes, 1, 2], start_seed) * size
    heading = tf.random.stateless_uniform([batch_size, strokes, 1], heading_seed, 0.0, 2.0 * math.pi)
    turns = tf.random.stateless_normal([batch_size, strokes, DABS_PER_STROKE - 1], turn_seed, stddev=TURN_STDDEV)
    angles = heading + tf.concat([tf.zeros_like(heading), tf.cumsum(turns, axis=-1)], axis=-1)
    steps = radius * tf.stack([tf.sin(angles), tf.cos(angles)], axis=-1)
    walk = start + tf.cumsum(steps, axis=2) - steps[:, :, :1]
    # Reflect into [0, size]: a walk bounces off the borders instead of leaving the image.
    period = 2.0 * size
    folded = tf.math.floormod(walk, period)
    inside = tf.minimum(folded, period - folded)
    return tf.reshape(inside, [batch_size, strokes * DABS_PER_STROKE, 2])


# === Using masks ===
def apply_masks(images, masks, fill=HOLE_FILL):
    """`images` with the missing pixels (`masks` 1) set to `fill`: `images * (1 - masks) + fill * masks`."""
    images = tf.convert_to_tensor(images, tf.float32)
    masks = tf.convert_to_tensor(masks, tf.float32)
    return images * (1.0 - masks) + fill * masks


def masks_for_seed(spec, num, height, width, seed=0):
    """`num` masks of a spec as float32 numpy `[num, height, width, 1]`, a pure function of the int `seed`."""
    return random_masks(spec, num, height, width, (int(seed), MASK_SEED_SALT)).numpy()


def check_masks(masks, images_shape):
    """The masks as float32 numpy `[N, H, W, 1]` in [0, 1], checked to fit images of `images_shape`."""
    masks = np.asarray(masks, np.float32)
    expected = (*tuple(images_shape)[:3], 1)
    if masks.shape != expected:
        raise ValueError(f"masks must have shape {list(expected)} (1 = missing pixel). Received: shape={masks.shape}")
    if masks.size and (masks.min() < 0.0 or masks.max() > 1.0):
        raise ValueError(f"masks must lie in [0, 1] (1 = missing pixel). Received: values in "
                         f"[{masks.min():.3g}, {masks.max():.3g}]")
    return masks


def _seed(seed):
    return tf.cast(tf.convert_to_tensor(seed), tf.int64)


def _check_sizes(batch_size, height, width, share):
    # Inside tf.data the batch size may be a tensor (a last, smaller batch).
    sizes = (("height", height), ("width", width)) + (() if tf.is_tensor(batch_size) else (("batch_size", batch_size),))
    for name, value in sizes:
        validation.check_int(name, value)
    validation.check_number("share", share, "(0, 1)")
