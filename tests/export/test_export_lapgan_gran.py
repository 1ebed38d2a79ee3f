"""LAPGAN's sampling cascade and GRAN's recurrent generator export as one `latent -> image` generator.

Both are built of nested sub-models (the levels; the canvas encoder and
decoder called at every step) whose BatchNorm statistics are moved, so an
export in training mode or with a stale copy of a sub-model would show.
"""

import keras
import numpy as np
import pytest

from export_testing import SAVED_MODEL_CLI, keras_samples, move_batchnorm_statistics, run_cli
from tfgan_zoo import export, recipes, training
from tfgan_zoo.export import litert

FORMATS = "saved_model,tflite_fp32,tflite_fp16"
TOLERANCES = {"tflite_fp32": 1e-4, "tflite_fp16": 1e-2}


@pytest.fixture(scope="module", params=["lapgan_mnist8k", "gran_mnist8k"])
def exported(request, tmp_path_factory):
    """`(model, out folder, manifest)` of the smoke-sized recipe, exported once."""
    recipe = recipes.get_recipe(request.param).smoke_sized()
    model = training.build_model(recipe)
    nested = [layer for layer in model.generator.layers if isinstance(layer, keras.Model)]
    assert nested, "the generator should hold its levels or its canvas encoder and decoder as sub-models"
    for seed, network in enumerate(nested):
        move_batchnorm_statistics(network, seed=seed)
    out = tmp_path_factory.mktemp(request.param)
    manifest = export.export_model(model, str(out), recipe.name, formats=FORMATS, recipe_name=recipe.name)
    return model, out, manifest


def test_saved_model_cli_run_matches_keras(exported, tmp_path):
    """The C++ loader that TF Serving uses (PITFALLS 9), one `latent` input, `image` output."""
    model, out, manifest = exported
    assert manifest["saved_model"]["signatures"]["serving_default"]["inputs"] == {
        "latent": {"dtype": "float32", "shape": [None, model.latent_dim]}}
    latent = model.latent_for_seed(3, seed=5)
    np.save(tmp_path / "latent.npy", latent)
    run_cli(SAVED_MODEL_CLI, "run", "--dir", str(out / manifest["saved_model"]["path"]), "--tag_set", "serve",
            "--signature_def", "serving_default", "--inputs", f"latent={tmp_path / 'latent.npy'}",
            "--outdir", str(tmp_path / "outputs"))
    np.testing.assert_allclose(np.load(tmp_path / "outputs" / "image.npy"), keras_samples(model, latent), atol=1e-5)


@pytest.mark.parametrize("fmt", sorted(TOLERANCES))
def test_litert_file_matches_keras_at_batch_1_and_5(exported, fmt):
    """Builtin ops only (the export refuses anything else), resized to a larger batch."""
    model, out, manifest = exported
    with open(out / manifest["tflite"][fmt]["path"], "rb") as handle:
        interpreter = litert.load_interpreter(handle.read())
    for count in (1, 5):
        latent = model.latent_for_seed(count, seed=10 + count)
        actual = litert.run(interpreter, {"latent": latent})
        np.testing.assert_allclose(actual, keras_samples(model, latent), atol=TOLERANCES[fmt])
