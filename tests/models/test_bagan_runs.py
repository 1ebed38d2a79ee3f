"""BAGAN runs: a recipe run resumed across the phase change, and steps under MirroredStrategy."""

import keras
import pytest

from conftest import fake_images, fake_labels
from model_testing import assert_mirrored_step_equals_single_device_step, assert_variables_close
from test_bagan import CLASSES, SHAPE, _bagan, _enter_adversarial_phase
from tfgan_zoo import recipes, training


def test_recipe_run_resumed_across_the_phase_change_equals_an_uninterrupted_one(tmp_path):
    recipe = recipes.get_recipe("bagan_imbalanced_mnist8k").smoke_sized()
    assert recipe.model_options["minority_classes"] == [2, 5, 8]
    straight, _ = training.train(recipe.with_overrides({"steps": 4}), tmp_path / "straight", verbose=0)
    # Interrupted right after the statistics phase: the resumed run enters the GAN phase itself.
    training.train(recipe.with_overrides({"steps": 2}), tmp_path / "resumed", verbose=0)
    resumed, _ = training.train(recipe.with_overrides({"steps": 4}), tmp_path / "resumed", verbose=0)
    assert int(resumed.statistics_ready.numpy()) == 1 and resumed.num_classes == 10
    assert_variables_close(straight.weights, resumed.weights)


@pytest.mark.parametrize("phase_step", [1, 2], ids=["statistics", "adversarial"])
def test_mirrored_step_equals_single_device_step(mirrored, phase_step):
    def build():
        model = _bagan(optimizers=(keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1)), autoencoder_steps=1,
                       statistics_steps=1)
        if phase_step == 2:
            _enter_adversarial_phase(model)
        model.step_counter.assign(phase_step)
        return model

    assert_mirrored_step_equals_single_device_step(mirrored, build, fake_images(8, SHAPE), fake_labels(8, CLASSES))
