"""A low-resolution generator followed by a super-resolution upscaler, sampled and exported as one generator."""

import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo import networks
from tfgan_zoo.models.adversarial_model import LATENT_PRIORS
from tfgan_zoo.models.sampling import LatentSampler, NetworkConfig
from tfgan_zoo.utils import batching, validation

# The SavedModel signature that returns stage 1's image for a latent (`export_signatures`).
LOW_RESOLUTION_SIGNATURE = "low_resolution"


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class TwoStage(LatentSampler, NetworkConfig, keras.Model):
    """`generator(latent) = upscaler(stage1_generator(latent))`: the two-stage pipeline of the sneaker study.

    Stage 1 is any trained latent generator (a GAN at 28x28, say); stage 2
    any trained image-to-image generator that enlarges images (an SRGAN
    upscaler, 4x). Nothing here trains: `tfgan_zoo.two_stage_training` trains the two
    stages as ordinary runs and composes them with `from_models`. The
    composed `generator` is one functional `keras.Model` with stage 1's
    inputs (`latent`, plus `label` when stage 1 is conditional), so sampling,
    `tfgan-zoo sample` and the exporters (SavedModel, LiteRT) treat it as any
    generator; stage 1's image is also exported, as the SavedModel signature
    `low_resolution` (`export_signatures`).

    Args:
        stage1_generator: a built functional `keras.Model`, `latent` (and
            `label`) -> images `[B, h, w, C]`.
        upscaler: a built functional `keras.Model` with one input named
            `image` of shape `[B, h, w, C]` -> images `[B, H, W, C']`.
            `from_models` rebuilds an upscaler trained at another input size.
        latent_prior: stage 1's prior, `"normal"` or `"uniform"`.
        num_classes: stage 1's classes when it is conditional, else None.
        stage_steps: the steps each stage trained, `[stage 1, stage 2]`
            (bookkeeping; `step_counter` is their sum).
        **kwargs: `keras.Model` arguments (`name`).

    Example:

    ```python
    model = TwoStage.from_models(saved_runs.load_run("runs/gan")[0], saved_runs.load_run("runs/srgan")[0])
    low, high = model.generate_stages(16, seed=0)    # [16, 28, 28, 1] and [16, 112, 112, 1]
    export.export_model(model, "exports/two_stage", "two_stage")
    ```
    """

    NETWORKS = ("stage1_generator", "upscaler")
    # Read by `tfgan-zoo evaluate`: the composition keeps no discriminator.
    has_discriminator = False

    def __init__(self, stage1_generator, upscaler, *, latent_prior="normal", num_classes=None, stage_steps=(0, 0),
                 **kwargs):
        kwargs.setdefault("name", "two_stage")
        super().__init__(**kwargs)
        low_shape = _check_stage1(stage1_generator)
        _check_upscaler(upscaler, low_shape)
        if stage1_generator.name == upscaler.name:
            raise ValueError(
                f"The two networks need distinct names to be composed; TwoStage.from_models renames them. "
                f"Received: both named {upscaler.name!r}"
            )
        validation.check_choice("latent_prior", latent_prior, LATENT_PRIORS)
        has_label = len(stage1_generator.inputs) == 2
        if has_label != (num_classes is not None):
            raise ValueError(
                f"num_classes must be given exactly when stage 1 takes a label. Received: num_classes={num_classes!r}, "
                f"stage 1 inputs {[tensor.name for tensor in stage1_generator.inputs]}"
            )
        stage_steps = [int(steps) for steps in stage_steps]
        if len(stage_steps) != 2 or min(stage_steps) < 0:
            raise ValueError(f"stage_steps must be two ints >= 0. Received: stage_steps={stage_steps!r}")
        # === Networks ===
        self.stage1_generator = stage1_generator
        self.upscaler = upscaler
        self.generator = _compose(stage1_generator, upscaler)
        self.ema_generator = None  # the stages' EMA weights, when they had them, are already the ones composed
        # === Config ===
        self.latent_prior = latent_prior
        self.num_classes = num_classes
        self.latent_dim = int(stage1_generator.inputs[0].shape[-1])
        self.stage_steps = stage_steps
        self.built = True

    @property
    def sampling_generator(self):
        """The composed generator (what `generate` samples with)."""
        return self.generator

    # === Construction from trained models ===
    @classmethod
    def from_models(cls, stage1_model, stage2_model, *, name="two_stage"):
        """The pipeline of two trained models: a latent model's and an image-to-image model's sampling generators.

        The networks are copied (`networks.rebuild`) as `stage1_generator` and
        `upscaler`; an upscaler trained at another input size than stage 1's
        images is rebuilt for their size, which works for fully convolutional
        upscalers (SRResNet) and raises a ValueError otherwise.

        Args:
            stage1_model: a trained `AdversarialModel` with a latent (EMA
                generator when it has one).
            stage2_model: a trained `ImageToImageModel` whose generator
                enlarges images with stage 1's channels.
            name: the model's name.
        """
        for role, model, wants_latent in (("stage1_model", stage1_model, True), ("stage2_model", stage2_model, False)):
            takes_latent = getattr(model, "latent_dim", None) is not None
            if not hasattr(model, "sampling_generator") or takes_latent != wants_latent:
                kind = "latent generator model (a GAN)" if wants_latent else "image-to-image model (SRGAN)"
                raise ValueError(f"{role} must be a trained {kind}. Received: {role}={type(model).__name__}")
        stage1 = networks.rebuild(stage1_model.sampling_generator, name="stage1_generator")
        low_shape = tuple(stage1.outputs[0].shape[1:])
        upscaler = stage2_model.sampling_generator
        trained_shape = tuple(upscaler.inputs[0].shape[1:])
        if trained_shape[-1] != low_shape[-1]:
            raise ValueError(
                f"The upscaler takes {trained_shape[-1]}-channel images but stage 1 makes "
                f"{low_shape[-1]}-channel ones. "
                f"Received: stage 1 images {low_shape}, upscaler inputs {trained_shape}"
            )
        upscaler = networks.rebuild(upscaler, name="upscaler", input_shape=low_shape)
        steps = [int(model.step_counter.numpy()) for model in (stage1_model, stage2_model)]
        return cls(stage1, upscaler, latent_prior=stage1_model.latent_prior, num_classes=stage1_model.num_classes,
                   stage_steps=steps, name=name)

    # === Sampling ===
    @property
    def step_counter(self):
        """Steps of both stages together (what `tfgan-zoo train` reports)."""
        return tf.constant(sum(self.stage_steps), tf.int64)

    @property
    def low_resolution_shape(self):
        """Per-example shape of stage 1's images."""
        return tuple(int(size) for size in self.stage1_generator.outputs[0].shape[1:])

    def call(self, inputs, training=False):
        return self.generator(inputs, training=training)

    def generate_stages(self, num=None, *, latent=None, labels=None, seed=0, batch_size=256):
        """`(low_resolution, upscaled)`: stage 1's images and the upscaler's outputs for the same latents, numpy.

        Arguments as in `generate`; `upscaled` is what `generate` returns (the
        composed generator computes the same, in one call).
        """
        latent, labels = self.sampling_inputs(num, latent, labels, seed)
        low = self.generate_batches(latent, labels, batch_size, self.stage1_generator)
        high = batching.map_in_batches(lambda batch: self.upscaler(batch, training=False), low, batch_size)
        return low, high.astype(np.float32)

    # === Export ===
    def export_signatures(self):
        """Stage 1 as the SavedModel signature `low_resolution`: stage 1's inputs, output `output` (its image)."""
        input_names = [tensor.name for tensor in self.stage1_generator.inputs]
        return {LOW_RESOLUTION_SIGNATURE: (self.stage1_generator, input_names)}

    # === Config ===
    def get_config(self):
        config = super().get_config()
        config.update(self.networks_config())
        config.update(latent_prior=self.latent_prior, num_classes=self.num_classes, stage_steps=list(self.stage_steps))
        return config


def _compose(stage1_generator, upscaler):
    """One functional model: stage 1's inputs -> the upscaler's image."""
    inputs = [keras.Input(shape=tensor.shape[1:], dtype=tensor.dtype, name=tensor.name)
              for tensor in stage1_generator.inputs]
    inputs = inputs if len(inputs) > 1 else inputs[0]
    return keras.Model(inputs, upscaler(stage1_generator(inputs)), name="generator")


def _check_stage1(network):
    if not isinstance(network, keras.Model) or not network.built:
        raise ValueError(f"stage1_generator must be a built keras.Model. Received: stage1_generator={network!r}")
    names = [tensor.name for tensor in network.inputs]
    shapes = [tuple(tensor.shape) for tensor in network.outputs]
    if names not in (["latent"], ["latent", "label"]) or [len(shape) for shape in shapes] != [4]:
        raise ValueError(
            "stage1_generator takes `latent` (and `label`) and returns images [B, H, W, C]. "
            f"Received: inputs {names}, output shapes {shapes}"
        )
    return shapes[0][1:]


def _check_upscaler(network, low_shape):
    if not isinstance(network, keras.Model) or not network.built:
        raise ValueError(f"upscaler must be a built keras.Model. Received: upscaler={network!r}")
    names = [tensor.name for tensor in network.inputs]
    shapes = [tuple(tensor.shape) for tensor in network.outputs]
    if names != ["image"] or [len(shape) for shape in shapes] != [4]:
        raise ValueError(
            f"upscaler takes one input named 'image' and returns images [B, H, W, C]. Received: inputs {names}, "
            f"output shapes {shapes}"
        )
    if tuple(network.inputs[0].shape[1:]) != tuple(low_shape):
        raise ValueError(
            f"upscaler must take stage 1's images {tuple(low_shape)}; TwoStage.from_models rebuilds a fully "
            f"convolutional upscaler for them. Received: upscaler inputs {tuple(network.inputs[0].shape[1:])}"
        )
