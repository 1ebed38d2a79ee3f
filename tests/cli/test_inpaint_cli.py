"""`tfgan-zoo inpaint` on smoke-trained runs: semantic inpainting and the context encoder, PNGs, JSON, errors."""

import json

import numpy as np
import pytest

from test_cli import read_png, smoke_runs, tfgan_zoo_in_process
from tfgan_zoo.utils import images


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = smoke_runs(tmp_path_factory.mktemp("inpaint"), ("dcgan_shapes", "cgan_shapes", "inpainting_shapes"))
    picture = np.random.default_rng(0).uniform(-1, 1, (32, 32, 3))
    images.write_png(str(root / "picture.png"), images.to_uint8(picture))
    hole = np.zeros((16, 16, 1), np.uint8)
    hole[4:12, 2:6] = 255
    images.write_png(str(root / "hole.png"), hole)
    return root


def _inpaint(capsys, runs, run, *flags):
    return tfgan_zoo_in_process(capsys, "inpaint", f"--run={runs / run}", f"--image={runs / 'picture.png'}", *flags)


def test_semantic_inpainting_writes_pngs_and_a_json(runs, tmp_path, capsys):
    status, stderr = _inpaint(capsys, runs, "dcgan_shapes", "--mask=free:0.3", "--iterations=3", "--restarts=2",
                              "--blend=paste", f"--out={tmp_path}")
    assert status == 0, stderr
    report = json.loads((tmp_path / "inpainting.json").read_text())
    assert report["method"] == "semantic" and report["blend"] == "paste" and report["window"] == 7
    assert report["missing_share"] == pytest.approx(round(0.3 * 1024) / 1024)
    assert len(report["restart_objectives"]) == 2 and report["contextual_loss"] >= 0
    completed, masked, original = read_png(tmp_path / "completed.png"), read_png(tmp_path / "masked.png"), read_png(
        runs / "picture.png")
    known = np.any(masked != 128, axis=-1)  # the hole is grey in the masked picture
    np.testing.assert_array_equal(completed[known], original[known])
    # masked, completed, generated, original
    assert read_png(tmp_path / "comparison.png").shape == (34, 4 * 33 + 1, 3)


def test_context_encoder_run_fills_a_png_hole(runs, tmp_path, capsys):
    status, stderr = _inpaint(capsys, runs, "inpainting_shapes", f"--mask={runs / 'hole.png'}", f"--out={tmp_path}")
    assert status == 0, stderr
    report = json.loads((tmp_path / "inpainting.json").read_text())
    # The 16x16 mask is enlarged to 32x32: its 8x4 hole becomes 16x8.
    assert report["method"] == "context_encoder" and report["missing_share"] == pytest.approx(128 / 1024)
    assert not (tmp_path / "generated.png").exists()
    assert read_png(tmp_path / "comparison.png").shape == (34, 3 * 33 + 1, 3)


@pytest.mark.parametrize("run, flags, message", [
    ("dcgan_shapes", [], "needs --mask"),
    ("dcgan_shapes", ["--mask=blob:0.3"], "Unknown mask kind"),
    ("dcgan_shapes", ["--mask=rect:0.3", "--blend=blur"], "Received: blend='blur'"),
    ("cgan_shapes", ["--mask=rect:0.3"], "conditional: give the image's class with --label"),
], ids=["no-mask", "bad-mask", "bad-blend", "conditional-without-label"])
def test_errors_are_one_line_naming_the_flag(runs, tmp_path, capsys, run, flags, message):
    status, stderr = _inpaint(capsys, runs, run, *flags, "--iterations=1", "--restarts=1", f"--out={tmp_path}")
    assert status == 2 and message in stderr and len(stderr.strip().splitlines()) == 1
