"""The two-stage pipeline: a low-resolution GAN, then a 4x upscaler, composed, trained by one recipe, exported."""

import json
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from conftest import tiny_gan
from model_testing import assert_saved_model_and_litert_match_keras, move_batchnorm_statistics
from tfgan_zoo import models, networks, recipes, saved_runs, training, two_stage_training
from tfgan_zoo.models import SRGAN, TwoStage


def _upscaler(source_shape=(8, 8, 1)):
    """A tiny SRGAN (4x) trained on nothing, with moved BatchNorm statistics."""
    generator, discriminator = networks.build_image_to_image_networks(
        "srresnet_srgan", source_shape, (source_shape[0] * 4, source_shape[1] * 4, source_shape[2]),
        generator_kwargs={"base_filters": 4, "residual_blocks": 1},
        discriminator_kwargs={"base_filters": 4, "blocks": 1, "dense_units": 8},
    )
    move_batchnorm_statistics(generator, seed=1)
    return SRGAN(generator, discriminator)


def _stages(num_classes=None, upscaler_source=(8, 8, 1)):
    gan = tiny_gan((8, 8, 1), num_classes=num_classes)
    move_batchnorm_statistics(gan.generator)
    return gan, _upscaler(upscaler_source)


# === Composition ===
@pytest.mark.parametrize("num_classes", [None, 3])
def test_composed_generator_is_the_upscaler_applied_to_stage_one(num_classes):
    gan, upscaler = _stages(num_classes)
    model = TwoStage.from_models(gan, upscaler)
    latent = gan.latent_for_seed(5, seed=2)
    labels = gan.balanced_labels(5)
    expected_low = gan.generate(latent=latent, labels=labels)
    expected = upscaler.translate(expected_low)

    low, high = model.generate_stages(latent=latent, labels=labels)
    np.testing.assert_allclose(low, expected_low, atol=1e-6)
    np.testing.assert_allclose(high, expected, atol=1e-5)
    np.testing.assert_allclose(model.generate(latent=latent, labels=labels), expected, atol=1e-5)
    assert low.shape == (5, 8, 8, 1) and high.shape == (5, 32, 32, 1)
    assert [tensor.name for tensor in model.generator.inputs] == (["latent"] if num_classes is None
                                                                   else ["latent", "label"])
    # `generate(num, seed=)` draws the stage-1 model's latents.
    np.testing.assert_allclose(model.generate(3, seed=7), upscaler.translate(gan.generate(3, seed=7)), atol=1e-5)


def test_composition_uses_the_ema_generator_and_copies_the_networks():
    gan = tiny_gan((8, 8, 1), ema_decay=0.5)
    gan.ema_generator.set_weights([weight + 0.1 for weight in gan.ema_generator.get_weights()])
    upscaler = _upscaler()
    model = TwoStage.from_models(gan, upscaler)
    latent = gan.latent_for_seed(4)
    np.testing.assert_allclose(model.generate_stages(latent=latent)[0], gan.generate(latent=latent), atol=1e-6)
    assert not np.allclose(gan.generate(latent=latent), gan.generate(latent=latent, use_ema=False))
    # The composed model owns copies: training a stage afterwards does not change it.
    before = model.generate(latent=latent)
    upscaler.generator.layers[1].kernel.assign(upscaler.generator.layers[1].kernel + 1.0)
    np.testing.assert_array_equal(model.generate(latent=latent), before)


def test_an_upscaler_trained_at_another_size_is_rebuilt_for_stage_one_images():
    # Trained 2 -> 8, run 8 -> 32: SRResNet is fully convolutional, so the weights carry over.
    gan, small = _stages(upscaler_source=(2, 2, 1))
    model = TwoStage.from_models(gan, small)
    assert tuple(model.upscaler.inputs[0].shape[1:]) == (8, 8, 1)
    assert tuple(model.generator.outputs[0].shape[1:]) == (32, 32, 1)
    direct = _upscaler((8, 8, 1)).generator
    direct.set_weights(small.generator.get_weights())
    low, high = model.generate_stages(4)
    np.testing.assert_allclose(high, np.asarray(direct(low, training=False)), atol=1e-5)


def test_rebuild_refuses_a_network_whose_weights_depend_on_the_input_size():
    discriminator = _upscaler().discriminator  # Flatten, then Dense
    with pytest.raises(ValueError, match="only fully convolutional networks"):
        networks.rebuild(discriminator, input_shape=(16, 16, 1))
    with pytest.raises(ValueError, match="rank"):
        networks.rebuild(discriminator, input_shape=(16, 16))


def test_bad_compositions_are_refused():
    gan, upscaler = _stages()
    with pytest.raises(ValueError, match="stage1_model must be a trained latent generator"):
        TwoStage.from_models(upscaler, gan)
    with pytest.raises(ValueError, match="stage2_model must be a trained image-to-image"):
        TwoStage.from_models(gan, tiny_gan((8, 8, 1)))
    with pytest.raises(ValueError, match="3-channel images but stage 1 makes 1-channel"):
        TwoStage.from_models(gan, _upscaler((8, 8, 3)))
    stage1 = networks.rebuild(gan.generator, name="stage1_generator")
    with pytest.raises(ValueError, match="upscaler must take stage 1's images"):
        TwoStage(stage1, _upscaler((4, 4, 1)).generator)
    with pytest.raises(ValueError, match="distinct names"):
        TwoStage(networks.rebuild(gan.generator, name="generator"), upscaler.generator)
    with pytest.raises(ValueError, match="num_classes must be given exactly when stage 1 takes a label"):
        TwoStage(stage1, upscaler.generator, num_classes=3)
    with pytest.raises(ValueError, match="upscaler takes one input named 'image'"):
        TwoStage(stage1, networks.rebuild(gan.generator, name="other"))


def test_saved_and_reloaded_pipeline_samples_alike(tmp_path):
    model = TwoStage.from_models(*_stages(num_classes=3))
    model.save(tmp_path / "two_stage.keras")
    reloaded = keras.models.load_model(tmp_path / "two_stage.keras")
    assert isinstance(reloaded, TwoStage) and reloaded.num_classes == 3 and reloaded.stage_steps == [0, 0]
    for mine, theirs in zip(model.generate_stages(6, seed=1), reloaded.generate_stages(6, seed=1)):
        np.testing.assert_allclose(mine, theirs, atol=1e-6)


# === Export ===
def test_saved_model_and_litert_compute_the_composed_generator(tmp_path):
    gan, upscaler = _stages()
    model = TwoStage.from_models(gan, upscaler)
    manifest = assert_saved_model_and_litert_match_keras(model, tmp_path, "two_stage")
    assert manifest["model_class"] == "TwoStage" and manifest["sample_shape"] == [32, 32, 1]
    signatures = manifest["saved_model"]["signatures"]
    assert sorted(signatures) == ["low_resolution", "sample", "serving_default"]
    assert signatures["serving_default"]["outputs"]["image"]["shape"] == [None, 32, 32, 1]
    # Stage 1's image, for the same latent, from the same SavedModel.
    loaded = tf.saved_model.load(str(tmp_path / manifest["saved_model"]["path"]))
    latent = model.latent_for_seed(3, seed=4)
    low = loaded.signatures["low_resolution"](latent=tf.constant(latent))["output"]
    np.testing.assert_allclose(low, model.generate_stages(latent=latent)[0], atol=1e-5)
    # The `sample` signature's seeds name the latents `generate(seed=...)` draws in Python.
    served = loaded.signatures["sample"](seed=tf.constant([4, 4, 4], tf.int64))["image"]
    np.testing.assert_allclose(served[0], model.generate(1, seed=4)[0], atol=1e-5)


# === Recipes and the pipeline run ===
def _smoke(name, **overrides):
    return recipes.get_recipe(name).smoke_sized().with_overrides(overrides)


def test_stage_recipes_split_the_budget_and_pass_the_run_fields():
    recipe = recipes.get_recipe("two_stage_shapes").with_overrides(
        {"steps": 10, "minutes": 3.0, "seed": 5, "steps_per_epoch": 7, "model_options.stage1_share": 0.3})
    stage1, stage2 = two_stage_training.stage_recipes(recipe)
    assert (stage1.name, stage2.name) == ("dcgan_shapes", "srgan_shapes")
    assert (stage1.steps, stage2.steps) == (3, 7)
    assert (stage1.minutes, stage2.minutes) == pytest.approx((0.9, 2.1))
    assert {stage.seed for stage in (stage1, stage2)} == {5} and stage2.steps_per_epoch == 7
    assert (stage1.image_size, stage2.image_size, stage2.dataset) == (28, 112, "gen:shapes:4000")
    smoke1, smoke2 = two_stage_training.stage_recipes(_smoke("two_stage_shapes"))
    assert smoke2.generator_options["base_filters"] == 4 and (smoke1.image_size, smoke2.image_size) == (8, 32)


@pytest.mark.parametrize("overrides,message", [
    ({"model_options.stage3": "x"}, r"Unknown two-stage options \['stage3'\]"),
    ({"model_options.stage1": "nope"}, "model_options.stage1 must name a catalog recipe"),
    ({"model_options.stage1": "srgan_mnist8k"}, "stage1 must be a latent generator"),
    ({"model_options.stage2": "gan_mnist8k"}, "stage2 must be an image-to-image upscaler"),
    ({"model_options.stage2": "two_stage_shapes"}, "cannot be another two-stage recipe"),
    ({"model_options.stage1_share": 1.0}, r"stage1_share must be in \(0, 1\)"),
    ({"model_options.stage2_set": {"seed": 3}}, r"\['seed'\] are the pipeline's fields"),
    ({"model_options.stage1_set": "x"}, "stage1_set must be a dict"),
    ({"g_lr": 1e-3}, r"takes \['g_lr'\] from its stages' recipes"),
    ({"dataset": "mnist8k"}, r"takes \['dataset'\] from its stages' recipes"),
    ({"steps": 1}, "needs steps >= 2"),
])
def test_bad_two_stage_recipes_raise_clear_errors(overrides, message):
    with pytest.raises(ValueError, match=message):
        two_stage_training.stage_recipes(_smoke("two_stage_shapes", **overrides))


def test_stages_of_other_channels_are_refused_before_training(tmp_path):
    recipe = _smoke("two_stage_mnist8k", **{"model_options.stage1": "dcgan_shapes"})  # colour GAN, grey upscaler
    with pytest.raises(ValueError, match="Stage 2 .* must take stage 1's images"):
        training.train(recipe, str(tmp_path), verbose=0)
    assert not os.path.exists(tmp_path / "stage1")
    with pytest.raises(ValueError, match="two-stage pipeline"):
        training.build_model(recipe)


class _CrashInStageTwo(keras.callbacks.Callback):
    """Raises after the upscaler's third step (its checkpoint is at step 2), as a killed process would stop."""

    def on_train_batch_end(self, batch, logs=None):
        if isinstance(self.model, SRGAN) and int(self.model.step_counter.numpy()) == 3:
            raise RuntimeError("crash in stage 2")


def test_an_interrupted_pipeline_resumes_in_stage_two_and_ends_as_an_uninterrupted_one(tmp_path):
    recipe = _smoke("two_stage_shapes", steps=8)  # 4 steps each, checkpoints every 2
    straight, histories = training.train(recipe, str(tmp_path / "straight"), verbose=0)
    assert set(histories) == {"stage1", "stage2"} and int(straight.step_counter.numpy()) == 8

    out = tmp_path / "resumed"
    with pytest.raises(RuntimeError, match="crash in stage 2"):
        training.train(recipe, str(out), verbose=0, extra_callbacks=[_CrashInStageTwo()])
    assert not (out / "checkpoints").exists(), "nothing is composed before both stages have trained"
    assert json.loads((out / "stage2" / "checkpoints" / "state.json").read_text())["step"] == 2
    stage1_checkpoint = out / "stage1" / "checkpoints" / "model.keras"
    stage1_written = os.path.getmtime(stage1_checkpoint)

    resumed, histories = training.train(recipe, str(out), verbose=0)
    assert histories["stage1"] is None, "stage 1 had spent its budget and is not trained again"
    assert os.path.getmtime(stage1_checkpoint) == stage1_written
    assert resumed.stage_steps == [4, 4]
    np.testing.assert_allclose(resumed.generate(6, seed=2), straight.generate(6, seed=2), atol=1e-6)
    # Trained to its budget, the pipeline only re-composes.
    again, histories = training.train(recipe, str(out), verbose=0)
    assert histories == {"stage1": None, "stage2": None}
    with pytest.raises(ValueError, match="differs in"):
        training.train(recipe.with_overrides({"seed": 9}), str(out), verbose=0)


def test_mnist8k_pipeline_makes_112_pixel_digits_from_28_pixel_ones(tmp_path):
    model, _ = training.train(_smoke("two_stage_mnist8k"), str(tmp_path), verbose=0)
    assert model.low_resolution_shape == (28, 28, 1)
    assert tuple(model.generator.outputs[0].shape[1:]) == (112, 112, 1)
    # The upscaler was trained on 7 -> 28 pairs and is run at 28 -> 112.
    stage2, _ = saved_runs.load_run(tmp_path / "stage2")
    assert tuple(stage2.generator.inputs[0].shape[1:]) == (7, 7, 1)
    loaded, stored = saved_runs.load_run(tmp_path)
    assert stored.name == "two_stage_mnist8k" and isinstance(loaded, TwoStage)
    np.testing.assert_allclose(loaded.generate(3), model.generate(3), atol=1e-6)
    # The grid: 16 samples in 2 groups of 8, each group nearest / bicubic / upscaled rows of 112 px.
    grid = tf.io.decode_png(tf.io.read_file(str(tmp_path / "samples" / two_stage_training.GRID_NAME))).numpy()
    assert grid.shape == (6 * 113 + 1, 8 * 113 + 1, 1)


def test_stage_grid_pads_the_last_group():
    model = TwoStage.from_models(*_stages())
    grid = two_stage_training.stage_grid(model, 5, columns=4)
    assert grid.shape == (6 * 33 + 1, 4 * 33 + 1, 1)
    low, high = model.generate_stages(5, seed=two_stage_training.GRID_SEED)
    np.testing.assert_array_equal(grid[2 * 33 + 1 : 3 * 33, 1:33], np.rint((high[0] + 1) * 127.5).clip(0, 255))
    assert not grid[5 * 33 + 1 : 6 * 33, 2 * 33 + 1 : 3 * 33].any(), "padding images are black"


def test_two_stage_is_not_a_trainable_model_class():
    assert "two_stage" not in models.MODELS
