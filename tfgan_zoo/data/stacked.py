"""Stacked MNIST: three random digits as the red, green and blue channels of one image.

The mode-collapse benchmark of the Unrolled GAN, VEEGAN and PacGAN papers at
image scale: every triple of digit classes is a mode, 1,000 in all. Built
from mnist8k, so it needs no download: the "train" split stacks digits of
`mnist8k:train`, the "test" split digits of `mnist8k:test`.
"""

import numpy as np

DEFAULT_NUM_IMAGES = 30_000
NUM_MODES = 1000


def stack_digits(images, labels, count, seed):
    """`(images [count, H, W, 3] uint8, modes [count] int32)` of random digit triples.

    Args:
        images: `[N, H, W, 1]` uint8 digits.
        labels: `[N]` digit classes 0-9.
        count: number of stacked images.
        seed: seed of the triples drawn.

    The mode of an image is `100 * red digit + 10 * green digit + blue digit`.
    """
    if images.ndim != 4 or images.shape[-1] != 1:
        raise ValueError(
            f"Stacked MNIST needs single-channel digits [N, H, W, 1]. Received: images.shape={images.shape}"
        )
    picks = np.random.default_rng(seed).integers(0, len(images), size=(count, 3))
    stacked = np.concatenate([images[picks[:, channel]] for channel in range(3)], axis=-1)
    digits = np.asarray(labels, np.int32)[picks]
    return stacked, (100 * digits[:, 0] + 10 * digits[:, 1] + digits[:, 2]).astype(np.int32)


def mode_of_channels(channel_classes):
    """Modes `[N]` from per-channel digit classes `[N, 3]` (as `stack_digits` numbers them)."""
    channel_classes = np.asarray(channel_classes)
    return 100 * channel_classes[:, 0] + 10 * channel_classes[:, 1] + channel_classes[:, 2]
