"""Progressive GAN: growth schedule, fade-in, the current level of real images, drift, exact resume mid-fade, export."""

import keras
import numpy as np
import tensorflow as tf

from conftest import fake_images
from model_testing import (
    assert_mirrored_step_equals_single_device_step,
    assert_saved_model_and_litert_match_keras,
    assert_variables_close,
    compile_tiny,
)
from tfgan_zoo import networks, pyramid, recipes, training
from tfgan_zoo.models.gan import FAKE, REAL
from tfgan_zoo.models.progan import ProGAN, growth_progress, progressive_view

_TINY = {"base_filters": 4, "max_filters": 8}


def _progan(size=16, jit_compile=False, **kwargs):
    """A tiny compiled ProGAN of 16x16 images (3 levels: 4, 8, 16), latent of 4."""
    generator, discriminator = networks.build_networks("progan", (size, size, 1), 4, generator_kwargs=_TINY,
                                                       discriminator_kwargs=_TINY)
    return compile_tiny(ProGAN(generator, discriminator, **kwargs), jit_compile=jit_compile)


def _upsample_to(images, size):
    while images.shape[1] < size:
        images = pyramid.upsample(images)
    return np.asarray(images)


def test_schedule_stabilises_level_0_then_fades_in_and_stabilises_each_level():
    progress = [float(growth_progress(step, 2, 4, 3)) for step in range(16)]
    assert progress == [0, 0, 0, 0.25, 0.5, 0.75, 1, 1, 1, 1.25, 1.5, 1.75, 2, 2, 2, 2]


def test_fit_with_xla_sets_every_networks_progress_from_the_step_counter():
    model = _progan(jit_compile=True, stabilise_steps=1, fade_steps=2, ema_decay=0.9)
    model.fit(fake_images(24, (16, 16, 1)), batch_size=8, verbose=0)
    # Each step sets the progress of its own step: the third step (step 2) is half way into level 1.
    assert int(model.step_counter.numpy()) == 3 and model.progress == 0.5
    for network in (model.generator, model.ema_generator, model.discriminator):
        assert float(network.get_layer("progress").progress.numpy()) == 0.5, network.name


def test_output_is_the_upsampled_lower_level_at_alpha_0_and_fades_linearly():
    model = _progan()
    latent = model.latent_for_seed(3)
    generator = model.generator
    levels = [tf.keras.Model(generator.input, generator.get_layer(f"image_{level}").output)(latent) for level in (1, 2)]

    model.set_progress(1.0)  # level 1 (8x8) grown, level 2 about to fade in (alpha = 0)
    np.testing.assert_array_equal(generator(latent), _upsample_to(levels[0], 16))
    model.set_progress(1.25)
    expected = 0.75 * _upsample_to(levels[0], 16) + 0.25 * np.asarray(levels[1])
    np.testing.assert_allclose(generator(latent), expected, atol=1e-6)
    model.set_progress(2.0)
    np.testing.assert_array_equal(generator(latent), levels[1])


def test_levels_not_yet_faded_in_neither_show_nor_train():
    model = _progan()
    model.set_progress(0.5)  # level 1 fading in; level 2 not reached
    latent = model.latent_for_seed(4)
    with tf.GradientTape(persistent=True) as tape:
        fake = model.generator(latent)
        score = model.discriminator(fake)
    for network, output in ((model.generator, fake), (model.discriminator, score)):
        unreached = [v for v in network.trainable_variables if v.path.split("/")[0] in ("conv_2_a", "conv_2_b",
                                                                                        "to_rgb_2", "from_rgb_2")]
        assert len(unreached) == 6, network.name  # kernels and biases of three layers
        for gradient in tape.gradient(output, unreached):
            assert gradient is None or not np.any(gradient.numpy())
        reached = network.get_layer("conv_1_a").trainable_variables
        assert all(np.any(g.numpy()) for g in tape.gradient(output, reached)), network.name


def test_real_images_reach_the_discriminator_at_the_current_level():
    model = _progan()
    images = tf.constant(fake_images(2, (16, 16, 1)))
    eight = pyramid.downsample(images)
    four = pyramid.downsample(eight)
    expected = {
        0.5: pyramid.upsample(0.5 * pyramid.upsample(four) + 0.5 * eight),  # level 1 half faded in
        1.0: pyramid.upsample(eight),
        1.5: 0.5 * pyramid.upsample(eight) + 0.5 * images,
        2.0: images,
    }
    for progress, view in expected.items():
        model.set_progress(progress)
        np.testing.assert_allclose(model.critic_inputs(images, 0, REAL), view, atol=1e-6, err_msg=str(progress))
        np.testing.assert_allclose(progressive_view(images, progress, 3), view, atol=1e-6)
    # Generated images are already at the level: they pass unchanged.
    np.testing.assert_array_equal(model.critic_inputs(images, 0, FAKE), images)


def test_drift_term_adds_to_the_critic_loss():
    scores_real, scores_fake = tf.constant([[1.0], [-2.0]]), tf.constant([[0.5], [3.0]])
    plain = _progan(loss="wasserstein").discriminator_loss(scores_real, scores_fake)
    drifting = _progan(loss="wasserstein", drift_weight=0.001).discriminator_loss(scores_real, scores_fake)
    np.testing.assert_allclose(drifting - plain, [0.001, 0.004], atol=1e-6)


def _recipe(steps):
    # 16x16 shapes (3 levels); stabilise 2, fade in over 4: steps 2-5 fade level 1 in.
    return recipes.get_recipe("progan_mnist8k").smoke_sized().with_overrides({
        "steps": steps, "steps_per_epoch": 2, "dataset": "gen:shapes:64", "image_size": 16,
        "model_options.stabilise_steps": 2, "model_options.fade_steps": 4})


def test_a_run_resumed_in_the_middle_of_a_fade_in_continues_it_exactly(tmp_path):
    straight, _ = training.train(_recipe(6), tmp_path / "straight", verbose=0)
    interrupted, _ = training.train(_recipe(4), tmp_path / "resumed", verbose=0)
    assert interrupted.progress == 0.25  # stopped with level 1 a quarter faded in
    resumed, _ = training.train(_recipe(6), tmp_path / "resumed", verbose=0)

    assert isinstance(resumed, ProGAN) and resumed.progress == straight.progress == 0.75
    assert len(straight.weights) == len(resumed.weights)
    assert_variables_close(straight.weights, resumed.weights)
    assert_variables_close(straight.discriminator_optimizer.variables, resumed.discriminator_optimizer.variables)


def test_export_serves_the_current_level(tmp_path):
    model = _progan(ema_decay=0.9)
    for variable in model.ema_generator.trainable_variables:  # exported: the EMA generator, half way into level 2
        variable.assign(variable * 1.5 + 0.01)
    model.set_progress(1.5)
    manifest = assert_saved_model_and_litert_match_keras(model, tmp_path, "progan")
    assert manifest["sample_shape"] == [16, 16, 1]


def test_mirrored_step_equals_single_device_step_in_a_fade_in(mirrored):
    # Step 2 of stabilise 1 / fade 2: level 1 half faded in. Minibatch stddev groups of 4 lie within each replica.
    def build():
        generator, discriminator = networks.build_networks("progan", (16, 16, 1), 4, generator_kwargs=_TINY,
                                                           discriminator_kwargs=_TINY)
        model = ProGAN(generator, discriminator, stabilise_steps=1, fade_steps=2, loss="wasserstein",
                       gradient_penalty_weight=10.0, drift_weight=0.001, ema_decay=0.9)
        model = compile_tiny(model, (keras.optimizers.SGD(0.01), keras.optimizers.SGD(0.01)))
        model.step_counter.assign(2)
        return model

    assert_mirrored_step_equals_single_device_step(mirrored, build, fake_images(8, (16, 16, 1)), None)
