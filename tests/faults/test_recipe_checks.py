"""Items 4, 5 and 8: fields a variant does not read, out-of-range optimizers and bad options are refused early."""

import pytest

from fault_testing import smoke
from tfgan_zoo import recipes, training, two_stage_training
from tfgan_zoo.reliability import recipe_checks


@pytest.mark.parametrize("overrides, message", [
    ({"g_lr": "-0.001"}, "Learning rates must be > 0. Received: g_lr=-0.001"),
    ({"d_lr": "0"}, "Received: d_lr=0.0"),
    ({"g_lr": "nan"}, "must be a finite number. Received: g_lr=nan"),
    ({"d_lr": "inf"}, "must be a finite number. Received: d_lr=inf"),
    ({"g_beta1": "5"}, "g_beta1 of the adam optimizer must be in \\[0, 1\\). Received: g_beta1=5.0"),
    ({"d_beta2": "1.0"}, "Received: d_beta2=1.0"),
    ({"d_optimizer": "sgd", "d_beta1": "-0.5"}, "d_beta1 of the sgd optimizer"),
    ({"g_optimizer": "rmsprop", "g_beta2": "2"}, "g_beta2 of the rmsprop optimizer"),
    ({"pack": "3"}, "batch_size must be a multiple of it. Received: batch_size=8, pack=3"),
    ({"gradient_penalty_weight": "nan"}, "Received: gradient_penalty_weight=nan"),
])
def test_unsound_values_are_refused(overrides, message):
    with pytest.raises(ValueError, match=message):
        recipe_checks.check_recipe(smoke(2).with_overrides(overrides))


@pytest.mark.parametrize("name", ["pix2pix_edges_shapes", "cyclegan_horse2zebra", "srgan_shapes"])
@pytest.mark.parametrize("field, value", [("r1_weight", "1.0"), ("pack", "2"), ("gradient_penalty_weight", "10"),
                                          ("label_smoothing", "0.1"), ("diff_augment", "color")])
def test_image_to_image_variants_refuse_the_gan_switches_they_do_not_read(name, field, value):
    recipe = recipes.get_recipe(name).smoke_sized().with_overrides({field: value})
    with pytest.raises(ValueError, match=f"does not use the recipe fields \\['{field}'\\]"):
        recipe_checks.check_recipe(recipe)


@pytest.mark.parametrize("name", ["pix2pix_edges_shapes", "cyclegan_strokes_mnist8k", "inpainting_mnist8k"])
@pytest.mark.parametrize("field, value", [("latent_dim", "16"), ("latent_prior", "uniform")])
def test_image_to_image_variants_refuse_latent_fields(name, field, value):
    recipe = recipes.get_recipe(name).smoke_sized().with_overrides({field: value})
    with pytest.raises(ValueError, match=f"does not use the recipe fields \\['{field}'\\]"):
        recipe_checks.check_recipe(recipe)


def test_every_catalog_recipe_passes_the_checks():
    for recipe in recipes.RECIPES.values():
        if not two_stage_training.is_two_stage(recipe):
            recipe_checks.check_recipe(recipe)
            recipe_checks.check_recipe(recipe.smoke_sized())


def test_a_network_option_of_the_wrong_type_is_named():
    recipe = smoke(2, name="dcgan_mnist8k").with_overrides({"generator_options.base_filters": "abc"})
    with pytest.raises(ValueError, match="generator_options.base_filters must be of type int .*Received: "
                                         "generator_options.base_filters='abc'"):
        training.build_model(recipe)


def test_an_unknown_network_option_is_named(tmp_path):
    recipe = smoke(2).with_overrides({"discriminator_options.dropout_rate": "0.5"})
    with pytest.raises(ValueError, match="Unknown option discriminator_options.dropout_rate for model 'gan'"):
        training.train(recipe, str(tmp_path), verbose=0)
