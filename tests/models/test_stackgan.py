"""StackGAN (Zhang et al. 2017): Conditioning Augmentation, two stages on a schedule, saving, export (issue 7)."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from conftest import fake_images, max_change, snapshot
from model_testing import (
    assert_mirrored_step_equals_single_device_step, assert_variables_close, move_batchnorm_statistics,
)
from tfgan_zoo import distribution, export, losses
from tfgan_zoo.data import captions
from tfgan_zoo.layers.conditioning_augmentation import ConditioningAugmentation
from tfgan_zoo.models.stackgan import StackGAN
from tfgan_zoo.networks import stackgan as stackgan_networks
from tfgan_zoo.networks import text_encoder as text_encoder_lib

WIDTH = 4  # z and each condition


def tiny_stackgan(stage1_steps=1, size=16, scale=2, jit_compile=False, optimizers=None, stage2_optimizers=(None, None),
                  **kwargs):
    """A compiled StackGAN with 4-filter networks: Stage-I at `size // scale`, Stage-II at `size`."""
    encoder = text_encoder_lib.text_encoder(token_dim=4, filters=8, embedding_dim=8)
    dims = dict(condition_dim=WIDTH, embedding_dim=8, base_filters=4)
    stage1 = stackgan_networks.stage1_generator(size // scale, noise_dim=WIDTH, **dims)
    stage2 = stackgan_networks.stage2_generator(size, scale=scale, residual_blocks=1, **dims)
    discriminators = [stackgan_networks.stage_discriminator((side, side, 3), embedding_dim=8, base_filters=4,
                                                            compressed_dim=4, name=f"stage{index}_discriminator")
                      for index, side in ((1, size // scale), (2, size))]
    model = StackGAN(encoder, stage1, discriminators[0], stage2, discriminators[1], stage1_steps=stage1_steps, **kwargs)
    g_opt, d_opt = optimizers or (keras.optimizers.Adam(1e-3, beta_1=0.5), keras.optimizers.Adam(1e-3, beta_1=0.5))
    model.compile(g_opt, d_opt, stage2_generator_optimizer=stage2_optimizers[0],
                  stage2_discriminator_optimizer=stage2_optimizers[1], jit_compile=jit_compile)
    return model


def _batch(count=8, size=16, seed=0):
    return tf.constant(fake_images(count, (size, size, 3), seed)), tf.constant(captions.example_tokens(count, seed))


# === Conditioning Augmentation ===
def _augmentation(mean, log_variance):
    """A CA layer whose dense map ignores the embedding and outputs `mean`, `log_variance`."""
    layer = ConditioningAugmentation(len(mean))
    layer.build([(None, 3), (None, len(mean))])
    layer.statistics.kernel.assign(np.zeros((3, 2 * len(mean)), np.float32))
    layer.statistics.bias.assign(np.concatenate([mean, log_variance]).astype(np.float32))
    return layer


def test_kl_term_equals_the_closed_form_and_vanishes_at_the_prior():
    mean, log_variance = np.array([1.0, 0.0, -2.0]), np.array([np.log(4.0), 0.0, np.log(0.25)])
    _, got_mean, got_log_variance = _augmentation(mean, log_variance)([np.ones((2, 3)), np.zeros((2, 3))])
    # KL(N(mu, s^2) || N(0, 1)) = (s^2 + mu^2 - log s^2 - 1) / 2 per dimension, by hand:
    expected = 0.5 * ((4 + 1 - np.log(4) - 1) + 0.0 + (0.25 + 4 - np.log(0.25) - 1))
    np.testing.assert_allclose(losses.kl_divergence(got_mean, got_log_variance), [expected, expected], rtol=1e-6)
    _, zero_mean, zero_log_variance = _augmentation(np.zeros(3), np.zeros(3))([np.ones((2, 3)), np.ones((2, 3))])
    np.testing.assert_allclose(losses.kl_divergence(zero_mean, zero_log_variance), [0.0, 0.0], atol=1e-7)


def test_the_condition_is_a_draw_around_the_mean():
    mean, log_variance = np.array([1.5, -0.5]), np.array([np.log(0.09), np.log(4.0)])
    layer = _augmentation(mean, log_variance)
    noise = np.random.default_rng(0).standard_normal((20000, 2)).astype(np.float32)
    condition, _, _ = layer([np.zeros((20000, 3), np.float32), noise])
    np.testing.assert_allclose(condition, mean + np.sqrt(np.exp(log_variance)) * noise, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np.mean(condition, axis=0), mean, atol=0.03)
    np.testing.assert_allclose(np.std(condition, axis=0), [0.3, 2.0], rtol=0.03)
    zero_noise, _, _ = layer([np.zeros((2, 3), np.float32), np.zeros((2, 2), np.float32)])
    np.testing.assert_allclose(zero_noise, [mean, mean], rtol=1e-6)


def test_generator_loss_carries_the_weighted_kl_of_its_condition():
    images, tokens = _batch()
    updated = {}
    for weight in (0.0, 5.0):
        keras.utils.set_random_seed(0)
        model = tiny_stackgan(kl_weight=weight)
        embedding, noise, stage1_noise, _ = model.stage_noise(tokens, model.d_steps, 8)
        _, mean, log_variance = model.stage1_generator([noise, stage1_noise, embedding], training=True)
        terms = model.generator_step(images, tokens, stream=model.d_steps)
        np.testing.assert_allclose(terms["kl"], np.mean(losses.kl_divergence(mean, log_variance)), rtol=1e-5)
        updated[weight] = model.stage1_generator.get_layer("conditioning_augmentation").get_weights()
    assert max(np.max(np.abs(a - b)) for a, b in zip(*updated.values())) > 1e-6


# === Two stages ===
def test_stage2_refines_stage1_images_to_twice_or_four_times_their_size():
    _, tokens = _batch(3)
    model = tiny_stackgan()
    assert model.generate_stage1(tokens).shape == (3, 8, 8, 3)
    assert model.generate(3, captions=tokens).shape == (3, 16, 16, 3)
    assert model.latent_dim == 3 * WIDTH and model.generator.input[1].shape[1:] == (captions.CAPTION_LENGTH,)
    four_times = tiny_stackgan(size=32, scale=4)
    assert four_times.generate_stage1(tokens).shape == (3, 8, 8, 3)
    assert four_times.generate(3, captions=tokens).shape == (3, 32, 32, 3)


_NETWORKS = ("text_encoder", "stage1_generator", "stage1_discriminator", "stage2_generator", "stage2_discriminator")


def _assert_moves_only(model, step, moving):
    """`step()` moves every trainable variable of network `moving` and no trainable variable of the others."""
    before = {name: snapshot(getattr(model, name).trainable_variables) for name in _NETWORKS}
    step()
    for name, old in before.items():
        variables = getattr(model, name).trainable_variables
        if name == moving:
            for value, variable in zip(old, variables):
                assert np.any(value != variable.numpy()), f"{variable.path} did not move in a {moving} update"
        elif old:
            assert max_change(old, variables) == 0, f"{name} moved in a {moving} update"


def test_schedule_trains_stage1_then_only_stage2_with_stage1_frozen():
    model = tiny_stackgan(stage1_steps=5)
    images, tokens = _batch()
    assert not model.text_encoder.trainable_variables, "the text encoder is frozen"
    _assert_moves_only(model, lambda: model.discriminator_step(images, tokens, 0), "stage1_discriminator")
    _assert_moves_only(model, lambda: model.generator_step(images, tokens, 1), "stage1_generator")
    model.step_counter.assign(5)
    assert model.prepare_phase() == 2  # what `fit` does before each call
    frozen = snapshot(model.stage1_generator.weights + model.text_encoder.weights)
    _assert_moves_only(model, lambda: model.discriminator_step(images, tokens, 0), "stage2_discriminator")
    _assert_moves_only(model, lambda: model.generator_step(images, tokens, 1), "stage2_generator")
    # Stage-I is frozen in Stage-II, its BatchNorm statistics included (it runs with training=False).
    assert max_change(frozen, model.stage1_generator.weights + model.text_encoder.weights) == 0
    iterations = [int(optimizer.iterations.numpy()) for optimizer in (
        model.generator_optimizer, model.discriminator_optimizer, model.stage2_generator_optimizer,
        model.stage2_discriminator_optimizer)]
    assert iterations == [1, 1, 1, 1]


def test_discriminator_is_matching_aware():
    """Real pairs are real; real images with another caption and generated images are fake, weighted half each."""
    scores = {"real": np.array([2.0, -1.0]), "wrong": np.array([0.5, 0.0]), "fake": np.array([-3.0, 1.0])}
    # -log sigmoid(real) - 0.5 * [log(1 - sigmoid(wrong)) + log(1 - sigmoid(fake))],
    # with -log sigmoid(x) = log(1 + e^-x) and -log(1 - sigmoid(x)) = log(1 + e^x):
    expected = np.log1p(np.exp(-scores["real"])) + 0.5 * sum(np.log1p(np.exp(scores[key])) for key in ("wrong", "fake"))
    model = tiny_stackgan(loss="minimax")
    loss = model.matching_aware_loss(*(tf.constant(scores[key]) for key in ("real", "wrong", "fake")))
    np.testing.assert_allclose(loss, expected, rtol=1e-6)
    # Stage-I's D sees real images averaged over 2x2 blocks.
    block = tf.reshape(tf.constant([1.0, 3.0, 5.0, 7.0]), [1, 2, 2, 1])
    np.testing.assert_allclose(model.downsample(tf.tile(block, [1, 8, 8, 3])), tf.fill([1, 8, 8, 3], 4.0))


# === Training, saving, export ===
def test_stackgan_trains_across_the_stage_switch_under_xla():
    model = tiny_stackgan(stage1_steps=1, jit_compile=True, ema_decay=0.9)
    images, tokens = _batch(16)
    history = model.fit(tf.data.Dataset.from_tensor_slices((images, tokens)).batch(8), epochs=1, shuffle=False, verbose=0)
    assert set(history.history) == set(model.loss_names)
    assert all(np.isfinite(values[-1]) for values in history.history.values())
    assert history.history["stage"][-1] == pytest.approx(1.5)
    iterations = [int(optimizer.iterations.numpy()) for optimizer in (
        model.generator_optimizer, model.discriminator_optimizer, model.stage2_generator_optimizer,
        model.stage2_discriminator_optimizer)]
    assert iterations == [1, 1, 1, 1]


def test_saved_stackgan_continues_training_exactly(tmp_path):
    model = tiny_stackgan(stage1_steps=2, stage2_optimizers=(keras.optimizers.SGD(0.05, momentum=0.5), None))
    first, second = _batch(16, seed=1), _batch(16, seed=2)
    model.fit(tf.data.Dataset.from_tensor_slices(first).batch(8), epochs=1, shuffle=False, verbose=0)
    model.save(tmp_path / "stackgan.keras")
    loaded = keras.models.load_model(tmp_path / "stackgan.keras")
    assert isinstance(loaded.stage2_generator_optimizer, keras.optimizers.SGD)
    assert loaded.get_config()["stage1_steps"] == 2 and not loaded.text_encoder.trainable
    # Both continue into Stage-II from the same state, noise and data.
    for each in (model, loaded):
        each.fit(tf.data.Dataset.from_tensor_slices(second).batch(8), epochs=1, shuffle=False, verbose=0)
    assert int(loaded.step_counter.numpy()) == 4
    assert_variables_close(model.weights, loaded.weights)
    for name in ("generator_optimizer", "stage2_generator_optimizer", "stage2_discriminator_optimizer"):
        assert_variables_close(getattr(model, name).variables, getattr(loaded, name).variables)


def test_export_serves_latent_and_caption_and_matches_keras(tmp_path):
    model = tiny_stackgan()
    move_batchnorm_statistics(model.stage1_generator, model.stage2_generator)
    manifest = export.export_model(model, str(tmp_path), "stackgan", formats="saved_model,tflite_fp32")
    assert manifest["tflite"]["tflite_fp32"]["inputs"]["caption"] == {"dtype": "int32", "shape": [None, 8]}
    assert manifest["tflite"]["tflite_fp32"]["mean_abs_error"] < 1e-4
    loaded = tf.saved_model.load(str(tmp_path / "saved_model" / "stackgan" / "1"))
    latent, tokens = model.latent_for_seed(3, seed=5), captions.tokenize(["a small red square at the top left"] * 3)
    served = loaded.signatures["serving_default"](latent=tf.constant(latent), caption=tf.constant(tokens))
    np.testing.assert_allclose(served["image"], model.generate(latent=latent, captions=tokens), atol=1e-5)
    by_seed = loaded.signatures["sample"](seed=tf.constant([5, 6], tf.int64), caption=tf.constant(tokens[:2]))
    assert by_seed["image"].shape == (2, 16, 16, 3)


def test_mirrored_steps_equal_single_device_steps_across_the_stage_switch(mirrored):
    # Two steps of 8 (stage1_steps=1): one trains Stage-I, the other Stage-II. The mismatched captions are the
    # global batch's rolled by one: replica 1's first wrong caption is replica 0's last one, as on one device.
    def build():
        model = tiny_stackgan(optimizers=(keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1)))
        distribution.synchronize_batchnorm(model)
        return model

    assert_mirrored_step_equals_single_device_step(mirrored, build, *_batch(16))
