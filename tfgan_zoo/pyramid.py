"""Gaussian and Laplacian image pyramids as pure TensorFlow functions (for LAPGAN).

`downsample` halves an image by 2x2 average pooling and `upsample` doubles it
by nearest-neighbour repetition. With this pair `downsample(upsample(x)) == x`
exactly, so the band-pass residual `h = I - upsample(downsample(I))` has a
zero 2x2 average pooling (`downsample(h) == 0`): it holds only the detail the
coarser image cannot. Reconstruction `I = upsample(coarse) + h` is exact by
construction, in float arithmetic up to rounding.

Levels are listed coarse to fine, the order in which LAPGAN samples: level
0 is the coarsest image, level k the residual that takes the image from
size `s * 2**(k-1)` to `s * 2**k`.

Reference: Burt & Adelson, "The Laplacian Pyramid as a Compact Image Code",
IEEE Trans. Communications 1983; Denton et al., "Deep Generative Image Models
using a Laplacian Pyramid of Adversarial Networks", NeurIPS 2015.
"""

import tensorflow as tf


def downsample(images):
    """`[B, H, W, C]` -> `[B, H/2, W/2, C]`: the mean of each 2x2 block."""
    _check_even(images)
    return tf.nn.avg_pool2d(images, ksize=2, strides=2, padding="VALID")


def upsample(images):
    """`[B, H, W, C]` -> `[B, 2H, 2W, C]`: each pixel repeated into a 2x2 block."""
    return tf.repeat(tf.repeat(images, 2, axis=1), 2, axis=2)


def gaussian_pyramid(images, levels):
    """`[I_0, ..., I_levels]`, coarse to fine: `I_levels = images`, `I_(k-1) = downsample(I_k)`."""
    _check_levels(levels)
    pyramid = [images]
    for _ in range(levels):
        pyramid.insert(0, downsample(pyramid[0]))
    return pyramid


def laplacian_levels(images, levels):
    """`(pyramid, conditions)`, coarse to fine: the Laplacian pyramid and each residual's coarse image.

    `pyramid` is `[I_0, h_1, ..., h_levels]`, the coarsest image of the
    Gaussian pyramid `I_k` then the residuals `h_k = I_k - l_k`;
    `conditions` is `[l_1, ..., l_levels]` with `l_k = upsample(I_(k-1))`.
    """
    gaussian = gaussian_pyramid(images, levels)
    conditions = [upsample(coarse) for coarse in gaussian[:-1]]
    residuals = [fine - condition for fine, condition in zip(gaussian[1:], conditions)]
    return [gaussian[0], *residuals], conditions


def laplacian_pyramid(images, levels):
    """`[I_0, h_1, ..., h_levels]`: the coarsest image, then `levels` residuals (see `laplacian_levels`)."""
    return laplacian_levels(images, levels)[0]


def reconstruct(pyramid):
    """The image of a Laplacian pyramid `[I_0, h_1, ..., h_n]`: `I_k = upsample(I_(k-1)) + h_k`."""
    image = pyramid[0]
    for residual in pyramid[1:]:
        image = upsample(image) + residual
    return image


def _check_even(images):
    height, width = images.shape[1], images.shape[2]
    if height is not None and width is not None and (height % 2 or width % 2):
        raise ValueError(f"downsample needs an even height and width. Received: shape={tuple(images.shape)}")


def _check_levels(levels):
    if isinstance(levels, bool) or not isinstance(levels, int) or levels < 0:
        raise ValueError(f"levels must be an int >= 0. Received: levels={levels!r}")
