"""The shared base of models whose generator translates images (pix2pix, SRGAN, CycleGAN, inpainting)."""

import numpy as np
import tensorflow as tf

from tfgan_zoo.data.transforms import parse_task
from tfgan_zoo.models.network_model import NetworkModel
from tfgan_zoo.utils import batching

# Keys of `source_data`, where the held-out images it is sampled on come from (`tfgan_zoo.held_out`).
SOURCE_DATA_KEYS = ("dataset", "task", "image_size", "resize")


class ImageToImageModel(NetworkModel):
    """A `NetworkModel` whose generator maps a source image (input `image`) to an image.

    What differs from the latent-variable models (`AdversarialModel`):

    - batches are `(source, target)` pairs (`tfgan_zoo.data.paired`), with
      the images' labels as a third element when a variant asks for them;
      `discriminator_step` and `generator_step` receive `real = (source,
      target)` (for an unpaired model, `(domain_a, domain_b)`);
    - `translate(images)` runs the generator, as does `generate(sources=...)`;
      `source_data` names the data whose held-out part
      `tfgan_zoo.held_out.generate(model, num, seed=...)` translates, which
      sample grids, `tfgan-zoo sample` and the evaluation callback call;
    - there is no latent (`latent_dim` is None) and no class conditioning;
    - the export's `serving_default` signature takes `image` and there is no
      `sample` (seed) signature; exported files are measured on held-out
      sources (`tfgan_zoo.held_out.example_sources`).

    A variant implements `discriminator_step`, `generator_step` and
    `loss_names`; its build function and training batches are in
    `tfgan_zoo.builders.image_to_image`.
    A variant whose generator takes more than the image names its inputs in
    `SOURCE_INPUTS` (inpainting: `("image", "mask")`); its sources are then
    tuples of arrays in that order, and each is an input of the export.

    Args:
        generator: a built `keras.Model` with inputs named `SOURCE_INPUTS`
            (one input, `image`, by default) returning images `[B, H, W, C]`.
        discriminator: a built `keras.Model`; what it takes is the variant's.
        source_data: where held-out sources come from (`tfgan_zoo.held_out`): a dict with
            `dataset` (a spec, whose held-out part is read, see
            `paired.heldout_spec`), `task` (a `tfgan_zoo.data.transforms` task
            spec), `image_size` and `resize`; or None.
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

    def noise_sources(self, num, seed=0):
        """Uniform noise in the shape of `num` sources, a pure function of `seed`: what exports of a model built
        without `source_data` are measured on (`tfgan_zoo.held_out.example_sources`)."""
        shape = [num, *self.generator.inputs[0].shape[1:]]
        return np.random.default_rng(seed).uniform(-1.0, 1.0, shape).astype(np.float32)

    def generate(self, num=None, *, sources=None, labels=None, seed=0, batch_size=256, use_ema=True):
        """Translations of `sources` (`translate`, with the arguments of a latent model's `generate`).

        The model reads no files: `tfgan_zoo.held_out.generate(model, num,
        seed=...)` translates `num` held-out sources of its `source_data`.

        Args:
            num: not used: the number of translations is the number of sources.
            sources: source images `[N, H, W, C]` (a tuple for several `SOURCE_INPUTS`).
            labels: must be None (accepted so that callers of latent models work unchanged).
            seed: not used (a translation draws no noise).
            batch_size: images per generator call.
            use_ema: translate with the EMA generator when the model has one.
        """
        del num, seed
        if labels is not None:
            raise ValueError(f"Image-to-image models take no labels. Received: labels={labels!r}")
        if sources is None:
            raise ValueError(f"{self.name} translates given images: pass sources (tfgan_zoo.held_out.generate "
                             "translates held-out ones). Received: sources=None")
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
        raise ValueError(f"source_data must be None or a dict with keys {SOURCE_DATA_KEYS}. "
                         f"Received: source_data={source_data!r}")
    parse_task(source_data["task"])
    return dict(source_data)

