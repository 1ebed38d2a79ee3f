"""Items 3 and 8: the run's identity comes from its checkpoint; corrupt side files and replaced data are named."""

import json
import os

import numpy as np
import pytest

from fault_testing import smoke, state, train
from tfgan_zoo import run_dir, training
from tfgan_zoo.reliability import checkpoints


def test_a_lost_recipe_json_does_not_let_another_recipe_take_the_run_over(tmp_path):
    train(tmp_path, steps=2)
    os.remove(tmp_path / "recipe.json")
    with pytest.raises(ValueError, match="holds a run of recipe 'gan_ring8' that differs in \\['g_lr'\\]"):
        training.train(smoke(4).with_overrides({"g_lr": 0.01}), str(tmp_path), verbose=0)
    with pytest.raises(ValueError, match="differs in \\['name', 'loss'"):
        training.train(smoke(4, name="wgan_gp_ring8"), str(tmp_path), verbose=0)
    model, _ = train(tmp_path, steps=4)  # the run's own recipe resumes, and recipe.json is written again
    assert int(model.step_counter.numpy()) == 4
    assert json.loads((tmp_path / "recipe.json").read_text())["name"] == "gan_ring8"


def test_the_checkpoint_wins_over_a_recipe_json_that_describes_another_model(tmp_path):
    train(tmp_path, steps=2)
    other = smoke(2).with_overrides({"latent_dim": 3})
    run_dir.RunDir(str(tmp_path)).write_recipe(other)
    with pytest.raises(ValueError, match="differs in \\['latent_dim'\\]"):
        training.train(other, str(tmp_path), verbose=0)


def test_an_old_checkpoint_without_its_recipe_and_without_recipe_json_is_refused(tmp_path):
    model, _ = train(tmp_path, steps=2)
    model.save(str(tmp_path / "checkpoints" / "model.keras"))  # no recipe inside, as before checkpoints held it
    os.remove(tmp_path / "recipe.json")
    with pytest.raises(ValueError, match="checkpoint without its recipe .*recipe.json is missing"):
        train(tmp_path, steps=4)


def test_the_recipe_is_stored_inside_every_checkpoint(tmp_path):
    train(tmp_path, steps=4)
    for name in ("model.keras", "model.prev-2.keras"):
        assert checkpoints.stored_recipe(str(tmp_path / "checkpoints" / name))["name"] == "gan_ring8"


@pytest.mark.parametrize("content", ["", "{not json", "[1, 2]"])
def test_a_corrupt_state_json_is_named(tmp_path, content):
    train(tmp_path, steps=2)
    (tmp_path / "checkpoints" / "state.json").write_text(content)
    path = tmp_path / "checkpoints" / "state.json"
    with pytest.raises(ValueError, match=f"{path} \\(the run's bookkeeping.*is corrupt"):
        train(tmp_path, steps=4)


def test_a_corrupt_recipe_json_is_named_where_it_is_the_only_copy_and_rewritten_where_it_is_not(tmp_path):
    model, _ = train(tmp_path, steps=2)
    (tmp_path / "recipe.json").write_text("{not json")
    model, _ = train(tmp_path, steps=4)  # the checkpoint holds the recipe
    assert json.loads((tmp_path / "recipe.json").read_text())["name"] == "gan_ring8"
    model.save(str(tmp_path / "checkpoints" / "model.keras"))  # as before checkpoints held the recipe
    os.remove(tmp_path / "checkpoints" / "model.prev-2.keras")
    (tmp_path / "recipe.json").write_text("{not json")
    with pytest.raises(ValueError, match=f"{tmp_path / 'recipe.json'} \\(the run's recipe\\) is corrupt"):
        train(tmp_path, steps=6)


def _write_npz(path, seed):
    rng = np.random.default_rng(seed)
    np.savez(path, x=rng.integers(0, 255, (32, 28, 28, 1), dtype=np.uint8), y=np.zeros(32, np.int32))


def test_a_dataset_replaced_between_sessions_is_refused(tmp_path):
    data = tmp_path / "digits.npz"
    _write_npz(data, seed=0)
    recipe = smoke(2, name="dcgan_mnist8k").with_overrides({"dataset": f"npz:{data}"})
    training.train(recipe, str(tmp_path / "run"), verbose=0)
    assert len(state(tmp_path / "run")["data_fingerprint"]) == 64
    _write_npz(data, seed=1)
    with pytest.raises(ValueError, match="changed since this run was trained on it"):
        training.train(recipe.with_overrides({"steps": 4}), str(tmp_path / "run"), verbose=0)
    _write_npz(data, seed=0)  # the same data again (a new file, another mtime): accepted
    model, _ = training.train(recipe.with_overrides({"steps": 4}), str(tmp_path / "run"), verbose=0)
    assert int(model.step_counter.numpy()) == 4
