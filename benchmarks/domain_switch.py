"""A two-domain classifier for CycleGAN benchmarks: does a translation land in the other domain?

For an unpaired task whose domain B is a transform of domain A's images
(`cyclegan_strokes_mnist8k`: B = A thickened by a 3x3 dilation), a small CNN
is trained to tell A (label 0) from B (label 1) on the training images and
their transformed versions, then asked about held-out images:

- `domain_b_share`: share classified B of the untranslated sources, of G's
  translations A -> B (`outputs`) and of the true B targets;
- `domain_a_share`: share classified A of the true B targets, of F's
  translations of them B -> A (`inverse_outputs`) and of the true A sources.

Seeded and trained in a few CPU seconds (single-threaded); `cpu_seconds` and
`heldout_accuracy` (on the held-out sources and targets) are reported with it.
"""

import time

import keras
import numpy as np

from tfgan_zoo.data import transforms
from tfgan_zoo.utils.batching import map_in_batches

_BATCH = 256


def build_classifier(input_shape):
    """Three 3x3 convolutions (two with stride 2), global average pooling, one logit (domain B)."""
    inputs = keras.Input(shape=tuple(input_shape))
    x = inputs
    for filters, strides in ((16, 1), (32, 2), (32, 2)):
        x = keras.layers.Conv2D(filters, 3, strides=strides, padding="same", activation="relu")(x)
    x = keras.layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, keras.layers.Dense(1)(x), name="domain_switch_classifier")


def train_classifier(images, task, *, epochs=2, batch_size=64, seed=0):
    """The A-vs-B classifier trained on `images` (domain A) and `task`'s targets of them (domain B).

    Returns `(model, cpu_seconds)`.
    """
    started = time.process_time()
    task = transforms.parse_task(task)
    images = np.asarray(images, np.float32)
    thick = map_in_batches(task.target, images, _BATCH)
    x = np.concatenate([images, thick])
    y = np.concatenate([np.zeros(len(images)), np.ones(len(thick))]).astype(np.float32)
    keras.utils.set_random_seed(seed)
    order = np.random.default_rng(seed).permutation(len(x))
    model = build_classifier(images.shape[1:])
    model.compile(optimizer=keras.optimizers.Adam(2e-3), loss=keras.losses.BinaryCrossentropy(from_logits=True))
    model.fit(x[order], y[order], batch_size=batch_size, epochs=epochs, shuffle=True, verbose=0)
    return model, time.process_time() - started


def share_b(model, images):
    """Share of `images` the classifier puts in domain B (logit > 0)."""
    logits = map_in_batches(lambda batch: model(batch, training=False), images, _BATCH)
    return float(np.mean(logits[:, 0] > 0))


def domain_switch_scores(model, cpu_seconds, inverse_generator, sources, outputs, targets):
    """The classifier's view of held-out sources (A), G's outputs, targets (B) and F's translations of the targets."""
    inverse = map_in_batches(lambda batch: inverse_generator(batch, training=False), targets, _BATCH)
    b_of = {name: share_b(model, batch) for name, batch in (("sources", sources), ("outputs", outputs),
                                                            ("targets", targets), ("inverse_outputs", inverse))}
    return {
        "domain_classifier": {"cpu_seconds": cpu_seconds,
                              "heldout_accuracy": (1.0 - b_of["sources"] + b_of["targets"]) / 2.0},
        "domain_b_share": {name: b_of[name] for name in ("sources", "outputs", "targets")},
        "domain_a_share": {name: 1.0 - b_of[name] for name in ("targets", "inverse_outputs", "sources")},
    }
