"""Layers that let the discriminator look at a whole minibatch.

A discriminator that scores each sample alone cannot see that the generator
produces the same sample again and again (mode collapse). These layers append
statistics of the minibatch to each sample's features so that it can.
"""

import keras
import tensorflow as tf

from tfgan_zoo.utils.validation import check_int


def _group_size(batch_size, group_size):
    """`group_size` when it divides the batch, else the whole batch (as a tensor)."""
    divides = tf.equal(tf.math.floormod(batch_size, group_size), 0)
    return tf.where(divides, tf.constant(group_size, batch_size.dtype), batch_size)


def minibatch_stddev(features, group_size, epsilon=1e-8):
    """Per example, the mean over features of the std across its group.

    Args:
        features: float32 tensor `[B, F]`.
        group_size: examples per group (a Python int); the whole batch is one
            group when it does not divide `B`.
        epsilon: added to the variance inside the square root.

    Returns:
        float32 tensor `[B]`: the statistic of each example's group.
    """
    batch_size = tf.shape(features)[0]
    group = _group_size(batch_size, group_size)
    # [B // G, G, F]: groups of `group` consecutive examples.
    grouped = tf.reshape(features, tf.stack([-1, group, tf.shape(features)[1]]))
    variance = tf.reduce_mean(tf.square(grouped - tf.reduce_mean(grouped, axis=1, keepdims=True)), axis=1)
    per_group = tf.reduce_mean(tf.sqrt(variance + epsilon), axis=1)
    return tf.reshape(tf.repeat(per_group, group), [batch_size])


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class MinibatchStdDev(keras.layers.Layer):
    """Appends the minibatch standard deviation as one more feature (map).

    For inputs `[B, H, W, C]` the output is `[B, H, W, C + 1]`; for `[B, F]` it
    is `[B, F + 1]`. The appended value is, for each group of `group_size`
    consecutive examples, the standard deviation of every feature across the
    group, averaged over all features (and positions); it is the same for all
    examples of a group and, for images, constant over height and width. When
    the batch size is not a multiple of `group_size` the whole batch is one
    group. Computed in float32 and cast back to the input dtype.

    Args:
        group_size: examples per group.
        **kwargs: base `keras.layers.Layer` arguments (`name`, `dtype`).

    Reference: Karras et al., "Progressive Growing of GANs for Improved
    Quality, Stability, and Variation", ICLR 2018, section 3.
    """

    def __init__(self, group_size=4, **kwargs):
        super().__init__(**kwargs)
        check_int("group_size", group_size)
        self.group_size = group_size

    def build(self, input_shape):
        if len(input_shape) not in (2, 4):
            raise ValueError(
                "MinibatchStdDev takes [batch, features] or [batch, height, width, channels] inputs. "
                f"Received: input_shape={tuple(input_shape)}"
            )
        super().build(input_shape)

    def call(self, inputs):
        x = tf.cast(inputs, tf.float32)
        batch_size = tf.shape(x)[0]
        stddev = minibatch_stddev(tf.reshape(x, tf.stack([batch_size, -1])), self.group_size)
        if x.shape.rank == 4:
            stddev = tf.broadcast_to(tf.reshape(stddev, [-1, 1, 1, 1]), tf.concat([tf.shape(x)[:3], [1]], axis=0))
        else:
            stddev = tf.reshape(stddev, [-1, 1])
        return tf.concat([inputs, tf.cast(stddev, inputs.dtype)], axis=-1)

    def compute_output_shape(self, input_shape):
        channels = input_shape[-1]
        return (*input_shape[:-1], None if channels is None else channels + 1)

    def get_config(self):
        return {**super().get_config(), "group_size": self.group_size}


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class MinibatchDiscrimination(keras.layers.Layer):
    """Appends, per example, its closeness to the other examples of the batch.

    Input `[B, F]`, output `[B, F + num_kernels]`. A learned tensor `T` of shape
    `[F, num_kernels * kernel_dim]` maps each example to `M_i` (reshaped to
    `[num_kernels, kernel_dim]`); `c_k(i, j) = exp(-||M_i,k - M_j,k||_1)` and the
    appended features are `o(x_i)_k = sum_{j != i} c_k(i, j)`. Computed in
    float32 and cast back to the input dtype. Memory grows as `B^2`.

    Args:
        num_kernels: `K`, number of appended features.
        kernel_dim: `D`, dimension of each kernel's projection.
        kernel_initializer: initializer of `T`.
        **kwargs: base `keras.layers.Layer` arguments (`name`, `dtype`).

    Reference: Salimans et al., "Improved Techniques for Training GANs",
    NeurIPS 2016, section 3.2.
    """

    def __init__(self, num_kernels, kernel_dim=5, kernel_initializer="glorot_uniform", **kwargs):
        super().__init__(**kwargs)
        check_int("num_kernels", num_kernels)
        check_int("kernel_dim", kernel_dim)
        self.num_kernels = num_kernels
        self.kernel_dim = kernel_dim
        self.kernel_initializer = keras.initializers.get(kernel_initializer)

    def build(self, input_shape):
        if len(input_shape) != 2 or input_shape[-1] is None:
            raise ValueError(
                "MinibatchDiscrimination takes [batch, features] inputs with a known feature size. "
                f"Received: input_shape={tuple(input_shape)}"
            )
        self.kernel = self.add_weight(
            name="kernel",
            shape=(input_shape[-1], self.num_kernels * self.kernel_dim),
            initializer=self.kernel_initializer,
        )
        super().build(input_shape)

    def call(self, inputs):
        x = tf.cast(inputs, tf.float32)
        projected = tf.reshape(tf.matmul(x, tf.cast(self.kernel, tf.float32)), [-1, self.num_kernels, self.kernel_dim])
        # [B, B, K]: L1 distance between every pair of examples, per kernel.
        distances = tf.reduce_sum(tf.abs(projected[:, None] - projected[None, :]), axis=-1)
        # Each example's own term is exp(0) = 1.
        closeness = tf.reduce_sum(tf.exp(-distances), axis=1) - 1.0
        return tf.concat([inputs, tf.cast(closeness, inputs.dtype)], axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[-1] + self.num_kernels)

    def get_config(self):
        return {
            **super().get_config(),
            "num_kernels": self.num_kernels,
            "kernel_dim": self.kernel_dim,
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
        }
