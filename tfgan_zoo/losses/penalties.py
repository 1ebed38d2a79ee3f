"""Discriminator regularisers as pure functions.

Each takes the discriminator as a callable so that the gradient with respect to
its *input* can be taken, and returns a per-example penalty of shape `[batch]`
(the training model reduces it like every other loss term).
"""

import tensorflow as tf


def _input_gradient_norm_squared(discriminator_fn, inputs):
    """`||d D(x) / d x||^2` per example, from one inner tape.

    The scores are summed before differentiating: examples are independent
    (no batch statistics in D when a penalty is used), so the gradient of the
    sum holds each example's own input gradient.
    """
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        scores = tf.cast(discriminator_fn(inputs), tf.float32)
        total = tf.reduce_sum(scores)
    gradients = tf.cast(tape.gradient(total, inputs), tf.float32)
    flat = tf.reshape(gradients, [tf.shape(gradients)[0], -1])
    return tf.reduce_sum(tf.square(flat), axis=1)


def gradient_penalty(discriminator_fn, real, generated, interpolation, target=1.0):
    """WGAN-GP penalty `(||grad D(x_hat)|| - target)^2` (Gulrajani et al. 2017).

    Args:
        discriminator_fn: callable mapping a batch of inputs to scores.
        real: batch of real inputs.
        generated: batch of generated inputs of the same shape.
        interpolation: per-example mixing weights in [0, 1], shape `[batch]`;
            passed in, not drawn here, so the caller owns the randomness (and
            its replay on resume).
        target: the gradient norm the penalty pulls towards.

    Returns:
        Per-example penalty, shape `[batch]`.
    """
    real = tf.cast(real, tf.float32)
    generated = tf.cast(generated, tf.float32)
    weight_shape = [-1] + [1] * (real.shape.rank - 1)
    weights = tf.reshape(tf.cast(interpolation, tf.float32), weight_shape)
    interpolates = real + weights * (generated - real)
    norm = tf.sqrt(_input_gradient_norm_squared(discriminator_fn, interpolates) + 1e-12)
    return tf.square(norm - target)


def r1_penalty(discriminator_fn, real):
    """R1 penalty `||grad D(x)||^2` on real data (Mescheder et al. 2018).

    The conventional `gamma / 2` factor is the caller's weight.
    """
    return _input_gradient_norm_squared(discriminator_fn, tf.cast(real, tf.float32))
