"""`tfgan-zoo train-classifier` and `tfgan-zoo evaluate` end to end, at smoke size."""

import json
import os
import re
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf

from conftest import REPO_ROOT

IMAGE_METRICS = {
    "fid", "real_vs_real_floor", "kid", "inception_score", "prd", "precision_recall", "density_coverage",
    "class_histogram", "label_accuracy", "intra_fid", "nearest_neighbour", "discriminator_histogram",
}


def tfgan_zoo(*args, check=True):
    result = subprocess.run(
        [sys.executable, "-m", "tfgan_zoo.cli.main", *args],
        cwd=REPO_ROOT, capture_output=True, text=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"},
    )
    if check and result.returncode != 0:
        raise AssertionError(f"tfgan-zoo {args} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return result


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    root = tmp_path_factory.mktemp("evaluate")
    tfgan_zoo("train", "--recipe=cgan_shapes", "--smoke", f"--out={root / 'run'}", "--verbose=0")
    result = tfgan_zoo("train-classifier", "--dataset=gen:shapes:300", "--epochs=1",
                       f"--out={root / 'classifier.keras'}")
    return root, result.stdout


def _png_shape(path):
    return tf.io.decode_png(tf.io.read_file(str(path))).numpy().shape


def test_train_classifier_reports_its_heldout_accuracy(workspace):
    root, stdout = workspace
    facts = json.loads((root / "classifier.keras.accuracy.json").read_text())
    assert facts["dataset"] == "gen:shapes:300" and facts["train"] == facts["heldout"] == 300
    assert f"Held-out accuracy {facts['heldout_accuracy']:.4f} on 300 images" in stdout


def test_evaluate_a_run_writes_every_metric_and_the_plots(workspace):
    root, _ = workspace
    out = root / "report.json"
    result = tfgan_zoo("evaluate", f"--run={root / 'run'}", f"--classifier={root / 'classifier.keras'}",
                       "--dataset=gen:shapes:400", "--num=200", f"--out={out}")
    report = json.loads(out.read_text())
    assert IMAGE_METRICS <= set(report)
    assert report["meta"]["num_generated"] == 200 and report["meta"]["feature_network"]["heldout_accuracy"] >= 0
    assert report["fid"] >= 0 and report["real_vs_real_floor"] >= 0 and "real_vs_real_floor" in report["kid"]
    assert len(report["prd"]["precision"]) == 1001 and len(report["class_histogram"]["generated"]) == 3
    assert len(report["intra_fid"]["per_class"]) == 3
    assert sum(report["discriminator_histogram"]["generated_counts"]) == 200
    for plot in ("prd", "discriminator", "classes"):
        height, width, _ = _png_shape(root / f"report_{plot}.png")
        assert height > 100 and width > 100
    assert f"\nfid: {report['fid']:.6g} (real-vs-real floor {report['real_vs_real_floor']:.6g}" in result.stdout
    assert f"\nkid_mean: {report['kid']['mean']:.6g} (real-vs-real floor" in result.stdout
    network_line = f"feature network: domain_classifier ({root / 'classifier.keras'}; trained on gen:shapes:300"
    assert network_line in result.stdout


def test_evaluate_samples_trains_and_caches_a_classifier(tmp_path):
    from tfgan_zoo import data
    from tfgan_zoo.utils import images

    x, y = data.load_arrays("gen:shapes:120", split="test")
    np.savez(tmp_path / "samples.npz", x=images.to_uint8(x), y=y)
    out = tmp_path / "reports" / "samples.json"
    result = tfgan_zoo("evaluate", f"--samples={tmp_path / 'samples.npz'}", "--dataset=gen:shapes:300",
                       "--epochs=1", "--metrics=fid,label_accuracy,class_histogram", f"--out={out}")
    # Progress while the classifier trains, one line per epoch when output is not a terminal.
    assert result.stdout.startswith("Training a domain classifier on gen:shapes:300 for 1 epochs")
    assert re.search(r"\n5/5 - .* - accuracy: [0-9.]+ - loss: ", result.stdout) and "\r" not in result.stdout
    report = json.loads(out.read_text())
    assert set(report) == {"fid", "real_vs_real_floor", "label_accuracy", "class_histogram", "meta"}
    assert np.isfinite(report["fid"]) and 0.0 <= report["label_accuracy"] <= 1.0
    assert (tmp_path / "reports" / "classifier.keras").exists()
    assert report["meta"]["feature_network"]["path"].endswith("classifier.keras")


def test_evaluate_points_gets_the_mixture_protocol(tmp_path):
    from tfgan_zoo.data import MIXTURES

    points, _ = MIXTURES["ring8"].sample(400, seed=5)
    np.savez(tmp_path / "points.npz", x=points)
    out = tmp_path / "ring.json"
    tfgan_zoo("evaluate", f"--samples={tmp_path / 'points.npz'}", "--dataset=gen:ring8", f"--out={out}")
    report = json.loads(out.read_text())
    assert report["mixture"]["modes_covered"] == 8 and report["mixture"]["high_quality_share"] > 0.98
    assert not (tmp_path / "classifier.keras").exists()  # points need no feature network


def test_unknown_metric_exits_2_naming_it(workspace):
    root, _ = workspace
    result = tfgan_zoo("evaluate", f"--run={root / 'run'}", "--metrics=fid,fdi", f"--out={root / 'x.json'}",
                       check=False)
    assert result.returncode == 2 and "'fdi'" in result.stderr


def test_evaluate_an_image_to_image_run_scores_heldout_translations_against_targets(tmp_path):
    from tfgan_zoo import held_out, saved_runs

    tfgan_zoo("train", "--recipe=srgan_shapes", "--smoke", "--set=image_size=16", f"--out={tmp_path / 'run'}",
              "--verbose=0")
    out = tmp_path / "report.json"
    result = tfgan_zoo("evaluate", f"--run={tmp_path / 'run'}", "--num=6", "--seed=2", "--metrics=l1,psnr,ssim",
                       f"--out={out}")
    report = json.loads(out.read_text())
    model, _ = saved_runs.load_run(str(tmp_path / "run"))
    sources, targets, _ = held_out.heldout_examples(model, 6, seed=2)
    outputs = model.translate(sources).astype(np.float64)
    # PSNR by hand: images in [-1, 1] span 2, so the peak signal is 2 ** 2.
    mse = ((outputs - targets) ** 2).mean(axis=(1, 2, 3))
    assert report["psnr"]["mean"] == pytest.approx(np.mean(10 * np.log10(4.0 / mse)), rel=1e-5)
    assert report["l1"]["mean"] == pytest.approx(np.abs(outputs - targets).mean(), rel=1e-5)
    ssim = tf.image.ssim(tf.constant(outputs), tf.constant(targets, tf.float64), max_val=2.0).numpy()
    assert report["ssim"]["mean"] == pytest.approx(ssim.mean(), abs=1e-5) and report["meta"]["num_generated"] == 6
    assert "psnr_mean:" in result.stdout and "l1_mean:" in result.stdout
