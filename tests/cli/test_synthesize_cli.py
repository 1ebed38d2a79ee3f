"""`tfgan-zoo synthesize` on smoke-trained runs: counts, dtypes, top-up plans, the filter, the errors;
`--mode=augment` on a DAGAN run."""

import os

import keras
import numpy as np
import pytest

from conftest import tiny_gan
from test_cli import tfgan_zoo_in_process
from tfgan_zoo import recipes, training
from tfgan_zoo.run_dir import RunDir


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Smoke-trained conditional and image-conditioned (DAGAN) runs, and an unconditional one saved as a run folder."""
    root = tmp_path_factory.mktemp("synthesize")
    recipe = recipes.get_recipe("cgan_shapes").smoke_sized().with_overrides({"steps": 2})
    training.train(recipe, str(root / "cgan_shapes"), verbose=0)
    recipe = recipes.get_recipe("dagan_imbalanced_mnist8k").smoke_sized().with_overrides({"steps": 2})
    training.train(recipe, str(root / "dagan"), verbose=0)
    unconditional = RunDir(str(root / "dcgan_shapes"))
    unconditional.write_recipe(recipes.get_recipe("dcgan_shapes"))
    os.makedirs(os.path.dirname(unconditional.checkpoint))
    tiny_gan((32, 32, 3)).save(unconditional.checkpoint)
    return root


def _run_ok(capsys, *args):
    status, stderr = tfgan_zoo_in_process(capsys, "synthesize", *args)
    assert status == 0, stderr


def _always(label, path, num_classes=3):
    """Saves a classifier that calls every 32x32x3 image `label`, sure of it."""
    image = keras.Input((32, 32, 3))
    dense = keras.layers.Dense(num_classes)
    model = keras.Model(image, dense(keras.layers.Flatten()(image)))
    bias = np.zeros(num_classes, np.float32)
    bias[label] = 20.0
    dense.set_weights([np.zeros((32 * 32 * 3, num_classes), np.float32), bias])
    model.save(path)
    return path


def test_per_class_writes_the_requested_counts_as_uint8_and_int32(runs, tmp_path, capsys):
    out = tmp_path / "synthetic.npz"
    _run_ok(capsys, f"--run={runs / 'cgan_shapes'}", "--per_class=4", "--seed=1", f"--out={out}")
    with np.load(out) as arrays:
        assert arrays["x"].shape == (12, 32, 32, 3) and arrays["x"].dtype == np.uint8
        assert arrays["y"].dtype == np.int32 and np.bincount(arrays["y"]).tolist() == [4, 4, 4]


def test_top_up_fills_each_class_to_the_largest_and_the_filter_keeps_what_the_classifier_accepts(
        runs, tmp_path, capsys):
    imbalanced = tmp_path / "imbalanced.npz"
    np.savez(imbalanced, x=np.zeros((7, 32, 32, 3), np.uint8), y=np.array([0, 0, 0, 0, 0, 1, 1]))
    out = tmp_path / "top_up.npz"
    _run_ok(capsys, f"--run={runs / 'cgan_shapes'}", f"--top_up=npz:{imbalanced}", f"--out={out}")
    assert np.bincount(np.load(out)["y"], minlength=3).tolist() == [0, 3, 5]
    # To a target of 6, with a classifier that accepts every sample as class 0 (the only short one now).
    # (A new file: the data layer caches what it read from a path.)
    nearly_balanced = tmp_path / "nearly_balanced.npz"
    np.savez(nearly_balanced, x=np.zeros((11, 32, 32, 3), np.uint8), y=np.repeat([0, 1, 2], [2, 6, 3]))
    _run_ok(capsys, f"--run={runs / 'cgan_shapes'}", f"--top_up=npz:{nearly_balanced}", "--per_class=3",
            f"--classifier={_always(0, tmp_path / 'zero.keras')}", "--min_confidence=0.9", f"--out={out}")
    assert np.load(out)["y"].tolist() == [0]


@pytest.mark.parametrize("args, message", [
    (["--run={runs}/dcgan_shapes", "--per_class=2"], "needs a conditional run"),
    (["--run={runs}/cgan_shapes", "--per_class=0"], "--per_class=0"),
    (["--run={runs}/cgan_shapes"], "needs --per_class"),
    (["--run={runs}/cgan_shapes", "--per_class=2", "--min_confidence=0.5"], "needs --classifier"),
    (["--run={runs}/cgan_shapes", "--per_class=2", "--classifier={zero}", "--max_rounds=1"],
     "Class 1 is still 2 samples short after max_rounds=1"),
], ids=["unconditional", "per_class", "no_count", "confidence_alone", "rejected_class"])
def test_errors_name_the_argument(args, message, runs, tmp_path, capsys):
    values = {"runs": runs, "zero": tmp_path / "zero.keras"}
    if "{zero}" in " ".join(args):
        _always(0, values["zero"])
    args = [arg.format(**values) for arg in args]
    status, stderr = tfgan_zoo_in_process(capsys, "synthesize", *args, f"--out={tmp_path / 'x.npz'}")
    assert status == 2 and message in stderr
    status, stderr = tfgan_zoo_in_process(capsys, "synthesize", f"--run={runs}/cgan_shapes", "--per_class=1",
                                          f"--out={tmp_path / 'x.png'}")
    assert status == 2 and "x.png" in stderr


def _digits(path, labels):
    """A labelled npz of 28x28 grey images (distinct, so variations of different sources differ)."""
    x = np.random.default_rng(len(labels)).integers(0, 256, (len(labels), 28, 28, 1)).astype(np.uint8)
    np.savez(path, x=x, y=np.asarray(labels, np.int32))
    return path


def test_augment_writes_per_class_variations_labelled_like_their_sources(runs, tmp_path, capsys):
    source = _digits(tmp_path / "few.npz", [4, 1, 4, 7, 1, 4])
    out = tmp_path / "augmented.npz"
    _run_ok(capsys, f"--run={runs / 'dagan'}", "--mode=augment", f"--source=npz:{source}", "--per_class=3",
            "--seed=2", f"--out={out}")
    with np.load(out) as arrays, np.load(source) as sources:
        assert arrays["x"].shape == (9, 28, 28, 1) and arrays["x"].dtype == np.uint8
        assert arrays["y"].dtype == np.int32 and arrays["y"].tolist() == [1, 1, 1, 4, 4, 4, 7, 7, 7]
        np.testing.assert_array_equal(arrays["y"], sources["y"][arrays["source"]])
        first = arrays["x"]
    # The same seed writes the same file; the three variations of the one 7 differ.
    again = tmp_path / "again.npz"
    _run_ok(capsys, f"--run={runs / 'dagan'}", "--mode=augment", f"--source=npz:{source}", "--per_class=3",
            "--seed=2", f"--out={again}")
    np.testing.assert_array_equal(np.load(again)["x"], first)
    sevens = first[6:].astype(np.int32)
    assert np.abs(sevens[0] - sevens[1]).max() > 0 and np.abs(sevens[1] - sevens[2]).max() > 0


def test_augment_tops_up_the_minority_of_the_top_up_set_with_its_own_images(runs, tmp_path, capsys):
    imbalanced = _digits(tmp_path / "imbalanced.npz", [0, 0, 0, 0, 0, 3, 3, 9])
    out = tmp_path / "top_up.npz"
    _run_ok(capsys, f"--run={runs / 'dagan'}", "--mode=augment", f"--top_up=npz:{imbalanced}", f"--out={out}")
    with np.load(out) as arrays:
        # Classes without an image there (1, 2, 4-8) are not in the plan: there is nothing to vary.
        assert np.bincount(arrays["y"], minlength=10).tolist() == [0, 0, 0, 3, 0, 0, 0, 0, 0, 4]
        assert set(arrays["source"][:3]) == {5, 6} and set(arrays["source"][3:]) == {7}


@pytest.mark.parametrize("args, message", [
    (["--run={runs}/cgan_shapes", "--mode=augment", "--source=npz:{few}", "--per_class=2"],
     "--mode=augment needs an image-conditioned run"),
    (["--run={runs}/dagan", "--mode=augmented", "--per_class=2"], "--mode must be one of ('sample', 'augment'). "
     "Received: --mode='augmented'"),
    (["--run={runs}/dagan", "--per_class=2"], "this run varies images: use --mode=augment"),
    (["--run={runs}/dagan", "--mode=augment", "--per_class=2"], "--mode=augment needs --source"),
    (["--run={runs}/cgan_shapes", "--source=npz:{few}", "--per_class=2"], "--source is for --mode=augment"),
    (["--run={runs}/dagan", "--mode=augment", "--source=npz:{unlabelled}", "--per_class=2"],
     "needs labelled images to vary. Received: --source='npz:"),
    (["--run={runs}/dagan", "--mode=augment", "--source=npz:{small}", "--per_class=2"],
     "varies images of shape (28, 28, 1). Received: --source='npz:"),
    (["--run={runs}/dagan", "--mode=augment", "--source=npz:{few}"], "needs --per_class"),
    (["--run={runs}/dagan", "--mode=augment", "--source=npz:{few}", "--top_up=npz:{with_threes}"],
     "Class 3 has no image to vary. Received: images of classes [1, 2]"),
], ids=["not_image_conditioned", "unknown_mode", "sample_on_dagan", "no_source", "source_without_augment",
        "unlabelled_source", "source_shape", "no_count", "class_without_source"])
def test_augment_errors_name_the_flag_and_value(args, message, runs, tmp_path, capsys):
    values = {"runs": runs, "few": _digits(tmp_path / "few.npz", [1, 2]),
              "with_threes": _digits(tmp_path / "with_threes.npz", [1, 1, 2, 2, 3]),
              "unlabelled": tmp_path / "unlabelled.npz", "small": tmp_path / "small.npz"}
    np.savez(values["unlabelled"], x=np.zeros((2, 28, 28, 1), np.uint8))
    np.savez(values["small"], x=np.zeros((2, 8, 8, 1), np.uint8), y=np.array([0, 1]))
    args = [arg.format(**values) for arg in args]
    status, stderr = tfgan_zoo_in_process(capsys, "synthesize", *args, f"--out={tmp_path / 'x.npz'}")
    assert status == 2 and message in stderr, stderr
