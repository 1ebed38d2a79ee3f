"""The two-stage pipeline from the command line: one recipe trains both stages, one export serves latent -> image."""

import json
import sys

import numpy as np
import pytest
import tensorflow as tf

from export_testing import decode_png, keras_samples, run_cli
from tfgan_zoo import saved_runs
from tfgan_zoo.export import litert


def tfgan_zoo(*args, check=True):
    return run_cli(sys.executable, "-m", "tfgan_zoo.cli.main", *args, check=check)


@pytest.fixture(scope="module")
def pipeline_export(tmp_path_factory):
    run = tmp_path_factory.mktemp("two_stage") / "run"
    trained = tfgan_zoo("train", "--recipe=two_stage_shapes", "--smoke", f"--out={run}", "--verbose=0")
    out = run.parent / "exported"
    tfgan_zoo("export", f"--run={run}", f"--out={out}", "--formats=saved_model,tflite_fp32")
    return run, out, trained.stdout


def test_train_runs_both_stages_and_writes_the_stage_grid(pipeline_export):
    run, _, stdout = pipeline_export
    assert "4 steps" in stdout  # 2 per stage at smoke size
    for stage in ("stage1", "stage2"):
        assert json.loads((run / stage / "checkpoints" / "state.json").read_text())["step"] == 2
    assert decode_png(run / "samples" / "stages.png").shape == (6 * 33 + 1, 8 * 33 + 1, 3)


def test_one_export_serves_latent_to_upscaled_image_as_keras(pipeline_export):
    run, out, _ = pipeline_export
    model, _ = saved_runs.load_run(str(run))
    manifest = json.loads((out / "manifest.json").read_text())
    assert (manifest["recipe"], manifest["model_class"], manifest["sample_shape"]) == (
        "two_stage_shapes", "TwoStage", [32, 32, 3])
    latent = model.latent_for_seed(4, seed=6)
    loaded = tf.saved_model.load(str(out / manifest["saved_model"]["path"]))
    served = loaded.signatures["serving_default"](latent=tf.constant(latent))["image"]
    np.testing.assert_allclose(served, keras_samples(model, latent), atol=1e-5)
    low = loaded.signatures["low_resolution"](latent=tf.constant(latent))["output"]
    np.testing.assert_allclose(low, model.generate_stages(latent=latent)[0], atol=1e-5)
    assert low.shape == (4, 8, 8, 3)
    interpreter = litert.load_interpreter((out / manifest["tflite"]["tflite_fp32"]["path"]).read_bytes())
    np.testing.assert_allclose(litert.run(interpreter, {"latent": latent}), keras_samples(model, latent), atol=1e-4)


def test_sample_command_writes_upscaled_samples(pipeline_export, tmp_path):
    run, _, _ = pipeline_export
    tfgan_zoo("sample", f"--run={run}", "--num=3", f"--out={tmp_path / 'samples.npz'}")
    assert np.load(tmp_path / "samples.npz")["x"].shape == (3, 32, 32, 3)
