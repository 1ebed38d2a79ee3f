"""The shared base of models whose generator translates images (pix2pix, SRGAN, CycleGAN, inpainting)."""

import numpy as np
import tensorflow as tf

from tfgan_zoo import networks
from tfgan_zoo.data import paired
from tfgan_zoo.data.transforms import parse_task
from tfgan_zoo.models.network_model import NetworkModel
from tfgan_zoo.utils import batching

# `model_options` keys that configure the training data, not the model (see `training_dataset`).
DATA_OPTIONS = ("task",)
# Keys of `source_data`, the held-out images `generate` translates.
SOURCE_DATA_KEYS = ("dataset", "task", "image_size", "resize")


class ImageToImageModel(NetworkModel):
    """A `NetworkModel` whose generator maps a source image (input `image`) to an image.

    What differs from the latent-variable models (`AdversarialModel`):

    - batches are `(source, target)` pairs (`tfgan_zoo.data.paired`), with
      the images' labels as a third element when a variant asks for them;
      `discriminator_step` and `generator_step` receive `real = (source,
      target)` (for an unpaired model, `(domain_a, domain_b)`);
    - `translate(images)` runs the generator; `generate(num, seed=...)`
      translates `num` held-out source images chosen by `seed`, so sample
      grids, `tfgan-zoo sample` and the evaluation callback work unchanged;
    - there is no latent (`latent_dim` is None) and no class conditioning;
    - the export's `serving_default` signature takes `image` and there is no
      `sample` (seed) signature; exported files are measured on held-out
      sources (`example_sources`).

    A variant implements `discriminator_step`, `generator_step`, `loss_names`
    and `from_recipe` (with `image_to_image_kwargs`, `recipe_task` and
    `variant_options`); an unpaired one also overrides `training_dataset`.
    A variant whose generator takes more than the image names its inputs in
    `SOURCE_INPUTS` (inpainting: `("image", "mask")`); its sources are then
    tuples of arrays in that order, and each is an input of the export.

    Args:
        generator: a built `keras.Model` with inputs named `SOURCE_INPUTS`
            (one input, `image`, by default) returning images `[B, H, W, C]`.
        discriminator: a built `keras.Model`; what it takes is the variant's.
        source_data: where `generate` finds held-out sources: a dict with
            `dataset` (a spec, whose held-out part is read, see
            `paired.heldout_spec`), `task` (a `tfgan_zoo.data.transforms` task
            spec), `image_size` and `resize`; or None (then `generate` needs
            `sources`).
        more_networks: `{name: network}` of the networks besides these two
            that a subclass declares in `NETWORKS`.
        **kwargs: the `NetworkModel` arguments (`d_steps`, `ema_decay`,
            `seed`, `name`); `num_classes` must stay None.
    """

    # The generator's inputs, in order: what a source holds.
    SOURCE_INPUTS = ("image",)
    # An image, not a latent vector, is what the generator takes.
    latent_dim = None

    def __init__(self, generator, discriminator, *, source_data=None, more_networks=None, **kwargs):
        if kwargs.get("num_classes") is not None:
            raise ValueError(
                f"Image-to-image models are not class-conditional. Received: num_classes={kwargs['num_classes']!r}"
            )
        input_names = [tensor.name for tensor in getattr(generator, "inputs", None) or []]
        output_shapes = [tuple(tensor.shape) for tensor in getattr(generator, "outputs", None) or []]
        if input_names != list(self.SOURCE_INPUTS) or [len(shape) for shape in output_shapes] != [4]:
            raise ValueError(
                f"{type(self).__name__}'s generator takes inputs named {list(self.SOURCE_INPUTS)} and returns images "
                f"[B, H, W, C]. Received: inputs {input_names}, output shapes {output_shapes}"
            )
        super().__init__({"generator": generator, "discriminator": discriminator, **(more_networks or {})}, **kwargs)
        self.source_data = _check_source_data(source_data)

    # === Construction from a recipe ===
    @staticmethod
    def recipe_task(recipe):
        """The `Task` a recipe names in `model_options["task"]`."""
        if "task" not in recipe.model_options:
            raise ValueError(
                f"An image-to-image recipe names its task in model_options, e.g. {{'task': 'edges'}}. "
                f"Received: model_options={recipe.model_options!r}"
            )
        return parse_task(recipe.model_options["task"])

    @staticmethod
    def variant_options(recipe):
        """`recipe.model_options` without the keys that configure the data (`DATA_OPTIONS`)."""
        return {key: value for key, value in recipe.model_options.items() if key not in DATA_OPTIONS}

    @classmethod
    def from_recipe(cls, recipe, sample_shape, num_classes=None):
        """The paired variants' construction: `recipe.networks` from `IMAGE_TO_IMAGE_NETWORKS` for the recipe's
        task (the target shape is `sample_shape`), `recipe.loss` and the variant's `model_options`."""
        source_shape = cls.recipe_task(recipe).source_shape(sample_shape)
        generator, discriminator = networks.build_image_to_image_networks(
            recipe.networks, source_shape, sample_shape, generator_kwargs=recipe.generator_options,
            discriminator_kwargs=recipe.discriminator_options,
        )
        return cls(generator, discriminator, loss=recipe.loss, **cls.variant_options(recipe),
                   **cls.image_to_image_kwargs(recipe, num_classes))

    @classmethod
    def image_to_image_kwargs(cls, recipe, num_classes):
        """The base arguments a recipe sets: `recipe_kwargs` and `source_data`."""
        return dict(
            cls.recipe_kwargs(recipe, num_classes),
            source_data={"dataset": recipe.dataset, "task": cls.recipe_task(recipe).name,
                         "image_size": recipe.image_size or None, "resize": recipe.resize},
        )

    @classmethod
    def training_dataset(cls, recipe, replicas=1):
        """Endless `(source, target)` batches of the recipe's task (`training.make_dataset` uses this hook)."""
        return paired.load_paired(
            recipe.dataset, cls.recipe_task(recipe), recipe.global_batch(replicas),
            image_size=recipe.image_size or None, resize=recipe.resize, seed=recipe.seed,
        )

    # === Batches of pairs ===
    def unpack_batch(self, data):
        """`((source, target), labels)`: labels are the optional third element, else None."""
        if not isinstance(data, (tuple, list)) or len(data) not in (2, 3):
            raise ValueError(
                f"{type(self).__name__} trains on (source, target) or (source, target, labels) batches. "
                f"Received: {type(data).__name__} batches"
            )
        labels = tf.cast(tf.reshape(data[2], [-1]), tf.int32) if len(data) == 3 else None
        return (data[0], data[1]), labels

    # === Translation ===
    def translate(self, images, *, batch_size=256, use_ema=True):
        """Runs the generator (`training=False`) over source images in batches; float32 numpy.

        Args:
            images: source images `[N, H, W, C]` in [-1, 1]; for a generator of
                several `SOURCE_INPUTS`, a tuple of arrays in that order.
            batch_size: images per generator call.
            use_ema: translate with the EMA generator when the model has one.
        """
        parts = self._check_sources(images)
        generator = self.sampling_generator if use_ema else self.generator
        def run(*batch):
            return generator(list(batch) if len(batch) > 1 else batch[0], training=False)

        return batching.map_in_batches(run, tuple(parts), batch_size).astype(np.float32)

    def source_inputs(self, sources):
        """`{input name: array}` of sources (an array, or a tuple in `SOURCE_INPUTS` order), checked."""
        return dict(zip(self.SOURCE_INPUTS, self._check_sources(sources)))

    def _check_sources(self, sources):
        """The sources as a list of float32 arrays, one per generator input, each checked against its input."""
        several = len(self.SOURCE_INPUTS) > 1
        parts = list(sources) if several and isinstance(sources, (tuple, list)) else [sources]
        if len(parts) != len(self.SOURCE_INPUTS):
            raise ValueError(f"Sources hold one array per generator input {list(self.SOURCE_INPUTS)}. "
                             f"Received: {len(parts)} arrays")
        parts = [np.asarray(part, np.float32) for part in parts]
        for name, part, tensor in zip(self.SOURCE_INPUTS, parts, self.generator.inputs):
            expected = tuple(tensor.shape[1:])
            if part.ndim != 4 or part.shape[1:] != expected or len(part) != len(parts[0]):
                raise ValueError(f"{'images' if name == 'image' else name} must have shape "
                                 f"[N, {', '.join(map(str, expected))}]. Received: shape={part.shape}")
        return parts

    def heldout_examples(self, num, seed=0):
        """`(sources, targets, labels)` of `num` held-out images (see `paired.heldout_pairs`), numpy."""
        if self.source_data is None:
            raise ValueError(
                f"{self.name} was built without source_data, so it has no held-out images; pass sources. "
                "Received: source_data=None"
            )
        data = self.source_data
        return paired.heldout_pairs(data["dataset"], data["task"], num, seed=seed, image_size=data["image_size"],
                                    resize=data["resize"])

    def example_sources(self, num, seed=0):
        """Sources to measure and calibrate exports on: held-out ones, or uniform noise without `source_data`."""
        if self.source_data is not None:
            return self.heldout_examples(num, seed)[0]
        shape = [num, *self.generator.inputs[0].shape[1:]]
        return np.random.default_rng(seed).uniform(-1.0, 1.0, shape).astype(np.float32)

    def example_source_inputs(self, num, seed=0):
        """`example_sources` by generator input name (what an export's evaluation feeds)."""
        return self.source_inputs(self.example_sources(num, seed))

    def generate(self, num=None, *, sources=None, labels=None, seed=0, batch_size=256, use_ema=True):
        """Translations of `sources`, or of `num` held-out source images chosen by `seed`.

        Args:
            num: number of held-out sources; ignored when `sources` is given.
            sources: source images `[N, H, W, C]` (a tuple for several `SOURCE_INPUTS`).
            labels: must be None (accepted so that callers of latent models work unchanged).
            seed: which held-out images.
            batch_size: images per generator call.
            use_ema: translate with the EMA generator when the model has one.
        """
        if labels is not None:
            raise ValueError(f"Image-to-image models take no labels. Received: labels={labels!r}")
        if sources is None:
            if num is None or int(num) < 1:
                raise ValueError(f"num must be a positive int when sources is not given. Received: num={num!r}")
            sources = self.heldout_examples(int(num), seed)[0]
        return self.translate(sources, batch_size=batch_size, use_ema=use_ema)

    # === Config ===
    def get_config(self):
        config = super().get_config()
        config["source_data"] = self.source_data
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        # Files written while image-to-image models had a latent prior hold one; it never did anything.
        config = {key: value for key, value in config.items() if key != "latent_prior"}
        return super().from_config(config, custom_objects)


def _check_source_data(source_data):
    if source_data is None:
        return None
    if not isinstance(source_data, dict) or set(source_data) != set(SOURCE_DATA_KEYS):
        raise ValueError(f"source_data must be None or a dict with keys {SOURCE_DATA_KEYS}. Received: source_data={source_data!r}")
    parse_task(source_data["task"])
    return dict(source_data)

