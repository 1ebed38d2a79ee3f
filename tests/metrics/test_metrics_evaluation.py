"""The metric registry: names, inputs, and values that move the right way."""

import numpy as np
import pytest

from tfgan_zoo.data import MIXTURES
from tfgan_zoo.metrics import evaluation, features

SIZE = 16
# Top-left corner of each class's bright square.
_CORNERS = (1, 6, 10)


def _blobs(labels, seed):
    """Class k: a bright 5x5 square near corner k on a dark, noisy background."""
    rng = np.random.default_rng(seed)
    images = np.full((len(labels), SIZE, SIZE, 1), -1.0)
    for image, label in zip(images, labels):
        row, col = np.array([_CORNERS[label]] * 2) + rng.integers(-1, 2, size=2)
        image[row:row + 5, col:col + 5] = 1.0
    return np.clip(images + rng.normal(scale=0.1, size=images.shape), -1, 1).astype(np.float32)


def _square_network():
    """Features: 4x4 cell means. Probabilities: softmax of each class square's brightness."""

    def function(batch):
        cells = batch.reshape(len(batch), 4, 4, 4, 4).mean(axis=(2, 4)).reshape(len(batch), 16)
        regions = np.stack([batch[:, c:c + 5, c:c + 5].mean(axis=(1, 2, 3)) for c in _CORNERS], axis=1)
        logits = 20.0 * regions
        probs = np.exp(logits - logits.max(axis=1, keepdims=True))
        return cells, probs / probs.sum(axis=1, keepdims=True)

    return features.FeatureNetwork(function, name="squares", has_probabilities=True, input_shape=(SIZE, SIZE, 1))


@pytest.fixture(scope="module")
def data():
    real_labels = np.arange(600) % 3
    generated_labels = np.arange(300) % 3
    return {
        "real": _blobs(real_labels, seed=0),
        "real_labels": real_labels,
        "like_real": _blobs(generated_labels, seed=1),
        "labels": generated_labels,
        "one_class": _blobs(np.zeros(300, int), seed=2),
        "noise": np.random.default_rng(3).uniform(-1, 1, size=(300, SIZE, SIZE, 1)),
    }


def _report(data, generated, names, labels=None):
    inputs = evaluation.EvaluationInputs(
        generated=generated, real=data["real"], real_labels=data["real_labels"],
        requested_labels=labels, feature_network=_square_network(),
    )
    return evaluation.evaluate(names, inputs)


def test_metrics_order_real_collapsed_and_noise(data):
    names = ["fid", "kid", "precision_recall", "density_coverage", "class_histogram", "inception_score", "prd"]
    like_real = _report(data, data["like_real"], names)
    one_class = _report(data, data["one_class"], names)
    noise = _report(data, data["noise"], names)

    assert like_real["real_vs_real_floor"] < like_real["fid"] * 3
    assert like_real["fid"] < one_class["fid"] and like_real["fid"] * 10 < noise["fid"]
    assert like_real["kid"]["mean"] < one_class["kid"]["mean"] < noise["kid"]["mean"]
    # A collapsed model draws realistic samples (precision) of one mode (recall).
    assert one_class["precision_recall"]["precision"] > 0.8
    assert one_class["precision_recall"]["recall"] < 0.5 and one_class["density_coverage"]["coverage"] < 0.5
    assert like_real["precision_recall"]["recall"] > 0.8 and like_real["density_coverage"]["coverage"] > 0.8
    assert noise["precision_recall"]["precision"] < 0.05
    assert like_real["class_histogram"]["modes_covered"] == 3 and one_class["class_histogram"]["modes_covered"] == 1
    assert like_real["inception_score"]["mean"] > 2.5 and one_class["inception_score"]["mean"] < 1.2
    assert one_class["prd"]["f_1_8"] > one_class["prd"]["f_8"]
    assert like_real["prd"]["f_8"] > one_class["prd"]["f_8"]


def test_conditional_metrics_follow_the_labels(data):
    names = ["label_accuracy", "intra_fid"]
    right = _report(data, data["like_real"], names, labels=data["labels"])
    wrong = _report(data, data["like_real"], names, labels=(data["labels"] + 1) % 3)
    assert right["label_accuracy"] > 0.95 and wrong["label_accuracy"] < 0.05
    assert len(right["intra_fid"]["per_class"]) == 3
    assert right["intra_fid"]["mean"] * 5 < wrong["intra_fid"]["mean"]


def test_points_get_the_mixture_protocol():
    ring = MIXTURES["ring8"]
    points = np.concatenate([ring.centers[[0, 0, 3]], [[5.0, 5.0]]])
    report = evaluation.evaluate(["mixture"], evaluation.EvaluationInputs(generated=points, mixture=ring))
    assert report["mixture"]["modes_covered"] == 2
    assert report["mixture"]["high_quality_share"] == 0.75


def test_unknown_names_and_missing_inputs_are_named(data):
    with pytest.raises(ValueError, match="Unknown metric 'bogus'"):
        evaluation.parse_metric_names("fid,bogus")
    with pytest.raises(ValueError, match="requested_labels"):
        _report(data, data["like_real"], ["label_accuracy"])
    with pytest.raises(ValueError, match="needs model"):
        _report(data, data["like_real"], ["discriminator_histogram"])
    inception_like = features.FeatureNetwork(lambda batch: batch.reshape(len(batch), -1), name="pool")
    inputs = evaluation.EvaluationInputs(generated=data["like_real"], real=data["real"], feature_network=inception_like)
    with pytest.raises(ValueError, match="'inception_score'.*features only"):
        evaluation.evaluate(["inception_score"], inputs)


def test_defaults_follow_what_the_samples_offer():
    points = evaluation.default_metrics(points=True, conditional=False, has_probabilities=False, has_model=True)
    assert points == ["mixture", "discriminator_histogram"]
    images = evaluation.default_metrics(points=False, conditional=True, has_probabilities=True, has_model=False)
    assert {"fid", "kid", "prd", "label_accuracy", "intra_fid", "nearest_neighbour"} <= set(images)
    assert "discriminator_histogram" not in images and "mixture" not in images
    paired = evaluation.default_metrics(points=False, conditional=False, has_probabilities=False, has_model=False,
                                        has_targets=True)
    assert paired[-3:] == ["l1", "psnr", "ssim"] and "fid" in paired and "l1" not in images


def test_scalar_logs_flatten_numbers_and_drop_lists():
    report = {"fid": 2.0, "kid": {"mean": 0.5, "std": 0.1}, "prd": {"f_8": 0.9, "precision": [1.0]}}
    assert evaluation.scalar_logs(report, "eval_") == {
        "eval_fid": 2.0, "eval_kid_mean": 0.5, "eval_kid_std": 0.1, "eval_prd_f_8": 0.9,
    }


def test_paired_image_metrics_need_targets(data):
    noisy = np.clip(data["like_real"] + 0.05, -1, 1)
    inputs = evaluation.EvaluationInputs(generated=noisy, targets=data["like_real"])
    report = evaluation.evaluate("psnr,ssim", inputs)
    assert report["psnr"]["mean"] > 25 and 0.9 < report["ssim"]["mean"] <= 1.0
    with pytest.raises(ValueError, match="'psnr' needs targets"):
        evaluation.evaluate(["psnr"], evaluation.EvaluationInputs(generated=noisy))
