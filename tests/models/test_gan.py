"""Mechanics of the adversarial base and the GAN update rule."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from conftest import fake_images, fake_labels, max_change, snapshot, tiny_gan
from tfgan_zoo import models


def test_discriminator_step_moves_only_the_discriminator():
    model = tiny_gan()
    g_before, d_before = (
        snapshot(model.generator.trainable_variables),
        snapshot(model.discriminator.trainable_variables),
    )
    model.discriminator_step(tf.constant(fake_images(8)), None, stream=0)
    assert max_change(d_before, model.discriminator.trainable_variables) > 0
    assert max_change(g_before, model.generator.trainable_variables) == 0


def test_generator_step_moves_only_the_generator():
    model = tiny_gan()
    g_before, d_before = (
        snapshot(model.generator.trainable_variables),
        snapshot(model.discriminator.trainable_variables),
    )
    model.generator_step(tf.constant(fake_images(8)), None, stream=1)
    assert max_change(g_before, model.generator.trainable_variables) > 0
    assert max_change(d_before, model.discriminator.trainable_variables) == 0


@pytest.mark.parametrize("jit_compile", [False, True])
def test_fit_logs_every_term_finite_and_moves_both_networks(jit_compile):
    model = tiny_gan(jit_compile=jit_compile, gradient_penalty_weight=1.0, r1_weight=0.5)
    g_before, d_before = (
        snapshot(model.generator.trainable_variables),
        snapshot(model.discriminator.trainable_variables),
    )
    history = model.fit(fake_images(32), batch_size=8, epochs=2, verbose=0)
    assert set(history.history) == {"d_loss", "g_loss", "d_real", "d_fake", "gradient_penalty", "r1_penalty"}
    assert all(np.all(np.isfinite(values)) for values in history.history.values())
    assert max_change(g_before, model.generator.trainable_variables) > 0
    assert max_change(d_before, model.discriminator.trainable_variables) > 0
    assert int(model.step_counter.numpy()) == 8


def test_d_steps_updates_discriminator_k_times_per_generator_update():
    model = tiny_gan(d_steps=3)
    model.fit(fake_images(36), batch_size=12, epochs=1, verbose=0)  # 3 batches of 3 minibatches of 4
    assert int(model.generator_optimizer.iterations.numpy()) == 3
    assert int(model.discriminator_optimizer.iterations.numpy()) == 9


def test_conditional_model_needs_labels_and_trains_with_them():
    model = tiny_gan(num_classes=3)
    history = model.fit(fake_images(16), fake_labels(16), batch_size=8, verbose=0)
    assert np.isfinite(history.history["g_loss"][-1])
    with pytest.raises(ValueError, match="needs \\(images, labels\\)"):
        model.fit(fake_images(16), batch_size=8, verbose=0)


def test_generate_uses_inference_mode_and_is_reproducible():
    model = tiny_gan()
    model.fit(fake_images(16), batch_size=8, verbose=0)  # move BatchNorm statistics off their init
    samples = model.generate(5, seed=3)
    assert samples.shape == (5, 8, 8, 1) and samples.dtype == np.float32
    assert np.all(samples >= -1) and np.all(samples <= 1)
    np.testing.assert_array_equal(samples, model.generate(5, seed=3))
    latent = model.latent_for_seed(5, 3)
    np.testing.assert_allclose(samples, model.generator(latent, training=False), atol=1e-6)
    assert np.max(np.abs(samples - model.generator(latent, training=True).numpy())) > 1e-3
    assert np.max(np.abs(samples - model.generate(5, seed=4))) > 1e-3


def test_generate_balances_labels_for_conditional_models():
    model = tiny_gan(num_classes=3)
    assert model.balanced_labels(7).tolist() == [0, 1, 2, 0, 1, 2, 0]
    assert model.balanced_labels(4, label=2).tolist() == [2, 2, 2, 2]
    assert model.generate(7).shape == (7, 8, 8, 1)
    with pytest.raises(ValueError, match="label=5"):
        model.balanced_labels(4, label=5)


@pytest.mark.parametrize("prior,low,high", [("uniform", 0.0, 1.0), ("normal", -10.0, 10.0)])
def test_latent_prior(prior, low, high):
    model = tiny_gan(latent_prior=prior, latent_dim=64)
    latent = model.sample_latent(0, 500).numpy()
    assert latent.min() >= low and latent.max() < high
    if prior == "uniform":
        assert abs(latent.mean() - 0.5) < 0.02
    else:
        assert abs(latent.mean()) < 0.02 and abs(latent.std() - 1.0) < 0.02


def test_noise_is_keyed_on_step_counter_and_stream():
    model = tiny_gan()
    first = model.sample_latent(0, 4).numpy()
    np.testing.assert_array_equal(first, model.sample_latent(0, 4).numpy())
    assert np.max(np.abs(first - model.sample_latent(1, 4).numpy())) > 0
    model.step_counter.assign(1)
    assert np.max(np.abs(first - model.sample_latent(0, 4).numpy())) > 0


def test_ema_generator_averages_weights_and_copies_batchnorm_statistics():
    model = tiny_gan(ema_decay=0.9)
    model.step_counter.assign(40)  # past the warm-up: the decay is min(0.9, 41/50) = 0.82
    ema_before = snapshot(model.ema_generator.trainable_variables)
    model.fit(fake_images(8), batch_size=8, epochs=1, verbose=0)
    for before, live, average in zip(
        ema_before, model.generator.trainable_variables, model.ema_generator.trainable_variables
    ):
        np.testing.assert_allclose(average.numpy(), 0.82 * before + 0.18 * live.numpy(), rtol=1e-5, atol=1e-7)
    statistics = [v for v in model.generator.non_trainable_variables if "moving" in v.path]
    assert statistics, "the tiny DCGAN generator should have BatchNorm statistics"
    for live, average in zip(model.generator.non_trainable_variables, model.ema_generator.non_trainable_variables):
        np.testing.assert_array_equal(live.numpy(), average.numpy())
    assert model.sampling_generator is model.ema_generator


def test_ema_decay_warms_up_from_the_first_step():
    model = tiny_gan(ema_decay=0.999)
    ema_before = snapshot(model.ema_generator.trainable_variables)
    model.fit(fake_images(8), batch_size=8, epochs=1, verbose=0)  # step 0: decay min(0.999, 1/10)
    for before, live, average in zip(
        ema_before, model.generator.trainable_variables, model.ema_generator.trainable_variables
    ):
        np.testing.assert_allclose(average.numpy(), 0.1 * before + 0.9 * live.numpy(), rtol=1e-5, atol=1e-7)


def test_compile_builds_both_optimizers_and_no_default_one():
    model = tiny_gan()
    assert model.optimizer is None
    assert model.generator_optimizer.built and model.discriminator_optimizer.built
    assert len(model.generator_optimizer.variables) > 1


def test_mixed_float16_policy_wraps_optimizers_for_loss_scaling():
    keras.config.set_dtype_policy("mixed_float16")
    try:
        model = tiny_gan(gradient_penalty_weight=1.0)
        assert isinstance(model.generator_optimizer, keras.optimizers.LossScaleOptimizer)
        assert model.generator.output.dtype == "float32"
        history = model.fit(fake_images(16), batch_size=8, verbose=0)
        assert np.isfinite(history.history["d_loss"][-1])
    finally:
        keras.config.set_dtype_policy("float32")


def test_mixed_float16_gradient_penalty_steps_are_never_skipped():
    # A LossScaleOptimizer skips a step (and halves its scale) when a gradient
    # is not finite, so a finite loss alone would not show a bad gradient.
    keras.config.set_dtype_policy("mixed_float16")
    try:
        model = tiny_gan(
            loss="wasserstein", gradient_penalty_weight=10.0, discriminator_options={"normalization": "layer"}
        )
        initial_scale = float(model.discriminator_optimizer.dynamic_scale.numpy())
        for _ in range(3):
            before = snapshot(model.discriminator.trainable_variables)
            model.train_on_batch(fake_images(8))
            assert max_change(before, model.discriminator.trainable_variables) > 0, "the critic step was skipped"
        assert float(model.discriminator_optimizer.dynamic_scale.numpy()) == initial_scale
        assert all(np.all(np.isfinite(v.numpy())) for v in model.discriminator.trainable_variables)
    finally:
        keras.config.set_dtype_policy("float32")


def test_config_round_trip():
    model = tiny_gan(num_classes=3, d_steps=2, ema_decay=0.99, loss="hinge", latent_prior="uniform")
    clone = models.GAN.from_config(model.get_config())
    assert clone.get_config()["loss"] == "hinge"
    assert (clone.num_classes, clone.d_steps, clone.ema_decay, clone.latent_prior) == (3, 2, 0.99, "uniform")
    assert len(clone.ema_generator.weights) == len(model.generator.weights)


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"d_steps": 0}, "d_steps=0"),
        ({"latent_prior": "cauchy"}, "latent_prior='cauchy'"),
        ({"ema_decay": 1.5}, "ema_decay=1.5"),
        ({"loss": "nope"}, "loss='nope'"),
        ({"gradient_penalty_weight": -1.0}, "gradient_penalty_weight=-1.0"),
        ({"num_classes": 1}, "num_classes=1"),
    ],
)
def test_bad_arguments_name_the_value(kwargs, message):
    with pytest.raises(ValueError, match=message):
        tiny_gan(**kwargs)


def test_bad_optimizer_is_named():
    with pytest.raises(ValueError, match="generator_optimizer"):
        tiny_gan(optimizers=("not-an-optimizer", "adam"))
