"""Each loss and penalty against values computed by hand."""

import math

import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo import losses

REAL = np.array([2.0, -1.0], np.float32)
FAKE = np.array([0.5, -3.0], np.float32)


def sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


def test_minimax_generator_is_log_one_minus_d():
    expected = [math.log(1.0 - sigmoid(v)) for v in FAKE]
    np.testing.assert_allclose(losses.minimax_generator_loss(FAKE), expected, rtol=1e-6)


def test_non_saturating_generator_is_minus_log_d():
    expected = [-math.log(sigmoid(v)) for v in FAKE]
    np.testing.assert_allclose(losses.non_saturating_generator_loss(FAKE), expected, rtol=1e-6)


def test_cross_entropy_discriminator():
    expected = [-math.log(sigmoid(r)) - math.log(1.0 - sigmoid(f)) for r, f in zip(REAL, FAKE)]
    np.testing.assert_allclose(losses.minimax_discriminator_loss(REAL, FAKE), expected, rtol=1e-6)
    np.testing.assert_allclose(losses.non_saturating_discriminator_loss(REAL, FAKE), expected, rtol=1e-6)


def test_least_squares():
    np.testing.assert_allclose(losses.least_squares_generator_loss(FAKE), [0.125, 8.0], rtol=1e-6)
    # 0.5*(2-1)^2 + 0.5*0.5^2 ; 0.5*(-1-1)^2 + 0.5*(-3)^2
    np.testing.assert_allclose(losses.least_squares_discriminator_loss(REAL, FAKE), [0.625, 6.5], rtol=1e-6)


def test_wasserstein():
    np.testing.assert_allclose(losses.wasserstein_generator_loss(FAKE), [-0.5, 3.0])
    np.testing.assert_allclose(losses.wasserstein_discriminator_loss(REAL, FAKE), [-1.5, -2.0])


def test_hinge():
    np.testing.assert_allclose(losses.hinge_generator_loss(FAKE), [-0.5, 3.0])
    # max(0, 1-2) + max(0, 1+0.5) ; max(0, 1+1) + max(0, 1-3)
    np.testing.assert_allclose(losses.hinge_discriminator_loss(REAL, FAKE), [1.5, 2.0])


def test_patch_outputs_are_averaged_per_example():
    patches = np.stack([np.full((2, 2, 1), 1.0), np.full((2, 2, 1), 3.0)]).astype(np.float32)
    np.testing.assert_allclose(losses.least_squares_generator_loss(patches), [0.0, 2.0])


def test_registry_and_unknown_family():
    assert losses.get_loss_family("hinge") == (losses.hinge_generator_loss, losses.hinge_discriminator_loss)
    with pytest.raises(ValueError, match="loss='nope'"):
        losses.get_loss_family("nope")


def linear_critic(weights):
    weights = tf.constant(weights, tf.float32)
    return lambda x: tf.reduce_sum(tf.reshape(x, [tf.shape(x)[0], -1]) * weights, axis=1)


def test_gradient_penalty_of_linear_critic():
    # The gradient of w.x is w everywhere: penalty (|w| - 1)^2 = (5 - 1)^2.
    critic = linear_critic([3.0, 4.0])
    real = np.array([[1.0, 2.0], [0.0, 0.0]], np.float32)
    fake = np.array([[-1.0, 5.0], [2.0, 2.0]], np.float32)
    penalty = losses.gradient_penalty(critic, real, fake, interpolation=np.array([0.3, 0.9], np.float32))
    np.testing.assert_allclose(penalty, [16.0, 16.0], rtol=1e-5)


def test_gradient_penalty_interpolates_between_real_and_fake():
    # D(x) = 0.5*|x|^2 has gradient x, so the penalty reveals where it was evaluated.
    critic = lambda x: 0.5 * tf.reduce_sum(tf.square(x), axis=1)  # noqa: E731
    real = np.array([[2.0, 0.0]], np.float32)
    fake = np.array([[0.0, 0.0]], np.float32)
    penalty = losses.gradient_penalty(critic, real, fake, interpolation=np.array([0.25], np.float32))
    # x_hat = real + 0.25*(fake-real) = (1.5, 0): |grad| = 1.5.
    np.testing.assert_allclose(penalty, [0.25], rtol=1e-5)


def test_r1_penalty_is_squared_gradient_norm():
    critic = lambda x: 0.5 * tf.reduce_sum(tf.square(x), axis=1)  # noqa: E731
    real = np.array([[1.0, 2.0], [3.0, 0.0]], np.float32)
    np.testing.assert_allclose(losses.r1_penalty(critic, real), [5.0, 9.0], rtol=1e-6)


def test_one_sided_label_smoothing_targets_one_minus_s_for_real_only():
    real, fake = np.array([0.7, -1.2], np.float32), np.array([0.3, 2.0], np.float32)
    s = 0.1
    sig = lambda x: 1.0 / (1.0 + np.exp(-x))  # noqa: E731
    expected = (-(1 - s) * np.log(sig(real)) - s * np.log(1 - sig(real))) - np.log(1 - sig(fake))
    np.testing.assert_allclose(
        losses.minimax_discriminator_loss(real, fake, label_smoothing=s), expected, rtol=1e-5
    )
    np.testing.assert_allclose(
        losses.least_squares_discriminator_loss(real, fake, label_smoothing=s),
        0.5 * (real - 0.9) ** 2 + 0.5 * fake**2, rtol=1e-5,
    )


def test_penalty_loss_scale_changes_nothing_but_the_inner_tape():
    critic = linear_critic([3.0, 4.0])
    real = np.array([[1.0, 2.0]], np.float32)
    fake = np.array([[-1.0, 5.0]], np.float32)
    plain = losses.gradient_penalty(critic, real, fake, np.array([0.5], np.float32))
    scaled = losses.gradient_penalty(critic, real, fake, np.array([0.5], np.float32), loss_scale=32768.0)
    np.testing.assert_allclose(scaled, plain, rtol=1e-6)
    np.testing.assert_allclose(losses.r1_penalty(critic, real, loss_scale=1024.0), [25.0], rtol=1e-6)


def test_dragan_points_perturb_real_data_by_half_its_std():
    real = np.array([[0.0, 2.0], [4.0, 6.0]], np.float32)  # std of all elements: sqrt(5)
    uniform = np.array([[0.0, 1.0], [0.5, 0.2]], np.float32)
    expected = real + 0.5 * np.sqrt(5.0) * uniform
    np.testing.assert_allclose(losses.dragan_points(real, uniform), expected, rtol=1e-6)
    np.testing.assert_allclose(losses.dragan_points(real, uniform, std=2.0), real + uniform, rtol=1e-6)


def test_scaled_inner_tape_keeps_float16_input_gradients_from_underflowing():
    # A float16 critic whose input gradient is 1e-8 per element: below float16's
    # smallest subnormal (6e-8) unless the inner tape is scaled (PITFALL 5).
    def critic(x):
        half = tf.cast(x, tf.float16) * tf.constant(1e-4, tf.float16)
        return tf.cast(tf.reduce_sum(half, axis=1) * tf.constant(1e-4, tf.float16), tf.float32)

    real = np.ones([2, 4], np.float32)
    np.testing.assert_array_equal(losses.r1_penalty(critic, real), 0.0)
    np.testing.assert_allclose(losses.r1_penalty(critic, real, loss_scale=32768.0), 4 * 1e-16, rtol=0.02)


def test_gradient_penalty_pulls_the_norm_towards_its_target():
    # |grad (3, 4) . x| = 5 everywhere: zero penalty at target 5, (5 - 2)^2 at target 2.
    critic = linear_critic([3.0, 4.0])
    real, fake = np.zeros([1, 2], np.float32), np.ones([1, 2], np.float32)
    mix = np.array([0.5], np.float32)
    np.testing.assert_allclose(losses.gradient_penalty(critic, real, fake, mix, target=5.0), [0.0], atol=1e-6)
    np.testing.assert_allclose(losses.gradient_penalty(critic, real, fake, mix, target=2.0), [9.0], rtol=1e-5)
