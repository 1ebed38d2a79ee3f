"""Discriminator regularisers as pure functions.

Each takes the discriminator as a callable so that the gradient with respect to
its *input* can be taken, and returns a per-example penalty of shape `[batch]`
(the training model reduces it like every other loss term).
"""

import tensorflow as tf


def _input_gradient_norm_squared(discriminator_fn, inputs, loss_scale=1.0):
    """`||d D(x) / d x||^2` per example, from one inner tape.

    The scores are summed before differentiating: examples are independent
    (no batch statistics in D when a penalty is used), so the gradient of the
    sum holds each example's own input gradient. Under mixed float16 the
    inner tape is scaled like the outer loss (`loss_scale`), or small input
    gradients underflow to zero in float16 (tensorflow#48662).
    """
    loss_scale = tf.cast(loss_scale, tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        scores = tf.cast(discriminator_fn(inputs), tf.float32)
        total = tf.reduce_sum(scores) * loss_scale
    gradients = tf.cast(tape.gradient(total, inputs), tf.float32) / loss_scale
    flat = tf.reshape(gradients, [tf.shape(gradients)[0], -1])
    return tf.reduce_sum(tf.square(flat), axis=1)


def gradient_penalty(discriminator_fn, real, generated, interpolation, target=1.0, loss_scale=1.0):
    """WGAN-GP penalty `(||grad D(x_hat)|| - target)^2` (Gulrajani et al. 2017).

    Args:
        discriminator_fn: callable mapping a batch of inputs to scores.
        real: batch of real inputs.
        generated: batch of generated inputs of the same shape.
        interpolation: per-example mixing weights in [0, 1], shape `[batch]`;
            passed in, not drawn here, so the caller owns the randomness (and
            its replay on resume).
        target: the gradient norm the penalty pulls towards.
        loss_scale: factor of the inner tape under mixed precision (the
            optimizer's `scale_loss(1.0)`); the result does not depend on it.

    Returns:
        Per-example penalty, shape `[batch]`.
    """
    real = tf.cast(real, tf.float32)
    generated = tf.cast(generated, tf.float32)
    weight_shape = [-1] + [1] * (real.shape.rank - 1)
    weights = tf.reshape(tf.cast(interpolation, tf.float32), weight_shape)
    interpolates = real + weights * (generated - real)
    norm = tf.sqrt(_input_gradient_norm_squared(discriminator_fn, interpolates, loss_scale) + 1e-12)
    return tf.square(norm - target)


def r1_penalty(discriminator_fn, real, loss_scale=1.0):
    """R1 penalty `||grad D(x)||^2` on real data (Mescheder et al. 2018).

    The conventional `gamma / 2` factor is the caller's weight.
    """
    return _input_gradient_norm_squared(discriminator_fn, tf.cast(real, tf.float32), loss_scale)


def dragan_points(real, uniform, scale=0.5, std=None):
    """DRAGAN's perturbed real points `x + scale * std(x) * u` (Kodali et al. 2017).

    The gradient penalty is then taken on interpolates between `real` and these
    points, so the discriminator is kept smooth around the data manifold
    rather than between data and samples.

    Args:
        real: batch of real inputs.
        uniform: U[0, 1) noise of the same shape.
        scale: multiple of the batch standard deviation.
        std: the standard deviation to use (e.g. over the global batch under
            `tf.distribute`); default: of `real`.
    """
    real = tf.cast(real, tf.float32)
    std = tf.math.reduce_std(real) if std is None else tf.cast(std, tf.float32)
    return real + scale * std * tf.cast(uniform, tf.float32)


def drift_penalty(discriminator_real_outputs):
    """Progressive GAN's drift term `D(x)^2` on real scores, per example (Karras et al. 2018, appendix A.1).

    With a Wasserstein critic, it keeps the scores from drifting far from
    zero; the paper weights it by 0.001.
    """
    scores = tf.cast(discriminator_real_outputs, tf.float32)
    return tf.reduce_mean(tf.reshape(tf.square(scores), [tf.shape(scores)[0], -1]), axis=1)
