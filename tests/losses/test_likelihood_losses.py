"""The non-adversarial losses, on values computed by hand."""

import math

import numpy as np

from tfgan_zoo import losses


def test_kl_divergence_is_the_closed_form():
    mean = np.array([[0.0, 0.0], [1.0, -2.0]], np.float32)
    log_variance = np.array([[0.0, 0.0], [np.log(4.0), -1.0]], np.float32)
    # Row 2: (4 + 1 - log 4 - 1) + (e^-1 + 4 + 1 - 1) = 2.6137056 + 4.3678794, halved.
    np.testing.assert_allclose(losses.kl_divergence(mean, log_variance), [0.0, 3.4907925], rtol=1e-6)


def test_reconstruction_terms_are_the_negative_log_likelihoods():
    real = np.array([[1.0, -1.0, 0.0]], np.float32)
    decoded = np.array([[0.6, -0.2, 0.0]], np.float32)
    # Targets (1, 0, 0.5) under probabilities (0.8, 0.4, 0.5): -log .8 - log .6 - log .5.
    np.testing.assert_allclose(losses.bernoulli_reconstruction(real, decoded), [1.4271164], rtol=1e-5)
    # Squared error (0.16 + 0.64) over 2 * 0.25.
    np.testing.assert_allclose(losses.gaussian_reconstruction(real, decoded, 0.25), [1.6], rtol=1e-6)


def test_sum_per_example_sums_every_axis_but_the_batch():
    values = np.arange(12, dtype=np.float32).reshape(2, 3, 2)
    np.testing.assert_allclose(losses.sum_per_example(values), [15.0, 51.0])


def test_l1_and_l2_are_per_example_means():
    target = np.array([[[1.0, -1.0]], [[0.0, 0.0]]], np.float32)
    output = np.array([[[0.5, 1.0]], [[0.0, -3.0]]], np.float32)
    # |.5| + |2| over 2; |0| + |3| over 2. Squares: (.25 + 4) / 2, 9 / 2.
    np.testing.assert_allclose(losses.mean_absolute_error(target, output), [1.25, 1.5])
    np.testing.assert_allclose(losses.mean_squared_error(target, output), [2.125, 4.5])


def test_cycle_and_identity_losses_are_l1_distances():
    real = np.array([[0.0, 1.0], [1.0, 1.0]], np.float32)
    other = np.array([[1.0, 1.0], [-1.0, 1.0]], np.float32)
    np.testing.assert_allclose(losses.cycle_consistency_loss(real, other), [0.5, 1.0])
    np.testing.assert_allclose(losses.identity_loss(real, other), [0.5, 1.0])


def test_classification_loss_is_the_cross_entropy_of_the_label():
    logits = np.array([[0.0, 0.0], [math.log(3.0), 0.0]], np.float32)
    # Uniform over 2: log 2; probabilities (3/4, 1/4) and label 1: log 4.
    np.testing.assert_allclose(losses.classification_loss(logits, np.array([0, 1])), [math.log(2.0), math.log(4.0)],
                               rtol=1e-6)


def test_categorical_code_loss_is_minus_the_log_probability_of_the_code():
    logits = np.array([[math.log(2.0), 0.0, 0.0]], np.float32)
    # Probabilities (1/2, 1/4, 1/4); code 2.
    np.testing.assert_allclose(losses.categorical_code_loss(logits, np.array([[0.0, 0.0, 1.0]])), [math.log(4.0)],
                               rtol=1e-6)


def test_gaussian_code_loss_is_the_negative_log_density():
    codes = np.array([[1.0, 0.0]], np.float32)
    mean = np.array([[0.0, 0.0]], np.float32)
    log_std = np.array([[math.log(2.0), 0.0]], np.float32)
    # Code 1 under N(0, 2^2): 1/8 + log 2 + log sqrt(2 pi); code 2 under N(0, 1): log sqrt(2 pi).
    expected = 0.125 + math.log(2.0) + math.log(2.0 * math.pi)
    np.testing.assert_allclose(losses.gaussian_code_loss(codes, mean, log_std), [expected], rtol=1e-6)
