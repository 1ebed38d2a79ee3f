"""Helpers shared by the export tests: models with moved statistics, TF Serving's decoding and REST API, CLIs."""

import contextlib
import http.server
import importlib.util
import json
import os
import subprocess
import sys
import threading

import keras
import numpy as np
import tensorflow as tf

from conftest import REPO_ROOT
from tfgan_zoo import export, recipes, training

# One recipe per distinct kind of registered model (smoke-sized in the tests).
KINDS = {
    "dcgan_image": "dcgan_shapes",
    "conditional_image": "cgan_shapes",
    "mlp_image": "gan_mnist8k",
    "points_2d": "gan_ring8",
}
SAVED_MODEL_CLI = os.path.join(os.path.dirname(sys.executable), "saved_model_cli")
ENV = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
# LiteRT formats held to Keras's outputs element by element; int8 is held to its measured mean error instead.
EXACT_TOLERANCES = {"tflite_fp32": 1e-4, "tflite_fp16": 1e-2}


def move_batchnorm_statistics(network, seed=0):
    """Gives every BatchNorm layer moving statistics far from (0, 1).

    With the initial statistics, `training=False` and `training=True` could
    agree closely enough to hide an export in the wrong mode.
    """
    rng = np.random.default_rng(seed)
    for layer in network.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.moving_mean.assign(rng.normal(0.0, 0.1, layer.moving_mean.shape).astype("float32"))
            layer.moving_variance.assign(rng.uniform(0.5, 2.0, layer.moving_variance.shape).astype("float32"))


def export_smoke_recipe(out, recipe_name, formats=None, **overrides):
    """Builds `recipe_name` at smoke size (with `overrides`), moves its BatchNorm statistics and exports it to
    `out`: `(model, out, manifest)`."""
    recipe = recipes.get_recipe(recipe_name).smoke_sized()
    model = training.build_model(recipe.with_overrides(overrides) if overrides else recipe)
    move_batchnorm_statistics(model.generator)
    options = {"formats": formats} if formats else {}
    manifest = export.export_model(model, str(out), recipe_name, recipe_name=recipe_name, **options)
    return model, out, manifest


def assert_tflite_close(actual, expected, fmt, manifest):
    """A LiteRT format's outputs against Keras's: element-wise for the exact formats, else by the mean error
    within the tolerance the export recorded in its manifest."""
    if fmt in EXACT_TOLERANCES:
        np.testing.assert_allclose(actual, expected, atol=EXACT_TOLERANCES[fmt])
    else:
        assert np.abs(actual - expected).mean() <= manifest["tflite"][fmt]["tolerance"]


def keras_samples(model, latent, labels=None, generator=None):
    """The reference: the model's own generator call with `training=False`."""
    generator = generator or model.sampling_generator
    labels = None if labels is None else np.asarray(labels, np.int32)
    return np.asarray(model.generate_from(np.asarray(latent, np.float32), labels, training=False, generator=generator))


def labels_for(model, count):
    return None if model.num_classes is None else (np.arange(count) % model.num_classes).astype(np.int32)


def decode_like_tf_serving(body, function):
    """Turns a REST predict body into the signature's tensors as TF Serving does.

    Row format: every row is an object with the same input names, stacked
    along a new batch dimension. Columnar format: each named value is one
    tensor. JSON numbers take the signature's dtype; shapes must fit its spec.
    """
    specs = function.structured_input_signature[1]
    body = json.loads(json.dumps(body))  # what goes over the wire
    if "instances" in body:
        rows = body["instances"]
        assert all(isinstance(row, dict) and sorted(row) == sorted(specs) for row in rows), rows[:2]
        columns = {name: [row[name] for row in rows] for name in specs}
    else:
        columns = body["inputs"]
        assert sorted(columns) == sorted(specs), columns.keys()
    tensors = {}
    for name, spec in specs.items():
        tensors[name] = tf.constant(np.asarray(columns[name], spec.dtype.as_numpy_dtype))
        assert spec.shape.is_compatible_with(tensors[name].shape), (name, spec.shape, tensors[name].shape)
    return tensors


@contextlib.contextmanager
def emulated_rest_server(loaded):
    """A local stand-in for TF Serving's REST predict API over the SavedModel `loaded`.

    Yields `(address, requests)`: `host:port` for the client, and the
    `(path, body)` of every request received. Bodies are decoded as TF
    Serving does (`decode_like_tf_serving`) and answered in the format they
    came in: `predictions` rows for `instances`, `outputs` columns for `inputs`.
    """
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            requests.append((self.path, body))
            function = loaded.signatures[body.get("signature_name", "serving_default")]
            results = function(**decode_like_tf_serving(body, function))
            outputs = {name: value.numpy().tolist() for name, value in results.items()}
            if "instances" in body:
                reply = {"predictions": [dict(zip(outputs, row)) for row in zip(*outputs.values())]}
            else:
                reply = {"outputs": outputs}
            payload = json.dumps(reply).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"127.0.0.1:{server.server_port}", requests
    finally:
        server.shutdown()
        server.server_close()


# Runs a kit script (its path, then its flags) with TensorFlow and tfgan_zoo made
# unimportable: the kit must need only numpy and ai-edge-litert.
WITHOUT_TENSORFLOW = (
    "import runpy, sys; sys.modules['tensorflow'] = None; sys.modules['tfgan_zoo'] = None; "
    "sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')"
)


def run_cli(*args, check=True):
    """Runs a command line tool (its path first) in a subprocess from the repository root."""
    result = subprocess.run(list(args), cwd=REPO_ROOT, capture_output=True, text=True, env=ENV)
    if check and result.returncode != 0:
        raise AssertionError(f"{args} failed ({result.returncode}):\n{result.stderr[-4000:]}")
    return result


def load_kit_module(relative_path, name):
    """Imports a deployment-kit script (export/...) as a module."""
    spec = importlib.util.spec_from_file_location(name, os.path.join(REPO_ROOT, relative_path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def decode_png(path):
    return tf.io.decode_png(tf.io.read_file(str(path))).numpy()
