"""Every variant class trains, saves and reloads under each mixed precision, and resumes under float16.

One recipe per registered model class, so a new variant is covered as soon as
it has a recipe. `jit_compile=True` has its own test in each variant's file.
"""

import keras
import numpy as np
import pytest

from tfgan_zoo import held_out, models, recipes, saved_runs, training


def _first_offline_recipe(model_name):
    names = [name for name, recipe in sorted(recipes.RECIPES.items())
             if recipe.model == model_name and not recipe.dataset.startswith("tfds:")]
    return names[0] if names else None


_VARIANT_RECIPES = {name: _first_offline_recipe(name) for name in sorted(models.MODELS)}


def test_every_registered_variant_has_an_offline_recipe():
    assert all(_VARIANT_RECIPES.values()), {name: recipe for name, recipe in _VARIANT_RECIPES.items() if not recipe}


@pytest.mark.parametrize("precision", ["mixed_bfloat16", "mixed_float16"])
@pytest.mark.parametrize("variant", sorted(_VARIANT_RECIPES))
def test_variant_trains_saves_and_resumes_under_mixed_precision(variant, precision, tmp_path):
    recipe = recipes.get_recipe(_VARIANT_RECIPES[variant]).smoke_sized().with_overrides(
        {"steps": 2, "steps_per_epoch": 1, "precision": precision}
    )
    out = str(tmp_path / "run")
    model, history = training.train(recipe, out, verbose=0)
    assert all(np.isfinite(values[-1]) for values in history.history.values()), history.history
    compute_dtypes = {layer.dtype_policy.compute_dtype for layer in model.generator.layers if layer.weights}
    assert compute_dtypes & {"bfloat16", "float16"}, f"no layer of the generator computes in {precision}"
    if precision == "mixed_float16":
        for name, optimizer in model.optimizers.items():
            assert isinstance(optimizer, keras.optimizers.LossScaleOptimizer), name

    reloaded, stored = saved_runs.load_run(out)
    assert stored.precision == precision
    for saved, loaded in zip(model.weights, reloaded.weights):
        np.testing.assert_array_equal(np.asarray(saved), np.asarray(loaded), err_msg=saved.path)
    samples = held_out.generate(reloaded, 2)
    assert samples.dtype == np.float32 and np.all(np.isfinite(samples))

    if precision != "mixed_float16":
        # Resuming restores the stored policy the same way for both precisions; float16 adds the
        # loss-scale state of every optimizer, so only it resumes here (a resume costs a second trace).
        return
    # Resuming continues in the stored precision: two more steps, finite.
    resumed, history = training.train(recipe.with_overrides({"steps": 4}), out, verbose=0)
    assert int(resumed.step_counter.numpy()) == 4
    assert all(np.isfinite(values[-1]) for values in history.history.values())
    assert keras.config.dtype_policy().name == "float32", "the policy must not leak out of train()"
