"""Bounds on learned codes, encoders and classifiers (`tfgan_zoo.verification.learned`)."""

import types

import numpy as np
import pytest

from tfgan_zoo import recipes, verification
from tfgan_zoo.recipes.expectations import Expect
from tfgan_zoo.verification import learned, measure

LABELS = np.array([0, 0, 1, 1, 2, 2, 2, 1])


def _with_expect(name, bounds, **fields):
    recipe = recipes.get_recipe(name)
    return recipe.__class__(**{**recipe.to_dict(), **fields, "expect": Expect(steps=1, bounds=bounds)})


def test_code_error_takes_the_best_one_to_one_assignment():
    # Code k stands for class (k + 1) % 3, except the last example: one error in eight.
    codes = (LABELS + 2) % 3
    codes[-1] = 1
    model = types.SimpleNamespace(predict_codes=lambda images: codes[:, None], categorical_codes=(3,))
    assert learned.code_error(model, np.zeros([8, 2]), LABELS) == pytest.approx(1 / 8)


def test_encoder_accuracy_reads_nearest_training_codes():
    train_labels, test_labels = np.array([0, 1, 2]), np.array([2, 1, 0, 0])
    # The "encoder" maps an example to its label on a line, so every nearest neighbour shares the label...
    model = types.SimpleNamespace(codes=lambda x, labels: x.reshape(len(x), -1))
    train, test = (np.array([[0.0], [1.0], [2.0]]), train_labels), (np.array([[2.1], [0.9], [0.2], [1.4]]), test_labels)
    # ...except 1.4, nearer to class 1's code: three of four right.
    assert learned.encoder_accuracy(model, train, test) == pytest.approx(0.75)


def test_classifier_error_counts_wrong_predictions():
    model = types.SimpleNamespace(predict_classes=lambda images: np.array([0, 1, 1, 1, 2, 0, 2, 1]))
    assert learned.classifier_error(model, np.zeros([8, 2]), LABELS) == pytest.approx(2 / 8)


def test_supervised_gain_is_the_baseline_error_less_the_test_error(tmp_path):
    recipe = _with_expect("ssgan_mnist8k", {"supervised_gain": 0.1})
    scorer = learned.LearnedScorer(recipe)
    test_labels = np.arange(10) % 3
    scorer._splits = ((None, None), (np.zeros([10, 2]), test_labels))
    scorer.facts["labelled_only_test_error"] = 0.4
    model = types.SimpleNamespace(predict_classes=lambda images: np.where(np.arange(10) < 1, 5, test_labels))
    assert scorer.measure(model, ["supervised_gain", "test_error"]) == pytest.approx(
        {"supervised_gain": 0.3, "test_error": 0.1})


@pytest.mark.parametrize(
    "name,bounds,message",
    [
        ("dcgan_mnist8k", {"code_error": 0.1}, "'code_error': it needs an InfoGAN with a categorical code"),
        ("gan_mnist8k", {"encoder_accuracy": 0.9}, "'encoder_accuracy': the model has no encoder"),
        ("dcgan_mnist8k", {"test_error": 0.1}, "'test_error': the model has no classifier"),
        ("acgan_mnist8k", {"supervised_gain": 0.1}, "'supervised_gain': it compares a semi_supervised_gan"),
        ("infogan_shapes", {"code_error": 0.1}, None),
        ("bigan_mnist8k", {"encoder_accuracy": 0.9}, None),
        ("acgan_mnist8k", {"test_error": 0.1}, None),
    ],
)
def test_learned_bounds_need_a_model_that_has_what_they_read(name, bounds, message):
    recipe = _with_expect(name, bounds)
    if message is None:
        measure.check_bounds(recipe, bounds)
    else:
        with pytest.raises(ValueError, match=message):
            measure.check_bounds(recipe, bounds)


def test_infogan_without_categorical_code_cannot_give_a_code_error():
    recipe = _with_expect("infogan_mnist8k", {"code_error": 0.1},
                          model_options={"categorical_codes": [], "continuous_codes": 2})
    with pytest.raises(ValueError, match="categorical code"):
        measure.check_bounds(recipe, recipe.expect.bounds)


def test_smoke_verify_of_the_semi_supervised_recipe_measures_its_classifier(tmp_path):
    recipe = _with_expect("ssgan_mnist8k", {"test_error": 0.99, "supervised_gain": -1.0})
    report = verification.verify(recipe, str(tmp_path), seeds=1, smoke=True, log=lambda line: None)
    values = report["seeds"][0]["values"]
    baseline = report["facts"]["labelled_only_test_error"]
    assert 0.0 <= values["test_error"] <= 1.0 and 0.0 <= baseline <= 1.0
    assert values["supervised_gain"] == pytest.approx(baseline - values["test_error"])
    assert report["passed"] == (values["test_error"] <= 0.99)


def test_smoke_verify_of_infogan_and_bigan_measures_code_and_encoder(tmp_path):
    infogan = _with_expect("infogan_mnist8k", {"code_error": 1.0})
    report = verification.verify(infogan, str(tmp_path / "infogan"), seeds=1, smoke=True, log=lambda line: None)
    # Ten codes on ten classes: at least a tenth of the examples is assigned right.
    assert 0.0 <= report["seeds"][0]["values"]["code_error"] <= 0.9 and report["passed"]
    bigan = _with_expect("bigan_mnist8k", {"encoder_accuracy": 0.0})
    report = verification.verify(bigan, str(tmp_path / "bigan"), seeds=1, smoke=True, log=lambda line: None)
    assert 0.0 <= report["seeds"][0]["values"]["encoder_accuracy"] <= 1.0 and report["passed"]


def test_reference_examples_exclude_the_held_out_ones():
    # `mnist8k` trains on all 8,000 digits; the 1-NN reference must not hold the 2,000 test digits themselves.
    (x_reference, y_reference), (x_test, y_test) = learned.LearnedScorer(recipes.get_recipe("bigan_mnist8k")).splits()
    assert (len(x_reference), len(x_test)) == (6000, 2000) and len(y_reference) == 6000
    held = {row.tobytes() for row in x_test}
    assert not any(row.tobytes() in held for row in x_reference)

