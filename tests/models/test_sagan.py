"""SAGAN: the GAN update with hinge loss, two time-scale rates and the attention networks."""

import keras
import numpy as np
import pytest

from conftest import fake_images
from model_testing import (
    assert_mirrored_step_equals_single_device_step,
    assert_reloaded_model_continues_exactly,
    assert_saved_model_and_litert_match_keras,
    compile_tiny,
    move_batchnorm_statistics,
)
from tfgan_zoo import attention_maps, distribution, models, networks, recipes, training

# 8x8 images: one upsampling in G (attention at 8x8) and one downsampling in D (attention at 4x4).
SHAPE = (8, 8, 1)


def _sagan(optimizers=None, jit_compile=False, **kwargs):
    generator, discriminator = networks.build_networks(
        "sagan", SHAPE, 4, generator_kwargs={"base_filters": 4, "attention_resolution": 8},
        discriminator_kwargs={"base_filters": 4, "attention_resolution": 4},
    )
    return compile_tiny(models.GAN(generator, discriminator, loss="hinge", **kwargs), optimizers, jit_compile)


@pytest.mark.parametrize("name", ["sagan_mnist8k", "sagan_shapes"])
def test_recipe_is_hinge_ttur_with_attention_and_spectral_norm_in_both_networks(name):
    recipe = recipes.get_recipe(name).smoke_sized()
    model = training.build_model(recipe)
    assert type(model) is models.GAN and model.loss == "hinge"
    rates = float(model.generator_optimizer.learning_rate), float(model.discriminator_optimizer.learning_rate)
    assert rates == pytest.approx((1e-4, 4e-4))
    for optimizer in (model.generator_optimizer, model.discriminator_optimizer):
        assert (float(optimizer.beta_1), float(optimizer.beta_2)) == pytest.approx((0.0, 0.9))
    assert model.generator.output.shape[1:3] == (32, 32)
    for network in (model.generator, model.discriminator):
        (attention,) = attention_maps.attention_layers(network)
        assert attention.input.shape[1] == 16 and attention.spectral_norm
        assert any(isinstance(layer, keras.layers.SpectralNormalization) for layer in network.layers)


def test_attention_gamma_is_trained():
    model = _sagan()
    model.fit(fake_images(16, SHAPE), batch_size=8, verbose=0)
    for network in (model.generator, model.discriminator):
        assert float(attention_maps.attention_layers(network)[0].gamma.numpy()) != 0.0


def test_fit_with_xla():
    model = _sagan(jit_compile=True, ema_decay=0.9)
    history = model.fit(fake_images(16, SHAPE), batch_size=8, verbose=0)
    assert set(history.history) == {"d_loss", "g_loss", "d_real", "d_fake"}
    assert all(np.isfinite(values[-1]) for values in history.history.values())


def test_reloaded_model_continues_exactly(tmp_path):
    model = _sagan(ema_decay=0.9)
    first, second = (fake_images(16, SHAPE, seed=1),), (fake_images(16, SHAPE, seed=2),)
    assert_reloaded_model_continues_exactly(model, tmp_path / "sagan.keras", first, second)


def test_mirrored_step_equals_single_device_step_with_synchronised_batchnorm(mirrored):
    def build():
        model = _sagan(optimizers=(keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1)))
        distribution.synchronize_batchnorm(model)
        return model

    assert_mirrored_step_equals_single_device_step(mirrored, build, fake_images(8, SHAPE), None)


def test_saved_model_and_litert_match_keras(tmp_path):
    model = _sagan()
    move_batchnorm_statistics(model.generator)
    attention_maps.attention_layers(model.generator)[0].gamma.assign(0.8)  # 0 would hide the attention path
    manifest = assert_saved_model_and_litert_match_keras(model, tmp_path, "sagan")
    assert manifest["tflite"]["tflite_fp32"]["max_abs_error"] <= 1e-4
