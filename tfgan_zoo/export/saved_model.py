"""The TF Serving SavedModel of a generator, written with `keras.export.ExportArchive`.

`ExportArchive` rather than `tf.Module` + `tf.saved_model.save`: a Keras 3
model wrapped in a `tf.Module` loads in Python but fails in the C++ loader
that TF Serving uses ("Could not find variable", keras#20095, serving#2250).
"""

import os

import keras
import tensorflow as tf

from tfgan_zoo.export import signatures


def existing_versions(base_path):
    """The integer version folders under a model's base path, sorted."""
    if not os.path.isdir(base_path):
        return []
    return sorted(int(entry) for entry in os.listdir(base_path) if entry.isdigit())


def resolve_version(base_path, version=None):
    """`version`, checked to be new, or the next free integer (1 for a new model).

    TF Serving treats a version folder as immutable once loaded, so an
    existing version is never overwritten.
    """
    existing = existing_versions(base_path)
    if version is None:
        return (existing[-1] if existing else 0) + 1
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValueError(f"version must be a positive int. Received: version={version!r}")
    if version in existing:
        raise ValueError(
            f"{os.path.join(base_path, str(version))} already exists and served versions are immutable; "
            f"omit version for the next free one ({existing[-1] + 1}). Received: version={version!r}"
        )
    return version


def write_saved_model(model, path):
    """Writes the signatures of `model.sampling_generator` (and declared ones) to `path`."""
    generator = model.sampling_generator
    archive = keras.export.ExportArchive()
    archive.track(generator)
    endpoints = {signatures.SERVING_SIGNATURE: signatures.serving_endpoint(generator)}
    sample = signatures.sample_endpoint(
        generator, getattr(model, "latent_prior", None), getattr(model, "latent_from_seeds", None),
        getattr(model, "sample_latent_inputs", None),
    )
    if sample is not None:
        endpoints[signatures.SAMPLE_SIGNATURE] = sample
    endpoints.update(signatures.declared_endpoints(model))
    for name, (fn, input_signature) in endpoints.items():
        archive.add_endpoint(name, fn, input_signature=input_signature)
    archive.write_out(path, verbose=False)


def describe_signatures(loaded):
    """`{signature: {"inputs": {name: spec}, "outputs": {name: spec}}}` of a loaded SavedModel."""
    return {
        name: {
            "inputs": {key: _describe(spec) for key, spec in sorted(function.structured_input_signature[1].items())},
            "outputs": {key: _describe(spec) for key, spec in sorted(function.structured_outputs.items())},
        }
        for name, function in sorted(loaded.signatures.items())
    }


def run_signature(loaded, inputs, signature=signatures.SERVING_SIGNATURE):
    """Calls a signature of a loaded SavedModel on numpy inputs; returns numpy outputs."""
    function = loaded.signatures[signature]
    specs = function.structured_input_signature[1]
    outputs = function(**{name: tf.constant(inputs[name], specs[name].dtype) for name in specs})
    return {name: value.numpy() for name, value in outputs.items()}


def _describe(spec):
    return {"dtype": spec.dtype.name, "shape": [None if size is None else int(size) for size in spec.shape]}
