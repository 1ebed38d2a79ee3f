"""Laplacian pyramid (LAPGAN's decomposition): exact reconstruction and band-pass residuals."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo import pyramid
from tfgan_zoo.networks import lapgan as lapgan_networks


def _images(shape=(4, 32, 32, 3), seed=0):
    return tf.constant(np.random.default_rng(seed).uniform(-1, 1, shape).astype("float32"))


@pytest.mark.parametrize("levels", [0, 1, 3])
def test_reconstruction_from_the_pyramid_is_exact(levels):
    images = _images()
    laplacian = pyramid.laplacian_pyramid(images, levels)
    sizes = [32 // 2**levels] + [32 // 2 ** (levels - level) for level in range(1, levels + 1)]
    assert [level.shape[1] for level in laplacian] == sizes
    np.testing.assert_allclose(pyramid.reconstruct(laplacian), images, atol=1e-6)


def test_residuals_have_zero_block_means_and_the_coarsest_image_is_the_block_mean():
    images = _images(seed=1)
    coarsest, *residuals = pyramid.laplacian_pyramid(images, 2)
    for residual in residuals:
        # All the residual holds is detail finer than its coarser level: every 2x2 block averages to 0.
        np.testing.assert_allclose(pyramid.downsample(residual), 0.0, atol=1e-6)
        assert np.abs(residual.numpy()).max() > 0.1
    block_means = images.numpy().reshape(4, 8, 4, 8, 4, 3).mean(axis=(2, 4))
    np.testing.assert_allclose(coarsest, block_means, atol=1e-6)


def test_levels_pair_each_residual_with_its_upsampled_coarser_image():
    images = _images(seed=2)
    laplacian, conditions = pyramid.laplacian_levels(images, 2)
    gaussian = pyramid.gaussian_pyramid(images, 2)
    assert len(conditions) == 2
    for coarse, condition, residual, fine in zip(gaussian[:-1], conditions, laplacian[1:], gaussian[1:]):
        np.testing.assert_array_equal(condition, pyramid.upsample(coarse))
        np.testing.assert_allclose(condition + residual, fine, atol=1e-6)


def test_downsample_undoes_upsample_and_upsample_is_the_cascades_layers():
    images = _images((2, 8, 6, 3), seed=3)
    np.testing.assert_array_equal(pyramid.downsample(pyramid.upsample(images)), images)
    # LAPGAN trains with the pure function and samples with these layers.
    image = keras.Input((8, 6, 3))
    upsample = keras.Model(image, lapgan_networks.nearest_upsample(image, name="upsample"))
    np.testing.assert_array_equal(upsample(images), pyramid.upsample(images))


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match=r"even height and width. Received: shape=\(1, 5, 4, 1\)"):
        pyramid.downsample(tf.zeros([1, 5, 4, 1]))
    with pytest.raises(ValueError, match="levels=-1"):
        pyramid.gaussian_pyramid(tf.zeros([1, 4, 4, 1]), -1)
