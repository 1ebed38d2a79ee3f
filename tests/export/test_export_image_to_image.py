"""Export of an image-to-image generator (pix2pix): an `image` signature, measured on held-out sources.

One smoke-sized `pix2pix_edges_shapes` model (edge map, 1 channel -> colour
shape, 3 channels) is exported once in every format.
"""

import numpy as np
import pytest
import tensorflow as tf
from ai_edge_litert.interpreter import Interpreter

from export_testing import SAVED_MODEL_CLI, assert_tflite_close, export_smoke_recipe, run_cli
from tfgan_zoo import export, held_out
from tfgan_zoo.export import evaluation, litert

RECIPE = "pix2pix_edges_shapes"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    return export_smoke_recipe(tmp_path_factory.mktemp("pix2pix"), RECIPE)


def test_saved_model_has_one_image_signature_with_dynamic_batch(exported):
    model, out, manifest = exported
    assert manifest["saved_model"]["signatures"] == {"serving_default": {
        "inputs": {"image": {"dtype": "float32", "shape": [None, 32, 32, 1]}},
        "outputs": {"image": {"dtype": "float32", "shape": [None, 32, 32, 3]},
                    "image_uint8": {"dtype": "uint8", "shape": [None, 32, 32, 3]}},
    }}
    assert manifest["latent_dim"] is None and manifest["latent_prior"] is None
    assert manifest["output"] == "image" and manifest["sample_shape"] == [32, 32, 3]


def test_saved_model_cli_run_matches_the_keras_translation(exported, tmp_path):
    """The C++ loader that TF Serving uses (PITFALLS 9)."""
    model, out, manifest = exported
    sources = held_out.heldout_examples(model, 3, seed=5)[0]
    np.save(tmp_path / "image.npy", sources)
    run_cli(SAVED_MODEL_CLI, "run", "--dir", str(out / manifest["saved_model"]["path"]), "--tag_set", "serve",
            "--signature_def", "serving_default", "--inputs", f"image={tmp_path}/image.npy",
            "--outdir", str(tmp_path / "outputs"))
    np.testing.assert_allclose(np.load(tmp_path / "outputs" / "image.npy"), model.translate(sources), atol=1e-5)


@pytest.mark.parametrize("fmt", export.FORMATS[1:])
def test_tflite_runs_at_batch_1_and_resized_batch_8(exported, fmt):
    model, out, manifest = exported
    interpreter = Interpreter(model_path=str(out / manifest["tflite"][fmt]["path"]))
    for count in (1, 8):
        sources = held_out.heldout_examples(model, count, seed=20 + count)[0]
        actual, expected = litert.run(interpreter, {"image": sources}), model.translate(sources)
        assert actual.shape == expected.shape == (count, 32, 32, 3)
        assert_tflite_close(actual, expected, fmt, manifest)


def test_errors_are_measured_on_heldout_sources(exported):
    model, out, manifest = exported
    sources = held_out.example_sources(model, evaluation.EVALUATION_BATCH, evaluation.EVALUATION_SEED)
    np.testing.assert_array_equal(sources, held_out.heldout_examples(model, evaluation.EVALUATION_BATCH)[0])
    interpreter = Interpreter(model_path=str(out / manifest["tflite"]["tflite_fp16"]["path"]), num_threads=1)
    error = np.abs(litert.run(interpreter, {"image": sources}) - model.translate(sources))
    assert manifest["tflite"]["tflite_fp16"]["max_abs_error"] == pytest.approx(float(error.max()), abs=1e-6)
    loaded = tf.saved_model.load(str(out / manifest["saved_model"]["path"]))
    assert sorted(loaded.signatures) == ["serving_default"]
