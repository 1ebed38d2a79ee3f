"""Reading a PNG as a target image of a model (its size, its channels, values in [-1, 1]), or as an inpainting mask."""

import os

import tensorflow as tf

from tfgan_zoo.data.pipeline import Transform


def read_image(path, sample_shape):
    """The PNG at `path` as a float32 `[H, W, C]` sample of `sample_shape`, values in [-1, 1].

    Greyscale and colour are converted to the model's channels (alpha is
    dropped). A square image of another size is resized (antialiased
    bilinear); a non-square one is refused rather than distorted.
    """
    if len(sample_shape) != 3:
        raise ValueError(f"The model's samples are not images, so a PNG cannot be a target. Received: image={path!r}")
    height, width, channels = sample_shape
    image = _decode_png(path, channels, "image")
    _check_size(image, height, width, path, "image")
    return Transform(image_size=height if tuple(image.shape[:2]) != (height, width) else None)(image).numpy()


def read_mask(path, size):
    """The PNG at `path` as an inpainting mask `[H, W, 1]` of `size` `(H, W)`: 1 (missing) where it is light (grey
    level >= 128), else 0.

    A square mask of another size is resized (nearest neighbour); a
    non-square one is refused.
    """
    height, width = size
    mask = _decode_png(path, 1, "mask")
    _check_size(mask, height, width, path, "mask")
    if tuple(mask.shape[:2]) != (height, width):
        mask = tf.image.resize(mask, [height, width], method="nearest")
    return (mask.numpy() >= 128).astype("float32")


def _decode_png(path, channels, flag):
    if not path.lower().endswith(".png"):
        raise ValueError(f"The {flag} must be a .png file. Received: {flag}={path!r}")
    if not os.path.isfile(path):
        raise ValueError(f"The {flag} file does not exist. Received: {flag}={path!r}")
    try:
        return tf.io.decode_png(tf.io.read_file(path), channels=channels)
    except tf.errors.OpError as error:
        raise ValueError(f"Cannot decode the PNG: {error.message}. Received: {flag}={path!r}") from error


def _check_size(image, height, width, path, flag):
    size = tuple(image.shape[:2])
    if size != (height, width) and (size[0] != size[1] or height != width):
        raise ValueError(
            f"The {flag} is {size[0]}x{size[1]} and the model's samples are {height}x{width}; only square images "
            f"are resized (a non-square one would be distorted). Received: {flag}={path!r}"
        )
