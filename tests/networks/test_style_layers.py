"""Layers of the progressive GAN and StyleGAN: equalised learning rate, pixel norm, fade-in, AdaIN, noise,
truncation."""

import math

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo.layers import (
    AdaptiveInstanceNorm,
    ConstantNoise,
    EqualizedConv2D,
    EqualizedDense,
    FadeIn,
    GrowthProgress,
    LearnedConstant,
    NearestUpsample,
    NoiseInput,
    PixelNorm,
    Truncation,
)
from tfgan_zoo.networks import stylegan


def _normal(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def test_equalized_dense_stores_unit_normal_weights_and_scales_them_at_run_time():
    layer = EqualizedDense(300, gain=2.0)
    x = _normal((5, 400))
    y = layer(x)
    kernel = layer.kernel.numpy()
    # Stored N(0, 1): the optimizer sees every weight at the same scale, whatever the fan-in.
    assert abs(kernel.std() - 1.0) < 0.01 and abs(kernel.mean()) < 0.01
    np.testing.assert_allclose(y, x @ (kernel * 2.0 / math.sqrt(400)), rtol=1e-4, atol=1e-4)


def test_lr_multiplier_scales_storage_down_and_the_run_time_scale_up():
    layer = EqualizedDense(200, lr_multiplier=0.01)
    x = _normal((3, 100))
    layer.build(x.shape)
    layer.bias.assign(np.full([200], 5.0, "float32"))
    kernel = layer.kernel.numpy()
    assert abs(kernel.std() - 100.0) < 2.0  # N(0, 1 / 0.01^2): the effective weight is N(0, 1) * He
    expected = x @ (kernel * math.sqrt(2.0) / math.sqrt(100) * 0.01) + 5.0 * 0.01
    np.testing.assert_allclose(layer(x), expected, rtol=1e-4, atol=1e-4)


def test_equalized_conv_uses_the_kernel_fan_in():
    layer = EqualizedConv2D(4, 3)
    x = _normal((2, 6, 6, 5))
    y = layer(x)
    scale = math.sqrt(2.0) / math.sqrt(3 * 3 * 5)
    expected = tf.nn.conv2d(x, layer.kernel.numpy() * scale, 1, "SAME")
    np.testing.assert_allclose(y, expected, rtol=1e-4, atol=1e-5)
    assert abs(layer.kernel.numpy().std() - 1.0) < 0.2


def test_pixel_norm_gives_unit_mean_square_per_pixel():
    x = _normal((3, 4, 4, 8)) * np.array([0.1, 1, 100], "float32")[:, None, None, None]
    y = PixelNorm()(x).numpy()
    np.testing.assert_allclose(np.mean(y**2, axis=-1), 1.0, rtol=1e-5)
    # A rescaling per pixel only: directions are kept.
    np.testing.assert_allclose(y / np.linalg.norm(y, axis=-1, keepdims=True),
                               x / np.linalg.norm(x, axis=-1, keepdims=True), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("progress,expected_weight", [(0.0, 0.0), (1.0, 0.0), (1.25, 0.25), (2.0, 1.0), (3.0, 1.0)])
def test_fade_in_weights_the_grown_path_by_progress_minus_level_below(progress, expected_weight):
    skip, grown = _normal((2, 4, 4, 3), 1), _normal((2, 4, 4, 3), 2)
    tracker = GrowthProgress(4)
    tracker.build((2, 4))
    tracker.set_progress(progress)
    mixed = FadeIn(2)([skip, grown, tracker(skip[:, 0, 0])]).numpy()
    np.testing.assert_allclose(mixed, (1 - expected_weight) * skip + expected_weight * grown, rtol=1e-6, atol=1e-6)
    if expected_weight in (0.0, 1.0):  # exactly one path, no rounding
        np.testing.assert_array_equal(mixed, grown if expected_weight else skip)


def test_nearest_upsample_repeats_each_pixel_into_a_2x2_block():
    x = _normal((2, 3, 5, 2))
    np.testing.assert_array_equal(NearestUpsample()(x), x.repeat(2, axis=1).repeat(2, axis=2))


def test_growth_progress_refuses_values_outside_its_levels():
    tracker = GrowthProgress(3)
    tracker.build((1, 1))
    with pytest.raises(ValueError, match="progress=2.5"):
        tracker.set_progress(2.5)


def test_adain_output_has_the_styles_mean_and_std_per_channel():
    x = _normal((3, 8, 8, 4)) * 3.0 + 1.0
    styles = _normal((3, 5, 6), 3)
    layer = AdaptiveInstanceNorm(style_index=2)
    y = layer([x, styles]).numpy()
    scale, bias = (value.numpy() for value in layer.styles(styles))
    np.testing.assert_allclose(y.mean(axis=(1, 2)), bias, atol=1e-4)
    np.testing.assert_allclose(y.std(axis=(1, 2)), np.abs(scale), rtol=1e-3)
    # The layer reads its own style only: changing another layer's style changes nothing.
    other = styles.copy()
    other[:, 4] += 1.0
    np.testing.assert_array_equal(layer([x, other]).numpy(), y)
    changed = styles.copy()
    changed[:, 2] += 1.0
    assert np.abs(layer([x, changed]).numpy() - y).max() > 0.1


def test_noise_input_acts_only_through_its_learned_strength():
    x = _normal((2, 4, 4, 3))
    layer = NoiseInput()
    first, second = _normal((2, 4, 4, 1), 5), _normal((2, 4, 4, 1), 6)
    # Zero at first (as in StyleGAN): any noise, same output.
    np.testing.assert_array_equal(layer([x, first]), x)
    np.testing.assert_array_equal(layer([x, second]), x)
    layer.strength.assign([0.0, 0.5, -2.0])
    np.testing.assert_allclose(layer([x, first]), x + first * np.array([0.0, 0.5, -2.0], "float32"), rtol=1e-6)


def test_constant_inputs_are_per_example_copies():
    styles = _normal((3, 2, 4))
    constant = LearnedConstant(4, 5)(styles).numpy()
    assert constant.shape == (3, 4, 4, 5)
    np.testing.assert_array_equal(constant[0], constant[2])
    # N(0, 1), so that the first AdaIN, which normalises over the pixels, has spatial variance to normalise.
    assert np.all(constant[0].std(axis=(0, 1)) > 0.2)
    noise = ConstantNoise(4, seed=7)(styles).numpy()
    np.testing.assert_array_equal(noise[0], noise[2])
    np.testing.assert_array_equal(noise, ConstantNoise(4, seed=7)(styles[:1]).numpy().repeat(3, axis=0))


def test_truncation_moves_w_towards_the_tracked_average():
    w = _normal((4, 6))
    layer = Truncation()
    np.testing.assert_array_equal(layer(w), w)  # psi = 1 at first
    average = _normal((6,), 1)
    layer.track(average, 0.0)
    np.testing.assert_allclose(layer.w_avg.numpy(), average)
    layer.track(np.zeros(6, "float32"), 0.75)
    np.testing.assert_allclose(layer.w_avg.numpy(), 0.75 * average, rtol=1e-6)
    layer.psi.assign(0.0)
    np.testing.assert_allclose(layer(w), np.tile(0.75 * average, [4, 1]), rtol=1e-6)
    layer.psi.assign(0.5)
    np.testing.assert_allclose(layer(w), 0.75 * average + 0.5 * (w - 0.75 * average), rtol=1e-5, atol=1e-6)


def test_mapping_network_maps_z_to_w():
    mapping = stylegan.mapping_network(8, w_dim=12, mapping_layers=3)
    assert mapping(_normal((5, 8))).shape == (5, 12)
    assert [layer.lr_multiplier for layer in mapping.layers if isinstance(layer, EqualizedDense)] == [0.01] * 3


def test_layers_round_trip_through_their_config():
    for layer in (EqualizedDense(3, gain=1.0, lr_multiplier=0.5, use_bias=False), EqualizedConv2D(2, 3),
                  PixelNorm(1e-6), FadeIn(3), GrowthProgress(5), AdaptiveInstanceNorm(4), ConstantNoise(8, seed=3),
                  LearnedConstant(4, 2), NoiseInput(), Truncation(), NearestUpsample()):
        config = keras.layers.serialize(layer)
        assert keras.layers.deserialize(config).get_config() == layer.get_config()
