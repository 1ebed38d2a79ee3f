"""Export a trained generator for TF Serving (SavedModel) and for devices (LiteRT).

Only the generator is exported (the EMA one when the model has it), with
`training=False` semantics; never the discriminator. The layout of `OUT`:

```
OUT/saved_model/<name>/<version>/    SavedModel: signatures serving_default and sample
OUT/tflite/<name>_<variant>.tflite   LiteRT, variant in fp32, fp16, dynamic, int8
OUT/manifest.json                    inputs, outputs, sizes, measured errors
```

An export is staged in a temporary folder inside `OUT` and moved into place
only when every requested file converted, ran and passed its accuracy
gate: a failed export writes nothing and leaves earlier exports intact. A
successful one replaces the previous export, so `OUT` then holds exactly
what `manifest.json` lists: LiteRT files of formats not exported again are
removed, and earlier SavedModel versions of the same name stay (TF Serving
versions are immutable and kept for rollback) and are listed under
`saved_model.earlier_versions`.

Example:

```python
from tfgan_zoo import export
manifest = export.export_run("runs/dcgan_shapes", "exports/dcgan_shapes")
manifest["tflite"]["tflite_int8"]["mean_abs_error"]
```
"""

import functools
import os
import re
import shutil
import tempfile

import tensorflow as tf

from tfgan_zoo.export import evaluation, litert, saved_model, signatures
from tfgan_zoo.export.formats import FORMATS, LITERT_FORMATS, SAVED_MODEL, parse_formats
from tfgan_zoo.export.litert import DEFAULT_BATCH_SIZES, DEFAULT_TOLERANCES, AccuracyGateError, UnsupportedOpsError
from tfgan_zoo.export.manifest import MANIFEST_NAME, build_manifest, read_manifest, write_manifest
from tfgan_zoo.reliability import files

__all__ = [
    "DEFAULT_BATCH_SIZES",
    "DEFAULT_TOLERANCES",
    "FORMATS",
    "MANIFEST_NAME",
    "SAVED_MODEL_TOLERANCE",
    "AccuracyGateError",
    "UnsupportedOpsError",
    "export_model",
    "export_run",
    "parse_formats",
    "read_manifest",
]

# Max abs error allowed between the reloaded SavedModel and Keras: both run
# the same float32 graph, so anything larger means wrong weights or modes.
SAVED_MODEL_TOLERANCE = 1e-4
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
# `.export-staging-<pid>-<random>`: the PID tells a later export whether the folder's writer is alive.
_STAGING_PREFIX = ".export-staging-"


def export_run(run_dir, out_dir, *, formats=FORMATS, name=None, version=None, tolerances=None,
               litert_batch_sizes=DEFAULT_BATCH_SIZES):
    """Exports the latest checkpoint of a run directory.

    Args:
        run_dir: a run directory written by `tfgan_zoo.training.train`.
        out_dir: where to write (see the module docstring for the layout).
        formats: any of `FORMATS`, as a list or a comma-separated string.
        name: the export's name; default: the run's recipe name.
        version: the SavedModel version; default: the next free integer.
        tolerances: `{litert_format: max mean abs error}` overriding
            `DEFAULT_TOLERANCES`.
        litert_batch_sizes: the static batch sizes of the LiteRT files' signatures.

    Returns:
        The manifest (also written to `out_dir/manifest.json`).
    """
    from tfgan_zoo import saved_runs

    formats = parse_formats(formats)
    model, recipe = saved_runs.load_run(run_dir)
    return export_model(
        model, out_dir, name or recipe.name, formats=formats, version=version, tolerances=tolerances,
        recipe_name=recipe.name, litert_batch_sizes=litert_batch_sizes,
    )


def export_model(model, out_dir, name, *, formats=FORMATS, version=None, tolerances=None, recipe_name=None,
                 litert_batch_sizes=DEFAULT_BATCH_SIZES):
    """Exports `model.sampling_generator` in `formats` to `out_dir`, all or nothing.

    Args:
        model: an `AdversarialModel`.
        out_dir: where to write.
        name: the export's name: SavedModel folder and LiteRT file prefix.
        formats: any of `FORMATS`, as a list or a comma-separated string.
        version: the SavedModel version; default: the next free integer.
        tolerances: `{litert_format: max mean abs error}` overriding
            `DEFAULT_TOLERANCES`.
        recipe_name: recorded in the manifest.
        litert_batch_sizes: the static batch sizes of the LiteRT files' signatures
            (`serving_default` takes the smallest, `batch_<N>` the others).

    Returns:
        The manifest (also written to `out_dir/manifest.json`).

    Raises:
        UnsupportedOpsError: LiteRT formats were asked for and the generator
            uses ops outside LiteRT's builtin op set.
        AccuracyGateError: an exported file is further from Keras than its
            tolerance.
    """
    formats = parse_formats(formats)
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"name must be a folder name of letters, digits, '_', '.', '-'. Received: name={name!r}")
    tolerances = litert.resolve_tolerances(tolerances)
    litert_batch_sizes = litert.check_batch_sizes(litert_batch_sizes)
    if SAVED_MODEL in formats:
        version = saved_model.resolve_version(os.path.join(out_dir, "saved_model", name), version)
    with files.clear_os_errors(f"export to {out_dir}"):
        os.makedirs(out_dir, exist_ok=True)
        _remove_stale_staging(out_dir)
        staging = tempfile.mkdtemp(prefix=f"{_STAGING_PREFIX}{os.getpid()}-", dir=out_dir)
        return _export_staged(
            model, out_dir, staging, name, formats, version, tolerances, recipe_name, litert_batch_sizes
        )


def _export_staged(model, out_dir, staging, name, formats, version, tolerances, recipe_name, litert_batch_sizes):
    try:
        litert_formats = [fmt for fmt in formats if fmt in LITERT_FORMATS]
        # LiteRT first: it is where unsupported ops and accuracy gates fail.
        tflite = (
            _stage_litert(model, staging, name, litert_formats, tolerances, litert_batch_sizes)
            if litert_formats else None
        )
        saved = _stage_saved_model(model, staging, name, version) if SAVED_MODEL in formats else None
        if saved:
            base_path = os.path.join(out_dir, "saved_model", name)
            saved["earlier_versions"] = saved_model.existing_versions(base_path)
        manifest = build_manifest(
            model, name=name, recipe_name=recipe_name, formats=formats, saved_model=saved, tflite=tflite
        )
        write_manifest(staging, manifest)
        _publish(staging, out_dir, name, saved)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


def _remove_stale_staging(out_dir):
    """Removes staging folders of exports that died (their PID is gone, or from before PIDs were in the name)."""
    for entry in os.listdir(out_dir):
        if not entry.startswith(_STAGING_PREFIX):
            continue
        pid = entry[len(_STAGING_PREFIX):].partition("-")[0]
        if not (pid.isdigit() and files.pid_alive(int(pid))):
            shutil.rmtree(os.path.join(out_dir, entry), ignore_errors=True)


def _stage_litert(model, staging, name, formats, tolerances, batch_sizes):
    generator = model.sampling_generator
    specs = signatures.generator_input_specs(generator)
    source = os.path.join(staging, "conversion_source")
    litert.write_conversion_source(generator, source, batch_sizes)
    inputs = evaluation.evaluation_inputs(model, specs)
    expected = evaluation.keras_outputs(generator, inputs)
    calibration = functools.partial(evaluation.calibration_batches, model, specs, litert.signature_names(batch_sizes))
    os.makedirs(os.path.join(staging, "tflite"))
    entries = {}
    for fmt in formats:
        content = litert.convert(source, fmt, calibration if fmt == "tflite_int8" else None, batch_sizes)
        interpreter = litert.load_interpreter(content)
        measured = _worst_errors(
            evaluation.errors(litert.run(interpreter, inputs, batch_size=size), expected) for size in batch_sizes
        )
        if not measured["mean_abs_error"] <= tolerances[fmt]:
            raise AccuracyGateError(
                f"{fmt} is refused: its mean abs error against the Keras generator is "
                f"{measured['mean_abs_error']:.4g} (max {measured['max_abs_error']:.4g}), above the tolerance. "
                f"Raise the tolerance or leave {fmt} out. Received: tolerances[{fmt!r}]={tolerances[fmt]!r}"
            )
        path = f"tflite/{name}_{litert.SUFFIXES[fmt]}.tflite"
        with open(os.path.join(staging, path), "wb") as handle:
            handle.write(content)
        entries[fmt] = {"path": path, "bytes": len(content), **litert.describe(interpreter), **measured,
                        "tolerance": tolerances[fmt]}
    return entries


def _worst_errors(measurements):
    """The largest max and mean errors over the measurements of each signature of a file."""
    measurements = list(measurements)
    return {key: max(measured[key] for measured in measurements) for key in measurements[0]}


def _stage_saved_model(model, staging, name, version):
    generator = model.sampling_generator
    path = f"saved_model/{name}/{version}"
    saved_model.write_saved_model(model, os.path.join(staging, path))
    # Reloaded and run once: the entry records what the file computes.
    loaded = tf.saved_model.load(os.path.join(staging, path))
    inputs = evaluation.evaluation_inputs(model, signatures.generator_input_specs(generator))
    served = saved_model.run_signature(loaded, inputs)[signatures.output_kind(generator)]
    measured = evaluation.errors(served, evaluation.keras_outputs(generator, inputs))
    if not measured["max_abs_error"] <= SAVED_MODEL_TOLERANCE:
        raise AccuracyGateError(
            f"The reloaded SavedModel differs from the Keras generator by {measured['max_abs_error']:.4g}. "
            f"Received: SAVED_MODEL_TOLERANCE={SAVED_MODEL_TOLERANCE}"
        )
    return {"path": path, "version": version, "signatures": saved_model.describe_signatures(loaded), **measured}


def _publish(staging, out_dir, name, saved):
    """Replaces the previous export in `out_dir` by the staged one, each step one rename.

    The old manifest leaves first and the new one arrives last, so a manifest
    in `out_dir` never lists a missing file. What the new manifest does not
    list goes: the old `tflite/` folder whole, SavedModels of other names, and
    every SavedModel when none was exported. Earlier versions of the same
    name stay (the manifest lists them). The replaced files are moved into
    the staging folder, which the caller deletes.
    """
    replaced = os.path.join(staging, "replaced")
    _move(out_dir, replaced, MANIFEST_NAME)
    _move(out_dir, replaced, "tflite")
    saved_models = os.path.join(out_dir, "saved_model")
    if saved is None:
        _move(out_dir, replaced, "saved_model")
    elif os.path.isdir(saved_models):
        for other in sorted(set(os.listdir(saved_models)) - {name}):
            _move(out_dir, replaced, os.path.join("saved_model", other))
    _move(staging, out_dir, "tflite")
    if saved is not None:
        _move(staging, out_dir, saved["path"])
    _move(staging, out_dir, MANIFEST_NAME)


def _move(source_dir, target_dir, path):
    """Renames `source_dir/path` to `target_dir/path` (creating its parent folders) when it exists."""
    source = os.path.join(source_dir, path)
    if not os.path.lexists(source):
        return
    target = os.path.join(target_dir, path)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    os.replace(source, target)
