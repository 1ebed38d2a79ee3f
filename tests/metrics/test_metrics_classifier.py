"""Tests for the domain classifier on a tiny synthetic image problem."""

import numpy as np
import pytest

from tfgan_zoo.metrics import classifier

IMAGE_SHAPE = (28, 28, 1)
NUM_CLASSES = 3
# Top-left corner of each class's bright square.
_CLASS_CORNERS = ((3, 3), (10, 10), (17, 17))


def _blob_images(num_per_class, seed):
    """Class k: a bright 8x8 square near corner k on a dark noisy background."""
    rng = np.random.default_rng(seed)
    images, labels = [], []
    for label, (row, col) in enumerate(_CLASS_CORNERS):
        for _ in range(num_per_class):
            image = np.full(IMAGE_SHAPE, -1.0, dtype=np.float32)
            dr, dc = rng.integers(-2, 3, size=2)
            image[row + dr:row + dr + 8, col + dc:col + dc + 8] = 1.0
            image += rng.normal(scale=0.1, size=IMAGE_SHAPE).astype(np.float32)
            images.append(np.clip(image, -1.0, 1.0))
            labels.append(label)
    order = rng.permutation(len(images))
    return np.stack(images)[order], np.array(labels)[order]


@pytest.fixture(scope="module")
def trained():
    x_train, y_train = _blob_images(200, seed=0)
    x_val, y_val = _blob_images(100, seed=1)
    model, accuracy = classifier.train_domain_classifier(
        x_train, y_train, x_val, y_val,
        num_classes=NUM_CLASSES, epochs=2, batch_size=32, seed=0,
    )
    return model, accuracy, x_val, y_val


def test_training_separates_the_classes(trained):
    _, accuracy, _, _ = trained
    assert accuracy > 0.9


def test_build_has_named_feature_and_logit_layers():
    model = classifier.build_domain_classifier((32, 32, 3), 10)
    assert model.get_layer("features").output.shape == (None, 128)
    assert model.get_layer("logits").output.shape == (None, 10)
    assert model.output.shape == (None, 10)


@pytest.mark.parametrize("input_shape", [(28, 28), (28, 28, 1, 1), (28, 0, 1), "28x28"])
def test_build_rejects_non_image_shapes(input_shape):
    with pytest.raises(ValueError, match="input_shape="):
        classifier.build_domain_classifier(input_shape, 10)


def test_build_rejects_too_few_classes():
    with pytest.raises(ValueError, match="num_classes=1"):
        classifier.build_domain_classifier(IMAGE_SHAPE, 1)


def test_classifier_outputs_shapes_and_probabilities(trained):
    model, _, x_val, _ = trained
    # A batch size that does not divide N exercises the last partial batch.
    features, probs = classifier.classifier_outputs(model, x_val[:70], batch_size=32)
    assert features.shape == (70, 128) and features.dtype == np.float64
    assert probs.shape == (70, NUM_CLASSES) and probs.dtype == np.float64
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    # Inference mode: the same images give the same outputs in any batching.
    features_again, _ = classifier.classifier_outputs(model, x_val[:70], batch_size=70)
    np.testing.assert_allclose(features, features_again, rtol=1e-4, atol=1e-4)


def test_classifier_outputs_rejects_wrong_image_shape(trained):
    model, _, _, _ = trained
    with pytest.raises(ValueError, match="images.shape=\\(4, 32, 32, 1\\)"):
        classifier.classifier_outputs(model, np.zeros((4, 32, 32, 1)))


def test_domain_scores_orders_real_onecollapsed_and_noise(trained):
    model, _, x_val, y_val = trained
    real_a, real_b = x_val[:150], x_val[150:]
    noise = np.random.default_rng(2).uniform(-1, 1, size=(150,) + IMAGE_SHAPE)
    one_class = x_val[y_val == 0]

    real_vs_real = classifier.domain_scores(model, real_a, real_b)
    real_vs_noise = classifier.domain_scores(model, real_a, noise)
    real_vs_one_class = classifier.domain_scores(model, real_a, one_class)

    assert real_vs_real["fid"] * 10 < real_vs_noise["fid"]
    assert real_vs_real["fid"] < real_vs_one_class["fid"]
    assert real_vs_real["modes_covered"] == NUM_CLASSES
    assert real_vs_one_class["modes_covered"] == 1
    assert real_vs_real["inception_score"] > 2.5
    assert real_vs_one_class["inception_score"] < 1.2
    assert real_vs_real["confident_share"] > 0.8
    assert "label_accuracy" not in real_vs_real


def test_domain_scores_label_accuracy(trained):
    model, accuracy, x_val, y_val = trained
    result = classifier.domain_scores(model, x_val, x_val, requested_labels=y_val)
    assert result["label_accuracy"] == pytest.approx(accuracy)
    assert abs(result["fid"]) < 1e-3
    assert sum(result["class_histogram"]) == pytest.approx(1.0)


def test_training_is_reproducible_with_a_seed():
    x_train, y_train = _blob_images(20, seed=3)
    runs = [
        classifier.train_domain_classifier(
            x_train, y_train, x_train, y_train,
            num_classes=NUM_CLASSES, epochs=1, batch_size=16, seed=7,
        )
        for _ in range(2)
    ]
    first, second = (model.get_layer("features").get_weights()[0] for model, _ in runs)
    np.testing.assert_array_equal(first, second)


def test_training_rejects_mismatched_labels():
    x_train, y_train = _blob_images(4, seed=4)
    with pytest.raises(ValueError, match="y_val.shape=\\(3,\\)"):
        classifier.train_domain_classifier(
            x_train, y_train, x_train, y_train[:3], num_classes=NUM_CLASSES
        )
    with pytest.raises(ValueError, match="y_train with min=0, max=2"):
        classifier.train_domain_classifier(
            x_train, y_train, x_train, y_train, num_classes=2
        )
