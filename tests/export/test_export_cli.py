"""`tfgan-zoo export` on a smoke run, end to end, and the standalone LiteRT sampler."""

import json
import os
import sys

import numpy as np
import pytest
import tensorflow as tf
from ai_edge_litert.interpreter import Interpreter

from conftest import REPO_ROOT
from export_testing import WITHOUT_TENSORFLOW, decode_png, keras_samples, load_kit_module, run_cli
from tfgan_zoo import saved_runs
from tfgan_zoo.export import litert


def tfgan_zoo(*args, check=True):
    return run_cli(sys.executable, "-m", "tfgan_zoo.cli.main", *args, check=check)


@pytest.fixture(scope="module")
def smoke_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("export_cli") / "run"
    tfgan_zoo("train", "--recipe=dcgan_shapes", "--smoke", f"--out={out}", "--verbose=0")
    return out


@pytest.fixture(scope="module")
def cli_export(smoke_run):
    out = smoke_run.parent / "exported"
    # One static batch of 4: the sampler's 9 samples take two calls and a padded third.
    result = tfgan_zoo(
        "export", f"--run={smoke_run}", f"--out={out}", "--formats=saved_model,tflite_fp32", "--litert_batches=4"
    )
    return out, result.stdout, result.stderr


def test_export_command_writes_requested_formats(smoke_run, cli_export):
    out, stdout, stderr = cli_export
    assert stderr == ""  # LiteRT's "Created TensorFlow Lite XNNPACK delegate" is hidden without --verbose
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["formats"] == ["saved_model", "tflite_fp32"] and manifest["recipe"] == "dcgan_shapes"
    assert manifest["generator"] == "ema"
    assert sorted(os.listdir(out)) == ["manifest.json", "saved_model", "tflite"]
    assert os.listdir(out / "tflite") == ["dcgan_shapes_fp32.tflite"]
    assert "saved_model/dcgan_shapes/1" in stdout and "tflite_fp32" in stdout

    # The SavedModel serves what the trained run's EMA generator computes.
    model, _ = saved_runs.load_run(str(smoke_run))
    latent = model.latent_for_seed(3, 5)
    served = tf.saved_model.load(str(out / "saved_model" / "dcgan_shapes" / "1")).signatures["serving_default"]
    np.testing.assert_allclose(served(latent=latent)["image"].numpy(), keras_samples(model, latent), atol=1e-5)

    # The LiteRT file has the one static batch asked for, and serves 9 rows in calls of 4, the last padded.
    assert manifest["tflite"]["tflite_fp32"]["batch_sizes"] == [4]
    interpreter = Interpreter(model_path=str(out / "tflite" / "dcgan_shapes_fp32.tflite"))
    assert litert.batch_signatures(interpreter) == {4: "serving_default"}
    latent = model.latent_for_seed(9, 6)
    np.testing.assert_allclose(litert.run(interpreter, {"latent": latent}), keras_samples(model, latent), atol=1e-4)


def test_bad_formats_exit_2_naming_the_value(smoke_run, tmp_path):
    result = tfgan_zoo(
        "export", f"--run={smoke_run}", f"--out={tmp_path / 'x'}", "--formats=saved_model,foo", check=False
    )
    assert result.returncode == 2 and "'foo'" in result.stderr
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("value", ["0", "1,x"])
def test_bad_litert_batches_exit_2_naming_the_value(smoke_run, tmp_path, value):
    result = tfgan_zoo(
        "export", f"--run={smoke_run}", f"--out={tmp_path / 'x'}", f"--litert_batches={value}", check=False
    )
    assert result.returncode == 2 and f"--litert_batches={value}" in result.stderr
    assert not (tmp_path / "x").exists()


def test_litert_sampler_writes_png_without_tensorflow(cli_export, tmp_path):
    out, _, _ = cli_export
    sampler = os.path.join(REPO_ROOT, "export", "litert", "sampler.py")
    model = out / "tflite" / "dcgan_shapes_fp32.tflite"
    result = run_cli(sys.executable, "-c", WITHOUT_TENSORFLOW, sampler, f"--model={model}", "--num=9",
                     f"--out={tmp_path / 'grid.png'}")
    assert "Wrote 9 samples" in result.stdout
    grid = decode_png(tmp_path / "grid.png")
    assert grid.shape == (3 * 33 + 1, 3 * 33 + 1, 3) and grid.std() > 0


def test_client_grpc_without_serving_api_says_what_to_install(monkeypatch):
    client = load_kit_module("export/serving/client.py", "serving_client")
    monkeypatch.setitem(sys.modules, "tensorflow_serving", None)  # as if not installed
    with pytest.raises(SystemExit, match="pip install tensorflow-serving-api"):
        client.predict_grpc("localhost:8500", "dcgan_shapes", "sample", {"seed": np.arange(2)})
