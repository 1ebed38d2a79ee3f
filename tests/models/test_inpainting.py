"""Inpainting GAN: a context encoder on (masked image, mask) with a hole reconstruction + adversarial loss."""

import numpy as np
import pytest
import tensorflow as tf

from conftest import fake_images, max_change, snapshot
from model_testing import (
    assert_each_optimizer_moves_only_its_own_network,
    assert_mirrored_step_equals_single_device_step,
    assert_reloaded_model_continues_exactly,
    assert_sgd_step,
    compile_tiny,
    sgd_pair,
    softplus,
    tiny_image_to_image_networks,
    train_smoke_image_to_image,
)
from tfgan_zoo import held_out, networks, training
from tfgan_zoo.data import masks as masks_lib
from tfgan_zoo.models import InpaintingGAN
from tfgan_zoo.models.inpainting import hole_distance
from tfgan_zoo.recipes.recipe import Recipe

SHAPE = (8, 8, 1)


def _networks(normalization="batch", shape=SHAPE):
    return networks.build_inpainting_networks(
        "unet_patchgan", shape, generator_kwargs={"base_filters": 4, "max_filters": 8, "normalization": normalization},
        discriminator_kwargs={"base_filters": 4, "downsamplings": 1, "normalization": normalization},
    )


def _inpainting(normalization="batch", optimizers=None, jit_compile=False, shape=SHAPE, **kwargs):
    generator, discriminator = _networks(normalization, shape)
    return compile_tiny(InpaintingGAN(generator, discriminator, **kwargs), optimizers, jit_compile)


def _pairs(count=4, seed=0, shape=SHAPE, spec="free:0.3"):
    """`((masked images, masks), images)` as tensors."""
    images = tf.constant(fake_images(count, shape, seed=seed))
    drawn = tf.constant(masks_lib.masks_for_seed(spec, count, shape[0], shape[1], seed))
    return (masks_lib.apply_masks(images, drawn), drawn), images


# === The generator ===
def test_generator_keeps_known_pixels_and_never_reads_the_hole():
    (masked, drawn), images = _pairs(6, shape=(8, 8, 3))
    generator, _ = _networks(shape=(8, 8, 3))
    completed = generator([images, drawn], training=False).numpy()
    known = 1.0 - drawn.numpy()
    np.testing.assert_array_equal(completed * known, images.numpy() * known)
    # Whatever the hole holds, the output is the same.
    np.testing.assert_array_equal(generator([masked, drawn], training=False).numpy(), completed)
    assert np.abs((completed - images.numpy()) * drawn.numpy()).max() > 0
    assert [tensor.name for tensor in generator.inputs] == ["image", "mask"]


# === Losses ===
@pytest.mark.parametrize("norm", ["l1", "l2"])
def test_hole_distance_is_the_mean_error_over_missing_pixels(norm):
    targets, outputs = fake_images(3, (8, 8, 2), seed=1), fake_images(3, (8, 8, 2), seed=2)
    drawn = masks_lib.masks_for_seed("rect:0.25", 3, 8, 8)
    drawn[2] = 0.0  # no hole: no loss
    errors = np.abs(targets - outputs) ** (2 if norm == "l2" else 1)
    expected = [errors[i][np.broadcast_to(drawn[i], errors[i].shape) == 1].mean() for i in range(2)] + [0.0]
    np.testing.assert_allclose(hole_distance(targets, outputs, drawn, norm), expected, rtol=1e-5)


def test_discriminator_loss_judges_images_given_their_mask():
    model = _inpainting("none", sgd_pair())
    (masked, drawn), images = _pairs()
    fake = model.generator([masked, drawn], training=True)
    variables = model.discriminator.trainable_variables
    before = snapshot(variables)
    with tf.GradientTape() as tape:
        real_scores = model.discriminator([drawn, images])
        fake_scores = model.discriminator([drawn, fake])
        expected_loss = tf.reduce_mean(tf.nn.softplus(-real_scores) + tf.nn.softplus(fake_scores))
    expected_gradients = tape.gradient(expected_loss, variables)

    terms = model.discriminator_step(((masked, drawn), images), None, stream=0)

    hand = np.mean(softplus(-real_scores.numpy()) + softplus(fake_scores.numpy()))
    np.testing.assert_allclose(float(terms["d_loss"]), hand, rtol=1e-5)
    assert_sgd_step(before, expected_gradients, variables)


def test_generator_loss_is_weighted_hole_reconstruction_plus_adversarial():
    model = _inpainting("none", sgd_pair(), reconstruction_loss="l1", reconstruction_weight=10.0,
                        adversarial_weight=0.5)
    (masked, drawn), images = _pairs()
    variables = model.generator.trainable_variables
    before = snapshot(variables)
    with tf.GradientTape() as tape:
        fake = model.generator([masked, drawn], training=True)
        scores = model.discriminator([drawn, fake])
        hole = tf.reduce_sum(tf.abs(images - fake) * drawn, axis=[1, 2, 3]) / tf.reduce_sum(drawn, axis=[1, 2, 3])
        expected_loss = tf.reduce_mean(10.0 * hole + 0.5 * tf.reduce_mean(tf.nn.softplus(-scores), axis=[1, 2, 3]))
    expected_gradients = tape.gradient(expected_loss, variables)

    terms = model.generator_step(((masked, drawn), images), None, stream=1)

    np.testing.assert_allclose(float(terms["g_hole"]), hole.numpy().mean(), rtol=1e-5)
    np.testing.assert_allclose(float(terms["g_adversarial"]), np.mean(softplus(-scores.numpy())), rtol=1e-5)
    np.testing.assert_allclose(float(terms["g_loss"]), float(expected_loss), rtol=1e-5)
    assert_sgd_step(before, expected_gradients, variables)


def test_reconstruction_only_baseline_never_touches_the_discriminator():
    model = _inpainting(optimizers=sgd_pair(0.01), adversarial_weight=0.0)
    (masked, drawn), images = _pairs(8)
    discriminator_before = snapshot(model.discriminator.weights)
    history = model.fit((masked, drawn), images, batch_size=8, shuffle=False, verbose=0)
    assert set(history.history) == {"g_loss", "g_hole"} and not model.has_discriminator
    assert max_change(discriminator_before, model.discriminator.weights) == 0
    assert int(model.discriminator_optimizer.iterations.numpy()) == 0


# === Updates and training ===
def test_each_optimizer_moves_only_its_own_network():
    assert_each_optimizer_moves_only_its_own_network(_inpainting("instance"), _pairs(), None)


def test_fit_with_xla_and_two_discriminator_steps_on_a_mask_pipeline():
    from tfgan_zoo.data import paired

    model = _inpainting(jit_compile=True, d_steps=2, ema_decay=0.9, shape=(28, 28, 1))
    batches = paired.load_paired("mnist8k:train", "mask:mixed:0.25", 16, seed=1).take(2)
    history = model.fit(batches, shuffle=False, verbose=0)
    assert set(history.history) == set(model.loss_names)
    assert all(np.isfinite(values[-1]) for values in history.history.values())
    assert int(model.generator_optimizer.iterations.numpy()) == 2
    assert int(model.discriminator_optimizer.iterations.numpy()) == 4


def test_mirrored_step_equals_single_device_step(mirrored):
    (masked, drawn), images = _pairs(8)
    assert_mirrored_step_equals_single_device_step(
        mirrored, lambda: _inpainting("instance", sgd_pair()), (masked.numpy(), drawn.numpy()), images.numpy())


def test_save_load_continues_training_exactly(tmp_path):
    first, second = _pairs(16, seed=1), _pairs(16, seed=3)
    model = _inpainting(reconstruction_loss="l1", reconstruction_weight=5.0, ema_decay=0.9)
    loaded = assert_reloaded_model_continues_exactly(
        model, tmp_path / "inpainting.keras", (first[0], first[1]), (second[0], second[1]))
    assert loaded.reconstruction_loss == "l1" and loaded.reconstruction_weight == 5.0
    (masked, drawn), images = _pairs(3, seed=9)
    np.testing.assert_array_equal(loaded.inpaint(images, drawn), model.inpaint(images, drawn))


def test_smoke_recipe_trains_and_fills_heldout_digits(tmp_path):
    model, history, loaded = train_smoke_image_to_image("inpainting_mnist8k", tmp_path)
    assert np.isfinite(history.history["g_hole"][-1])
    (masked, drawn), targets, labels = held_out.heldout_examples(loaded, 5, seed=3)
    assert masked.shape == drawn.shape == targets.shape == (5, 28, 28, 1) and labels.shape == (5,)
    completed = held_out.generate(loaded, 5, seed=3)
    np.testing.assert_array_equal(completed, loaded.inpaint(targets, drawn))
    np.testing.assert_array_equal(completed * (1 - drawn), targets * (1 - drawn))


# === Arguments ===
def test_bad_arguments_are_refused():
    generator, discriminator = _networks()
    with pytest.raises(ValueError, match="Received: reconstruction_loss='l3'"):
        InpaintingGAN(generator, discriminator, reconstruction_loss="l3")
    with pytest.raises(ValueError, match="Received: reconstruction_weight=-1"):
        InpaintingGAN(generator, discriminator, reconstruction_weight=-1)
    unet, patchgan = tiny_image_to_image_networks()
    with pytest.raises(ValueError, match=r"takes inputs named \['image', 'mask'\].*Received: inputs \['image'\]"):
        InpaintingGAN(unet, patchgan)
    model = compile_tiny(InpaintingGAN(generator, discriminator))
    images = fake_images(2)
    with pytest.raises(ValueError, match=r"masks must have shape \[2, 8, 8, 1\].*Received: shape=\(2, 8, 8\)"):
        model.inpaint(images, np.zeros((2, 8, 8)))
    with pytest.raises(ValueError, match="values in"):
        model.inpaint(images, np.full((2, 8, 8, 1), 3.0))
    with pytest.raises(ValueError, match="one array per generator input"):
        model.translate(images)
    with pytest.raises(ValueError, match="trains on a mask task.*Received: task='edges'"):
        training.build_model(Recipe(model="inpainting", networks="unet_patchgan", dataset="gen:shapes:64",
                                    model_options={"task": "edges"}))
    with pytest.raises(ValueError, match="Unknown inpainting networks"):
        training.build_model(Recipe(model="inpainting", networks="dcgan", dataset="gen:shapes:64",
                                    model_options={"task": "mask:rect:0.2"}))
