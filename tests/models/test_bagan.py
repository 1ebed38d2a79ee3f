"""BAGAN: autoencoder phase, class-conditional latent from the codes, then a K+1-class GAN."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from conftest import fake_images, fake_labels, max_change, snapshot
from model_testing import assert_variables_close, compile_tiny
from tfgan_zoo import networks, recipes, training
from tfgan_zoo.layers import ClassConditionalLatent
from tfgan_zoo.models import bagan
from tfgan_zoo.models.bagan import BAGAN
from tfgan_zoo.networks import bagan as bagan_networks
from tfgan_zoo.networks import encoders

SHAPE, LATENT, CLASSES = (6,), 4, 3


def _bagan(optimizers=None, jit_compile=False, trunk_units=(8,), **kwargs):
    """A tiny compiled BAGAN of MLPs (no BatchNorm) on 6-d vectors, 3 classes, a 4-d latent."""
    decoder = networks.mlp_generator(SHAPE, LATENT, hidden_units=[8], output_activation=None, name="decoder")
    generator = bagan_networks.class_latent_generator(decoder, CLASSES)
    encoder = encoders.mlp_encoder(SHAPE, LATENT, hidden_units=[8])
    trunk = encoders.mlp_encoder(SHAPE, LATENT, hidden_units=list(trunk_units))
    discriminator = bagan_networks.encoder_discriminator(trunk, CLASSES)
    options = dict(num_classes=CLASSES, autoencoder_steps=2, statistics_steps=2)
    return compile_tiny(BAGAN(generator, discriminator, encoder, **{**options, **kwargs}), optimizers, jit_compile)


def _batches(count, seed=0):
    images, labels = fake_images(8 * count, SHAPE, seed=seed), fake_labels(8 * count, CLASSES, seed=seed)
    return images, labels, tf.data.Dataset.from_tensor_slices((images, labels)).batch(8)


def _enter_adversarial_phase(model, codes_per_class=4):
    """Statistics of random codes, then the step counter at the first adversarial step."""
    rng = np.random.default_rng(0)
    codes = rng.normal(size=(CLASSES, codes_per_class, LATENT)).astype(np.float32)
    model.code_counts.assign(np.full(CLASSES, codes_per_class, np.float32))
    model.code_sums.assign(codes.sum(1))
    model.code_products.assign(np.einsum("kni,knj->kij", codes, codes))
    model.step_counter.assign(model.autoencoder_steps + model.statistics_steps)
    assert model.prepare_phase() == bagan.ADVERSARIAL
    return model


def test_phases_train_the_autoencoder_then_gather_statistics_then_the_gan():
    model = _bagan(jit_compile=True)
    images, labels, dataset = _batches(6)
    encoder_and_decoder = [*model.encoder.weights, *model.decoder.weights]
    before_e, before_d = snapshot(encoder_and_decoder), snapshot(model.discriminator.weights)

    history = model.fit(dataset.take(2), shuffle=False, verbose=0)
    assert max_change(before_e, encoder_and_decoder) > 0 and max_change(before_d, model.discriminator.weights) == 0
    assert int(model.discriminator_optimizer.iterations.numpy()) == 0
    assert np.isfinite(history.history["reconstruction_loss"][-1])

    after_autoencoder = snapshot(encoder_and_decoder)
    model.fit(dataset.skip(2).take(2), shuffle=False, verbose=0)
    assert max_change(after_autoencoder, encoder_and_decoder) == 0
    assert int(model.statistics_ready.numpy()) == 0
    # The statistics are sums over the 16 examples of steps 2 and 3 (codes with training=False).
    seen_images, seen_labels = images[16:32], labels[16:32]
    codes = model.encoder(seen_images, training=False).numpy().astype(np.float64)
    one_hot = np.eye(CLASSES)[seen_labels]
    np.testing.assert_allclose(model.code_counts.numpy(), np.bincount(seen_labels, minlength=CLASSES))
    np.testing.assert_allclose(model.code_sums.numpy(), one_hot.T @ codes, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(model.code_products.numpy(), np.einsum("bk,bi,bj->kij", one_hot, codes, codes),
                               rtol=1e-5, atol=1e-5)

    before_g, before_d = snapshot(model.decoder.weights), snapshot(model.discriminator.weights)
    history = model.fit(dataset.skip(4), shuffle=False, verbose=0)
    assert int(model.statistics_ready.numpy()) == 1 and int(model.step_counter.numpy()) == 6
    assert max_change(before_g, model.decoder.weights) > 0 and max_change(before_d, model.discriminator.weights) > 0
    assert max_change(after_autoencoder[: len(model.encoder.weights)], model.encoder.weights) == 0
    assert all(np.isfinite(values[-1]) for values in history.history.values())


def test_entering_the_gan_phase_copies_the_encoder_into_d_and_sets_each_class_gaussian():
    model = _bagan(ema_decay=0.9)
    _enter_adversarial_phase(model)
    pairs = bagan.trunk_pairs(model.encoder, model.discriminator)
    assert len(pairs) == len(model.encoder.weights)
    for target, source in pairs:
        np.testing.assert_array_equal(target.numpy(), source.numpy())
    means, scales = bagan.class_gaussians(model.code_counts.numpy(), model.code_sums.numpy(),
                                          model.code_products.numpy(), model.covariance_ridge)
    for generator in (model.generator, model.ema_generator):
        layer = generator.get_layer(bagan_networks.CLASS_LATENT)
        np.testing.assert_allclose(layer.means.numpy(), means)
        np.testing.assert_allclose(layer.scales.numpy(), scales)
    # Entered once: moving the encoder afterwards does not reach D again.
    model.encoder.weights[0].assign(model.encoder.weights[0] + 1.0)
    model.prepare_phase()
    np.testing.assert_allclose(model.encoder.weights[0].numpy() - pairs[0][0].numpy(), 1.0, rtol=1e-6)


def test_class_gaussians_are_the_per_class_code_statistics_with_pooling_for_unseen_classes():
    rng = np.random.default_rng(1)
    codes = [rng.normal(loc, 1.0 + loc, size=(count, 3)) for loc, count in ((0.0, 50), (2.0, 40), (5.0, 1))]
    counts = np.array([len(c) for c in codes], np.float64)
    sums = np.stack([c.sum(0) for c in codes])
    products = np.stack([c.T @ c for c in codes])
    means, scales = bagan.class_gaussians(counts, sums, products, ridge=0.0)
    for label in (0, 1):
        np.testing.assert_allclose(means[label], codes[label].mean(0), rtol=1e-5, atol=1e-6)
        covariance = scales[label] @ scales[label].T
        np.testing.assert_allclose(covariance, np.cov(codes[label].T, bias=True), rtol=1e-4, atol=1e-5)
    # A class seen once takes the Gaussian of all codes.
    pooled = np.concatenate(codes)
    np.testing.assert_allclose(means[2], pooled.mean(0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(scales[2] @ scales[2].T, np.cov(pooled.T, bias=True), rtol=1e-4, atol=1e-5)


def test_the_class_latent_layer_draws_from_each_class_gaussian():
    layer = ClassConditionalLatent(2)
    noise = tf.random.stateless_normal([20000, 2], seed=[1, 2])
    layer.build([noise.shape, (None,)])
    means = np.array([[0.0, 0.0], [3.0, -1.0]], np.float32)
    scales = np.array([np.eye(2), [[2.0, 0.0], [1.0, 0.5]]], np.float32)
    layer.set_statistics(means, scales)
    samples = layer([noise, tf.ones([20000], tf.int32)]).numpy()
    # Sampling error of 20,000 draws: about 1% of each (co)variance, 0.02 on the means.
    np.testing.assert_allclose(samples.mean(0), means[1], atol=0.06)
    np.testing.assert_allclose(np.cov(samples.T), scales[1] @ scales[1].T, rtol=0.05)


def test_gan_updates_move_each_player_and_the_losses_are_the_k_plus_1_cross_entropies():
    model = _enter_adversarial_phase(_bagan(optimizers=(keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1))))
    real, labels = tf.constant(fake_images(8, SHAPE)), tf.constant(fake_labels(8, CLASSES))
    # The step draws its classes and latent from (seed, step, stream 0): the same draws here.
    classes = model.sample_classes(0, 8)
    fake = model.generate_from(model.sample_latent(0, 8), classes, training=True)
    real_logits, fake_logits = model.class_logits(real), model.class_logits(fake)
    expected = (tf.nn.sparse_softmax_cross_entropy_with_logits(labels, real_logits)
                + tf.nn.sparse_softmax_cross_entropy_with_logits(tf.fill([8], CLASSES), fake_logits))
    terms = model.discriminator_step(real, labels, stream=0)
    np.testing.assert_allclose(float(terms["d_loss"]), float(tf.reduce_mean(expected)), rtol=1e-5)
    assert set(np.unique(classes.numpy())) <= set(range(CLASSES))

    # D's update moves every D variable and no G one; G's moves every decoder variable and no D one.
    model = _enter_adversarial_phase(_bagan())
    g_before, d_before = snapshot(model.generator.weights), snapshot(model.discriminator.weights)
    model.discriminator_step(real, labels, stream=0)
    assert max_change(g_before, model.generator.weights) == 0
    assert all(np.any(old != new.numpy()) for old, new in zip(d_before, model.discriminator.weights))
    d_after, decoder_before = snapshot(model.discriminator.weights), snapshot(model.decoder.weights)
    model.generator_step(real, labels, stream=1)
    assert max_change(d_after, model.discriminator.weights) == 0
    assert all(np.any(old != new.numpy()) for old, new in zip(decoder_before, model.decoder.weights))


def test_save_load_mid_run_continues_through_the_phases_exactly(tmp_path):
    model = _bagan(ema_decay=0.9)
    _, _, dataset = _batches(6, seed=1)
    model.fit(dataset.take(3), shuffle=False, verbose=0)
    model.save(tmp_path / "bagan.keras")
    loaded = keras.models.load_model(tmp_path / "bagan.keras")
    assert isinstance(loaded, BAGAN) and loaded.get_config()["statistics_steps"] == 2
    for which in (model, loaded):
        which.fit(dataset.skip(3), shuffle=False, verbose=0)
    assert int(loaded.step_counter.numpy()) == 6 and int(loaded.statistics_ready.numpy()) == 1
    assert len(model.weights) == len(loaded.weights)
    assert_variables_close(model.weights, loaded.weights)
    labels = np.arange(6) % CLASSES
    np.testing.assert_allclose(loaded.generate(6, labels=labels), model.generate(6, labels=labels), atol=1e-6)


def test_bad_arguments_are_refused():
    model = _bagan()
    generator, discriminator, encoder = model.generator, model.discriminator, model.encoder
    with pytest.raises(ValueError, match="num_classes is required"):
        BAGAN(generator, discriminator, encoder)
    with pytest.raises(ValueError, match="latent_prior='uniform'"):
        BAGAN(generator, discriminator, encoder, num_classes=3, latent_prior="uniform")
    with pytest.raises(ValueError, match="autoencoder_steps=0"):
        BAGAN(generator, discriminator, encoder, num_classes=3, autoencoder_steps=0)
    with pytest.raises(ValueError, match="weights of shapes"):
        _bagan(trunk_units=(5,))
    with pytest.raises(ValueError, match="not of num_classes=4 classes"):
        BAGAN(generator, discriminator, encoder, num_classes=4)
    four_classes = bagan_networks.encoder_discriminator(encoders.mlp_encoder(SHAPE, LATENT, hidden_units=[8]), 4)
    with pytest.raises(ValueError, match="returns 4 logits"):
        BAGAN(generator, four_classes, encoder, num_classes=3)
    with pytest.raises(ValueError, match="BAGAN needs labels"):
        training.build_model(recipes.Recipe(model="bagan", dataset="gen:shapes:64"))
