"""An interrupted then resumed run equals an uninterrupted one (PITFALL 2)."""

import json

import numpy as np
import pytest

from tfgan_zoo import recipes, training


def _recipe(name, steps, **overrides):
    recipe = recipes.get_recipe(name).smoke_sized()
    return recipe.with_overrides({"steps": steps, "steps_per_epoch": 2, **overrides})


@pytest.mark.parametrize("name", ["dcgan_shapes", "cgan_shapes", "pix2pix_edges_shapes",
                                  "cyclegan_horse2zebra", "srgan_shapes", "inpainting_shapes"])
def test_resumed_run_equals_uninterrupted_run(tmp_path, name):
    straight, _ = training.train(_recipe(name, 6), tmp_path / "straight", verbose=0)
    # "Interrupted" after 3 steps: mid-epoch, so the resume must also re-align epochs.
    training.train(_recipe(name, 3), tmp_path / "resumed", verbose=0)
    state = json.loads((tmp_path / "resumed" / "checkpoints" / "state.json").read_text())
    assert state["step"] == 3
    resumed, history = training.train(_recipe(name, 6), tmp_path / "resumed", verbose=0)

    assert int(resumed.step_counter.numpy()) == int(straight.step_counter.numpy()) == 6
    assert history is not None
    for a, b in zip(straight.weights, resumed.weights):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6, err_msg=a.path)
    for a, b in zip(straight.generator_optimizer.variables, resumed.generator_optimizer.variables):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6, err_msg=a.path)


def test_finished_run_is_not_trained_again(tmp_path):
    training.train(_recipe("gan_ring8", 2), tmp_path / "run", verbose=0)
    model, history = training.train(_recipe("gan_ring8", 2), tmp_path / "run", verbose=0)
    assert history is None and int(model.step_counter.numpy()) == 2


def test_run_that_spent_its_minutes_is_not_trained_again(tmp_path):
    training.train(_recipe("gan_ring8", 2), tmp_path / "run", verbose=0)
    state_path = tmp_path / "run" / "checkpoints" / "state.json"
    state = json.loads(state_path.read_text())
    state_path.write_text(json.dumps({**state, "elapsed_seconds": 90.0}))
    model, history = training.train(_recipe("gan_ring8", 100, minutes=1.5), tmp_path / "run", verbose=0)
    assert history is None and int(model.step_counter.numpy()) == 2
    model, history = training.train(_recipe("gan_ring8", 3, minutes=2.0), tmp_path / "run", verbose=0)
    assert history is not None and int(model.step_counter.numpy()) == 3, "minutes left: it trains on"


def test_resuming_with_a_different_recipe_is_refused(tmp_path):
    training.train(_recipe("gan_ring8", 2), tmp_path / "run", verbose=0)
    with pytest.raises(ValueError, match="differs in \\['g_lr'\\]"):
        training.train(_recipe("gan_ring8", 4, g_lr=0.5), tmp_path / "run", verbose=0)
