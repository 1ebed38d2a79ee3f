"""The `tfgan-zoo` command end to end, at smoke size, in subprocesses."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from conftest import REPO_ROOT


def tfgan_zoo(*args, check=True):
    result = subprocess.run(
        [sys.executable, "-m", "tfgan_zoo.cli.main", *args],
        cwd=REPO_ROOT, capture_output=True, text=True,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    if check and result.returncode != 0:
        raise AssertionError(f"tfgan-zoo {args} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return result


def test_list_prints_one_recipe_per_line():
    from tfgan_zoo import recipes

    assert tfgan_zoo("list").stdout.split() == sorted(recipes.RECIPES)


@pytest.fixture(scope="module")
def cgan_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "cgan"
    tfgan_zoo("train", "--recipe=cgan_shapes", f"--out={out}", "--smoke", "--seed=3", "--set=g_lr=0.001", "--verbose=2")
    return out


def test_train_writes_checkpoint_samples_and_tensorboard_logs(cgan_run):
    assert (cgan_run / "checkpoints" / "model.keras").exists()
    assert sorted(p.name for p in (cgan_run / "samples").iterdir()) == ["step_0000002.png", "step_0000004.png"]
    events = [p for p in (cgan_run / "logs").rglob("events.out.tfevents*")]
    assert {p.parent.name for p in events} >= {"train", "samples"}
    recipe = (cgan_run / "recipe.json").read_text()
    assert '"seed": 3' in recipe and '"g_lr": 0.001' in recipe


def test_sample_npz_balanced_and_fixed_label(cgan_run, tmp_path):
    tfgan_zoo("sample", f"--run={cgan_run}", "--num=9", f"--out={tmp_path / 'balanced.npz'}")
    arrays = np.load(tmp_path / "balanced.npz")
    assert arrays["x"].shape == (9, 32, 32, 3) and arrays["x"].dtype == np.uint8
    assert np.bincount(arrays["y"]).tolist() == [3, 3, 3]
    tfgan_zoo("sample", f"--run={cgan_run}", "--num=4", "--label=2", f"--out={tmp_path / 'two.npz'}")
    assert np.load(tmp_path / "two.npz")["y"].tolist() == [2, 2, 2, 2]


def test_sample_png_grid(cgan_run, tmp_path):
    import tensorflow as tf

    tfgan_zoo("sample", f"--run={cgan_run}", "--num=4", f"--out={tmp_path / 'grid.png'}")
    grid = tf.io.decode_png(tf.io.read_file(str(tmp_path / "grid.png"))).numpy()
    assert grid.shape == (2 * 33 + 1, 2 * 33 + 1, 3)


def test_train_again_resumes_the_run(cgan_run):
    result = tfgan_zoo("train", "--recipe=cgan_shapes", f"--out={cgan_run}", "--smoke", "--seed=3",
                       "--set=g_lr=0.001", "--steps=6", "--verbose=0")
    assert "6 steps" in result.stdout
    assert (cgan_run / "samples" / "step_0000006.png").exists()


def tfgan_zoo_in_process(capsys, *args):
    """`main` on parsed flags in this process: `(exit status, stderr)` without a TensorFlow start-up each."""
    from absl import flags

    from tfgan_zoo.cli import main

    flags.FLAGS.unparse_flags()
    try:
        argv = flags.FLAGS(["tfgan-zoo", *args])
        status = main.main(argv)
    finally:
        flags.FLAGS.unparse_flags()
    return status, capsys.readouterr().err


def smoke_runs(root, names):
    """Trains each recipe of `names` for 2 smoke-sized steps into `root/<name>`; returns `root`."""
    from tfgan_zoo import recipes, training

    for name in names:
        recipe = recipes.get_recipe(name).smoke_sized().with_overrides({"steps": 2})
        training.train(recipe, str(root / name), verbose=0)
    return root


def read_png(path):
    """The pixels of a PNG file as a uint8 array `[H, W, C]`."""
    import tensorflow as tf

    return tf.io.decode_png(tf.io.read_file(str(path))).numpy()


def test_errors_exit_2_with_one_line_and_unknown_commands_fail():
    result = tfgan_zoo("train", "--recipe=nope", check=False)
    assert result.returncode == 2 and "tfgan-zoo train: error:" in result.stderr and "recipe='nope'" in result.stderr
    assert tfgan_zoo("bogus", check=False).returncode != 0


@pytest.mark.parametrize(
    "args, message",
    [
        (("train", "--smoke", "--set=nope=1", "--out={tmp}/x"), "Unknown recipe field 'nope'"),
        (("train", "--smoke", "--steps=3", "--minutes=1"), "--steps=3 --minutes=1"),
        (("sample", "--run={run}", "--out={tmp}/x.jpg"), "x.jpg"),
        (("sample", "--run={tmp}/missing", "--out={tmp}/x.png"), "missing"),
        (("train", "--smoke", "--dataset=idx:/does/not/exist", "--out={tmp}/y"), "/does/not/exist"),
    ],
    ids=["unknown_field", "steps_and_minutes", "sample_format", "missing_run", "missing_dataset"],
)
def test_errors_name_the_value(args, message, cgan_run, tmp_path, capsys):
    args = [arg.format(tmp=tmp_path, run=cgan_run) for arg in args]
    status, stderr = tfgan_zoo_in_process(capsys, *args)
    assert status == 2 and message in stderr


def test_points_recipe_samples_float_coordinates(tmp_path):
    out = tmp_path / "ring"
    tfgan_zoo("train", "--recipe=gan_ring8", f"--out={out}", "--smoke", "--verbose=0")
    tfgan_zoo("sample", f"--run={out}", "--num=5", f"--out={tmp_path / 'p.npz'}")
    arrays = np.load(tmp_path / "p.npz")
    assert arrays["x"].shape == (5, 2) and arrays["x"].dtype == np.float32 and "y" not in arrays


def test_train_scale_flags_reach_the_run(tmp_path):
    out = tmp_path / "bf16"
    tfgan_zoo("train", "--recipe=gan_ring8", "--smoke", "--precision=mixed_bfloat16", "--jit_compile=true",
              "--steps_per_execution=2", "--strategy=default", f"--out={out}", "--verbose=0")
    recipe = json.loads((out / "recipe.json").read_text())
    assert (recipe["precision"], recipe["jit_compile"]) == ("mixed_bfloat16", "true")
    assert json.loads((out / "checkpoints" / "state.json").read_text())["step"] == 4
    env_free = tfgan_zoo("train", "--smoke", "--strategy=multiworker", f"--out={tmp_path / 'mw'}", check=False)
    assert env_free.returncode != 0 and "TF_CONFIG" in env_free.stderr
