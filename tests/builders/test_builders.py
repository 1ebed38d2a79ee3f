"""Builders: every variant is built from its recipe outside its model class; models take networks only."""

import inspect

import keras
import numpy as np
import pytest

from tfgan_zoo import builders, held_out, models, networks, recipes, training
from tfgan_zoo.recipes.recipe import Recipe

_RECIPE_READERS = ("from_recipe", "recipe_kwargs", "switch_kwargs", "training_dataset", "recipe_task")


def _first_offline_recipe(variant):
    return next(name for name, recipe in sorted(recipes.RECIPES.items())
                if recipe.model == variant and not recipe.dataset.startswith("tfds:"))


def test_every_model_class_has_a_builder_and_reads_no_recipe():
    assert set(builders.BUILDERS) == set(models.MODELS)
    for variant, builder in builders.BUILDERS.items():
        assert builder.model_class is models.MODELS[variant]
        assert not [name for name in _RECIPE_READERS if hasattr(builder.model_class, name)], variant
    for module in {inspect.getmodule(cls) for cls in models.MODELS.values()}:
        assert "recipe." not in inspect.getsource(module), module.__name__


@pytest.mark.parametrize("variant", sorted(builders.BUILDERS))
def test_builder_builds_the_variant_from_its_smoke_recipe(variant):
    recipe = recipes.get_recipe(_first_offline_recipe(variant)).smoke_sized()
    model = training.build_model(recipe)
    assert type(model) is builders.get_builder(variant).model_class and model.name == variant
    assert model.seed == recipe.seed and model.d_steps == recipe.d_steps


def test_a_builder_builds_what_the_class_builds_from_the_same_networks():
    recipe = Recipe(model="gan", dataset="gen:ring8", networks="mlp", latent_dim=4, loss="hinge", r1_weight=2.0,
                    generator_options={"hidden_units": [8]}, discriminator_options={"hidden_units": [8]}, seed=3)
    keras.utils.set_random_seed(3)
    built = builders.get_builder("gan").build(recipe, (2,))
    keras.utils.set_random_seed(3)
    generator, discriminator = networks.build_networks(
        "mlp", (2,), 4, generator_kwargs={"hidden_units": [8]}, discriminator_kwargs={"hidden_units": [8]})
    direct = models.GAN(generator, discriminator, loss="hinge", r1_weight=2.0, seed=3, name="gan")
    assert built.get_config() == direct.get_config()
    for a, b in zip(built.weights, direct.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_variants_with_their_own_data_have_a_dataset_function():
    assert builders.get_builder("gan").dataset_fn is None
    assert builders.get_builder("pix2pix").dataset_fn is builders.image_to_image.paired_batches
    assert builders.get_builder("cyclegan").dataset_fn is builders.image_to_image.unpaired_batches
    assert builders.get_builder("semi_supervised_gan").dataset_fn is builders.class_heads.semi_supervised_batches


def test_registry_refuses_unknown_fields_and_variants():
    with pytest.raises(ValueError, match=r"OPTIONAL_FIELDS only. Received: \['steps'\]"):
        builders.register("x", models.GAN, builders.gan.build_gan, ("steps",))
    with pytest.raises(ValueError, match="Received: model='no_such_gan'"):
        builders.get_builder("no_such_gan")


def test_image_to_image_models_read_no_files_and_held_out_translates_their_heldout_sources():
    recipe = recipes.get_recipe("pix2pix_edges_shapes").smoke_sized()
    model = training.build_model(recipe)
    with pytest.raises(ValueError, match="Received: sources=None"):
        model.generate(3)
    sources, targets, _ = held_out.heldout_examples(model, 3, seed=4)
    assert len(sources) == len(targets) == 3
    np.testing.assert_array_equal(held_out.generate(model, 3, seed=4), model.generate(sources=sources))
    np.testing.assert_array_equal(held_out.example_source_inputs(model, 3, 4)["image"], sources)
    without_data = models.Pix2Pix(model.generator, model.discriminator)
    noise = held_out.example_sources(without_data, 2, seed=1)
    np.testing.assert_array_equal(noise, without_data.noise_sources(2, seed=1))
    with pytest.raises(ValueError, match="Received: source_data=None"):
        held_out.generate(without_data, 2)
