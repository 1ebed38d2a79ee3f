"""`tfgan-zoo latent` and `tfgan-zoo project` on smoke-trained runs: the PNGs, the JSON, the errors."""

import json

import numpy as np
import pytest

from test_cli import read_png, smoke_runs, tfgan_zoo_in_process
from tfgan_zoo.utils import images


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    return smoke_runs(tmp_path_factory.mktemp("latent"), ("dcgan_shapes", "cgan_shapes", "vae_shapes"))


def _run_ok(capsys, *args):
    status, stderr = tfgan_zoo_in_process(capsys, *args)
    assert status == 0, stderr
    return stderr


@pytest.mark.parametrize("op, flags, rows, columns", [
    ("interpolate", ["--pairs=0:3,1:2", "--frames=5", "--method=lerp"], 2, 5),
    ("arithmetic", ["--expression=0,1-2+3"], 4, 8),
    ("traverse", ["--indices=1", "--dims=0,5,7", "--span=-2,2", "--frames=4"], 3, 4),
], ids=["interpolate", "arithmetic", "traverse"])
def test_latent_ops_write_their_grids(op, flags, rows, columns, runs, tmp_path, capsys):
    out = tmp_path / f"{op}.png"
    _run_ok(capsys, "latent", f"--run={runs / 'dcgan_shapes'}", f"--op={op}", *flags, f"--out={out}")
    assert read_png(out).shape == (rows * 33 + 1, columns * 33 + 1, 3)


def test_label_grid_and_conditional_interpolation(runs, tmp_path, capsys):
    run = runs / "cgan_shapes"
    _run_ok(capsys, "latent", f"--run={run}", "--op=labels", "--indices=0,4", f"--out={tmp_path / 'labels.png'}")
    assert read_png(tmp_path / "labels.png").shape == (2 * 33 + 1, 3 * 33 + 1, 3)
    _run_ok(capsys, "latent", f"--run={run}", "--op=interpolate", "--pairs=0:1", "--frames=3", "--label=2",
            f"--out={tmp_path / 'interp.png'}")
    assert read_png(tmp_path / "interp.png").shape == (34, 3 * 33 + 1, 3)


def _target(path, run):
    from tfgan_zoo import saved_runs

    model, _ = saved_runs.load_run(str(run))
    images.write_png(str(path), images.to_uint8(model.generate(1, seed=7)[0]))


def test_project_writes_pngs_and_a_json_with_the_errors(runs, tmp_path, capsys):
    run, out = runs / "vae_shapes", tmp_path / "projected"
    _target(tmp_path / "target.png", run)
    _run_ok(capsys, "project", f"--run={run}", f"--image={tmp_path / 'target.png'}", "--via=both",
            "--iterations=30", "--restarts=2", "--direction=0-1", "--frames=3", f"--out={out}")
    report = json.loads((out / "projection.json").read_text())
    assert set(report["methods"]) == {"optimisation", "encoder"} and report["direction"] == "0-1"
    optimised = report["methods"]["optimisation"]
    assert optimised["iterations"] == 30 and len(optimised["restart_objectives"]) == 2
    assert optimised["feature_weight"] == 0.0  # a VAE has no discriminator
    for method in ("optimisation", "encoder"):
        result = report["methods"][method]
        assert len(result["latent"]) == 32 and result["mse"] >= 0 and np.isfinite(result["psnr_db"])
        assert read_png(out / f"reconstruction_{method}.png").shape == (32, 32, 3)
        assert read_png(out / f"edit_{method}.png").shape == (34, 3 * 33 + 1, 3)
    assert read_png(out / "comparison.png").shape == (34, 3 * 33 + 1, 3)
    np.testing.assert_array_equal(read_png(out / "target.png"), read_png(tmp_path / "target.png"))


def test_project_a_conditional_run_by_optimisation(runs, tmp_path, capsys):
    run, out = runs / "cgan_shapes", tmp_path / "conditional"
    _target(tmp_path / "target.png", run)
    _run_ok(capsys, "project", f"--run={run}", f"--image={tmp_path / 'target.png'}", "--label=0",
            "--iterations=5", "--restarts=1", f"--out={out}")
    report = json.loads((out / "projection.json").read_text())
    assert report["methods"]["optimisation"]["feature_weight"] == 0.1 and report["direction"] == "dim:0"


@pytest.mark.parametrize("args, message", [
    (("latent", "--run={dcgan}", "--op=morph", "--out={tmp}/x.png"), "--op='morph'"),
    (("latent", "--run={dcgan}", "--op=interpolate", "--out={tmp}/x.png"), "--pairs"),
    (("latent", "--run={dcgan}", "--op=interpolate", "--pairs=0-3", "--out={tmp}/x.png"), "--pairs='0-3'"),
    (("latent", "--run={dcgan}", "--op=interpolate", "--pairs=0:64", "--out={tmp}/x.png"), "indices=[0, 64]"),
    (("latent", "--run={dcgan}", "--op=interpolate", "--pairs=0:1", "--method=cubic", "--out={tmp}/x.png"),
     "--method='cubic'"),
    (("latent", "--run={dcgan}", "--op=labels", "--out={tmp}/x.png"), "--op='labels'"),
    (("latent", "--run={dcgan}", "--op=arithmetic", "--expression=1*2", "--out={tmp}/x.png"), "expression='1*2'"),
    (("latent", "--run={dcgan}", "--op=traverse", "--span=3", "--out={tmp}/x.png"), "--span='3'"),
    (("latent", "--run={dcgan}", "--op=traverse", "--out={tmp}/x.jpg"), "--out="),
    (("project", "--run={dcgan}", "--image={tmp}/missing.png", "--out={tmp}/p"), "missing.png"),
    (("project", "--run={dcgan}", "--image={tmp}/missing.png", "--via=encoder", "--out={tmp}/p"), "--via='encoder'"),
    (("project", "--run={dcgan}", "--image={tmp}/missing.png", "--via=magic", "--out={tmp}/p"), "--via='magic'"),
    (("project", "--run={cgan}", "--image={tmp}/missing.png", "--out={tmp}/p"), "--label=None"),
    (("project", "--run={dcgan}", "--image={tmp}/missing.png", "--label=1", "--out={tmp}/p"), "--label=1"),
], ids=["op", "no_pairs", "pairs_form", "pair_index", "method", "labels_unconditional", "expression", "span",
        "out_format", "missing_image", "no_encoder", "via", "conditional_needs_label", "unconditional_label"])
def test_errors_name_the_value(args, message, runs, tmp_path, capsys):
    args = [arg.format(tmp=tmp_path, dcgan=runs / "dcgan_shapes", cgan=runs / "cgan_shapes") for arg in args]
    status, stderr = tfgan_zoo_in_process(capsys, *args)
    assert status == 2 and message in stderr, stderr
