"""Every variant class trains under each mixed precision; under float16 it also saves, reloads and resumes.

One recipe per registered model class, so a new variant is covered as soon as
it has a recipe. `jit_compile=True` has its own test in each variant's file.
bfloat16 and float16 run the same code but for loss scaling, which only
float16 adds (a `LossScaleOptimizer` per optimizer, whose state a checkpoint
must carry); so float16 goes through whole runs (`training.train`: save,
reload with every weight and optimizer variable, sample) and bfloat16 through
one `fit` of the built model, which is where a layer without a bfloat16 kernel
or a wrong cast fails. That a run resumes in its stored precision does not
depend on the variant: `tests/training/test_train_scale.py` resumes one.
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


def _smoke_recipe(variant, precision):
    # Two steps make one epoch: one checkpoint and one sample grid per `train` call (suite time).
    return recipes.get_recipe(_VARIANT_RECIPES[variant]).smoke_sized().with_overrides(
        {"steps": 2, "steps_per_epoch": 2, "precision": precision}
    )


def _assert_generator_computes_in(model, precision):
    compute_dtypes = {layer.dtype_policy.compute_dtype for layer in model.generator.layers if layer.weights}
    assert compute_dtypes & {"bfloat16", "float16"}, f"no layer of the generator computes in {precision}"


def _assert_samples_float32_and_finite(model):
    samples = held_out.generate(model, 2)
    assert samples.dtype == np.float32 and np.all(np.isfinite(samples))


def test_every_registered_variant_has_an_offline_recipe():
    assert all(_VARIANT_RECIPES.values()), {name: recipe for name, recipe in _VARIANT_RECIPES.items() if not recipe}


@pytest.mark.parametrize("variant", sorted(_VARIANT_RECIPES))
def test_variant_trains_saves_and_resumes_under_float16(variant, tmp_path):
    recipe = _smoke_recipe(variant, "mixed_float16")
    out = str(tmp_path / "run")
    model, history = training.train(recipe, out, verbose=0)
    assert all(np.isfinite(values[-1]) for values in history.history.values()), history.history
    _assert_generator_computes_in(model, "mixed_float16")
    for name, optimizer in model.optimizers.items():
        assert isinstance(optimizer, keras.optimizers.LossScaleOptimizer), name

    assert keras.config.dtype_policy().name == "float32", "the policy must not leak out of train()"

    reloaded, stored = saved_runs.load_run(out)
    assert stored.precision == "mixed_float16"
    for saved, loaded in zip(model.weights, reloaded.weights):
        np.testing.assert_array_equal(np.asarray(saved), np.asarray(loaded), err_msg=saved.path)
    # The checkpoint carries each loss scale and its counter with the inner optimizer's moments.
    assert reloaded.optimizers.keys() == model.optimizers.keys()
    for name, optimizer in model.optimizers.items():
        loaded = reloaded.optimizers[name]
        assert isinstance(loaded, keras.optimizers.LossScaleOptimizer), name
        assert len(loaded.variables) == len(optimizer.variables) > 2, name
        for saved, restored in zip(optimizer.variables, loaded.variables):
            np.testing.assert_array_equal(np.asarray(saved), np.asarray(restored), err_msg=f"{name}: {saved.path}")
    _assert_samples_float32_and_finite(reloaded)


@pytest.mark.parametrize("variant", sorted(_VARIANT_RECIPES))
def test_variant_trains_under_bfloat16(variant):
    recipe = _smoke_recipe(variant, "mixed_bfloat16")
    model = training.build_model(recipe)
    assert keras.config.dtype_policy().name == "float32", "the policy must not leak out of build_model()"
    _assert_generator_computes_in(model, "mixed_bfloat16")
    before = [variable.numpy() for variable in model.trainable_variables]
    history = model.fit(training.make_dataset(recipe).take(2), epochs=1, shuffle=False, verbose=0)
    assert all(np.isfinite(values[-1]) for values in history.history.values()), history.history
    assert any(np.any(old != new.numpy()) for old, new in zip(before, model.trainable_variables))
    _assert_samples_float32_and_finite(model)
