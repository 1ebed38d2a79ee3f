"""GRAN (Im et al. 2016): the recurrent canvas generator, trained by the GAN update rule."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from conftest import fake_images, fake_labels
from model_testing import assert_mirrored_step_equals_single_device_step, assert_reloaded_model_continues_exactly
from tfgan_zoo import models, networks, recipes, training
from tfgan_zoo.networks import gran, stages

IMAGE_SHAPE = (8, 8, 1)


def tiny_generator(steps=3, normalization="none", encoder_input="update", **kwargs):
    return gran.gran_generator(IMAGE_SHAPE, 4, steps=steps, base_filters=4, code_units=6,
                               normalization=normalization, encoder_input=encoder_input, **kwargs)


def tiny_gran_gan(normalization="batch", optimizers=None, jit_compile=False, **kwargs):
    discriminator = networks.dcgan_discriminator(IMAGE_SHAPE, base_filters=4, normalization=normalization)
    model = models.GAN(tiny_generator(normalization=normalization), discriminator, **kwargs)
    g_opt, d_opt = optimizers or (keras.optimizers.Adam(1e-3, beta_1=0.5), keras.optimizers.Adam(1e-3, beta_1=0.5))
    model.compile(g_opt, d_opt, jit_compile=jit_compile)
    return model


def unrolled_by_hand(generator, latent, steps, encoder_input):
    """The updates `[dC_1, ..., dC_T]` computed from the generator's parts, step by step."""
    noise_code = generator.get_layer("noise_code")(latent)
    decoder, encoder = generator.get_layer("canvas_decoder"), generator.get_layer("canvas_encoder")
    canvas_code, canvas, updates = tf.zeros_like(noise_code), 0.0, []
    for step in range(steps):
        if step:
            canvas_code = encoder(canvas if encoder_input == "canvas" else updates[-1], training=False)
        updates.append(decoder(tf.concat([noise_code, canvas_code], axis=-1), training=False))
        canvas = canvas + updates[-1]
    return updates


# === The recurrence ===
@pytest.mark.parametrize("encoder_input", ["canvas", "update"])
def test_output_is_the_tanh_of_the_sum_of_the_canvas_updates(encoder_input):
    generator = tiny_generator(steps=4, normalization="batch", encoder_input=encoder_input)
    latent = tf.random.stateless_normal([3, 4], seed=[1, 2])
    updates = unrolled_by_hand(generator, latent, 4, encoder_input)
    expected = np.tanh(np.sum([u.numpy() for u in updates], axis=0))
    np.testing.assert_allclose(generator(latent, training=False), expected, atol=1e-5)
    # The canvases: tanh of the running sums, the last one the output.
    canvases = gran.canvases(generator, latent)
    assert len(canvases) == 4 and all(c.shape == (3, *IMAGE_SHAPE) for c in canvases)
    for step, canvas in enumerate(canvases, start=1):
        np.testing.assert_allclose(canvas, np.tanh(np.sum([u.numpy() for u in updates[:step]], axis=0)), atol=1e-5)
    assert np.abs(canvases[0] - canvases[-1]).max() > 1e-3


def test_one_step_is_a_single_decoder_pass():
    generator = tiny_generator(steps=1)
    latent = tf.random.stateless_normal([2, 4], seed=[3, 4])
    assert "canvas_encoder" not in [layer.name for layer in generator.layers]
    noise_code = generator.get_layer("noise_code")(latent)
    decoded = generator.get_layer("canvas_decoder")(tf.concat([noise_code, tf.zeros_like(noise_code)], -1))
    np.testing.assert_allclose(generator(latent), np.tanh(decoded), atol=1e-6)


def test_weights_are_shared_across_steps():
    counts = {steps: len(tiny_generator(steps=steps).weights) for steps in (1, 2, 5)}
    assert counts[2] == counts[5]
    encoder = tiny_generator(steps=2).get_layer("canvas_encoder")
    assert counts[1] == counts[2] - len(encoder.weights)
    generator = tiny_generator(steps=5)
    decoders = [layer for layer in generator.layers if "decoder" in layer.name]
    assert len(decoders) == 1, "one decoder, called at every step"


def test_canvas_grid_has_a_row_per_sample_and_a_column_per_step():
    generator = tiny_generator(steps=3)
    canvases = gran.canvases(generator, tf.random.stateless_normal([2, 4], seed=[5, 6]))
    grid = stages.stage_grid(canvases)
    assert grid.shape == (2 * 9 + 1, 3 * 9 + 1, 1) and grid.dtype == np.uint8
    # Stages of different sizes (LAPGAN's levels) are enlarged to the last one's.
    mixed = stages.stage_grid([np.zeros((2, 4, 4, 1)), np.ones((2, 8, 8, 1))])
    assert mixed.shape == (19, 19, 1) and mixed[1:9, 1:9].max() == 128 and mixed[1:9, 10:18].min() == 255


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="steps=0"):
        tiny_generator(steps=0)
    with pytest.raises(ValueError, match="encoder_input='previous'"):
        tiny_generator(encoder_input="previous")
    with pytest.raises(ValueError, match="normalization='layer'"):
        tiny_generator(normalization="layer")
    with pytest.raises(ValueError, match="no layer named canvas_<number>"):
        gran.canvases(networks.dcgan_generator(IMAGE_SHAPE, 4, base_filters=4), np.zeros([1, 4], np.float32))


# === Training by the GAN update rule (backpropagation through time) ===
def test_every_generator_variable_learns_through_all_steps():
    model = tiny_gran_gan(normalization="none")
    with tf.GradientTape() as tape:
        fake = model.generate_from(model.latent_for_seed(4), training=True)
        loss = tf.reduce_mean(model.generator_loss_fn(model.discriminate(fake)))
    gradients = tape.gradient(loss, model.generator.trainable_variables)
    assert all(g is not None and np.abs(g.numpy()).max() > 0 for g in gradients)


def test_gran_trains_under_xla():
    model = tiny_gran_gan(jit_compile=True)
    history = model.fit(fake_images(16, IMAGE_SHAPE), batch_size=8, epochs=1, verbose=0)
    assert all(np.isfinite(values[-1]) for values in history.history.values())
    assert int(model.generator_optimizer.iterations.numpy()) == 2


def test_saved_gran_continues_training_exactly(tmp_path):
    model = tiny_gran_gan()
    first, second = fake_images(16, IMAGE_SHAPE, seed=1), fake_images(16, IMAGE_SHAPE, seed=2)
    loaded = assert_reloaded_model_continues_exactly(model, tmp_path / "gran.keras", (first,), (second,))
    latent = model.latent_for_seed(2)
    for mine, theirs in zip(gran.canvases(model.generator, latent), gran.canvases(loaded.generator, latent)):
        np.testing.assert_allclose(mine, theirs, atol=1e-5)


def test_mirrored_step_equals_single_device_step(mirrored):
    def build():
        return tiny_gran_gan(normalization="none", optimizers=(keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1)))

    assert_mirrored_step_equals_single_device_step(mirrored, build, fake_images(8, IMAGE_SHAPE), fake_labels(8))


def test_recipe_builds_a_gan_with_the_recurrent_generator():
    model = training.build_model(recipes.get_recipe("gran_mnist8k").smoke_sized())
    assert isinstance(model, models.GAN) and networks.NETWORKS["gran"][0] is gran.gran_generator
    assert model.generator.output.shape[1:] == (28, 28, 1)
    assert stages.stage_names(model.generator, gran.CANVAS_PREFIX) == ["canvas_1", "canvas_2", "canvas_3"]
    assert model.generator.get_layer("canvas_decoder").get_layer("up_0").filters == 8
