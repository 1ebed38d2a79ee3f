"""PSNR and SSIM match tf.image with max_val=2 for images in [-1, 1]."""

import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo.metrics import image_quality


def _pair(shape, seed):
    rng = np.random.default_rng(seed)
    references = rng.uniform(-1, 1, size=shape).astype(np.float32)
    noisy = np.clip(references + rng.normal(scale=0.2, size=shape), -1, 1).astype(np.float32)
    return noisy, references


@pytest.mark.parametrize("shape", [(3, 28, 28, 1), (2, 32, 24, 3)])
def test_psnr_matches_tf_image(shape):
    images, references = _pair(shape, seed=0)
    expected = tf.image.psnr(images, references, max_val=2.0).numpy()
    np.testing.assert_allclose(image_quality.psnr(images, references), expected, rtol=1e-5)


@pytest.mark.parametrize("shape", [(3, 28, 28, 1), (2, 32, 24, 3)])
def test_ssim_matches_tf_image(shape):
    images, references = _pair(shape, seed=1)
    # A smooth image as well: SSIM of noise alone is near 0.
    images[0] = references[0] * 0.9
    expected = tf.image.ssim(images, references, max_val=2.0).numpy()
    actual = image_quality.ssim(images, references)
    np.testing.assert_allclose(actual, expected, atol=1e-5)
    assert actual[0] > 0.9


def test_identical_images():
    images, _ = _pair((2, 16, 16, 1), seed=2)
    assert np.all(np.isinf(image_quality.psnr(images, images)))
    np.testing.assert_allclose(image_quality.ssim(images, images), 1.0, atol=1e-12)


def test_errors_name_the_shapes():
    with pytest.raises(ValueError, match="references.shape=\\(2, 8, 8, 1\\)"):
        image_quality.psnr(np.zeros((2, 8, 8, 3)), np.zeros((2, 8, 8, 1)))
    with pytest.raises(ValueError, match="filter_size=11.*images.shape=\\(1, 8, 8, 1\\)"):
        image_quality.ssim(np.zeros((1, 8, 8, 1)), np.zeros((1, 8, 8, 1)))
