"""SRGAN and SRResNet: 4x super-resolution by content loss in a chosen feature network + adversarial."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from conftest import fake_images, max_change, snapshot
from model_testing import (
    assert_each_optimizer_moves_only_its_own_network,
    assert_mirrored_step_equals_single_device_step,
    assert_reloaded_model_continues_exactly,
    compile_tiny,
    train_smoke_image_to_image,
)
from tfgan_zoo import distribution, held_out, networks
from tfgan_zoo.models import SRGAN


def _tiny_networks(source_shape=(2, 2, 1), target_shape=(8, 8, 1)):
    return networks.build_image_to_image_networks(
        "srresnet_srgan", source_shape, target_shape, generator_kwargs={"base_filters": 4, "residual_blocks": 1},
        discriminator_kwargs={"base_filters": 4, "blocks": 1, "dense_units": 8},
    )


def _srgan(optimizers=None, jit_compile=False, **kwargs):
    return compile_tiny(SRGAN(*_tiny_networks(), **kwargs), optimizers, jit_compile)


def _sgd_pair(rate=0.1):
    return keras.optimizers.SGD(rate), keras.optimizers.SGD(rate)


def _pairs(count=4, seed=0):
    return tf.constant(fake_images(count, (2, 2, 1), seed=seed)), tf.constant(fake_images(count, seed=seed + 100))


def _save_classifier(path):
    """A tiny classifier of 8x8 images with a `"features"` layer, saved as a .keras file (stands in for the domain
    classifier)."""
    image = keras.Input((8, 8, 1))
    x = keras.layers.Flatten()(keras.layers.Conv2D(2, 3, padding="same")(image))
    features = keras.layers.Dense(3, activation="tanh", name="features")(x)
    classifier = keras.Model(image, keras.layers.Dense(2, name="logits")(features))
    classifier.save(path)
    return classifier


def _mean_square(a, b):
    return float(np.mean((np.asarray(a, np.float64) - np.asarray(b, np.float64)) ** 2))


# === Losses ===
def test_pixel_content_generator_step_is_mse_plus_weighted_adversarial_by_hand():
    model = _srgan(_sgd_pair(), adversarial_weight=1e-3)
    source, target = _pairs()
    variables = model.generator.trainable_variables
    before = snapshot(variables)
    with tf.GradientTape() as tape:
        fake = model.generator(source, training=True)
        scores = model.discriminator(fake, training=True)
        expected_loss = tf.reduce_mean(tf.square(target - fake)) + 1e-3 * tf.reduce_mean(tf.nn.softplus(-scores))
    expected_gradients = tape.gradient(expected_loss, variables)

    terms = model.generator_step((source, target), None, stream=1)

    hand_mse = _mean_square(target, fake)
    hand_adversarial = float(np.mean(np.logaddexp(0.0, -scores.numpy().astype(np.float64))))
    np.testing.assert_allclose(float(terms["g_content"]), hand_mse, rtol=1e-5)
    np.testing.assert_allclose(float(terms["g_loss"]), hand_mse + 1e-3 * hand_adversarial, rtol=1e-5)
    for old, gradient, variable in zip(before, expected_gradients, variables):
        np.testing.assert_allclose(variable.numpy(), old - 0.1 * gradient.numpy(), rtol=1e-4, atol=1e-6)


def test_srresnet_never_touches_the_discriminator():
    model = _srgan(content_features="pixels", adversarial_weight=0.0)
    source, target = _pairs(8)
    discriminator_before = snapshot(model.discriminator.weights)
    history = model.fit(source, target, batch_size=8, shuffle=False, verbose=0)
    assert set(history.history) == {"g_loss", "g_content"} and not model.has_discriminator
    assert max_change(discriminator_before, model.discriminator.weights) == 0
    assert int(model.discriminator_optimizer.iterations.numpy()) == 0


def test_discriminator_content_is_mse_of_its_features_layer():
    # No BatchNorm: each step runs the other network in training mode, which would move its moving statistics.
    generator = networks.srresnet_generator((2, 2, 1), 1, base_filters=4, residual_blocks=1, normalization="none")
    discriminator = networks.srgan_discriminator(None, (8, 8, 1), base_filters=4, blocks=1, dense_units=8,
                                                 normalization="none")
    model = compile_tiny(SRGAN(generator, discriminator, content_features="discriminator"))
    source, target = _pairs()
    fake = model.generator(source, training=False)
    features = networks.features_and_scores(model.discriminator)
    expected = np.mean((features(target, training=False)[0] - features(fake, training=False)[0]).numpy() ** 2, axis=1)
    np.testing.assert_allclose(model.content_loss(target, fake), expected, rtol=1e-5, atol=1e-8)
    assert_each_optimizer_moves_only_its_own_network(model, (source, target), None)


def test_classifier_content_uses_the_injected_network_and_keeps_it_frozen(tmp_path):
    classifier = _save_classifier(tmp_path / "classifier.keras")
    model = _srgan(content_features=f"classifier:{tmp_path / 'classifier.keras'}")
    source, target = _pairs(8)
    fake = model.generator(source, training=False)
    phi = keras.Model(classifier.inputs, classifier.get_layer("features").output)
    np.testing.assert_allclose(model.content_loss(target, fake),
                               np.mean((phi(target) - phi(fake)).numpy() ** 2, axis=1), rtol=1e-5, atol=1e-8)
    frozen = snapshot(model.feature_network.weights)
    generator_ids = {id(variable) for variable in model.generator_variables + model.discriminator_variables}
    assert not any(id(variable) in generator_ids for variable in model.feature_network.weights)
    model.fit(source, target, batch_size=4, shuffle=False, verbose=0)
    assert max_change(frozen, model.feature_network.weights) == 0


def test_vgg19_content_loads_a_local_weights_file(tmp_path):
    # VGG19's ImageNet weights cannot be downloaded here: a random-weights file checks the loading path only.
    vgg = keras.applications.VGG19(weights=None, include_top=False, input_shape=(32, 32, 3))
    vgg.save_weights(tmp_path / "vgg19.weights.h5")
    generator, discriminator = _tiny_networks((8, 8, 1), (32, 32, 1))
    model = SRGAN(generator, discriminator, content_features=f"vgg19:{tmp_path / 'vgg19.weights.h5'}",
                  feature_layer="block1_conv2")
    np.testing.assert_array_equal(model.feature_network.get_layer("block1_conv2").kernel.numpy(),
                                  vgg.get_layer("block1_conv2").kernel.numpy())
    target = fake_images(2, (32, 32, 1))
    # Grey [-1, 1] images enter VGG as 3-channel caffe input: RGB -> BGR, minus the ImageNet means.
    bgr = np.repeat((target + 1.0) * 127.5, 3, axis=-1) - np.array([103.939, 116.779, 123.68], np.float32)
    phi = keras.Model(vgg.inputs, vgg.get_layer("block1_conv2").output)
    loss = model.content_loss(tf.constant(target), tf.zeros_like(target))
    zeros = np.zeros_like(bgr) + 127.5 - np.array([103.939, 116.779, 123.68], np.float32)
    np.testing.assert_allclose(loss, np.mean((phi(bgr) - phi(zeros)).numpy().reshape(2, -1) ** 2, axis=1), rtol=1e-4)


# === Training, saving ===
def test_fit_with_xla_and_two_discriminator_steps():
    model = _srgan(jit_compile=True, d_steps=2)
    source, target = _pairs(16)
    history = model.fit(source, target, batch_size=16, verbose=0)
    assert set(history.history) == set(model.loss_names)
    assert all(np.isfinite(values[-1]) for values in history.history.values())
    assert int(model.discriminator_optimizer.iterations.numpy()) == 2
    assert model.generate(sources=fake_images(3, (2, 2, 1))).shape == (3, 8, 8, 1)


def test_save_load_continues_training_exactly(tmp_path):
    # With a loaded classifier: its weights are saved with the model and the file is read again on loading.
    _save_classifier(tmp_path / "classifier.keras")
    content = f"classifier:{tmp_path / 'classifier.keras'}"
    model = _srgan(content_features=content, content_weight=2.0, ema_decay=0.9)
    first, second = _pairs(16, seed=1), _pairs(16, seed=3)
    loaded = assert_reloaded_model_continues_exactly(model, tmp_path / "srgan.keras", first, second)
    assert loaded.content_features == content and loaded.adversarial_weight == 1e-3 and loaded.latent_dim is None


def test_smoke_recipe_trains_and_super_resolves_heldout_digits(tmp_path):
    model, history, loaded = train_smoke_image_to_image("srgan_mnist8k", tmp_path)
    assert np.isfinite(history.history["g_content"][-1]) and loaded.content_features == "discriminator"
    sources, targets, _ = held_out.heldout_examples(loaded, 3, seed=1)
    translations = held_out.generate(loaded, 3, seed=1)
    assert sources.shape == (3, 7, 7, 1) and targets.shape == translations.shape == (3, 28, 28, 1)


# === Arguments ===
def test_bad_arguments_are_refused():
    generator, discriminator = _tiny_networks()
    with pytest.raises(ValueError, match="Received: adversarial_weight=-1"):
        SRGAN(generator, discriminator, adversarial_weight=-1)
    for spec in ("vgg", "classifier", "pixels:x", "discriminator:path"):
        with pytest.raises(ValueError, match="Received: content_features="):
            SRGAN(generator, discriminator, content_features=spec)


def test_mirrored_step_equals_single_device_step_with_synchronised_batchnorm(mirrored):
    def build():
        model = _srgan(_sgd_pair(), content_features="discriminator", adversarial_weight=0.1)
        distribution.synchronize_batchnorm(model)
        return model

    assert_mirrored_step_equals_single_device_step(mirrored, build, *_pairs(8))
