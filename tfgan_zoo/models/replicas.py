"""Loss and state arithmetic that stays right under `tf.distribute`, whatever the number of replicas."""

import tensorflow as tf


class ReplicaArithmetic:
    """Reductions for gradients and logs, global-batch views and one-time assignments.

    A mixin of `NetworkModel`. Under a strategy each replica's gradients are
    summed, so every loss term a step differentiates goes through
    `reduce_loss` (per-example terms) or `replica_share` (terms computed on the
    whole batch); on one replica both are the plain mean and the value.
    """

    def reduce_loss(self, per_example):
        """Reduces a per-example loss for gradients: sum over the global batch size.

        Under `tf.distribute` each replica's gradients are summed, so each
        replica divides its local sum by the *global* batch size; the summed
        gradient then equals the gradient of the global mean. Use this for
        every term (adversarial, penalties, auxiliary).
        """
        per_example = tf.cast(per_example, tf.float32)
        replicas = tf.distribute.get_replica_context().num_replicas_in_sync
        global_size = tf.cast(tf.shape(per_example)[0] * replicas, tf.float32)
        return tf.reduce_sum(per_example) / global_size

    def replica_share(self, value):
        """A loss already computed over the global batch, shared out for gradients.

        Terms that are not per-example (feature matching on batch means,
        weight penalties) have the same value on every replica; the summed
        gradient of `value / replicas` is the gradient of `value`.
        """
        replicas = tf.distribute.get_replica_context().num_replicas_in_sync
        return tf.cast(value, tf.float32) / replicas

    def global_mean(self, values):
        """Mean over the *global* batch (axis 0), differentiable, equal on every replica."""
        values = tf.cast(values, tf.float32)
        context = tf.distribute.get_replica_context()
        local_sum, local_count = tf.reduce_sum(values, axis=0), tf.cast(tf.shape(values)[0], tf.float32)
        if context.num_replicas_in_sync == 1:
            return local_sum / local_count
        return context.all_reduce("sum", local_sum) / context.all_reduce("sum", local_count)

    def on_global_batch(self, fn, *local):
        """`fn` applied to the *global* batch of each tensor of `local`; returns this replica's rows of its result.

        For terms that pair examples with other examples of the batch
        (StackGAN's mismatched captions, DAGAN's same-class partners): under a
        strategy with several replicas each replica gathers the others' rows
        (in replica order, as the global batch is split), so the pairs are
        those of one device. On one replica this is `fn(*local)`. Meant for
        tensors no gradient is taken through (a frozen encoder's embeddings,
        real images).
        """
        context = tf.distribute.get_replica_context()
        if context is None or context.num_replicas_in_sync == 1:
            return fn(*local)
        batch_size = tf.shape(local[0])[0]
        start = tf.cast(context.replica_id_in_sync_group, tf.int32) * batch_size
        result = fn(*(context.all_gather(tensor, axis=0) for tensor in local))
        return result[start : start + batch_size]

    def assign_once(self, update):
        """Runs `update()` (variable assignments) once, however many replicas run the step.

        Replicas hold identical weights after an optimizer update, so an
        assignment derived from them is made once, in cross-replica context,
        instead of racing on mirrored values.
        """
        context = tf.distribute.get_replica_context()
        if context is not None and context.num_replicas_in_sync > 1:
            context.merge_call(lambda strategy: update())
        else:
            update()


def reducible_logs(logs):
    """Step logs in a shape Keras's `fit` can reduce across the replicas.

    Under a multi-worker `MultiWorkerMirroredStrategy`, Keras 3 reduces each
    output of the step with `strategy.reduce("MEAN", value, axis=0)`, which
    fails on a scalar ("Invalid reduction dimension 0 for input with 0
    dimensions", tensorflow/tensorflow#72388). There each value gets an axis of
    length one, which that reduction removes; other strategies keep scalars.
    """
    strategy = tf.distribute.get_strategy()
    multi_worker = isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy) and getattr(
        strategy.extended, "_in_multi_worker_mode", lambda: False
    )()
    if not multi_worker:
        return logs
    return {name: tf.reshape(value, [1]) for name, value in logs.items()}
