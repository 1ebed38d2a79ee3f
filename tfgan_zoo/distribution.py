"""Distribution strategies and precision policies, by name, for `train` and the CLI.

    tfgan-zoo train --recipe=dcgan_mnist8k --strategy=mirrored            # every local GPU
    TF_CONFIG='{"cluster": {"worker": ["host1:12345", "host2:12345"]},
                "task": {"type": "worker", "index": 0}}' \\
        tfgan-zoo train --recipe=dcgan_mnist8k --strategy=multiworker      # on each host, its own index
    TPU_NAME=my-tpu tfgan-zoo train --recipe=dcgan_mnist8k --strategy=tpu  # Cloud TPU VM or node

The recipe's `batch_size` is per replica: the global batch is
`batch_size * replicas`, and every loss is reduced over the global batch
(`AdversarialModel.reduce_loss`).
"""

import contextlib
import json
import os

import keras
import tensorflow as tf

from tfgan_zoo.recipes.recipe import PRECISIONS

STRATEGIES = ("default", "mirrored", "multiworker", "tpu")


def make_strategy(name):
    """The `tf.distribute.Strategy` called `name` (one of `STRATEGIES`)."""
    if name == "default":
        return tf.distribute.get_strategy()
    if name == "mirrored":
        return tf.distribute.MirroredStrategy()
    if name == "multiworker":
        if "TF_CONFIG" not in os.environ:
            raise ValueError(
                "--strategy=multiworker reads the cluster from the TF_CONFIG environment variable "
                "(see tfgan_zoo/distribution.py). Received: strategy='multiworker' without TF_CONFIG"
            )
        return tf.distribute.MultiWorkerMirroredStrategy()
    if name == "tpu":
        resolver = tf.distribute.cluster_resolver.TPUClusterResolver(tpu=os.environ.get("TPU_NAME", ""))
        tf.config.experimental_connect_to_cluster(resolver)
        tf.tpu.experimental.initialize_tpu_system(resolver)
        return tf.distribute.TPUStrategy(resolver)
    raise ValueError(f"Unknown strategy. Expected one of {STRATEGIES}. Received: strategy={name!r}")


def resolve_strategy(strategy):
    """A strategy object from a name, an object, or `None` (the default strategy)."""
    if strategy is None:
        return tf.distribute.get_strategy()
    if isinstance(strategy, str):
        return make_strategy(strategy)
    return strategy


def is_chief(strategy):
    """Whether this process writes checkpoints, samples and logs (the chief, or worker 0)."""
    resolver = getattr(strategy, "cluster_resolver", None)
    task_type = getattr(resolver, "task_type", None)
    if not task_type or isinstance(strategy, tf.distribute.TPUStrategy):
        return True
    if task_type == "chief":
        return True
    cluster = json.loads(os.environ.get("TF_CONFIG", "{}")).get("cluster", {})
    return task_type == "worker" and resolver.task_id == 0 and "chief" not in cluster


def synchronize_batchnorm(model):
    """Makes every `BatchNormalization` in `model`'s networks normalise by global-batch statistics.

    Under a multi-replica strategy each replica otherwise normalises by the
    moments of its own share of the batch, so the same global batch trains
    differently on 1 and N replicas; synchronised layers all-reduce the
    moments (Keras's `synchronized=True`, saved with the layer's config).
    Returns the number of layers changed.
    """
    layers = [layer for layer in _walk_layers(model) if isinstance(layer, keras.layers.BatchNormalization)]
    for layer in layers:
        layer.synchronized = True
    return len(layers)


def _walk_layers(layer):
    """`layer` and every layer nested in it (sub-models and wrapped layers), each once."""
    seen, pending = set(), [layer]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending.extend(getattr(current, "layers", ()))
        inner = getattr(current, "layer", None)
        if isinstance(inner, keras.layers.Layer):
            pending.append(inner)


def check_precision(precision):
    if precision not in PRECISIONS:
        raise ValueError(f"Unknown precision. Expected one of {PRECISIONS}. Received: precision={precision!r}")


@contextlib.contextmanager
def precision_policy(precision):
    """Sets the global Keras dtype policy for the block (networks built inside use it).

    Generators keep a float32 output layer, and optimizers are wrapped for loss
    scaling under `mixed_float16` (`AdversarialModel.compile`).
    """
    check_precision(precision)
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy(precision)
    try:
        yield
    finally:
        keras.config.set_dtype_policy(previous)
