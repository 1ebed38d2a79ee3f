"""What `tfgan-zoo evaluate` prints beside its scores."""

import types

from tfgan_zoo.cli import evaluate_summary


def test_fid_and_kid_are_shown_beside_their_floor_and_ratio():
    logs = {"fid": 30.0, "real_vs_real_floor": 3.0, "kid_mean": 0.2, "kid_std": 0.01,
            "kid_real_vs_real_floor": -0.001, "label_accuracy": 0.5}
    assert evaluate_summary.score_lines(logs) == [
        "fid: 30 (real-vs-real floor 3; 10x the floor)",
        "kid_mean: 0.2 (real-vs-real floor -0.001)",  # an unbiased KID floor can be negative: no ratio
        "kid_std: 0.01",
        "label_accuracy: 0.5",
    ]


def test_feature_network_line_names_the_network_and_its_accuracy():
    network = types.SimpleNamespace(name="classifier")
    facts = {"path": "runs/x/classifier.keras", "dataset": "mnist8k", "heldout_accuracy": 0.9912, "heldout": 2000}
    assert evaluate_summary.feature_network_line(network, facts) == (
        "feature network: classifier (runs/x/classifier.keras; trained on mnist8k, held-out accuracy 0.991 on "
        "2000 images)"
    )
    assert evaluate_summary.feature_network_line(types.SimpleNamespace(name="inception_v3"), {}) == (
        "feature network: inception_v3"
    )


def test_a_poor_classifier_is_called_out_and_a_good_one_is_not():
    warning = evaluate_summary.poor_feature_space_warning({"dataset": "gen:shapes", "heldout_accuracy": 0.41})
    assert warning.startswith("warning:") and "gen:shapes" in warning and "0.410" in warning
    assert evaluate_summary.poor_feature_space_warning({"heldout_accuracy": 0.99}) is None
    assert evaluate_summary.poor_feature_space_warning({}) is None  # InceptionV3 weights: nothing measured
