"""Adversarial losses as pure functions of discriminator outputs.

One vocabulary for every family:

* `<family>_generator_loss(discriminator_gen_outputs)`
* `<family>_discriminator_loss(discriminator_real_outputs, discriminator_gen_outputs)`

Discriminator outputs are raw scores (logits for the sigmoid families). Every
function returns a *per-example* loss of shape `[batch]`: outputs with more
than one value per example (a PatchGAN's map) are averaged over the non-batch
axes. Reducing over the batch is the training model's job, because the right
reduction depends on the distribution strategy (see
`tfgan_zoo.models.adversarial_model.AdversarialModel.reduce_loss`).
"""

import tensorflow as tf


def _per_example(values):
    """Averages every axis but the batch axis, in float32."""
    values = tf.cast(values, tf.float32)
    if values.shape.rank is not None and values.shape.rank <= 1:
        return values
    return tf.reduce_mean(tf.reshape(values, [tf.shape(values)[0], -1]), axis=1)


# === Minimax (Goodfellow et al. 2014) ===
def minimax_generator_loss(discriminator_gen_outputs):
    """The saturating form `log(1 - D(G(z)))`, minimised by the generator.

    With `D = sigmoid(logit)`, `log(1 - sigmoid(l)) = -softplus(l)`.
    """
    return _per_example(-tf.nn.softplus(tf.cast(discriminator_gen_outputs, tf.float32)))


def minimax_discriminator_loss(discriminator_real_outputs, discriminator_gen_outputs, label_smoothing=0.0):
    """`-log D(x) - log(1 - D(G(z)))`, the binary cross-entropy of the discriminator.

    `label_smoothing` s > 0 is one-sided smoothing (Salimans et al. 2016): real
    examples get the target `1 - s`, generated ones keep 0.
    """
    real = tf.cast(discriminator_real_outputs, tf.float32)
    fake = tf.cast(discriminator_gen_outputs, tf.float32)
    real_term = (1.0 - label_smoothing) * tf.nn.softplus(-real) + label_smoothing * tf.nn.softplus(real)
    return _per_example(real_term) + _per_example(tf.nn.softplus(fake))


# === Non-saturating (the heuristic of Goodfellow et al. 2014, section 3) ===
def non_saturating_generator_loss(discriminator_gen_outputs):
    """`-log D(G(z))`: same fixed point as minimax, strong gradients early on."""
    return _per_example(tf.nn.softplus(-tf.cast(discriminator_gen_outputs, tf.float32)))


non_saturating_discriminator_loss = minimax_discriminator_loss


# === Least squares (Mao et al. 2017), a=0, b=1, c=1 ===
def least_squares_generator_loss(discriminator_gen_outputs):
    """`0.5 * (D(G(z)) - 1)^2`."""
    fake = tf.cast(discriminator_gen_outputs, tf.float32)
    return _per_example(0.5 * tf.square(fake - 1.0))


def least_squares_discriminator_loss(discriminator_real_outputs, discriminator_gen_outputs, label_smoothing=0.0):
    """`0.5 * (D(x) - b)^2 + 0.5 * D(G(z))^2` with `b = 1 - label_smoothing`."""
    real = tf.cast(discriminator_real_outputs, tf.float32)
    fake = tf.cast(discriminator_gen_outputs, tf.float32)
    target = 1.0 - label_smoothing
    return _per_example(0.5 * tf.square(real - target)) + _per_example(0.5 * tf.square(fake))


# === Wasserstein (Arjovsky et al. 2017) ===
def wasserstein_generator_loss(discriminator_gen_outputs):
    """`-D(G(z))`: the generator raises the critic's score of its samples."""
    return _per_example(-tf.cast(discriminator_gen_outputs, tf.float32))


def wasserstein_discriminator_loss(discriminator_real_outputs, discriminator_gen_outputs):
    """`D(G(z)) - D(x)`: the negated estimate of the Wasserstein-1 distance."""
    real = tf.cast(discriminator_real_outputs, tf.float32)
    fake = tf.cast(discriminator_gen_outputs, tf.float32)
    return _per_example(fake) - _per_example(real)


# === Hinge (Lim & Ye 2017; Miyato et al. 2018) ===
hinge_generator_loss = wasserstein_generator_loss


def hinge_discriminator_loss(discriminator_real_outputs, discriminator_gen_outputs):
    """`max(0, 1 - D(x)) + max(0, 1 + D(G(z)))`."""
    real = tf.cast(discriminator_real_outputs, tf.float32)
    fake = tf.cast(discriminator_gen_outputs, tf.float32)
    return _per_example(tf.nn.relu(1.0 - real)) + _per_example(tf.nn.relu(1.0 + fake))
