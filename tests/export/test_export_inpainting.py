"""Export of an inpainting generator: an `image` + `mask` signature, measured on held-out masked digits.

One smoke-sized `inpainting_mnist8k` model is exported once in every format.
"""

import numpy as np
import pytest
import tensorflow as tf
from ai_edge_litert.interpreter import Interpreter

from export_testing import SAVED_MODEL_CLI, assert_tflite_close, export_smoke_recipe, run_cli
from tfgan_zoo import export, held_out
from tfgan_zoo.export import evaluation, litert

RECIPE = "inpainting_mnist8k"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    return export_smoke_recipe(tmp_path_factory.mktemp("inpainting"), RECIPE)


def _heldout(model, count, seed):
    """Held-out digits and their masks: `(images, masks)`."""
    (_, masks), images, _ = held_out.heldout_examples(model, count, seed=seed)
    return images, masks


def test_saved_model_takes_an_image_and_its_mask_with_dynamic_batch(exported):
    model, out, manifest = exported
    assert manifest["saved_model"]["signatures"] == {"serving_default": {
        "inputs": {"image": {"dtype": "float32", "shape": [None, 28, 28, 1]},
                   "mask": {"dtype": "float32", "shape": [None, 28, 28, 1]}},
        "outputs": {"image": {"dtype": "float32", "shape": [None, 28, 28, 1]},
                    "image_uint8": {"dtype": "uint8", "shape": [None, 28, 28, 1]}},
    }}
    assert manifest["model_class"] == "InpaintingGAN" and manifest["latent_dim"] is None


def test_saved_model_cli_run_matches_keras_and_keeps_known_pixels(exported, tmp_path):
    """The C++ loader that TF Serving uses (PITFALLS 9)."""
    model, out, manifest = exported
    images, masks = _heldout(model, 3, seed=5)
    np.save(tmp_path / "image.npy", images)
    np.save(tmp_path / "mask.npy", masks)
    run_cli(SAVED_MODEL_CLI, "run", "--dir", str(out / manifest["saved_model"]["path"]), "--tag_set", "serve",
            "--signature_def", "serving_default", "--inputs",
            f"image={tmp_path}/image.npy;mask={tmp_path}/mask.npy", "--outdir", str(tmp_path / "outputs"))
    served = np.load(tmp_path / "outputs" / "image.npy")
    np.testing.assert_allclose(served, model.inpaint(images, masks), atol=1e-5)
    np.testing.assert_array_equal(served * (1 - masks), images * (1 - masks))


@pytest.mark.parametrize("fmt", export.FORMATS[1:])
def test_tflite_runs_at_batch_1_and_resized_batch_8(exported, fmt):
    model, out, manifest = exported
    interpreter = Interpreter(model_path=str(out / manifest["tflite"][fmt]["path"]))
    for count in (1, 8):
        images, masks = _heldout(model, count, seed=20 + count)
        actual, expected = litert.run(interpreter, {"image": images, "mask": masks}), model.inpaint(images, masks)
        assert actual.shape == expected.shape == (count, 28, 28, 1)
        assert_tflite_close(actual, expected, fmt, manifest)


def test_errors_are_measured_on_heldout_masked_digits(exported):
    model, out, manifest = exported
    inputs = evaluation.evaluation_inputs(model, {"image": None, "mask": None})
    (masked, masks), _, _ = held_out.heldout_examples(model, evaluation.EVALUATION_BATCH)
    np.testing.assert_array_equal(inputs["image"], masked)
    np.testing.assert_array_equal(inputs["mask"], masks)
    interpreter = Interpreter(model_path=str(out / manifest["tflite"]["tflite_fp16"]["path"]), num_threads=1)
    error = np.abs(litert.run(interpreter, inputs) - model.inpaint(masked, masks))
    assert manifest["tflite"]["tflite_fp16"]["max_abs_error"] == pytest.approx(float(error.max()), abs=1e-6)
    loaded = tf.saved_model.load(str(out / manifest["saved_model"]["path"]))
    assert sorted(loaded.signatures) == ["serving_default"]
