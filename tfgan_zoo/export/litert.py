"""LiteRT (`.tflite`) files of a generator: builtin ops only, run, measured and gated.

The pip LiteRT runtimes have no Flex delegate: a file that needs Select TF
ops converts "successfully" and then fails when run (LiteRT#6458), and
Keras's own `export(format="litert")` turns Select TF ops on silently. Here
conversion allows builtin ops only and names the ops that would need more.

Each file is converted from a copy of the generator fit for LiteRT
(`conversion.conversion_copy`) whose signatures map the generator's named
inputs to one output, `image` or `sample`; noise is an input, never drawn
inside the file.

Batch sizes are static, one signature per size (`serving_default` for the
smallest, `batch_<N>` for the others; the weights are stored once). With a
dynamic batch the converter computes each transposed convolution's output
shape at run time (`SHAPE`, `STRIDED_SLICE`, `PACK` before every
`TRANSPOSE_CONV`), and XNNPACK delegates a `TRANSPOSE_CONV` only when that
shape is a constant: the layers then ran on LiteRT's builtin kernels, whose
dynamic-range (hybrid) `TRANSPOSE_CONV` has no optimised path. Measured on
dcgan_shapes (BENCHMARKS.md, "Export"): the dynamic-range file went from
4.3 ms to 0.06 ms per sample at batch 1, fp32 from 0.40 to 0.28 ms, and
fp32 at batch 64 from 2,600 to 5,000 samples/s. `run` serves any number of
rows by calling the largest signature that fits and padding the last call.
"""

import warnings

import keras
import numpy as np
import tensorflow as tf
from ai_edge_litert.interpreter import Interpreter

from tfgan_zoo.export import conversion, signatures
from tfgan_zoo.export.formats import LITERT_FORMATS

# File name suffix of each format: OUT/tflite/<name>_<suffix>.tflite.
SUFFIXES = {"tflite_fp32": "fp32", "tflite_fp16": "fp16", "tflite_dynamic": "dynamic", "tflite_int8": "int8"}

# Gates on the mean absolute error against the Keras generator on the
# evaluation batch, in output units (images span [-1, 1]). float32 and
# float16 files are near-exact, so their gates catch broken conversions.
# Measured on trained runs (dcgan/cgan/gan_mnist8k, dcgan_shapes, gan_ring8):
# healthy int8 files 0.004-0.009, dynamic-range 0.002-0.004; an int8 file
# with its labels mis-quantized 0.18 (see `conversion`).
DEFAULT_TOLERANCES = {"tflite_fp32": 1e-4, "tflite_fp16": 1e-2, "tflite_dynamic": 0.1, "tflite_int8": 0.05}

# Threads of the interpreter and its XNNPACK delegate that the deployment kit's sampler uses by
# default, recorded in manifest.json (measured on dcgan_shapes: BENCHMARKS.md, "Export").
SAMPLER_THREADS = 2
# The static batch sizes of each file's signatures: 1 for on-device sampling, 64 for bulk sampling.
DEFAULT_BATCH_SIZES = (1, 64)

_UNSUPPORTED_CODES = {"ERROR_NEEDS_FLEX_OPS": "Select TF op", "ERROR_NEEDS_CUSTOM_OPS": "no LiteRT kernel"}


class UnsupportedOpsError(ValueError):
    """The generator uses ops outside LiteRT's builtin op set; `ops` names them."""

    def __init__(self, message, ops):
        super().__init__(message)
        self.ops = ops


class AccuracyGateError(ValueError):
    """A converted file differs from the Keras generator by more than its tolerance."""


def resolve_tolerances(tolerances=None):
    """`DEFAULT_TOLERANCES` updated with `tolerances`, checked."""
    tolerances = dict(tolerances or {})
    for key, value in tolerances.items():
        if key not in LITERT_FORMATS:
            raise ValueError(f"Tolerances are for {', '.join(LITERT_FORMATS)}. Received: tolerances[{key!r}]={value!r}")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
            raise ValueError(f"A tolerance must be a positive number. Received: tolerances[{key!r}]={value!r}")
    return {**DEFAULT_TOLERANCES, **{key: float(value) for key, value in tolerances.items()}}


def check_batch_sizes(batch_sizes):
    """`batch_sizes` as a sorted tuple of distinct positive ints; ValueError naming the value otherwise."""
    sizes = tuple(batch_sizes) if isinstance(batch_sizes, (list, tuple)) else None
    if not sizes or any(isinstance(size, bool) or not isinstance(size, int) or size < 1 for size in sizes):
        raise ValueError(f"batch_sizes must be a non-empty list of positive integers. Received: "
                         f"batch_sizes={batch_sizes!r}")
    return tuple(sorted(set(sizes)))


def signature_names(batch_sizes):
    """`{signature name: batch size}`: `serving_default` for the smallest size, `batch_<N>` for the others."""
    sizes = check_batch_sizes(batch_sizes)
    return {signatures.SERVING_SIGNATURE if size == sizes[0] else f"batch_{size}": size for size in sizes}


def write_conversion_source(generator, path, batch_sizes=DEFAULT_BATCH_SIZES):
    """Writes the SavedModel every LiteRT file is converted from: float32, one signature per batch size."""
    network = conversion.conversion_copy(generator)
    specs = signatures.generator_input_specs(network)
    output = signatures.output_kind(network)

    def serve(inputs):
        return {output: tf.cast(signatures.call_network(network, inputs), tf.float32)}

    archive = keras.export.ExportArchive()
    archive.track(network)
    for name, size in signature_names(batch_sizes).items():
        static = {key: tf.TensorSpec([size, *spec.shape[1:]], spec.dtype, name=key) for key, spec in specs.items()}
        archive.add_endpoint(name, serve, input_signature=[static])
    archive.write_out(path, verbose=False)


def convert(source_path, fmt, representative_dataset=None, batch_sizes=DEFAULT_BATCH_SIZES):
    """Converts the conversion source to one LiteRT format; returns the file's bytes.

    `batch_sizes` are those the source was written with. For `tflite_int8`,
    `representative_dataset` yields `(signature name, inputs)` pairs that
    cover every signature.

    Raises:
        UnsupportedOpsError: the generator uses ops outside the builtin set.
    """
    if fmt not in SUFFIXES:
        raise ValueError(f"Unknown LiteRT format. Expected one of {', '.join(SUFFIXES)}. Received: fmt={fmt!r}")
    converter = tf.lite.TFLiteConverter.from_saved_model(source_path, signature_keys=list(signature_names(batch_sizes)))
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
    if fmt != "tflite_fp32":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if fmt == "tflite_fp16":
        converter.target_spec.supported_types = [tf.float16]
    if fmt == "tflite_int8":
        if representative_dataset is None:
            raise ValueError("tflite_int8 needs a representative dataset. Received: representative_dataset=None")
        # Weights and activations int8; the inputs and outputs stay float32.
        converter.representative_dataset = representative_dataset
    try:
        with warnings.catch_warnings():
            # TF's converter calibrates int8 with its own tf.lite.Interpreter and warns that the class is
            # deprecated; this project runs every file with ai_edge_litert's interpreter instead.
            warnings.filterwarnings(
                "ignore", message=r"(?s).*tf\.lite\.Interpreter is deprecated", category=UserWarning
            )
            return converter.convert()
    except Exception as error:  # The converter's error class lives in a private module.
        ops = unsupported_ops(error)
        if not ops:
            raise
        raise UnsupportedOpsError(
            f"Cannot convert the generator to LiteRT with builtin ops only: it uses {', '.join(ops)}. Select TF ops "
            "need the Flex delegate, which the pip LiteRT runtimes lack, so such a file would fail when run. "
            f"Replace these ops, or export formats=saved_model only. Received: format={fmt!r}",
            ops,
        ) from error


def unsupported_ops(error):
    """`["tf.Cumprod (Select TF op)", ...]` from a converter error; empty for other failures."""
    found = set()
    for data in getattr(error, "errors", ()):
        code = data.DESCRIPTOR.fields_by_name["error_code"].enum_type.values_by_number[data.error_code].name
        if code in _UNSUPPORTED_CODES and data.operator.name:
            found.add(f"{data.operator.name} ({_UNSUPPORTED_CODES[code]})")
    return sorted(found)


def load_interpreter(content):
    """An interpreter for the file's bytes (one thread: results do not depend on the machine)."""
    return Interpreter(model_content=content, num_threads=1)


def signature_details(interpreter, name=signatures.SERVING_SIGNATURE):
    """`(inputs, outputs)`: tensor details by name of one signature of the file."""
    runner = interpreter.get_signature_runner(name)
    details = runner.get_input_details(), runner.get_output_details()
    # A live runner holds a reference that makes the interpreter refuse to
    # resize or reallocate; only its details are kept.
    del runner
    return details


def batch_signatures(interpreter):
    """`{batch size: signature name}` of a file's static-batch signatures; `{}` for a dynamic-batch file.

    Files exported before batch sizes were static have one `serving_default`
    whose batch dimension is -1 and is resized per call.
    """
    sizes = {}
    for name in interpreter.get_signature_list():
        inputs, _ = signature_details(interpreter, name)
        batch = int(next(iter(inputs.values()))["shape_signature"][0])
        if batch < 1:
            return {}
        sizes[batch] = name
    return sizes


def run(interpreter, inputs, batch_size=None):
    """Runs the file on numpy inputs of any number of rows; returns its one output for those rows.

    A static-batch file is called in chunks, each through the largest
    signature not above the rows left (the last chunk padded up to the
    smallest signature when needed), or only through the signature of
    `batch_size` when given; a dynamic-batch file is resized to the rows.
    """
    input_details, _ = signature_details(interpreter)
    if sorted(inputs) != sorted(input_details):
        raise ValueError(f"The file takes inputs {sorted(input_details)}. Received: inputs {sorted(inputs)}")
    inputs = {name: np.asarray(value, input_details[name]["dtype"]) for name, value in inputs.items()}
    rows = len(next(iter(inputs.values())))
    sizes = batch_signatures(interpreter)
    if not sizes:
        return _invoke(interpreter, signatures.SERVING_SIGNATURE, inputs, resize=True)
    if batch_size is not None:
        if batch_size not in sizes:
            raise ValueError(f"The file's batch sizes are {sorted(sizes)}. Received: batch_size={batch_size!r}")
        sizes = {batch_size: sizes[batch_size]}
    outputs, start = [], 0
    while start < rows:
        left = rows - start
        size = max([size for size in sizes if size <= left], default=min(sizes))
        chunk = {name: _pad_rows(value[start : start + size], size) for name, value in inputs.items()}
        outputs.append(_invoke(interpreter, sizes[size], chunk)[: min(size, left)])
        start += size
    return np.concatenate(outputs)


def _pad_rows(values, rows):
    """`values` with its last row repeated up to `rows` rows."""
    missing = rows - len(values)
    return values if missing <= 0 else np.concatenate([values, np.repeat(values[-1:], missing, axis=0)])


def _invoke(interpreter, signature, inputs, resize=False):
    """One call of a signature; `resize=True` first sizes a dynamic-batch file's inputs to `inputs`."""
    if resize:
        input_details, _ = signature_details(interpreter, signature)
        for name, value in inputs.items():
            interpreter.resize_tensor_input(input_details[name]["index"], np.shape(value))
        interpreter.allocate_tensors()
    # Each signature is its own subgraph: its runner sets, invokes and reads that subgraph's tensors.
    (output,) = interpreter.get_signature_runner(signature)(**inputs).values()
    return output


def describe(interpreter):
    """`{"inputs": ..., "outputs": ..., "batch_sizes": [...]}`: specs with the batch dimension as `None`.

    `batch_sizes` lists the static batch sizes of the signatures (`[]` for a
    dynamic-batch file); `run` serves any number of rows either way.
    """
    input_details, output_details = signature_details(interpreter)

    def spec(detail):
        shape = [None, *(None if size < 0 else int(size) for size in detail["shape_signature"][1:])]
        return {"dtype": np.dtype(detail["dtype"]).name, "shape": shape}

    return {
        "inputs": {name: spec(detail) for name, detail in sorted(input_details.items())},
        "outputs": {name: spec(detail) for name, detail in sorted(output_details.items())},
        "batch_sizes": sorted(batch_signatures(interpreter)),
    }
