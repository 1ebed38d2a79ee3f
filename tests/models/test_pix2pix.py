"""pix2pix: U-Net generator, conditional PatchGAN, adversarial + lambda * L1."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from conftest import fake_images, max_change, snapshot
from model_testing import (
    assert_each_optimizer_moves_only_its_own_network,
    assert_mirrored_step_equals_single_device_step,
    assert_sgd_step,
    assert_variables_close,
    compile_tiny,
    sgd_pair,
    softplus,
    tiny_image_to_image_networks,
    train_smoke_image_to_image,
)
from tfgan_zoo import held_out, training
from tfgan_zoo.models import Pix2Pix
from tfgan_zoo.recipes.recipe import Recipe


def _pix2pix(normalization="batch", optimizers=None, jit_compile=False, target_shape=(8, 8, 1), **kwargs):
    generator, discriminator = tiny_image_to_image_networks((8, 8, 1), target_shape, normalization)
    return compile_tiny(Pix2Pix(generator, discriminator, **kwargs), optimizers, jit_compile)


def _pairs(count=4, seed=0):
    return tf.constant(fake_images(count, seed=seed)), tf.constant(fake_images(count, seed=seed + 100))


# === Losses ===
def test_discriminator_loss_is_half_the_patch_cross_entropy():
    model = _pix2pix("none", sgd_pair())
    source, target = _pairs()
    fake = model.generator(source, training=True)
    variables = model.discriminator.trainable_variables
    before = snapshot(variables)
    with tf.GradientTape() as tape:
        real_scores = model.discriminator([source, target])
        fake_scores = model.discriminator([source, fake])
        per_patch = tf.nn.softplus(-real_scores) + tf.nn.softplus(fake_scores)
        expected_loss = 0.5 * tf.reduce_mean(per_patch)
    expected_gradients = tape.gradient(expected_loss, variables)
    assert real_scores.shape == (4, 4, 4, 1)  # a map of patch scores per example

    terms = model.discriminator_step((source, target), None, stream=0)

    hand = 0.5 * np.mean(softplus(-real_scores.numpy()) + softplus(fake_scores.numpy()))
    np.testing.assert_allclose(float(terms["d_loss"]), hand, rtol=1e-5)
    np.testing.assert_allclose(float(terms["d_real"]), real_scores.numpy().mean(), rtol=1e-5, atol=1e-7)
    assert_sgd_step(before, expected_gradients, variables)


def test_generator_loss_is_adversarial_plus_lambda_l1():
    model = _pix2pix("none", sgd_pair(), l1_weight=100.0, adversarial_weight=0.5)
    source, target = _pairs()
    variables = model.generator.trainable_variables
    before = snapshot(variables)
    with tf.GradientTape() as tape:
        fake = model.generator(source, training=True)
        scores = model.discriminator([source, fake])
        l1 = tf.reduce_mean(tf.abs(target - fake))
        expected_loss = 0.5 * tf.reduce_mean(tf.nn.softplus(-scores)) + 100.0 * l1
    expected_gradients = tape.gradient(expected_loss, variables)

    terms = model.generator_step((source, target), None, stream=1)

    hand_l1 = np.mean(np.abs(target.numpy() - fake.numpy()))
    hand_adversarial = np.mean(softplus(-scores.numpy()))
    np.testing.assert_allclose(float(terms["g_l1"]), hand_l1, rtol=1e-5)
    np.testing.assert_allclose(float(terms["g_adversarial"]), hand_adversarial, rtol=1e-5)
    np.testing.assert_allclose(float(terms["g_loss"]), 0.5 * hand_adversarial + 100.0 * hand_l1, rtol=1e-5)
    assert_sgd_step(before, expected_gradients, variables)


def test_l1_only_baseline_never_touches_the_discriminator():
    model = _pix2pix(optimizers=sgd_pair(0.01), adversarial_weight=0.0)
    source, target = _pairs(8)
    generator_before, discriminator_before = snapshot(model.generator.trainable_variables), snapshot(
        model.discriminator.weights)
    with tf.GradientTape() as tape:
        fake = model.generator(source, training=True)
        expected_loss = 100.0 * tf.reduce_mean(tf.abs(target - fake))
    expected_gradients = tape.gradient(expected_loss, model.generator.trainable_variables)

    history = model.fit(source, target, batch_size=8, shuffle=False, verbose=0)

    assert set(history.history) == {"g_loss", "g_l1"} and not model.has_discriminator
    assert max_change(discriminator_before, model.discriminator.weights) == 0
    assert int(model.discriminator_optimizer.iterations.numpy()) == 0
    # The generator's step is plain gradient descent on 100 * L1: no term from D.
    assert_sgd_step(generator_before, expected_gradients, model.generator.trainable_variables, rate=0.01)


# === Updates and training ===
def test_each_optimizer_moves_only_its_own_network():
    model = _pix2pix("instance")
    assert_each_optimizer_moves_only_its_own_network(model, _pairs(), None)


def test_fit_with_xla_and_two_discriminator_steps():
    model = _pix2pix(jit_compile=True, d_steps=2, target_shape=(8, 8, 3), ema_decay=0.9)
    history = model.fit(fake_images(16), fake_images(16, (8, 8, 3), seed=1), batch_size=8, verbose=0)
    assert set(history.history) == set(model.loss_names)
    assert all(np.isfinite(values[-1]) for values in history.history.values())
    assert int(model.generator_optimizer.iterations.numpy()) == 2
    assert int(model.discriminator_optimizer.iterations.numpy()) == 4
    assert model.generate(sources=fake_images(3)).shape == (3, 8, 8, 3)


def test_mirrored_step_equals_single_device_step(mirrored):
    # Instance norm: BatchNorm's per-replica statistics would legitimately differ from one device's.
    def build():
        return _pix2pix("instance", sgd_pair())

    assert_mirrored_step_equals_single_device_step(mirrored, build, fake_images(8), fake_images(8, seed=1))


def test_save_load_continues_training_exactly(tmp_path):
    model = _pix2pix(l1_weight=10.0, ema_decay=0.9)
    model.fit(fake_images(16, seed=1), fake_images(16, seed=2), batch_size=8, shuffle=False, verbose=0)
    model.save(tmp_path / "pix2pix.keras")
    loaded = keras.models.load_model(tmp_path / "pix2pix.keras")
    assert isinstance(loaded, Pix2Pix) and loaded.l1_weight == 10.0 and loaded.latent_dim is None
    for which in (model, loaded):
        which.fit(fake_images(16, seed=3), fake_images(16, seed=4), batch_size=8, shuffle=False, verbose=0)
    assert int(loaded.step_counter.numpy()) == 4
    assert len(model.weights) == len(loaded.weights)
    assert_variables_close(model.weights, loaded.weights)


def test_smoke_recipe_trains_writes_grids_and_translates_heldout_digits(tmp_path):
    model, history, loaded = train_smoke_image_to_image("pix2pix_edges_mnist8k", tmp_path)
    assert np.isfinite(history.history["g_l1"][-1])
    sources, targets, labels = held_out.heldout_examples(loaded, 5, seed=3)
    assert sources.shape == targets.shape == (5, 28, 28, 1) and labels.shape == (5,)
    np.testing.assert_array_equal(held_out.generate(loaded, 5, seed=3), loaded.generate(sources=sources))


# === Arguments ===
def test_bad_arguments_are_refused():
    generator, discriminator = tiny_image_to_image_networks()
    with pytest.raises(ValueError, match="Received: l1_weight=-1"):
        Pix2Pix(generator, discriminator, l1_weight=-1)
    with pytest.raises(ValueError, match="Received: num_classes=3"):
        Pix2Pix(generator, discriminator, num_classes=3)
    with pytest.raises(ValueError, match="Received: inputs \\['latent'\\]"):
        Pix2Pix(keras.Sequential([keras.Input((4,), name="latent"), keras.layers.Dense(4)]), discriminator)
    with pytest.raises(ValueError, match="source_data must be None or a dict"):
        Pix2Pix(generator, discriminator, source_data={"dataset": "mnist8k"})
    model = compile_tiny(Pix2Pix(generator, discriminator))
    with pytest.raises(ValueError, match="Received: sources=None"):
        model.generate(4)
    with pytest.raises(ValueError, match="Received: source_data=None"):
        held_out.generate(model, 4)
    with pytest.raises(ValueError, match="take no labels"):
        model.generate(sources=fake_images(2), labels=np.zeros(2, np.int32))
    with pytest.raises(ValueError, match=r"Received: shape=\(2, 8, 8, 3\)"):
        model.translate(fake_images(2, (8, 8, 3)))
    with pytest.raises(ValueError, match="names its task in model_options"):
        training.build_model(Recipe(model="pix2pix", networks="unet_patchgan", dataset="gen:shapes:64"))
