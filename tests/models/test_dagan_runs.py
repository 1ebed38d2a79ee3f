"""DAGAN recipe runs: smoke steps on the imbalanced mnist8k, exact resume, grids of held-out variations."""

import numpy as np
import pytest

from model_testing import assert_variables_close
from tfgan_zoo import held_out, recipes, saved_runs, training
from tfgan_zoo.data import paired


def test_recipe_run_resumed_equals_an_uninterrupted_one_and_reloads_with_its_sources(tmp_path):
    recipe = recipes.get_recipe("dagan_imbalanced_mnist8k").smoke_sized()
    assert recipe.model == "dagan" and recipe.model_options["minority_classes"] == [2, 5, 8]
    straight, history = training.train(recipe.with_overrides({"steps": 4}), tmp_path / "straight", verbose=0)
    assert all(np.isfinite(values[-1]) for values in history.history.values())
    training.train(recipe.with_overrides({"steps": 2}), tmp_path / "resumed", verbose=0)
    resumed, _ = training.train(recipe.with_overrides({"steps": 4}), tmp_path / "resumed", verbose=0)
    assert int(resumed.step_counter.numpy()) == 4 and resumed.num_classes is None
    assert_variables_close(straight.weights, resumed.weights)
    assert sorted(p.name for p in (tmp_path / "resumed" / "samples").iterdir()) == [
        "step_0000002.png", "step_0000004.png"]

    loaded, _ = saved_runs.load_run(str(tmp_path / "resumed"))
    assert loaded.source_data == {"dataset": "mnist8k:train", "image_size": None, "resize": "bilinear"}
    # Without sources, a square grid of held-out (mnist8k:test) images, one image per row.
    grid = held_out.generate(loaded, 6, seed=3)
    images, _ = paired.heldout_images("mnist8k:train", 2, seed=3)
    np.testing.assert_allclose(grid, loaded.generate(sources=np.repeat(images, 3, axis=0)[:6], seed=3), atol=1e-6)
    assert np.abs(grid[0] - grid[1]).max() > 0, "the noise varies the image along a row"


def test_recipe_needs_labels_and_dcgan_networks():
    recipe = recipes.get_recipe("dagan_imbalanced_mnist8k").smoke_sized()
    with pytest.raises(ValueError, match="set conditional=True"):
        training.build_model(recipe.with_overrides({"conditional": False}))
    with pytest.raises(ValueError, match="networks='mlp'"):
        training.build_model(recipe.with_overrides({"networks": "mlp"}))
