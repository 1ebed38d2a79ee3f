"""Recipes: overrides, smoke sizes, and every registered recipe trains at smoke size."""

import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo import data, held_out, recipes, training, two_stage_training
from tfgan_zoo.models.gan import REAL
from tfgan_zoo.recipes import Recipe, parse_assignments


def test_overrides_are_typed_from_strings():
    recipe = recipes.get_recipe("dcgan_mnist8k").with_overrides(
        {"g_lr": "1e-3", "steps": "10", "conditional": "true", "generator_options.base_filters": "16"}
    )
    assert recipe.g_lr == 1e-3 and recipe.steps == 10 and recipe.conditional is True
    # A dotted override sets one option and keeps the recipe's others.
    assert recipe.generator_options == {"stem_convs": 1, "base_filters": 16}
    catalog = recipes.get_recipe("dcgan_mnist8k")
    assert catalog.generator_options == {"stem_convs": 1}, "the catalog entry must not change"


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


def test_every_stabiliser_combination_is_smoke_trained_under_xla():
    stabilised = {name for name, recipe in recipes.RECIPES.items() if _is_stabilised(recipe)}
    assert {"wgan_gp_grid25", "sngan_mnist8k", "unrolled_ring8", "pacgan_ring8", "improved_mnist8k",
            "diffaugment_mnist8k", "instance_noise_mnist8k", "dragan_mnist8k", "wgan_mnist8k"} <= stabilised
    under_xla = {name for name in stabilised if _needs_xla_smoke(recipes.get_recipe(name))}
    assert {_stabiliser_key(recipes.get_recipe(name)) for name in stabilised} == {
        _stabiliser_key(recipes.get_recipe(name)) for name in under_xla}
    assert len(under_xla) < len(stabilised)  # recipes repeating a combination (other data or networks) skip XLA


def test_recipe_round_trips_through_a_dict():
    recipe = recipes.get_recipe("cgan_mnist8k")
    assert Recipe.from_dict(recipe.to_dict()) == recipe


# Fields whose non-default values make a recipe a distinct stabiliser combination.
_SWITCHES = ("loss", "gradient_penalty_weight", "gradient_penalty_on", "r1_weight", "weight_clip",
             "label_smoothing", "instance_noise", "feature_matching", "historical_averaging", "diff_augment",
             "pack", "d_steps")
_D_OPTIONS = ("spectral_norm", "normalization", "minibatch_stddev", "minibatch_discrimination")


def _stabiliser_key(recipe):
    """What XLA compiles differently between stabilised recipes: the model, its options and the switches."""
    default = Recipe()
    return (recipe.model, repr(sorted(recipe.model_options.items())),
            tuple((field, repr(getattr(recipe, field))) for field in _SWITCHES
                  if getattr(recipe, field) != getattr(default, field)),
            tuple((option, repr(recipe.discriminator_options[option])) for option in _D_OPTIONS
                  if option in recipe.discriminator_options))


def _is_stabilised(recipe):
    model, _, switches, d_options = _stabiliser_key(recipe)
    return model == "unrolled_gan" or (model == "gan" and bool(switches or d_options))


def _first_recipe_of_each(key, wanted=lambda recipe: True):
    """The first recipe by name of each value of `key(recipe)`, among the `wanted` recipes."""
    first = {}
    for name in sorted(recipes.RECIPES):
        recipe = recipes.get_recipe(name)
        if wanted(recipe):
            first.setdefault(key(recipe), name)
    return frozenset(first.values())


_XLA_SMOKE = _first_recipe_of_each(_stabiliser_key, _is_stabilised)


def _needs_xla_smoke(recipe):
    """Every stabiliser combination a recipe uses trains under XLA here, once: a recipe repeating a
    combination on other data or networks runs in graph mode, as do the variant classes and the plain
    GAN, which have their own `jit_compile=True` tests (suite time: an XLA compile costs seconds)."""
    return recipe.name in _XLA_SMOKE


def _training_path_key(recipe):
    """What a train step of the recipe runs: its model, options and switches, networks, labels, prior, EMA."""
    return (_stabiliser_key(recipe), recipe.networks, recipe.conditional, recipe.latent_prior, bool(recipe.ema_decay))


# The first recipe of each training path trains in graph mode; a recipe repeating its path on other data,
# sizes or budgets runs the same steps eagerly (suite time: tracing BigGAN's step costs 25 s, running it
# eagerly 5 s).
_GRAPH_SMOKE = _first_recipe_of_each(_training_path_key)


def test_each_training_path_is_traced_once_and_every_xla_smoke_recipe_is_traced():
    assert _XLA_SMOKE <= _GRAPH_SMOKE < set(recipes.RECIPES)
    assert _GRAPH_SMOKE.isdisjoint({"dcgan_mnist8k", "cgan_shapes", "biggan_mnist8k"})  # paths repeated on other data
    assert len({_training_path_key(recipes.get_recipe(name)) for name in recipes.RECIPES}) == len(_GRAPH_SMOKE)


@pytest.mark.parametrize("name", sorted(recipes.RECIPES))
def test_every_recipe_trains_at_smoke_size(name, tmp_path):
    # XLA explicitly where it matters: "auto" is off on CPU, GPU users get XLA (PITFALL 6).
    recipe = recipes.get_recipe(name)
    jit = "true" if _needs_xla_smoke(recipe) else "auto"
    recipe = recipe.smoke_sized().with_overrides({"steps": 2, "jit_compile": jit})
    assert not recipe.dataset.startswith("tfds:"), "a smoke run must not need a download"
    if two_stage_training.is_two_stage(recipe):
        # Two runs of one step each, then their composition (tests/models/test_two_stage.py covers the pipeline).
        model, histories = training.train(recipe, str(tmp_path), verbose=0)
        assert all(np.isfinite(values[-1]) for history in histories.values() for values in history.history.values())
        assert model.generate(4).shape == (4, *model.generator.outputs[0].shape[1:])
        return
    model = training.build_model(recipe)
    model.run_eagerly = name not in _GRAPH_SMOKE
    batches = training.make_dataset(recipe).take(2)
    history = model.fit(batches, epochs=1, shuffle=False, verbose=0)
    assert all(np.isfinite(values[-1]) for values in history.history.values())
    samples = held_out.generate(model, 4)
    assert samples.shape[1:] == tuple(data.recipe_info(recipe).shape)


def test_the_long_dcgan_differs_from_dcgan_mnist8k_only_in_budget_and_bounds():
    short, long = (recipes.get_recipe(name).to_dict() for name in ("dcgan_mnist8k", "dcgan_long_mnist8k"))
    changed = {key for key in short if short[key] != long[key]}
    assert changed == {"name", "description", "minutes", "expect"}
    assert (short["minutes"], long["minutes"]) == (5.0, 20.0)
    assert long["expect"]["cpu_minutes"] == 20


def test_the_projection_cgan_differs_from_cgan_mnist8k_only_in_how_d_reads_the_label_and_trains_its_embedding():
    base, projected = (recipes.get_recipe(name) for name in ("cgan_mnist8k", "cgan_projection_mnist8k"))
    base_fields, projected_fields = base.to_dict(), projected.to_dict()
    assert {key for key in base_fields if base_fields[key] != projected_fields[key]} == {
        "name", "description", "discriminator_options"}
    recipe = projected.smoke_sized().with_overrides({"steps": 2})
    assert recipe.discriminator_options == {"label_conditioning": "projection", "base_filters": 8}
    model = training.build_model(recipe)
    embedding = model.discriminator.get_layer("class_embedding").kernel
    before = embedding.numpy().copy()
    model.fit(training.make_dataset(recipe).take(2), epochs=1, shuffle=False, verbose=0)
    assert model.discriminator.get_layer("down_0").kernel.shape[2] == 1  # the image alone, no label planes
    assert not np.allclose(embedding.numpy(), before)


def test_the_semi_supervised_mnist_recipe_gives_d_constant_gaussian_noise():
    recipe = recipes.get_recipe("ssgan_mnist8k").smoke_sized().with_overrides({"steps": 2})
    model = training.build_model(recipe)
    assert recipe.instance_noise > 0 and recipe.instance_noise_steps == 0
    zeros = tf.zeros([2000, 28, 28, 1])
    for step in (0, 100_000):  # no annealing: the regulariser stays on for the whole run
        model.step_counter.assign(step)
        noise = model.critic_inputs(zeros, 0, REAL).numpy()
        assert abs(noise.std() - recipe.instance_noise) < 0.01 and abs(noise.mean()) < 0.01
