"""The U-Net generator and the conditional PatchGAN discriminator of pix2pix."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo import networks
from tfgan_zoo.networks import patchgan, unet


@pytest.mark.parametrize("shape", [(28, 28, 1), (32, 32, 3)])
def test_unet_skips_join_maps_of_their_encoder_level(shape):
    generator = networks.unet_generator(shape, 3, base_filters=4, max_filters=16)
    assert [tensor.name for tensor in generator.inputs] == ["image"]
    assert generator.output.shape == (None, shape[0], shape[1], 3)
    skips = [layer for layer in generator.layers if layer.name.startswith("skip_")]
    # Down to one pixel: 28 -> 14 -> 7 -> 4 -> 2 -> 1 and 32 -> ... -> 1 are 5 levels, 4 skips.
    assert unet.max_depth(shape) == 5 and len(skips) == 4
    for layer in skips:
        level = int(layer.name.split("_")[1])
        encoder = generator.get_layer(f"down_{level}_leaky").output
        decoder, joined = layer.input
        assert decoder.shape[1:3] == encoder.shape[1:3] == (-(-shape[0] // 2 ** (level + 1)),) * 2
        assert layer.input[1] is encoder and joined.shape == encoder.shape
        assert layer.output.shape[-1] == decoder.shape[-1] + encoder.shape[-1]


def test_unet_depth_and_normalization_are_checked():
    assert len(networks.unet_generator((16, 16, 1), 1, base_filters=4, depth=2).layers) < len(
        networks.unet_generator((16, 16, 1), 1, base_filters=4).layers)
    with pytest.raises(ValueError, match="Received: depth=5"):
        networks.unet_generator((16, 16, 1), 1, depth=5)
    with pytest.raises(ValueError, match="Received: normalization='layer'"):
        networks.unet_generator((16, 16, 1), 1, normalization="layer")


def test_unet_innermost_code_is_not_normalised_away():
    """Instance norm of the 1x1 code would make it a constant; the innermost level is not normalised."""
    generator = networks.unet_generator((8, 8, 1), 1, base_filters=4, normalization="instance")
    names = {layer.name for layer in generator.layers}
    assert "down_1_in" in names and "down_2_in" not in names and "down_0_in" not in names


@pytest.mark.parametrize("downsamplings,field", [(0, 7), (1, 16), (3, 70)])
def test_patchgan_scores_a_map_of_patches(downsamplings, field):
    discriminator = networks.patchgan_discriminator(
        (32, 32, 1), (32, 32, 3), base_filters=4, downsamplings=downsamplings, normalization="none")
    size = 32 // 2**downsamplings
    assert discriminator.output.shape == (None, size, size, 1)
    assert [tensor.name for tensor in discriminator.inputs] == ["source", "target"]
    assert patchgan.receptive_field(downsamplings) == field


def test_one_patch_score_sees_only_its_receptive_field_of_source_and_target():
    discriminator = networks.patchgan_discriminator((32, 32, 1), (32, 32, 3), base_filters=4, downsamplings=1,
                                                    normalization="none")
    rng = np.random.default_rng(0)
    source = tf.constant(rng.uniform(-1, 1, (1, 32, 32, 1)), tf.float32)
    target = tf.constant(rng.uniform(-1, 1, (1, 32, 32, 3)), tf.float32)
    with tf.GradientTape() as tape:
        tape.watch([source, target])
        score = discriminator([source, target])[0, 8, 8, 0]
    for gradient in tape.gradient(score, [source, target]):
        rows, columns = np.nonzero(np.abs(gradient.numpy()[0]).sum(axis=-1))
        assert len(rows), "the score must depend on both inputs"
        assert rows.max() - rows.min() < 16 and columns.max() - columns.min() < 16


def test_patchgan_refuses_sources_of_another_size():
    with pytest.raises(ValueError, match=r"source_shape=\(7, 7, 1\)"):
        networks.patchgan_discriminator((7, 7, 1), (28, 28, 1))
    with pytest.raises(ValueError, match="Received: downsamplings=-1"):
        networks.patchgan_discriminator((8, 8, 1), (8, 8, 1), downsamplings=-1)


def test_networks_are_built_from_stock_layers_and_round_trip(tmp_path):
    generator, discriminator = networks.build_image_to_image_networks(
        "unet_patchgan", (28, 28, 1), (28, 28, 1), generator_kwargs={"base_filters": 4},
        discriminator_kwargs={"base_filters": 4})
    images = np.random.default_rng(1).uniform(-1, 1, (2, 28, 28, 1)).astype("float32")
    for network, inputs in ((generator, images), (discriminator, [images, images])):
        network.save(tmp_path / f"{network.name}.keras")
        loaded = keras.models.load_model(tmp_path / f"{network.name}.keras", safe_mode=True)
        np.testing.assert_allclose(loaded(inputs), network(inputs), atol=1e-6)
    with pytest.raises(ValueError, match="Received: networks='dcgan'"):
        networks.build_image_to_image_networks("dcgan", (28, 28, 1), (28, 28, 1))
