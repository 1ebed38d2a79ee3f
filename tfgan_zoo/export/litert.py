"""LiteRT (`.tflite`) files of a generator: builtin ops only, run, measured and gated.

The pip LiteRT runtimes have no Flex delegate: a file that needs Select TF
ops converts "successfully" and then fails when run (LiteRT#6458), and
Keras's own `export(format="litert")` turns Select TF ops on silently. Here
conversion allows builtin ops only and names the ops that would need more.

Each file is converted from a copy of the generator fit for LiteRT
(`conversion.conversion_copy`) whose one signature maps the generator's
named inputs to one output, `image` or `sample`; noise is an input, never
drawn inside the file.
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


def write_conversion_source(generator, path):
    """Writes the SavedModel every LiteRT file is converted from: float32, one signature."""
    network = conversion.conversion_copy(generator)
    specs = signatures.generator_input_specs(network)
    output = signatures.output_kind(network)

    def serve(inputs):
        return {output: tf.cast(signatures.call_network(network, inputs), tf.float32)}

    archive = keras.export.ExportArchive()
    archive.track(network)
    archive.add_endpoint(signatures.SERVING_SIGNATURE, serve, input_signature=[specs])
    archive.write_out(path, verbose=False)


def convert(source_path, fmt, representative_dataset=None):
    """Converts the conversion source to one LiteRT format; returns the file's bytes.

    Raises:
        UnsupportedOpsError: the generator uses ops outside the builtin set.
    """
    if fmt not in SUFFIXES:
        raise ValueError(f"Unknown LiteRT format. Expected one of {', '.join(SUFFIXES)}. Received: fmt={fmt!r}")
    converter = tf.lite.TFLiteConverter.from_saved_model(source_path)
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


def signature_details(interpreter):
    """`(inputs, outputs)`: tensor details by name of the file's one signature."""
    runner = interpreter.get_signature_runner(signatures.SERVING_SIGNATURE)
    details = runner.get_input_details(), runner.get_output_details()
    # A live runner holds a reference that makes the interpreter refuse to
    # resize or reallocate; only its details are kept.
    del runner
    return details


def run(interpreter, inputs):
    """Runs the file's signature on numpy inputs of any batch size; returns its one output.

    Inputs are resized to the batch given (`resize_tensor_input` +
    `allocate_tensors`), so files exported with batch 1 serve any batch.
    """
    input_details, output_details = signature_details(interpreter)
    if sorted(inputs) != sorted(input_details):
        raise ValueError(f"The file takes inputs {sorted(input_details)}. Received: inputs {sorted(inputs)}")
    for name, value in inputs.items():
        interpreter.resize_tensor_input(input_details[name]["index"], np.shape(value))
    interpreter.allocate_tensors()
    for name, value in inputs.items():
        interpreter.set_tensor(input_details[name]["index"], np.asarray(value, input_details[name]["dtype"]))
    interpreter.invoke()
    (output,) = output_details.values()
    return interpreter.get_tensor(output["index"])


def describe(interpreter):
    """`{"inputs": {name: spec}, "outputs": {name: spec}}`, batch dimension as `None`."""
    input_details, output_details = signature_details(interpreter)

    def spec(detail):
        shape = [None if size < 0 else int(size) for size in detail["shape_signature"]]
        return {"dtype": np.dtype(detail["dtype"]).name, "shape": shape}

    return {
        "inputs": {name: spec(detail) for name, detail in sorted(input_details.items())},
        "outputs": {name: spec(detail) for name, detail in sorted(output_details.items())},
    }
