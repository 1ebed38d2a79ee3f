"""Stabilisation tricks that compose with any update rule, as small pure pieces.

Each is a function of tensors (or a tiny stateful helper) that the GAN update
rule calls at one place: packing samples for the discriminator (PacGAN),
annealed instance noise, weight clipping, historical averaging.
"""

import tensorflow as tf


def pack(samples, group):
    """Packs `group` consecutive samples into one discriminator input (Lin et al. 2018, PacGAN).

    `[B, ..., C] -> [B / group, ..., group * C]`: the members of a pack are
    stacked along the last axis (channels of an image, coordinates of a
    point), so the discriminator scores the pack jointly and sees the
    diversity of what it is shown.
    """
    if group == 1:
        return samples
    shape = tf.shape(samples)
    tf.debugging.assert_equal(
        shape[0] % group, 0, message=f"The batch size must be a multiple of pack={group}"
    )
    rank = samples.shape.rank
    grouped = tf.reshape(samples, tf.concat([[shape[0] // group, group], shape[1:]], axis=0))
    # Move the group axis next to the last axis, then merge the two.
    order = [0] + list(range(2, rank + 1))
    order.insert(rank - 1, 1)
    stacked = tf.transpose(grouped, order)
    return tf.reshape(stacked, tf.concat([[shape[0] // group], shape[1:-1], [group * shape[-1]]], axis=0))


def packed_shape(sample_shape, group):
    """The discriminator's per-input shape for samples of `sample_shape` packed by `group`."""
    sample_shape = tuple(sample_shape)
    return sample_shape[:-1] + (sample_shape[-1] * group,)


def instance_noise_std(step, initial_std, anneal_steps):
    """Standard deviation of instance noise at `step` (Sonderby et al. 2017; Arjovsky & Bottou 2017).

    Decays linearly from `initial_std` to 0 over `anneal_steps` steps; constant
    when `anneal_steps` is 0.
    """
    if not anneal_steps:
        return tf.constant(initial_std, tf.float32)
    progress = tf.cast(step, tf.float32) / float(anneal_steps)
    return initial_std * tf.maximum(0.0, 1.0 - progress)


def clip_weights(variables, bound):
    """Clips every variable to `[-bound, bound]`, the WGAN critic's Lipschitz constraint."""
    for variable in variables:
        variable.assign(tf.clip_by_value(variable, -bound, bound))


class HistoricalAverage:
    """The running mean of a network's weights and the penalty towards it (Salimans et al. 2016).

    The average starts at the initial weights and takes in the weights after
    every update: after k updates it is the mean of k + 1 snapshots. Its
    variables belong to the training model, so they are saved with it and a
    resumed run continues the same average.

    Args:
        model: the `AdversarialModel` that owns the average variables.
        network: the network whose trainable weights are averaged.
        name: prefix of the average variables' names.
    """

    def __init__(self, model, network, name):
        self.weights = list(network.trainable_variables)
        self.averages = []
        for index, weight in enumerate(self.weights):
            average = model.add_weight(
                shape=weight.shape, initializer="zeros", trainable=False, name=f"{name}_average_{index}"
            )
            average.assign(weight)
            self.averages.append(average)

    def penalty(self):
        """`sum ||theta - mean(theta)||^2` over all weights (a scalar)."""
        return tf.add_n(
            [tf.reduce_sum(tf.square(tf.cast(w, tf.float32) - a)) for w, a in zip(self.weights, self.averages)]
        )

    def update(self, updates_done):
        """Takes in the current weights; `updates_done` counts updates so far (>= 1)."""
        rate = 1.0 / (tf.cast(updates_done, tf.float32) + 1.0)
        for weight, average in zip(self.weights, self.averages):
            average.assign_add(rate * (tf.cast(weight, tf.float32) - average))
