"""L1, PSNR and SSIM of paired images, for image-to-image models.

Both follow `tf.image.psnr` and `tf.image.ssim` (Wang et al. 2004: an 11x11
Gaussian window with sigma 1.5, K1 = 0.01, K2 = 0.03, "valid" filtering, the
mean over positions and then over channels), computed in float64 numpy.
Images in [-1, 1] span a range of 2, hence the default `max_val=2`.
"""

import numpy as np

from tfgan_zoo.utils import validation

DEFAULT_MAX_VAL = 2.0


def _check_pair(images, references):
    images = np.asarray(images, dtype=np.float64)
    references = np.asarray(references, dtype=np.float64)
    if images.ndim != 4 or images.shape[0] < 1:
        raise ValueError(
            f"`images` must be a non-empty batch [N, H, W, C]. Received: images.shape={images.shape}"
        )
    if references.shape != images.shape:
        raise ValueError(
            "`references` must have the shape of `images`. "
            f"Received: images.shape={images.shape}, references.shape={references.shape}"
        )
    return images, references


def mean_absolute_error(images, references):
    """Mean of `|image - reference|` over the pixels and channels of each image (pix2pix's L1).

    Returns:
        Float64 array `[N]`.

    Raises:
        ValueError: If the shapes differ.
    """
    images, references = _check_pair(images, references)
    return np.mean(np.abs(images - references), axis=(1, 2, 3))


def psnr(images, references, *, max_val=DEFAULT_MAX_VAL):
    """Peak signal-to-noise ratio of each image against its reference, in dB.

    Args:
        images: Images `[N, H, W, C]`.
        references: Reference images of the same shape.
        max_val: Dynamic range of the values (2 for [-1, 1]).

    Returns:
        Float64 array `[N]`; `inf` where an image equals its reference.

    Raises:
        ValueError: If the shapes differ or `max_val <= 0`.
    """
    images, references = _check_pair(images, references)
    validation.check_number("max_val", max_val, "(0, inf)")
    mse = np.mean((images - references) ** 2, axis=(1, 2, 3))
    with np.errstate(divide="ignore"):
        return 10.0 * np.log10(max_val**2 / mse)


def _gaussian_taps(size, sigma):
    coords = np.arange(size) - (size - 1) / 2.0
    taps = np.exp(-0.5 * coords**2 / sigma**2)
    # The normalised 2-D window of tf.image.ssim is the outer product of
    # these 1-D taps, so filtering rows then columns is exact.
    return taps / taps.sum()


def _filter_valid(images, taps):
    """Separable 'valid' filtering of [N, H, W, C] over H and W."""
    size = len(taps)
    height, width = images.shape[1] - size + 1, images.shape[2] - size + 1
    rows = sum(tap * images[:, offset:offset + height] for offset, tap in enumerate(taps))
    return sum(tap * rows[:, :, offset:offset + width] for offset, tap in enumerate(taps))


def ssim(images, references, *, max_val=DEFAULT_MAX_VAL, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03):
    """Structural similarity of each image to its reference.

    Args:
        images: Images `[N, H, W, C]` with `H, W >= filter_size`.
        references: Reference images of the same shape.
        max_val: Dynamic range of the values (2 for [-1, 1]).
        filter_size: Side of the Gaussian window.
        filter_sigma: Standard deviation of the Gaussian window.
        k1: Luminance stabiliser, as in the paper.
        k2: Contrast-structure stabiliser, as in the paper.

    Returns:
        Float64 array `[N]` in [-1, 1].

    Raises:
        ValueError: If the shapes differ or the images are smaller than the
            window.
    """
    images, references = _check_pair(images, references)
    validation.check_number("max_val", max_val, "(0, inf)")
    validation.check_int("filter_size", filter_size)
    validation.check_number("filter_sigma", filter_sigma, "(0, inf)")
    if min(images.shape[1:3]) < filter_size:
        raise ValueError(
            f"Images must be at least filter_size={filter_size} pixels high and wide. "
            f"Received: images.shape={images.shape}"
        )
    taps = _gaussian_taps(filter_size, filter_sigma)
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    mean_x, mean_y = _filter_valid(images, taps), _filter_valid(references, taps)
    mean_xy = _filter_valid(images * references, taps)
    mean_squares = _filter_valid(images**2 + references**2, taps)
    luminance = (2 * mean_x * mean_y + c1) / (mean_x**2 + mean_y**2 + c1)
    contrast_structure = (2 * (mean_xy - mean_x * mean_y) + c2) / (
        mean_squares - mean_x**2 - mean_y**2 + c2
    )
    return np.mean(luminance * contrast_structure, axis=(1, 2, 3))
