"""Image-to-image tasks made from single images: pure TensorFlow transforms of `[B, H, W, C]` batches in [-1, 1].

A task names what a model sees (`source`) and what it should return
(`target`), both computed from the same image of any dataset the zoo loads:

- `edges`: Sobel edge map (one channel, edge 1, background -1) -> image;
- `downscale:K`: the image shrunk K times (area averaging) -> image;
- `downscale_up:K`: the same, enlarged back with bicubic interpolation -> image;
- `thicken:W`: image -> its strokes thickened (W x W dilation);
- `thin:W`: image -> its strokes thinned (W x W erosion);
- `identity`: image -> image (for unpaired domains that differ already,
  such as a TFDS dataset's `trainA` and `trainB`).

Strokes are the bright parts of an image (MNIST's ink is +1 on -1), so
dilation is a max-pool and erosion a min-pool. `tfgan_zoo.data.paired`
turns a task and a dataset into batches.

Example:
    >>> task = parse_task("downscale:4")
    >>> task.source_shape((28, 28, 1))
    (7, 7, 1)
"""

from __future__ import annotations

import dataclasses
from typing import Callable

import tensorflow as tf

# Sobel gradient magnitude (on intensities in [0, 1]) above which a pixel is an
# edge: a quarter of the response to a sharp black-to-white step.
EDGE_THRESHOLD = 1.0
_DEFAULT_SIZES = {"downscale": 4, "downscale_up": 4, "thicken": 3, "thin": 2}
# Tasks without a size.
_FIXED_TASKS = ("edges", "identity")
TASK_NAMES = (*_FIXED_TASKS, *_DEFAULT_SIZES)


def _check_size(name, value):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a positive int. Received: {name}={value!r}")


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
    _check_size("factor", factor)
    height, width = images.shape[1], images.shape[2]
    if height % factor or width % factor:
        raise ValueError(
            f"factor must divide the image size {height}x{width}. Received: factor={factor!r}"
        )
    small = tf.image.resize(images, [height // factor, width // factor], method="area")
    if upsample is None:
        return small
    # Bicubic overshoots at sharp edges; values stay in the images' range.
    return tf.clip_by_value(tf.image.resize(small, [height, width], method=upsample), -1.0, 1.0)


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
    _check_size("size", size)
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
        source: batch -> source images.
        target: batch -> target images.
    """

    name: str
    source: Callable
    target: Callable

    def source_shape(self, image_shape):
        """The per-example shape of the sources made from images of `image_shape`."""
        return _shape_of(self.source, image_shape)

    def target_shape(self, image_shape):
        return _shape_of(self.target, image_shape)


def _shape_of(transform, image_shape):
    return tuple(int(size) for size in transform(tf.zeros([1, *image_shape])).shape[1:])


def parse_task(task):
    """The `Task` a spec `NAME[:SIZE]` names (see the module docstring); a `Task` passes through.

    Raises:
        ValueError: on an unknown name or a size that is not a positive int.
    """
    if isinstance(task, Task):
        return task
    name, separator, size_text = str(task).partition(":")
    if name not in TASK_NAMES or (separator and name in _FIXED_TASKS):
        raise ValueError(
            f"Unknown task. Expected one of {TASK_NAMES}, the last {len(_DEFAULT_SIZES)} with an optional ':SIZE'. "
            f"Received: task={task!r}"
        )
    if name == "edges":
        return Task(name, sobel_edges, identity)
    if name == "identity":
        return Task(name, identity, identity)
    if separator and not size_text.isdigit():
        raise ValueError(f"The size in a task spec must be a positive int, as in '{name}:3'. Received: task={task!r}")
    size = int(size_text) if separator else _DEFAULT_SIZES[name]
    _check_size("size", size)
    spec = f"{name}:{size}"
    if name == "downscale":
        return Task(spec, lambda images: downscale(images, size), identity)
    if name == "downscale_up":
        return Task(spec, lambda images: downscale(images, size, upsample="bicubic"), identity)
    if name == "thicken":
        return Task(spec, identity, lambda images: dilate(images, size))
    return Task(spec, identity, lambda images: erode(images, size))
