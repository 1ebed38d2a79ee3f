"""SRResNet generator and SRGAN discriminator: sub-pixel upsampling, shapes, registry."""

import keras
import numpy as np
import pytest

from tfgan_zoo import networks
from tfgan_zoo.networks.srresnet import SubPixelUpsampling


def test_sub_pixel_upsampling_arranges_channels_into_2x2_blocks_by_hand():
    # Channel index k = (row * 2 + column) * channels + channel, as tf.nn.depth_to_space (NHWC, DCR).
    inputs = np.arange(16, dtype=np.float32).reshape(1, 1, 2, 8)
    outputs = np.asarray(SubPixelUpsampling(2)(inputs))
    expected = np.array([[[[0, 1], [2, 3], [8, 9], [10, 11]],
                          [[4, 5], [6, 7], [12, 13], [14, 15]]]], np.float32)
    np.testing.assert_array_equal(outputs, expected)
    assert SubPixelUpsampling(2).compute_output_shape((None, 3, None, 8)) == (None, 6, None, 2)


@pytest.mark.parametrize("upscale", [2, 4])
def test_generator_upscales_and_discriminator_reads_features(upscale):
    generator, discriminator = networks.build_image_to_image_networks(
        "srresnet_srgan", (3, 3, 1), (3 * upscale, 3 * upscale, 2),
        generator_kwargs={"base_filters": 4, "residual_blocks": 2, "upscale": upscale},
        discriminator_kwargs={"base_filters": 4, "blocks": 2, "dense_units": 8},
    )
    images = np.random.default_rng(0).uniform(-1, 1, (2, 3, 3, 1)).astype(np.float32)
    outputs = np.asarray(generator(images))
    assert outputs.shape == (2, 3 * upscale, 3 * upscale, 2) and np.all(np.abs(outputs) <= 1)
    assert [layer.name for layer in generator.layers].count("long_skip") == 1
    features, scores = networks.features_and_scores(discriminator)(outputs)
    assert features.shape == (2, 8) and scores.shape == (2, 1)


def test_saved_generator_reloads_with_its_sub_pixel_layers(tmp_path):
    generator = networks.srresnet_generator((2, 2, 3), 3, base_filters=4, residual_blocks=1)
    generator.save(tmp_path / "generator.keras")
    loaded = keras.models.load_model(tmp_path / "generator.keras")
    images = np.random.default_rng(1).uniform(-1, 1, (2, 2, 2, 3)).astype(np.float32)
    np.testing.assert_allclose(loaded(images), generator(images), atol=1e-6)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="Received: upscale=3"):
        networks.srresnet_generator((4, 4, 1), 1, upscale=3)
    with pytest.raises(ValueError, match="Received: residual_blocks=-1"):
        networks.srresnet_generator((4, 4, 1), 1, residual_blocks=-1)
    with pytest.raises(ValueError, match="Received: blocks=0"):
        networks.srgan_discriminator((4, 4, 1), (16, 16, 1), blocks=0)
    with pytest.raises(ValueError, match="Received: normalization='instance'"):
        networks.srresnet_generator((4, 4, 1), 1, normalization="instance")
    with pytest.raises(ValueError, match="Received: factor=1"):
        SubPixelUpsampling(1)
