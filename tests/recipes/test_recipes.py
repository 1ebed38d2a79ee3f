"""Recipes: overrides, smoke sizes, and every registered recipe trains at smoke size."""

import numpy as np
import pytest

from tfgan_zoo import recipes, training
from tfgan_zoo.recipes import Recipe, parse_assignments


def test_overrides_are_typed_from_strings():
    recipe = recipes.get_recipe("dcgan_mnist8k").with_overrides(
        {"g_lr": "1e-3", "steps": "10", "conditional": "true", "generator_options.base_filters": "16"}
    )
    assert recipe.g_lr == 1e-3 and recipe.steps == 10 and recipe.conditional is True
    assert recipe.generator_options == {"base_filters": 16}
    assert recipes.get_recipe("dcgan_mnist8k").generator_options == {}, "the catalog entry must not change"


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"nope": "1"}, "Unknown recipe field 'nope'"),
        ({"steps": "ten"}, "steps=.ten."),
        ({"steps": "0"}, "steps=0"),
        ({"conditional": "maybe"}, "conditional=.maybe."),
        ({"loss.x": "1"}, "has no options"),
    ],
)
def test_bad_overrides_are_named(overrides, message):
    with pytest.raises(ValueError, match=message):
        recipes.get_recipe("gan_ring8").with_overrides(overrides)


def test_parse_assignments():
    assert parse_assignments(["a=1", "b.c = x=y"]) == {"a": "1", "b.c": "x=y"}
    with pytest.raises(ValueError, match="--set='novalue'"):
        parse_assignments(["novalue"])


def test_unknown_recipe_is_named():
    with pytest.raises(ValueError, match="recipe='nope'"):
        recipes.get_recipe("nope")


def test_recipe_round_trips_through_a_dict():
    recipe = recipes.get_recipe("cgan_mnist8k")
    assert Recipe.from_dict(recipe.to_dict()) == recipe


@pytest.mark.parametrize("name", sorted(recipes.RECIPES))
def test_every_recipe_trains_at_smoke_size_under_xla(name, tmp_path):
    # XLA explicitly: "auto" is off on CPU, and GPU users get the XLA path (PITFALL 6).
    recipe = recipes.get_recipe(name).smoke_sized().with_overrides({"steps": 2, "jit_compile": "true"})
    assert not recipe.dataset.startswith("tfds:"), "a smoke run must not need a download"
    model = training.build_model(recipe)
    batches = training.make_dataset(recipe).take(2)
    history = model.fit(batches, epochs=1, verbose=0)
    assert all(np.isfinite(values[-1]) for values in history.history.values())
    samples = model.generate(4)
    assert samples.shape[1:] == tuple(training.data_info(recipe).shape)
