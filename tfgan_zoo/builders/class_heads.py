"""Build functions of the variants whose discriminator classifies: ACGAN and the semi-supervised GAN."""

from tfgan_zoo.builders import common
from tfgan_zoo.data import semi_supervised
from tfgan_zoo.networks import class_heads

# `model_options` keys of the semi-supervised GAN that configure its training data, not the model.
SEMI_SUPERVISED_DATA_OPTIONS = ("num_labelled", "labelled_per_batch", "selection_seed")


def class_head_networks(variant, recipe, sample_shape, num_classes, *, head, conditional_generator,
                        why="needs labels"):
    """`networks.class_heads.build_class_head_networks` for a labelled recipe; one without labels is refused.

    Args:
        variant: the model's name, for the error message.
        recipe: the `Recipe` (its `networks`, `latent_dim` and network options).
        sample_shape, num_classes: what `training` read from the dataset
            (`num_classes` is None when the recipe is not conditional).
        head, conditional_generator: as for `build_class_head_networks`.
        why: what the variant does with the labels, for the error message.
    """
    common.require_labels(variant, recipe, num_classes, why)
    return class_heads.build_class_head_networks(
        recipe.networks, sample_shape, recipe.latent_dim, num_classes, head=head,
        conditional_generator=conditional_generator, generator_kwargs=recipe.generator_options,
        discriminator_kwargs=recipe.discriminator_options,
    )


def build_acgan(model_class, recipe, sample_shape, num_classes):
    """ACGAN: a conditional generator and a discriminator with an auxiliary classifier head."""
    generator, discriminator = class_head_networks(
        "ACGAN", recipe, sample_shape, num_classes, head="auxiliary", conditional_generator=True)
    return model_class(generator, discriminator, **common.switch_kwargs(recipe), **recipe.model_options,
                       **common.latent_model_kwargs(recipe, num_classes))


def build_semi_supervised_gan(model_class, recipe, sample_shape, num_classes):
    """The semi-supervised GAN, from a recipe with `conditional=True` (so batches carry labels).

    The data's `num_classes` sizes the classifier; the generator stays
    unconditional. `model_options` keys in `SEMI_SUPERVISED_DATA_OPTIONS`
    configure `semi_supervised_batches` and are not model arguments.
    """
    generator, discriminator = class_head_networks(
        "SemiSupervisedGAN", recipe, sample_shape, num_classes, head="classifier", conditional_generator=False,
        why="needs labels for its classifier")
    options = common.without_keys(recipe.model_options, SEMI_SUPERVISED_DATA_OPTIONS)
    return model_class(generator, discriminator, **common.switch_kwargs(recipe), **options,
                       **common.latent_model_kwargs(recipe, None))


def labelled_examples(recipe):
    """The labelled examples `semi_supervised_batches` keeps labels for, as numpy `(x, y)` (for baselines)."""
    options = recipe.model_options
    return semi_supervised.labelled_arrays(
        recipe.dataset, options.get("num_labelled", 100), image_size=recipe.image_size or None,
        resize=recipe.resize, selection_seed=options.get("selection_seed", 0))


def semi_supervised_batches(recipe, replicas=1):
    """The recipe's batches with `num_labelled` labelled examples in all (the rest labelled -1).

    Each discriminator minibatch holds `labelled_per_batch` labelled
    examples (default half the minibatch). Options come from
    `recipe.model_options` (`num_labelled` default 100,
    `labelled_per_batch`, `selection_seed` default 0).
    """
    options = recipe.model_options
    parts = recipe.d_steps * replicas
    per_minibatch = options.get("labelled_per_batch", recipe.batch_size // 2)
    return semi_supervised.load(
        recipe.dataset, recipe.global_batch(replicas), num_labelled=options.get("num_labelled", 100),
        labelled_per_batch=per_minibatch * parts, image_size=recipe.image_size or None, resize=recipe.resize,
        seed=recipe.seed, selection_seed=options.get("selection_seed", 0),
    )
