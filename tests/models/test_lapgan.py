"""LAPGAN (Denton et al. 2015): independent levels, the sampling cascade, saving and resume."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from conftest import fake_images, fake_labels, max_change, snapshot
from model_testing import (
    assert_each_optimizer_moves_only_its_own_network,
    assert_mirrored_step_equals_single_device_step,
    assert_reloaded_model_continues_exactly,
    assert_variables_close,
    compile_tiny,
)
from tfgan_zoo import models, networks, pyramid, recipes, training
from tfgan_zoo.models.lapgan import LAPGAN
from tfgan_zoo.networks import lapgan as lapgan_networks

IMAGE_SHAPE = (16, 16, 1)


def tiny_levels(image_shape=IMAGE_SHAPE, levels=2, normalization="batch"):
    """`(generators, discriminators)`: MLPs at level 0 (4x4 for 16x16 images), tiny conv networks above."""
    shapes = lapgan_networks.pyramid_shapes(image_shape, levels)
    generators = [networks.mlp_generator(shapes[0], 4, hidden_units=[8], name="level_0_generator")]
    discriminators = [networks.mlp_discriminator(shapes[0], hidden_units=[8], name="level_0_discriminator")]
    for level, shape in enumerate(shapes[1:], start=1):
        generators.append(lapgan_networks.residual_generator(
            shape, filters=[4], normalization=normalization, name=f"level_{level}_generator"))
        discriminators.append(lapgan_networks.residual_discriminator(
            shape, base_filters=4, normalization=normalization, name=f"level_{level}_discriminator"))
    return generators, discriminators


def tiny_lapgan(normalization="batch", optimizers=None, jit_compile=False, levels=2, **kwargs):
    model = LAPGAN(*tiny_levels(levels=levels, normalization=normalization), **kwargs)
    return compile_tiny(model, optimizers, jit_compile)


def _level_variables(model, level):
    return model.level_generators[level].trainable_variables + model.level_discriminators[level].trainable_variables


# === The pyramid and the cascade ===
def test_cascade_samples_coarse_to_fine_from_one_latent():
    model = tiny_lapgan()
    assert model.levels == 3 and model.latent_dim == 4 + 8 * 8 + 16 * 16
    latent = model.latent_for_seed(3, seed=1)
    levels = model.level_images(latent)
    assert [level.shape for level in levels] == [(3, 4, 4, 1), (3, 8, 8, 1), (3, 16, 16, 1)]
    np.testing.assert_allclose(levels[-1], model.generate(latent=latent), atol=1e-6)

    # By hand: level 0's image from the first 4 latent values, then each residual from the
    # upsampled image and the level's noise plane (the next 8*8, then 16*16 values).
    image = model.level_generators[0](latent[:, :4], training=False)
    np.testing.assert_allclose(levels[0], image, atol=1e-6)
    for level, (start, size) in enumerate([(4, 8), (68, 16)], start=1):
        noise = tf.constant(latent[:, start : start + size * size].reshape(3, size, size, 1))
        coarse = pyramid.upsample(image)
        image = coarse + model.level_generators[level]([coarse, noise], training=False)
        np.testing.assert_allclose(levels[level], image, atol=1e-5)


def test_training_targets_are_the_pyramid_of_the_real_batch():
    model = tiny_lapgan()
    images = tf.constant(fake_images(4, IMAGE_SHAPE))
    targets, conditions = model.decompose(images)
    assert [t.shape[1] for t in targets] == [4, 8, 16] and [c.shape[1] for c in conditions] == [8, 16]
    np.testing.assert_allclose(pyramid.reconstruct(targets), images, atol=1e-6)
    noise = model.level_noise(stream=0, batch_size=4)
    assert [tuple(n.shape) for n in noise] == [(4, 4), (4, 8, 8, 1), (4, 16, 16, 1)]
    fakes = model.generate_levels(conditions, noise)
    assert [f.shape for f in fakes] == [t.shape for t in targets]


def test_discriminate_sums_the_level_scores_of_the_images_own_pyramid():
    model = tiny_lapgan()
    images = fake_images(4, IMAGE_SHAPE, seed=1)
    scores = model.score_levels(*model.decompose(images), training=False)
    np.testing.assert_allclose(model.discriminate(images, training=False), sum(s.numpy() for s in scores), rtol=1e-5)


# === Levels are independent ===
def test_each_level_loss_reaches_only_that_levels_networks():
    model = tiny_lapgan()
    images = tf.constant(fake_images(4, IMAGE_SHAPE))
    targets, conditions = model.decompose(images)
    noise = model.level_noise(stream=0, batch_size=4)
    everything = [v for level in range(model.levels) for v in _level_variables(model, level)]
    with tf.GradientTape(persistent=True) as tape:
        fakes = model.generate_levels(conditions, noise)
        d_losses = [tf.reduce_mean(loss) for loss in model.discriminator_losses(targets, fakes, conditions)]
        g_losses = [tf.reduce_mean(loss) for loss in model.generator_losses(fakes, conditions)]
    for level in range(model.levels):
        own = {id(v) for v in _level_variables(model, level)}
        for loss in (d_losses[level], g_losses[level]):
            gradients = tape.gradient(loss, everything)
            for variable, gradient in zip(everything, gradients):
                assert (gradient is not None) == (id(variable) in own), (level, variable.path)


def test_a_levels_update_does_not_depend_on_the_other_levels():
    """One training step from the same level-1 weights moves level 1 alike whatever levels 0 and 2 hold."""
    images = fake_images(8, IMAGE_SHAPE, seed=3)
    first = tiny_lapgan()
    second = tiny_lapgan()
    second.set_weights(first.get_weights())
    for level in (0, 2):
        for variable in _level_variables(second, level):
            variable.assign(variable * 1.7 + 0.05)
    before = snapshot(_level_variables(first, 1))
    for model in (first, second):
        model.train_step(tf.constant(images))
    assert max_change(before, _level_variables(first, 1)) > 0
    assert_variables_close(_level_variables(first, 1), _level_variables(second, 1))
    pairs = zip(_level_variables(first, 0), _level_variables(second, 0))
    assert max(np.abs(a.numpy() - b.numpy()).max() for a, b in pairs) > 0.01


def test_discriminator_step_moves_only_discriminators_and_generator_step_only_generators():
    model = tiny_lapgan(normalization="none")  # BatchNorm statistics of G move in D's step too
    assert len(model.generator.trainable_variables) == sum(len(g.trainable_variables) for g in model.level_generators)
    assert_each_optimizer_moves_only_its_own_network(model, tf.constant(fake_images(4, IMAGE_SHAPE)), None)


# === Training, saving, resume ===
def test_lapgan_trains_under_xla_with_every_level_logged():
    model = tiny_lapgan(jit_compile=True, ema_decay=0.9, levels=1)  # two levels: XLA compiles fast
    history = model.fit(fake_images(16, IMAGE_SHAPE), batch_size=16, epochs=1, verbose=0)
    assert set(history.history) == set(model.loss_names)
    assert set(model.loss_names) == {"d_loss", "g_loss", "d_loss_0", "g_loss_0", "d_loss_1", "g_loss_1"}
    assert all(np.isfinite(values[-1]) for values in history.history.values())
    logs = {name: values[-1] for name, values in history.history.items()}
    assert logs["g_loss"] == pytest.approx(logs["g_loss_0"] + logs["g_loss_1"], rel=1e-5)
    assert int(model.discriminator_optimizer.iterations.numpy()) == 1
    assert model.generate(2).shape == (2, *IMAGE_SHAPE)


def test_saved_lapgan_continues_training_exactly(tmp_path):
    model = tiny_lapgan(optimizers=(keras.optimizers.Adam(1e-3), keras.optimizers.SGD(0.05, momentum=0.5)))
    first, second = fake_images(16, IMAGE_SHAPE, seed=1), fake_images(16, IMAGE_SHAPE, seed=2)
    loaded = assert_reloaded_model_continues_exactly(model, tmp_path / "lapgan.keras", (first,), (second,))
    assert isinstance(loaded, LAPGAN) and int(loaded.step_counter.numpy()) == 4
    assert [g.name for g in loaded.level_generators] == [f"level_{k}_generator" for k in range(3)]
    latent = model.latent_for_seed(2)
    for mine, theirs in zip(model.level_images(latent), loaded.level_images(latent)):
        np.testing.assert_allclose(mine, theirs, atol=1e-5)


def _smoke_recipe(**overrides):
    return recipes.get_recipe("lapgan_mnist8k").smoke_sized().with_overrides(overrides)


def test_mirrored_step_equals_single_device_step(mirrored):
    def build():
        return tiny_lapgan(normalization="none", optimizers=(keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1)))

    assert_mirrored_step_equals_single_device_step(mirrored, build, fake_images(8, IMAGE_SHAPE), fake_labels(8))


# === Recipes and checks ===
def test_recipe_builds_the_pyramid_of_levels():
    model = training.build_model(_smoke_recipe())
    assert isinstance(model, LAPGAN) and models.get_model_class("lapgan") is LAPGAN
    assert [g.outputs[0].shape[1] for g in model.level_generators] == [8, 16, 32]
    assert model.level_generators[1].get_layer("conv_0").filters == 4
    assert model.level_discriminators[2].get_layer("down_0").filters == 4
    two_levels = training.build_model(_smoke_recipe(**{"model_options.levels": 1}))
    assert [g.outputs[0].shape[1] for g in two_levels.level_generators] == [16, 32]
    with pytest.raises(ValueError, match=r"LAPGAN does not use the recipe fields \['gradient_penalty_weight'\]"):
        training.build_model(_smoke_recipe(gradient_penalty_weight=10.0))


def test_networks_that_do_not_form_a_pyramid_are_refused():
    generators, discriminators = tiny_levels()
    with pytest.raises(ValueError, match="one generator and one discriminator per level"):
        LAPGAN(generators, discriminators[:2])
    wrong = lapgan_networks.residual_generator((8, 8, 1), name="wrong")
    with pytest.raises(ValueError, match=r"level_generators\[2\] must take inputs of shapes"):
        LAPGAN(generators[:2] + [wrong], discriminators)
    with pytest.raises(ValueError, match="unconditional. Received: num_classes=3"):
        LAPGAN(generators, discriminators, num_classes=3)
    with pytest.raises(ValueError, match="cannot be halved 3 times"):
        lapgan_networks.pyramid_shapes((28, 28, 1), 3)
