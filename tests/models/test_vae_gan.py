"""VAE-GAN (Larsen et al. 2016): feature-space reconstruction, three players, three optimizers."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from conftest import fake_images, fake_labels, max_change, snapshot
from model_testing import (
    assert_mirrored_step_equals_single_device_step,
    assert_serves_the_generator,
    assert_serves_the_posterior,
    assert_variables_close,
    export_saved_model,
)
from tfgan_zoo import losses, models, networks, training
from tfgan_zoo.models.vae_gan import VAEGAN
from tfgan_zoo.networks import vae_encoders
from tfgan_zoo.recipes.recipe import Recipe


def tiny_vae_gan(
    sample_shape=(8, 8, 1), jit_compile=False, encoder_optimizer=None, latent_dim=4, optimizers=None, **kwargs
):
    """A small compiled VAE-GAN with DCGAN-style networks (MLPs for vectors)."""
    family = "mlp" if len(sample_shape) == 1 else "dcgan"
    options = {"hidden_units": [8]} if family == "mlp" else {"base_filters": 4}
    generator, discriminator = networks.build_networks(
        family, sample_shape, latent_dim, generator_kwargs=options, discriminator_kwargs=options
    )
    encoder = vae_encoders.build_encoder(family, sample_shape, latent_dim, **options)
    model = VAEGAN(encoder, generator, discriminator, **kwargs)
    g_opt, d_opt = optimizers or (keras.optimizers.Adam(1e-3, beta_1=0.5), keras.optimizers.Adam(1e-3, beta_1=0.5))
    model.compile(g_opt, d_opt, encoder_optimizer=encoder_optimizer, jit_compile=jit_compile)
    return model


def _batch(count=8, seed=0):
    return tf.constant(fake_images(count, seed=seed))


# === The objectives ===
def test_reconstruction_error_is_measured_in_the_discriminator_feature_space():
    model = tiny_vae_gan()
    real, reconstructed = _batch(seed=1), _batch(seed=2)
    distance, scores = model.feature_reconstruction(real, reconstructed)

    features_and_scores = networks.features_and_scores(model.discriminator)
    real_features, _ = features_and_scores(real, training=True)
    features, expected_scores = features_and_scores(reconstructed, training=True)
    expected = 0.5 * np.sum(np.square(features.numpy() - real_features.numpy()), axis=1)
    np.testing.assert_allclose(distance, expected, rtol=1e-5)
    np.testing.assert_allclose(scores, expected_scores, rtol=1e-5)
    np.testing.assert_allclose(scores, model.discriminator(reconstructed, training=True), rtol=1e-5)
    pixel_distance = 0.5 * np.sum(np.square(real.numpy() - reconstructed.numpy()), axis=(1, 2, 3))
    assert not np.allclose(distance, pixel_distance)
    # Only the reconstruction's features carry gradients; the real ones are a fixed target.
    with tf.GradientTape() as tape:
        tape.watch(real)
        distance, _ = model.feature_reconstruction(real, reconstructed)
    assert tape.gradient(distance, real) is None


def test_discriminator_loss_is_real_against_each_generated_batch_averaged():
    model = tiny_vae_gan(loss="minimax")
    real, reconstructed, prior = tf.constant([2.0, -1.0]), tf.constant([0.5, 0.0]), tf.constant([-3.0, 1.0])
    softplus = lambda x: np.log1p(np.exp(x))  # noqa: E731
    expected = softplus(-real.numpy()) + 0.5 * (softplus(reconstructed.numpy()) + softplus(prior.numpy()))
    np.testing.assert_allclose(model.discriminator_objective(real, reconstructed, prior), expected, rtol=1e-6)


def test_encoder_and_decoder_losses_combine_kl_feature_reconstruction_and_gan_terms():
    model = tiny_vae_gan(reconstruction_weight=0.3)
    real = _batch(seed=1)
    noise, prior_latent = model.posterior_noise(1, 8), model.sample_latent(1, 8)
    encoder_loss, decoder_loss, terms = model.encoder_decoder_objectives(real, None, noise, prior_latent)

    mean, log_variance = model.encoder(real, training=True)
    reconstructed = model.generator(mean + tf.exp(0.5 * log_variance) * noise, training=True)
    distance, reconstructed_scores = model.feature_reconstruction(real, reconstructed)
    prior_scores = model.discriminator(model.generator(prior_latent, training=True), training=True)
    kl = losses.kl_divergence(mean, log_variance)
    adversarial = (losses.non_saturating_generator_loss(reconstructed_scores)
                   + losses.non_saturating_generator_loss(prior_scores))
    np.testing.assert_allclose(encoder_loss, np.mean(kl + distance), rtol=1e-5)
    np.testing.assert_allclose(decoder_loss, np.mean(0.3 * distance + adversarial), rtol=1e-5)
    np.testing.assert_allclose(terms["reconstruction"], np.mean(distance), rtol=1e-5)
    np.testing.assert_allclose(terms["g_loss"], np.mean(adversarial), rtol=1e-5)


# === Which optimizer moves what ===
def test_discriminator_step_moves_only_the_discriminator():
    model = tiny_vae_gan()
    encoder, generator = snapshot(model.encoder.trainable_variables), snapshot(model.generator.trainable_variables)
    discriminator = snapshot(model.discriminator.trainable_variables)
    terms = model.discriminator_step(_batch(), None, stream=0)
    assert set(terms) == {"d_loss", "d_real", "d_reconstructed", "d_prior"}
    assert max_change(discriminator, model.discriminator.trainable_variables) > 0
    assert max_change(encoder, model.encoder.trainable_variables) == 0
    assert max_change(generator, model.generator.trainable_variables) == 0
    assert int(model.encoder_optimizer.iterations.numpy()) == int(model.generator_optimizer.iterations.numpy()) == 0


def test_encoder_ignores_gamma_and_the_gan_term_while_the_decoder_follows_both():
    """The encoder's update is the same for any gamma; the decoder's is not; D does not move."""
    after = {}
    for weight in (0.1, 10.0):
        keras.utils.set_random_seed(0)
        model = tiny_vae_gan(reconstruction_weight=weight)
        discriminator = snapshot(model.discriminator.trainable_variables)
        encoder = snapshot(model.encoder.trainable_variables)
        model.generator_step(_batch(seed=1), None, stream=1)
        assert max_change(discriminator, model.discriminator.trainable_variables) == 0
        assert max_change(encoder, model.encoder.trainable_variables) > 0
        assert int(model.discriminator_optimizer.iterations.numpy()) == 0
        after[weight] = (snapshot(model.encoder.trainable_variables), snapshot(model.generator.trainable_variables))
    for a, b in zip(after[0.1][0], after[10.0][0]):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-8)
    assert max(np.max(np.abs(a - b)) for a, b in zip(after[0.1][1], after[10.0][1])) > 1e-6


def test_the_encoder_optimizer_defaults_to_a_copy_of_the_generator_optimizer():
    model = tiny_vae_gan()
    assert model.encoder_optimizer is not model.generator_optimizer
    assert isinstance(model.encoder_optimizer, keras.optimizers.Adam)
    assert float(model.encoder_optimizer.beta_1) == 0.5
    assert float(model.encoder_optimizer.learning_rate) == pytest.approx(1e-3)
    # Built on the encoder's variables: one first moment per encoder variable, in order.
    moments = [v for v in model.encoder_optimizer.variables if v.path.endswith("_momentum")]
    assert [m.shape for m in moments] == [v.shape for v in model.encoder.trainable_variables]
    explicit = tiny_vae_gan(encoder_optimizer=keras.optimizers.SGD(0.05))
    assert isinstance(explicit.encoder_optimizer, keras.optimizers.SGD)
    assert explicit.get_compile_config()["encoder_optimizer"]["class_name"] == "SGD"


# === Training, saving, export ===
def test_vae_gan_trains_under_xla_with_several_discriminator_steps():
    model = tiny_vae_gan(jit_compile=True, d_steps=2, ema_decay=0.9)
    history = model.fit(fake_images(16), batch_size=16, epochs=1, verbose=0)
    assert set(history.history) == set(model.loss_names)
    assert all(np.isfinite(values[-1]) for values in history.history.values())
    assert int(model.discriminator_optimizer.iterations.numpy()) == 2
    assert int(model.generator_optimizer.iterations.numpy()) == int(model.encoder_optimizer.iterations.numpy()) == 1


def test_saved_vae_gan_continues_training_exactly(tmp_path):
    model = tiny_vae_gan(encoder_optimizer=keras.optimizers.SGD(0.05, momentum=0.5))
    first, second = fake_images(16, seed=1), fake_images(16, seed=2)
    model.fit(first, batch_size=8, epochs=1, shuffle=False, verbose=0)
    model.save(tmp_path / "vae_gan.keras")
    loaded = keras.models.load_model(tmp_path / "vae_gan.keras")
    assert isinstance(loaded.encoder_optimizer, keras.optimizers.SGD)
    assert loaded.get_config()["reconstruction_weight"] == 1.0

    def optimizer_state(m):
        return m.generator_optimizer.variables + m.discriminator_optimizer.variables + m.encoder_optimizer.variables

    for a, b in zip(optimizer_state(model), optimizer_state(loaded)):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=a.path)
    model.fit(second, batch_size=8, epochs=1, shuffle=False, verbose=0)
    loaded.fit(second, batch_size=8, epochs=1, shuffle=False, verbose=0)
    assert int(loaded.step_counter.numpy()) == int(model.step_counter.numpy()) == 4
    assert len(model.weights) == len(loaded.weights)
    assert_variables_close(model.weights, loaded.weights)
    assert_variables_close(optimizer_state(model), optimizer_state(loaded))


def test_export_serves_the_generator_and_an_encode_signature(tmp_path):
    model = tiny_vae_gan((6,))
    manifest, loaded = export_saved_model(model, tmp_path, "vae_gan")
    inputs = manifest["saved_model"]["signatures"]["encode"]["inputs"]
    assert inputs == {"sample": {"dtype": "float32", "shape": [None, 6]}}
    assert sorted(loaded.signatures) == ["encode", "sample", "serving_default"]
    points = fake_images(3, (6,), seed=4)
    mean = assert_serves_the_posterior(loaded, model.encoder, points, input_name="sample")
    reconstructed = model.reconstruct(points)
    np.testing.assert_allclose(reconstructed, model.generator(mean, training=False), atol=1e-5)
    assert_serves_the_generator(loaded, model, model.latent_for_seed(3, seed=2), output="sample")


# === Recipes and options ===
def _recipe(**fields):
    values = dict(
        name="vae_gan_test", model="vae_gan", dataset="gen:shapes:64", latent_dim=8, batch_size=8, steps=2,
        steps_per_epoch=2, g_lr=3e-4, generator_options={"base_filters": 8}, discriminator_options={"base_filters": 8},
        model_options={"encoder_options": {"base_filters": 8}, "reconstruction_weight": 0.5},
    )
    return Recipe(**{**values, **fields})


def test_recipe_builds_a_vae_gan_with_three_optimizers(monkeypatch):
    monkeypatch.setitem(models.MODELS, "vae_gan", VAEGAN)
    model = training.build_model(_recipe(loss="least_squares"))
    assert isinstance(model, VAEGAN)
    assert (model.loss, model.reconstruction_weight) == ("least_squares", 0.5)
    assert model.encoder.get_layer("down_0").filters == 8
    assert float(model.encoder_optimizer.learning_rate) == pytest.approx(3e-4)
    batches = training.make_dataset(_recipe()).take(1)
    assert np.isfinite(model.fit(batches, epochs=1, shuffle=False, verbose=0).history["kl"][-1])
    with pytest.raises(ValueError, match=r"VAEGAN does not use the recipe fields \['gradient_penalty_weight'\]"):
        training.build_model(_recipe(gradient_penalty_weight=10.0))


def test_vae_gan_options_are_validated():
    with pytest.raises(ValueError, match=r"a number in \[0, inf\). Received: reconstruction_weight=-1"):
        tiny_vae_gan(reconstruction_weight=-1)
    with pytest.raises(ValueError, match="latent_prior='normal'"):
        tiny_vae_gan(latent_prior="uniform")
    with pytest.raises(ValueError, match="loss"):
        tiny_vae_gan(loss="nonsense")


def test_mirrored_step_equals_single_device_step(mirrored):
    def build():
        return tiny_vae_gan(
            (6,),
            optimizers=(keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1)),
            encoder_optimizer=keras.optimizers.SGD(0.1),
        )

    assert_mirrored_step_equals_single_device_step(mirrored, build, fake_images(8, (6,)), fake_labels(8))
