"""Replayable training noise: stateless draws keyed by `(seed, step, stream)`.

Each random draw inside one training step takes its own stream id, so the
draws are independent and are replayed identically on resume. A stream id is
`purpose * MAX_PARTS + part`: `part` is the update within the step (the
discriminator minibatches, then the generator), `purpose` what is drawn.
"""

import tensorflow as tf

MAX_PARTS = 64
_PURPOSES = 16
_STREAMS_PER_STEP = MAX_PARTS * _PURPOSES


class NoiseStreams:
    """`random_normal` / `random_uniform` of the local batch, a pure function of the model's seed, step and stream.

    A mixin of `NetworkModel`; the host sets `seed` (an int) and
    `step_counter` (an int64 variable of steps trained, saved with the
    model), so a reloaded model draws exactly the noise the uninterrupted run
    would have drawn. Each replica draws the noise of the *global* batch and
    keeps its own slice, so a step under `MirroredStrategy` computes what the
    same step computes on one device.
    """

    def random_normal(self, stream, batch_size, tail_shape):
        """Standard normal noise of the local batch, replayable from the step counter."""
        return self._draw(tf.random.stateless_normal, stream, batch_size, tail_shape)

    def random_uniform(self, stream, batch_size, tail_shape):
        """U[0, 1) noise of the local batch, replayable from the step counter."""
        return self._draw(tf.random.stateless_uniform, stream, batch_size, tail_shape)

    @staticmethod
    def substream(part, purpose):
        """The stream id of draw `purpose` (0 is the latent) in update `part` of a step."""
        if not 0 <= purpose < _PURPOSES:
            raise ValueError(f"purpose must be in [0, {_PURPOSES}). Received: purpose={purpose!r}")
        return purpose * MAX_PARTS + part

    def _draw(self, op, stream, batch_size, tail_shape):
        context = tf.distribute.get_replica_context()
        replicas = context.num_replicas_in_sync
        replica = tf.cast(context.replica_id_in_sync_group, tf.int32)
        key = self.step_counter * _STREAMS_PER_STEP + stream
        seed = tf.stack([tf.constant(self.seed, tf.int64), tf.cast(key, tf.int64)])
        values = op([batch_size * replicas, *tail_shape], seed=seed)
        return values[replica * batch_size : (replica + 1) * batch_size]
