"""Reading a PNG as a target image of a model: its size, its channels, values in [-1, 1]."""

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
    if not path.lower().endswith(".png"):
        raise ValueError(f"The image must be a .png file. Received: image={path!r}")
    if not os.path.isfile(path):
        raise ValueError(f"The image file does not exist. Received: image={path!r}")
    height, width, channels = sample_shape
    try:
        image = tf.io.decode_png(tf.io.read_file(path), channels=channels)
    except tf.errors.OpError as error:
        raise ValueError(f"Cannot decode the PNG: {error.message}. Received: image={path!r}") from error
    size = tuple(image.shape[:2])
    if size != (height, width) and (size[0] != size[1] or height != width):
        raise ValueError(
            f"The image is {size[0]}x{size[1]} and the model's samples are {height}x{width}; only square images "
            f"are resized (a non-square one would be distorted). Received: image={path!r}"
        )
    return Transform(image_size=height if size != (height, width) else None)(image).numpy()
