"""VAE (Kingma & Welling 2014): the ELBO's terms, reparameterisation, its two optimizers, saving and export."""

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
    move_batchnorm_statistics,
)
from tfgan_zoo import losses, models, training
from tfgan_zoo.models import vae as vae_lib
from tfgan_zoo.models.vae import VAE
from tfgan_zoo.networks import dcgan_generator, mlp_generator, vae_encoders
from tfgan_zoo.recipes.recipe import Recipe


def tiny_vae(sample_shape=(8, 8, 1), num_classes=None, optimizers=None, jit_compile=False, latent_dim=4, **kwargs):
    """A small compiled VAE: DCGAN-style networks for images, MLPs for vectors."""
    if len(sample_shape) == 1:
        decoder = mlp_generator(sample_shape, latent_dim, num_classes=num_classes, hidden_units=[8])
        encoder = vae_encoders.mlp_encoder(sample_shape, latent_dim, num_classes=num_classes, hidden_units=[8])
    else:
        decoder = dcgan_generator(sample_shape, latent_dim, num_classes=num_classes, base_filters=4)
        encoder = vae_encoders.dcgan_encoder(sample_shape, latent_dim, num_classes=num_classes, base_filters=4)
    model = VAE(encoder, decoder, num_classes=num_classes, **kwargs)
    decoder_optimizer, encoder_optimizer = optimizers or (keras.optimizers.Adam(1e-3, beta_1=0.5),
                                                          keras.optimizers.Adam(1e-3, beta_1=0.5))
    model.compile(decoder_optimizer=decoder_optimizer, encoder_optimizer=encoder_optimizer,
                  jit_compile=jit_compile)
    return model


# === The terms of the bound ===
def test_the_gaussian_reconstruction_option_is_the_gaussian_term():
    real = np.array([[1.0, -1.0, 0.0]], np.float32)
    decoded = np.array([[0.6, -0.2, 0.0]], np.float32)
    model = tiny_vae((3,), reconstruction="gaussian", observation_variance=0.25)
    np.testing.assert_allclose(model.reconstruction_loss(real, decoded), [1.6], rtol=1e-6)


def test_reparameterised_draws_have_the_posterior_mean_and_std():
    model = tiny_vae((6,))
    count = 20000
    mean = tf.tile([[1.5, -2.0, 0.0, 0.3]], [count, 1])
    log_variance = tf.tile([[np.log(0.25), np.log(4.0), 0.0, -4.0]], [count, 1])
    draws = vae_lib.reparameterise(mean, log_variance, model.posterior_noise(1, count)).numpy()
    np.testing.assert_allclose(draws.mean(axis=0), [1.5, -2.0, 0.0, 0.3], atol=0.04)
    np.testing.assert_allclose(draws.std(axis=0), [0.5, 2.0, 1.0, np.exp(-2.0)], rtol=0.03)
    # The noise is the model's stateless stream: replayed at the same step, new at the next.
    first = model.posterior_noise(1, 8).numpy()
    np.testing.assert_array_equal(first, model.posterior_noise(1, 8))
    assert not np.allclose(first, model.sample_latent(1, 8))  # another purpose, another draw
    model.step_counter.assign(1)
    assert not np.allclose(first, model.posterior_noise(1, 8))


def test_elbo_terms_use_the_reparameterised_latent_through_both_networks():
    model = tiny_vae((6,))
    real = tf.constant(fake_images(8, (6,)))
    noise = model.posterior_noise(1, 8)
    reconstruction, kl = model.elbo_terms(real, None, noise)
    mean, log_variance = model.encoder(real, training=True)
    decoded = model.decoder(mean + tf.exp(0.5 * log_variance) * noise, training=True)
    np.testing.assert_allclose(reconstruction, losses.bernoulli_reconstruction(real, decoded), rtol=1e-5)
    np.testing.assert_allclose(kl, losses.kl_divergence(mean, log_variance), rtol=1e-5)


# === Updates ===
def test_each_optimizer_moves_its_own_network():
    real = tf.constant(fake_images(8))
    for moving in ("decoder", "encoder"):
        keras.utils.set_random_seed(0)
        rates = {"decoder": 0.0, "encoder": 0.0, moving: 0.1}
        model = tiny_vae(optimizers=(keras.optimizers.SGD(rates["decoder"]), keras.optimizers.SGD(rates["encoder"])))
        networks = {"decoder": model.decoder, "encoder": model.encoder}
        before = {name: snapshot(network.trainable_variables) for name, network in networks.items()}
        assert model.discriminator_step(real, None, stream=0) == {}
        terms = model.generator_step(real, None, stream=1)
        np.testing.assert_allclose(terms["loss"], terms["reconstruction"] + terms["kl"], rtol=1e-6)
        for name, network in networks.items():
            change = max_change(before[name], network.trainable_variables)
            assert (change > 0) == (name == moving), (moving, name, change)
    assert model.decoder is model.generator and not hasattr(model, "discriminator")
    assert dict(model.networks) == {"encoder": model.encoder, "decoder": model.decoder}


def test_one_update_is_one_adam_step_over_both_networks_on_the_negative_elbo():
    model = tiny_vae()
    real = tf.constant(fake_images(8))
    variables = model.decoder.trainable_variables + model.encoder.trainable_variables
    copies = [tf.Variable(v.numpy()) for v in variables]
    with tf.GradientTape() as tape:
        reconstruction, kl = model.elbo_terms(real, None, model.posterior_noise(1, 8))
        loss = tf.reduce_mean(reconstruction + kl)
    reference = keras.optimizers.Adam(1e-3, beta_1=0.5)
    reference.apply(tape.gradient(loss, variables), copies)

    model.generator_step(real, None, stream=1)
    for variable, copy in zip(variables, copies):
        np.testing.assert_allclose(variable.numpy(), copy.numpy(), rtol=1e-5, atol=1e-7, err_msg=variable.path)
    assert int(model.decoder_optimizer.iterations.numpy()) == int(model.encoder_optimizer.iterations.numpy()) == 1


def test_reconstruction_loss_falls_over_a_few_steps():
    model = tiny_vae((6,), reconstruction="gaussian", observation_variance=0.1,
                     optimizers=(keras.optimizers.Adam(1e-2), keras.optimizers.Adam(1e-2)))
    rng = np.random.default_rng(3)
    # Points on a 2-D manifold in 6-D: a 4-D latent can encode them.
    points = np.tanh(rng.normal(size=(32, 2)) @ rng.normal(size=(2, 6))).astype("float32")

    def reconstruction():
        return float(np.mean(model.reconstruction_loss(points, model.reconstruct(points))))

    before = reconstruction()
    history = model.fit(points, batch_size=32, epochs=30, shuffle=False, verbose=0)
    assert reconstruction() < 0.7 * before
    assert history.history["reconstruction"][-1] < 0.7 * history.history["reconstruction"][0]
    assert int(model.step_counter.numpy()) == 30


def test_vae_trains_under_xla():
    model = tiny_vae(jit_compile=True, ema_decay=0.9)
    history = model.fit(fake_images(16), batch_size=8, epochs=1, verbose=0)
    assert sorted(history.history) == ["kl", "loss", "reconstruction"]
    assert all(np.isfinite(values[-1]) for values in history.history.values())
    assert int(model.decoder_optimizer.iterations.numpy()) == int(model.encoder_optimizer.iterations.numpy()) == 2


def test_conditional_vae_feeds_the_label_to_both_networks():
    model = tiny_vae((6,), num_classes=3)
    history = model.fit(fake_images(16, (6,)), fake_labels(16), batch_size=8, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][-1])
    assert model.export_signatures()["encode"][1] == ["sample", "label"]
    points = fake_images(4, (6,))
    assert model.reconstruct(points, fake_labels(4)).shape == (4, 6)
    mean_a, _ = model.encode(points, np.zeros(4, np.int32))
    mean_b, _ = model.encode(points, np.ones(4, np.int32))
    assert not np.allclose(mean_a, mean_b)


def test_codes_are_the_posterior_means_in_batches_and_decode_to_reconstructions():
    model = tiny_vae((6,), num_classes=3)
    points, labels = fake_images(7, (6,)), fake_labels(7)
    codes = model.codes(points, labels, batch_size=3)
    mean, _ = model.encode(points, labels)
    np.testing.assert_allclose(codes, mean, atol=1e-6)
    np.testing.assert_allclose(model.reconstruct(points, labels, batch_size=3),
                               model.generate_from(np.asarray(mean), labels), atol=1e-6)
    with pytest.raises(ValueError, match="labels=None"):
        model.codes(points)


# === Sampling, saving, export ===
def test_generate_decodes_latents_from_the_normal_prior():
    model = tiny_vae()
    latent = model.latent_for_seed(5, seed=3)
    np.testing.assert_allclose(model.generate(5, seed=3), model.decoder(latent, training=False), atol=1e-6)
    assert abs(float(np.std(model.latent_for_seed(4000, seed=1))) - 1.0) < 0.05


def test_saved_vae_continues_training_exactly(tmp_path):
    model = tiny_vae(reconstruction="gaussian", observation_variance=0.5)
    first, second = fake_images(16, seed=1), fake_images(16, seed=2)
    model.fit(first, batch_size=8, epochs=1, shuffle=False, verbose=0)
    model.save(tmp_path / "vae.keras")
    loaded = keras.models.load_model(tmp_path / "vae.keras")
    assert isinstance(loaded, VAE) and set(loaded.optimizers) == {"decoder", "encoder"}
    config = loaded.get_config()
    assert (config["reconstruction"], config["observation_variance"]) == ("gaussian", 0.5)
    assert "encoder" in config and "discriminator" not in config

    model.fit(second, batch_size=8, epochs=1, shuffle=False, verbose=0)
    loaded.fit(second, batch_size=8, epochs=1, shuffle=False, verbose=0)
    assert int(loaded.step_counter.numpy()) == int(model.step_counter.numpy()) == 4
    assert_variables_close(model.weights, loaded.weights)
    assert_variables_close(model.decoder_optimizer.variables + model.encoder_optimizer.variables,
                           loaded.decoder_optimizer.variables + loaded.encoder_optimizer.variables)


def test_export_serves_the_decoder_and_an_encode_signature(tmp_path):
    model = tiny_vae()
    move_batchnorm_statistics(model.encoder)
    move_batchnorm_statistics(model.decoder, seed=1)
    manifest, loaded = export_saved_model(model, tmp_path, "vae")
    assert manifest["saved_model"]["signatures"]["encode"] == {
        "inputs": {"image": {"dtype": "float32", "shape": [None, 8, 8, 1]}},
        "outputs": {name: {"dtype": "float32", "shape": [None, 4]} for name in ("log_variance", "mean")},
    }
    assert sorted(loaded.signatures) == ["encode", "sample", "serving_default"]
    assert_serves_the_posterior(loaded, model.encoder, fake_images(3, seed=5))
    assert_serves_the_generator(loaded, model, model.latent_for_seed(3, seed=2))


# === Recipes and options ===
def _recipe(**fields):
    values = dict(
        name="vae_test", model="vae", dataset="gen:shapes:64", latent_dim=8, batch_size=8, steps=2,
        steps_per_epoch=2, sample_count=4, generator_options={"base_filters": 8},
        model_options={"encoder_options": {"base_filters": 8}, "reconstruction": "gaussian",
                       "observation_variance": 0.1},
    )
    return Recipe(**{**values, **fields})


def test_recipe_builds_and_trains_through_the_training_loop(monkeypatch, tmp_path):
    monkeypatch.setitem(models.MODELS, "vae", VAE)
    model, history = training.train(_recipe(), tmp_path / "run", verbose=0)
    assert isinstance(model, VAE) and history is not None
    assert model.encoder.get_layer("down_0").filters == 8
    assert (model.reconstruction, model.observation_variance) == ("gaussian", 0.1)
    assert (tmp_path / "run" / "checkpoints").is_dir()
    with pytest.raises(ValueError, match=r"VAE does not use the recipe fields \['discriminator_options', 'loss'\]"):
        training.build_model(_recipe(discriminator_options={"base_filters": 8}, loss="hinge"))


def test_vae_options_are_validated():
    with pytest.raises(ValueError, match="reconstruction must be one of"):
        tiny_vae(reconstruction="laplace")
    with pytest.raises(ValueError, match=r"a number in \(0, inf\). Received: observation_variance=0"):
        tiny_vae(observation_variance=0)
    with pytest.raises(ValueError, match="latent_prior='normal'. Received: latent_prior='uniform'"):
        tiny_vae(latent_prior="uniform")
    with pytest.raises(ValueError, match="d_steps must be 1. Received: d_steps=2"):
        tiny_vae(d_steps=2)
    decoder = mlp_generator((6,), 4, hidden_units=[8])
    with pytest.raises(ValueError, match=r"encoder must output \[mean, log_variance\], each of shape \(None, 4\)"):
        VAE(vae_encoders.mlp_encoder((6,), 3, hidden_units=[8]), decoder)
    with pytest.raises(ValueError, match=r"encoder must take the generator's samples of shape \(6,\)"):
        VAE(vae_encoders.mlp_encoder((5,), 4, hidden_units=[8]), decoder)
    with pytest.raises(ValueError, match="Unknown encoder networks"):
        vae_encoders.build_encoder("tutorial", (28, 28, 1), 4)
    with pytest.raises(ValueError, match="has no discriminator"):
        tiny_vae((6,)).discriminate(fake_images(2, (6,)))


def test_mirrored_step_equals_single_device_step(mirrored):
    def build():
        return tiny_vae((6,), optimizers=(keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1)))

    assert_mirrored_step_equals_single_device_step(mirrored, build, fake_images(8, (6,)), fake_labels(8))
