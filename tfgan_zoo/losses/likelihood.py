"""Non-adversarial losses: pure per-example functions of tensors (float32 `[B]`), reduced by the model.

Likelihood terms (KL to the prior, reconstruction), distances (L1, L2,
cycle consistency, identity), classification and the mutual-information
bound of InfoGAN's codes.
"""

import math

import tensorflow as tf

# Keeps the Bernoulli log-likelihood finite where the decoder outputs exactly -1 or 1.
_BERNOULLI_EPSILON = 1e-6
_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)


# === The terms of the evidence lower bound ===
def kl_divergence(mean, log_variance):
    """Per-example `KL(N(mean, exp(log_variance)) || N(0, I))`.

    `sum(sigma^2 + mu^2 - log(sigma^2) - 1) / 2` over the latent axis
    (Kingma & Welling 2014, appendix B).

    Args:
        mean: posterior means `[B, latent_dim]`.
        log_variance: posterior log-variances `[B, latent_dim]`.

    Returns:
        Float32 `[B]`.
    """
    mean = tf.cast(mean, tf.float32)
    log_variance = tf.cast(log_variance, tf.float32)
    return 0.5 * tf.reduce_sum(tf.exp(log_variance) + tf.square(mean) - log_variance - 1.0, axis=-1)


def sum_per_example(values):
    """Sums every axis but the batch axis, in float32."""
    values = tf.cast(values, tf.float32)
    return tf.reduce_sum(tf.reshape(values, [tf.shape(values)[0], -1]), axis=1)


def bernoulli_reconstruction(real, decoded):
    """Per-example cross-entropy of the data under Bernoulli pixels (Kingma & Welling's MNIST decoder).

    Samples and decoder outputs are in [-1, 1]; both are mapped to [0, 1]
    (intensities and probabilities), and grey values are soft targets.

    Args:
        real: data `[B, ...]` in [-1, 1].
        decoded: decoder outputs of the same shape in [-1, 1] (a tanh output).

    Returns:
        Float32 `[B]`, the negative log-likelihood in nats.
    """
    target = (tf.cast(real, tf.float32) + 1.0) / 2.0
    probability = (tf.cast(decoded, tf.float32) + 1.0) / 2.0
    log_p = tf.math.log(probability + _BERNOULLI_EPSILON)
    log_not_p = tf.math.log(1.0 - probability + _BERNOULLI_EPSILON)
    return sum_per_example(-(target * log_p + (1.0 - target) * log_not_p))


def gaussian_reconstruction(real, decoded, observation_variance=1.0):
    """Per-example `sum((x - decoded)^2) / (2 * observation_variance)`.

    The negative log-likelihood of `N(decoded, observation_variance * I)`
    without its constant; a smaller variance weights reconstruction more
    against the KL term (sharper, less regular).

    Args:
        real: data `[B, ...]`.
        decoded: decoder outputs of the same shape.
        observation_variance: the fixed variance of every output dimension.
    """
    difference = tf.cast(real, tf.float32) - tf.cast(decoded, tf.float32)
    return sum_per_example(tf.square(difference)) / (2.0 * observation_variance)


# === Distances ===
def mean_absolute_error(target, output):
    """Per-example mean of `|target - output|` over every element (L1), float32 `[B]`."""
    difference = tf.abs(tf.cast(target, tf.float32) - tf.cast(output, tf.float32))
    return tf.reduce_mean(tf.reshape(difference, [tf.shape(difference)[0], -1]), axis=1)


def mean_squared_error(target, output):
    """Per-example mean of `(target - output)^2` over every element (L2), float32 `[B]`."""
    difference = tf.square(tf.cast(target, tf.float32) - tf.cast(output, tf.float32))
    return tf.reduce_mean(tf.reshape(difference, [tf.shape(difference)[0], -1]), axis=1)


def cycle_consistency_loss(real, round_trip):
    """Per-example L1 between images and their translation there and back, `|F(G(x)) - x|` (Zhu et al. 2017)."""
    return mean_absolute_error(real, round_trip)


def identity_loss(real, translated):
    """Per-example L1 between images of the target domain and their translation, `|G(y) - y|` (Zhu et al. 2017)."""
    return mean_absolute_error(real, translated)


# === Classes and codes ===
def classification_loss(logits, labels):
    """Per-example cross-entropy of class `logits` `[B, K]` against integer `labels` `[B]`, float32."""
    return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=tf.cast(logits, tf.float32))


def categorical_code_loss(logits, onehot):
    """Per-example `-log Q(c | x)` of a categorical code given as one-hot `[B, K]` (InfoGAN's discrete term)."""
    return tf.nn.softmax_cross_entropy_with_logits(labels=tf.cast(onehot, tf.float32),
                                                   logits=tf.cast(logits, tf.float32))


def gaussian_code_loss(codes, mean, log_std):
    """Per-example `-log Q(c | x)` of continuous codes `[B, C]` under a factored Gaussian `N(mean, exp(log_std)^2)`.

    InfoGAN's continuous term (Chen et al. 2016): summed over the codes,
    constant included.
    """
    codes, mean, log_std = (tf.cast(value, tf.float32) for value in (codes, mean, log_std))
    negative_log_likelihood = 0.5 * tf.square((codes - mean) * tf.exp(-log_std)) + log_std + _LOG_SQRT_2PI
    return tf.reduce_sum(negative_log_likelihood, axis=-1)
