"""`manifest.json`: what an export holds, how to call it, and how close each file is to Keras."""

import json
import os

import keras
import tensorflow as tf

import tfgan_zoo
from tfgan_zoo.export import evaluation, litert, signatures

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1


def build_manifest(model, *, name, recipe_name, formats, saved_model=None, tflite=None):
    """The manifest of one export.

    Args:
        model: the exported `AdversarialModel`.
        name: the export's name (SavedModel folder and file prefix).
        recipe_name: the run's recipe name, or `None`.
        formats: the formats exported.
        saved_model: the SavedModel entry (path, version, signatures, errors).
        tflite: `{format: entry}` (path, bytes, inputs, outputs, errors, tolerance).
    """
    generator = model.sampling_generator
    manifest = {
        "manifest_version": MANIFEST_VERSION,
        "name": name,
        "recipe": recipe_name,
        "model_class": type(model).__name__,
        "generator": "ema" if getattr(model, "ema_generator", None) is not None else "live",
        # None for image-to-image models, whose generator takes an `image`.
        "latent_dim": None if model.latent_dim is None else int(model.latent_dim),
        "latent_prior": None if model.latent_dim is None else model.latent_prior,
        "num_classes": model.num_classes,
        "output": signatures.output_kind(generator),
        "sample_shape": [int(size) for size in generator.outputs[0].shape[1:]],
        "image_input": image_input(model, generator),
        "formats": list(formats),
        # Errors below are measured against `sampling_generator(training=False)`
        # on these inputs: latent_for_seed(batch_size, seed), labels (arange + seed) % num_classes,
        # images held_out.example_sources(model, batch_size, seed).
        "evaluation": {"batch_size": evaluation.EVALUATION_BATCH, "seed": evaluation.EVALUATION_SEED},
        "versions": {"tfgan_zoo": tfgan_zoo.__version__, "tensorflow": tf.__version__, "keras": keras.__version__},
    }
    if saved_model is not None:
        manifest["saved_model"] = saved_model
    if tflite:
        manifest["tflite"] = tflite
        # What the deployment kit's sampler uses unless told otherwise (see `litert.SAMPLER_THREADS`).
        manifest["litert"] = {"threads": litert.SAMPLER_THREADS}
    return manifest


def image_input(model, generator):
    """What the `image` input of `serving_default` takes, for clients that read pictures; None without one.

    `shape` is `[H, W, C]` and values span `range`. `resize` says what a
    client does with a picture of another height and width: the method the
    model's own data were brought to size with (`bilinear`: antialiased;
    `pad`: centred on a -1 background, smaller pictures only), or None to
    reject it. `task` is the transform that made the model's sources.
    """
    specs = signatures.generator_input_specs(generator)
    if "image" not in specs:
        return None
    source_data = getattr(model, "source_data", None) or {}
    return {
        "shape": [int(size) for size in specs["image"].shape[1:]],
        "range": [-1.0, 1.0],
        "resize": source_data.get("resize"),
        "task": source_data.get("task"),
    }


def write_manifest(directory, manifest):
    with open(os.path.join(directory, MANIFEST_NAME), "w") as handle:
        json.dump(manifest, handle, indent=2)
        handle.write("\n")


def read_manifest(directory):
    with open(os.path.join(directory, MANIFEST_NAME)) as handle:
        return json.load(handle)
