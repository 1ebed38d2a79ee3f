"""Adversarial autoencoder: reconstruction plus a code discriminator matching E(x) to the prior."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from conftest import fake_images, fake_labels, max_change, snapshot
from model_testing import (
    assert_mirrored_step_equals_single_device_step,
    assert_serves_the_codes,
    assert_serves_the_generator,
    assert_variables_close,
    compile_tiny,
    export_saved_model,
    move_batchnorm_statistics,
)
from tfgan_zoo import models, networks, training
from tfgan_zoo.metrics import discriminator as discriminator_metrics
from tfgan_zoo.models.aae import AdversarialAutoencoder
from tfgan_zoo.networks import encoders
from tfgan_zoo.recipes.recipe import Recipe

LATENT_DIM = 3


def tiny_aae(sample_shape=(6,), jit_compile=False, learning_rate=1e-3, optimizers=None, **kwargs):
    """A compiled adversarial autoencoder: MLPs for vectors, DCGAN encoder and decoder for images."""
    if len(sample_shape) == 3:
        decoder = networks.dcgan_generator(sample_shape, LATENT_DIM, base_filters=4)
        encoder = encoders.dcgan_encoder(sample_shape, LATENT_DIM, base_filters=4)
    else:
        decoder = networks.mlp_generator(sample_shape, LATENT_DIM, hidden_units=[16], output_activation=None)
        encoder = encoders.mlp_encoder(sample_shape, LATENT_DIM, hidden_units=[16])
    discriminator = encoders.code_discriminator(LATENT_DIM, hidden_units=[8])
    model = AdversarialAutoencoder(decoder, discriminator, encoder, **kwargs)
    optimizers = optimizers or (keras.optimizers.Adam(learning_rate), keras.optimizers.Adam(learning_rate))
    return compile_tiny(model, optimizers, jit_compile)


def _points(count=8, seed=0):
    return tf.constant(fake_images(count, (6,), seed))


def _snapshots(model):
    return [snapshot(n.trainable_variables) for n in (model.encoder, model.generator, model.discriminator)]


def _moved(model, before):
    """`(encoder, decoder, discriminator)` moved since `before`."""
    networks_ = (model.encoder, model.generator, model.discriminator)
    return tuple(max_change(old, n.trainable_variables) > 0 for old, n in zip(before, networks_))


# === What the code discriminator sees ===
def test_code_discriminator_scores_prior_draws_as_real_and_codes_as_fake():
    model = tiny_aae()
    assert [tuple(t.shape[1:]) for t in model.discriminator.inputs] == [(LATENT_DIM,)]
    real = _points()
    prior = model.sample_latent(0, 8)  # the draw of the D update at step 0, part 0
    codes = model.encoder(real, training=True)
    assert codes.shape == (8, LATENT_DIM)
    prior_scores, code_scores = model.discriminator(prior).numpy(), model.discriminator(codes).numpy()
    expected = np.mean(np.logaddexp(0, -prior_scores) + np.logaddexp(0, code_scores))

    seen, score_codes = [], model.score_codes
    model.score_codes = lambda codes, training=True: seen.append(tuple(codes.shape)) or score_codes(codes, training)
    terms = model.discriminator_step(real, None, stream=0)
    assert seen == [(8, LATENT_DIM)] * 2
    np.testing.assert_allclose(float(terms["d_loss"]), expected, rtol=1e-5)
    np.testing.assert_allclose(float(terms["d_prior"]), prior_scores.mean(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(float(terms["d_codes"]), code_scores.mean(), rtol=1e-5, atol=1e-6)


def test_encoder_adversarial_loss_asks_d_to_call_codes_real():
    model = tiny_aae(adversarial_weight=0.5)
    real = _points()
    expected = np.mean(np.logaddexp(0, -model.discriminator(model.encoder(real)).numpy()))
    terms = model.encoder_adversarial_step(real)
    np.testing.assert_allclose(float(terms["g_loss"]), expected, rtol=1e-5)


@pytest.mark.parametrize("kind", ["mse", "l1"])
def test_reconstruction_error_is_the_mean_distance_per_example(kind):
    model = tiny_aae(reconstruction_loss=kind)
    a, b = fake_images(4, (2, 3), 1), fake_images(4, (2, 3), 2)
    distance = (a - b) ** 2 if kind == "mse" else np.abs(a - b)
    np.testing.assert_allclose(model.reconstruction_error(a, b).numpy(), distance.reshape(4, -1).mean(1), rtol=1e-6)


def test_reconstruction_loss_falls_over_a_few_steps():
    model = tiny_aae(learning_rate=1e-2)
    points = fake_images(16, (6,))
    before = float(tf.reduce_mean(model.reconstruction_error(points, model.reconstruct(points))))
    history = model.fit(points, batch_size=8, epochs=8, shuffle=False, verbose=0)
    after = float(tf.reduce_mean(model.reconstruction_error(points, model.reconstruct(points))))
    losses = history.history["reconstruction_loss"]
    assert losses[-1] < 0.7 * losses[0], losses
    assert after < 0.7 * before, (before, after)


# === Which variables each phase and optimizer moves ===
def test_each_phase_moves_only_its_networks():
    model = tiny_aae()
    real = _points()
    before = _snapshots(model)
    model.discriminator_step(real, None, stream=0)
    assert _moved(model, before) == (False, False, True)
    before = _snapshots(model)
    model.encoder_adversarial_step(real)
    assert _moved(model, before) == (True, False, False)
    before = _snapshots(model)
    model.reconstruction_step(real)
    assert _moved(model, before) == (True, True, False)
    assert int(model.generator_optimizer.iterations.numpy()) == 2
    assert int(model.discriminator_optimizer.iterations.numpy()) == 1


def test_optimizers_hold_moments_of_their_networks_and_count_phases():
    model = tiny_aae(d_steps=2)
    encoder_and_decoder = len(model.encoder.trainable_variables) + len(model.generator.trainable_variables)
    assert len(model.generator_optimizer.variables) == 2 + 2 * encoder_and_decoder
    assert len(model.discriminator_optimizer.variables) == 2 + 2 * len(model.discriminator.trainable_variables)
    model.fit(fake_images(16, (6,)), batch_size=16, verbose=0)
    # One step: two D updates, then E's adversarial update and the reconstruction.
    assert int(model.discriminator_optimizer.iterations.numpy()) == 2
    assert int(model.generator_optimizer.iterations.numpy()) == 2


# === Training, saving, export ===
def test_fit_with_jit_compile_logs_every_term():
    model = tiny_aae(jit_compile=True)
    history = model.fit(fake_images(16, (6,)), batch_size=8, verbose=0)
    assert set(history.history) == {"d_loss", "g_loss", "reconstruction_loss", "d_prior", "d_codes"}
    assert all(np.isfinite(values[-1]) for values in history.history.values())
    assert int(model.step_counter.numpy()) == 2


def test_saved_and_reloaded_aae_continues_exactly(tmp_path):
    model = tiny_aae(reconstruction_loss="l1", adversarial_weight=0.5, latent_prior="uniform", ema_decay=0.9)
    points = fake_images(32, (6,))
    model.fit(points[:16], batch_size=8, shuffle=False, verbose=0)
    path = str(tmp_path / "aae.keras")
    model.save(path)
    reloaded = keras.models.load_model(path)
    config = reloaded.get_config()
    assert isinstance(reloaded, AdversarialAutoencoder)
    options = (config["reconstruction_loss"], config["adversarial_weight"], config["latent_prior"])
    assert options == ("l1", 0.5, "uniform")
    model.fit(points[16:], batch_size=8, shuffle=False, verbose=0)
    reloaded.fit(points[16:], batch_size=8, shuffle=False, verbose=0)
    assert_variables_close(model.weights + model.generator_optimizer.variables,
                           reloaded.weights + reloaded.generator_optimizer.variables)


def test_exported_encode_signature_matches_the_keras_encoder(tmp_path):
    model = tiny_aae((8, 8, 1))
    move_batchnorm_statistics(model.encoder, model.generator, seed=3)
    manifest, loaded = export_saved_model(model, tmp_path, "aae")
    assert set(manifest["saved_model"]["signatures"]) == {"encode", "sample", "serving_default"}
    assert_serves_the_codes(loaded, model, fake_images(5, seed=4))
    assert_serves_the_generator(loaded, model, model.latent_for_seed(3, 1))


def test_evaluation_scores_the_code_of_each_sample():
    model = tiny_aae()
    points = fake_images(5, (6,))
    scores = discriminator_metrics.discriminator_outputs(model, points, batch_size=2)
    expected = model.discriminator(model.encoder(points, training=False), training=False).numpy()
    np.testing.assert_allclose(scores, expected[:, 0], rtol=1e-5, atol=1e-6)


def test_options_are_checked():
    model = tiny_aae()
    with pytest.raises(ValueError, match="reconstruction_loss must be one of.*Received: reconstruction_loss='bce'"):
        tiny_aae(reconstruction_loss="bce")
    with pytest.raises(ValueError, match=r"a number in \(0, inf\). Received: adversarial_weight=0"):
        tiny_aae(adversarial_weight=0)
    wide = encoders.code_discriminator(LATENT_DIM + 1, hidden_units=[8])
    with pytest.raises(ValueError, match=r"codes of shape \(3,\). Received: discriminator input shapes \[\(4,\)\]"):
        AdversarialAutoencoder(model.generator, wide, model.encoder)


# === From a recipe ===
def test_recipe_builds_a_compiled_aae(monkeypatch):
    monkeypatch.setitem(models.MODELS, "aae", AdversarialAutoencoder)
    recipe = Recipe(
        name="aae_test", model="aae", networks="mlp", dataset="mnist8k", latent_dim=8, loss="least_squares",
        generator_options={"hidden_units": [16]}, discriminator_options={"hidden_units": [8]},
        model_options={"encoder_options": {"hidden_units": [16]}, "reconstruction_loss": "l1"},
    )
    model = training.build_model(recipe)
    assert isinstance(model, AdversarialAutoencoder)
    assert (model.loss, model.reconstruction_loss) == ("least_squares", "l1")
    assert model.encoder.inputs[0].shape[1:] == (28, 28, 1)
    assert model.discriminator.inputs[0].shape[1:] == (8,)
    assert model.encoder.get_layer("encoder_dense_0").units == 16
    with pytest.raises(ValueError, match="unconditional. Received: num_classes=10"):
        training.build_model(recipe.with_overrides({"conditional": True}))


def test_mirrored_step_equals_single_device_step(mirrored):
    def build():
        return tiny_aae(optimizers=(keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1)))

    assert_mirrored_step_equals_single_device_step(mirrored, build, fake_images(8, (6,)), fake_labels(8))
