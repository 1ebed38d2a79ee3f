"""Build functions and training data of the image-to-image variants: pix2pix, SRGAN, inpainting, CycleGAN.

An image-to-image recipe names its task in `model_options["task"]` (a
`tfgan_zoo.data.transforms` task spec: how sources are made from the
dataset's images, which are the targets); the task and, for CycleGAN,
`dataset_b` configure the data, and the other `model_options` are model
arguments. Each model's `source_data` names the recipe's data, whose
held-out part is what it translates when sampled without sources.
"""

from tfgan_zoo import networks
from tfgan_zoo.builders import common
from tfgan_zoo.data import paired
from tfgan_zoo.data.transforms import MASK_TASK, parse_task

# `model_options` keys that configure the training data, not the model.
DATA_OPTIONS = ("task",)
UNPAIRED_DATA_OPTIONS = (*DATA_OPTIONS, "dataset_b")


def recipe_task(recipe):
    """The `Task` a recipe names in `model_options["task"]`."""
    if "task" not in recipe.model_options:
        raise ValueError(
            f"An image-to-image recipe names its task in model_options, e.g. {{'task': 'edges'}}. "
            f"Received: model_options={recipe.model_options!r}"
        )
    return parse_task(recipe.model_options["task"])


def image_to_image_kwargs(recipe, num_classes):
    """The `models.ImageToImageModel` arguments a recipe sets: `common.model_kwargs` and `source_data`."""
    source_data = {"dataset": recipe.dataset, "task": recipe_task(recipe).name,
                   "image_size": recipe.image_size or None, "resize": recipe.resize}
    return dict(common.model_kwargs(recipe, num_classes), source_data=source_data)


def build_paired(model_class, recipe, sample_shape, num_classes):
    """pix2pix and SRGAN: `recipe.networks` from `networks.IMAGE_TO_IMAGE_NETWORKS` for the recipe's task (the
    target shape is `sample_shape`), `recipe.loss` and the variant's `model_options`."""
    source_shape = recipe_task(recipe).source_shape(sample_shape)
    generator, discriminator = networks.build_image_to_image_networks(
        recipe.networks, source_shape, sample_shape, generator_kwargs=recipe.generator_options,
        discriminator_kwargs=recipe.discriminator_options,
    )
    return model_class(generator, discriminator, loss=recipe.loss,
                       **common.without_keys(recipe.model_options, DATA_OPTIONS),
                       **image_to_image_kwargs(recipe, num_classes))


def build_inpainting(model_class, recipe, sample_shape, num_classes):
    """`recipe.networks` from `networks.INPAINTING_NETWORKS` for images of `sample_shape`, trained on the
    recipe's mask task."""
    task = recipe_task(recipe)
    if not task.name.startswith(f"{MASK_TASK}:"):
        raise ValueError(f"An inpainting recipe trains on a mask task, e.g. {{'task': 'mask:free:0.25'}}. "
                         f"Received: task={task.name!r}")
    generator, discriminator = networks.build_inpainting_networks(
        recipe.networks, sample_shape, generator_kwargs=recipe.generator_options,
        discriminator_kwargs=recipe.discriminator_options,
    )
    return model_class(generator, discriminator, loss=recipe.loss,
                       **common.without_keys(recipe.model_options, DATA_OPTIONS),
                       **image_to_image_kwargs(recipe, num_classes))


def build_cyclegan(model_class, recipe, sample_shape, num_classes):
    """CycleGAN: G, F (`recipe.networks`' generator) and `D_A`, `D_B` (its discriminator, unconditional)."""
    if recipe.loss != "least_squares":
        raise ValueError(f"CycleGAN trains with least squares only. Received: loss={recipe.loss!r}")
    shape_b = tuple(sample_shape)
    shape_a = tuple(recipe_task(recipe).source_shape(sample_shape))
    discriminator_kwargs = {**recipe.discriminator_options, "conditional": False}

    def build(source_shape, target_shape, name):
        return networks.build_image_to_image_networks(
            recipe.networks, source_shape, target_shape, discriminator_kwargs=discriminator_kwargs,
            generator_kwargs={**recipe.generator_options, "name": f"generator_{name}"},
        )

    generator, discriminator = build(shape_a, shape_b, "a_to_b")
    inverse_generator, inverse_discriminator = build(shape_b, shape_a, "b_to_a")
    return model_class(generator, discriminator, inverse_generator=inverse_generator,
                       inverse_discriminator=inverse_discriminator,
                       **common.without_keys(recipe.model_options, UNPAIRED_DATA_OPTIONS),
                       **image_to_image_kwargs(recipe, num_classes))


def paired_batches(recipe, replicas=1):
    """Endless `(source, target)` batches of the recipe's task."""
    return paired.load_paired(
        recipe.dataset, recipe_task(recipe), recipe.global_batch(replicas),
        image_size=recipe.image_size or None, resize=recipe.resize, seed=recipe.seed,
    )


def unpaired_batches(recipe, replicas=1):
    """Endless unpaired `(a, b)` batches: the two halves of `recipe.dataset`, or it and `model_options["dataset_b"]`."""
    return paired.load_unpaired(
        recipe.dataset, recipe_task(recipe), recipe.global_batch(replicas),
        spec_b=recipe.model_options.get("dataset_b"), image_size=recipe.image_size or None, resize=recipe.resize,
        seed=recipe.seed,
    )
