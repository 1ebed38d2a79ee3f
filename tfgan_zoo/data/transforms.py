"""Image-to-image tasks made from single images: pure TensorFlow transforms of `[B, H, W, C]` batches in [-1, 1].

A task names what a model sees (`source`) and what it should return
(`target`), both computed from the same image of any dataset the zoo loads:

- `edges`: Sobel edge map (one channel, edge 1, background -1) -> image;
- `downscale:K`: the image shrunk K times (area averaging) -> image;
- `downscale_up:K`: the same, enlarged back with bicubic interpolation -> image;
- `thicken:W`: image -> its strokes thickened (W x W dilation);
- `thin:W`: image -> its strokes thinned (W x W erosion);
- `identity`: image -> image (for unpaired domains that differ already,
  such as a TFDS dataset's `trainA` and `trainB`);
- `mask:KIND:SHARE`: `(masked image, mask)` -> image, inpainting with the
  random masks of `tfgan_zoo.data.masks` (`rect`, `free` or `mixed`, covering
  SHARE of the pixels, e.g. `mask:free:0.25`); missing pixels are set to 0
  in the masked image, and the mask is 1 on them.

Strokes are the bright parts of an image (MNIST's ink is +1 on -1), so
dilation is a max-pool and erosion a min-pool. `tfgan_zoo.data.paired`
turns a task and a dataset into batches. A *seeded* task (`mask:...`) draws
random content: its source is `source(images, seed)` with `seed` a pair of
ints, and `Task.pair(images, seed)` makes both halves of any task.

Example:
    >>> task = parse_task("downscale:4")
    >>> task.source_shape((28, 28, 1))
    (7, 7, 1)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import tensorflow as tf

from tfgan_zoo.data import masks as masks_lib
from tfgan_zoo.utils import validation

# Sobel gradient magnitude (on intensities in [0, 1]) above which a pixel is an
# edge: a quarter of the response to a sharp black-to-white step.
EDGE_THRESHOLD = 1.0
_DEFAULT_SIZES = {"downscale": 4, "downscale_up": 4, "thicken": 3, "thin": 2}
# Tasks without a size.
_FIXED_TASKS = ("edges", "identity")
# Tasks whose source is drawn at random: `mask:KIND:SHARE`.
MASK_TASK = "mask"
TASK_NAMES = (*_FIXED_TASKS, *_DEFAULT_SIZES, MASK_TASK)


def _check_images(images):
    images = tf.convert_to_tensor(images, tf.float32)
    if images.shape.rank != 4:
        raise ValueError(f"images must be a batch [B, H, W, C]. Received: images.shape={images.shape}")
    return images


# === Transforms ===
def downscale(images, factor, *, upsample=None):
    """Shrinks images `factor` times by area averaging; `upsample="bicubic"` (or another
    `tf.image.resize` method) enlarges them back to their size.

    Raises:
        ValueError: if the height or width is not a multiple of `factor`.
    """
    images = _check_images(images)
    validation.check_int("factor", factor)
    height, width = images.shape[1], images.shape[2]
    if height % factor or width % factor:
        raise ValueError(
            f"factor must divide the image size {height}x{width}. Received: factor={factor!r}"
        )
    small = tf.image.resize(images, [height // factor, width // factor], method="area")
    if upsample is None:
        return small
    return upscale(small, factor, method=upsample)


def upscale(images, factor, *, method="bicubic"):
    """Enlarges images `factor` times by interpolation (any `tf.image.resize` method), clipped to [-1, 1].

    The baseline super-resolution is measured against (bicubic, as in Ledig et al. 2017).
    """
    images = _check_images(images)
    validation.check_int("factor", factor)
    size = [images.shape[1] * factor, images.shape[2] * factor]
    # Bicubic overshoots at sharp edges; values stay in the images' range.
    return tf.clip_by_value(tf.image.resize(images, size, method=method), -1.0, 1.0)


def sobel_edges(images, threshold=EDGE_THRESHOLD):
    """One-channel edge maps: 1 where the Sobel gradient magnitude of the grey image exceeds `threshold`, else -1.

    The magnitude is taken on intensities in [0, 1] (the mean of the
    channels), with the image's border reflected.
    """
    images = _check_images(images)
    grey = (tf.reduce_mean(images, axis=-1, keepdims=True) + 1.0) / 2.0
    gradients = tf.image.sobel_edges(grey)  # [B, H, W, 1, (dy, dx)]
    magnitude = tf.norm(gradients, axis=-1)
    return tf.where(magnitude > threshold, 1.0, -1.0)


def dilate(images, size):
    """Grey-scale dilation with a `size` x `size` square: bright strokes get thicker."""
    images = _check_images(images)
    validation.check_int("size", size)
    return tf.nn.max_pool2d(images, size, strides=1, padding="SAME")


def erode(images, size):
    """Grey-scale erosion with a `size` x `size` square: bright strokes get thinner."""
    return -dilate(-_check_images(images), size)


def identity(images):
    return _check_images(images)


# === Tasks ===
@dataclasses.dataclass(frozen=True)
class Task:
    """A named pair of transforms of one image: what the model sees and what it should return.

    Attributes:
        name: the task spec, e.g. `"edges"` or `"downscale:4"`.
        source: batch -> source images; for a seeded task `(batch, seed)`
            -> source (inpainting: the tuple `(masked images, masks)`).
        target: batch -> target images.
        seeded: whether `source` draws random content from a `seed` (2 ints).
    """

    name: str
    source: Callable
    target: Callable
    seeded: bool = False

    def pair(self, images, seed=None):
        """`(source, target)` of a batch; a seeded task's randomness is a pure function of `seed` (2 ints)."""
        if not self.seeded:
            return self.source(images), self.target(images)
        if seed is None:
            raise ValueError(f"The task {self.name!r} draws random masks and needs a seed. Received: seed=None")
        return self.source(images, seed), self.target(images)

    def source_shape(self, image_shape):
        """The per-example shape of the sources made from images of `image_shape` (a tuple of shapes for a
        seeded task's `(masked images, masks)`)."""
        return _shape_of(self.pair(tf.zeros([1, *image_shape]), (0, 0))[0])

    def target_shape(self, image_shape):
        return _shape_of(self.target(tf.zeros([1, *image_shape])))


def _shape_of(batch):
    if isinstance(batch, (tuple, list)):
        return tuple(_shape_of(part) for part in batch)
    return tuple(int(size) for size in batch.shape[1:])


def mask_task(spec):
    """The inpainting `Task` of a mask spec (`tfgan_zoo.data.masks.parse_mask`): `(masked images, masks)` -> images."""
    mask = masks_lib.parse_mask(spec)

    def source(images, seed):
        images = _check_images(images)
        batch = images.shape[0] if images.shape[0] is not None else tf.shape(images)[0]
        masks = masks_lib.random_masks(mask, batch, images.shape[1], images.shape[2], seed)
        return masks_lib.apply_masks(images, masks), masks

    return Task(f"{MASK_TASK}:{mask.name}", source, identity, seeded=True)


def parse_task(task):
    """The `Task` a spec `NAME[:SIZE]` or `mask[:KIND[:SHARE]]` names (see the module docstring); a `Task` passes
    through. `mask` alone is `mask:rect:0.25`.

    Raises:
        ValueError: on an unknown name, a size that is not a positive int, or a bad mask spec.
    """
    if isinstance(task, Task):
        return task
    name, separator, size_text = str(task).partition(":")
    if name not in TASK_NAMES or (separator and name in _FIXED_TASKS):
        raise ValueError(
            f"Unknown task. Expected one of {TASK_NAMES}: {', '.join(_DEFAULT_SIZES)} with an optional ':SIZE', "
            f"mask with ':KIND[:SHARE]'. Received: task={task!r}"
        )
    if name == MASK_TASK:
        return mask_task(size_text if separator else masks_lib.MASK_KINDS[0])
    if name == "edges":
        return Task(name, sobel_edges, identity)
    if name == "identity":
        return Task(name, identity, identity)
    if separator and not size_text.isdigit():
        raise ValueError(f"The size in a task spec must be a positive int, as in '{name}:3'. Received: task={task!r}")
    size = int(size_text) if separator else _DEFAULT_SIZES[name]
    validation.check_int("size", size)
    spec = f"{name}:{size}"
    if name == "downscale":
        return Task(spec, lambda images: downscale(images, size), identity)
    if name == "downscale_up":
        return Task(spec, lambda images: downscale(images, size, upsample="bicubic"), identity)
    if name == "thicken":
        return Task(spec, identity, lambda images: dilate(images, size))
    return Task(spec, identity, lambda images: erode(images, size))
