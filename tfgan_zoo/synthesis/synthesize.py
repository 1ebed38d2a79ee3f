"""Labelled synthetic datasets drawn from a conditional model, optionally kept only where a classifier agrees.

Samples are asked for per class. With a classifier, a sample is kept when
the classifier's most likely class is the one it was asked for, with a
probability of at least `min_confidence`; classes short of their count are
drawn again, in rounds, until every class is full or `max_rounds` is spent.
The classifier judges each sample as it will be stored (images rounded to
uint8), so every kept sample passes the filter when read back.

The written file is what `tfgan_zoo.data` reads as ``npz:FILE``: ``x`` uint8
``[N, H, W, C]`` (float32 ``[N, D]`` for vectors) and ``y`` int32 ``[N]``.

Example:
    >>> model, _ = tfgan_zoo.run_dir.load_run("runs/cgan_mnist8k")
    >>> result = synthesize(model, 100, classifier=keras.models.load_model("classifier.keras"),
    ...                     min_confidence=0.9)
    >>> write_synthetic("synthetic.npz", result)   # then train on --dataset=npz:synthetic.npz
"""

import dataclasses
import math
import os

import keras
import numpy as np

from tfgan_zoo import sampling
from tfgan_zoo.utils import images

# A class whose samples are rarely accepted is drawn at most this many times
# its shortfall per round (the acceptance rate is estimated from earlier rounds).
_MAX_OVERSAMPLING = 16


@dataclasses.dataclass(frozen=True)
class Synthesized:
    """A synthetic dataset and how it was drawn.

    Attributes:
        x: uint8 images `[N, H, W, C]` (float32 `[N, D]` for vectors),
            grouped by class in ascending order.
        y: int32 labels `[N]`.
        drawn: `{class: samples generated}`, rejected ones included.
        rounds: generation rounds used.
    """

    x: np.ndarray
    y: np.ndarray
    drawn: dict
    rounds: int


def per_class_counts(num_classes, counts):
    """`{class: count}` from an int (every class) or a dict (the classes named), checked.

    Raises:
        ValueError: on a count below 1 or a class outside `[0, num_classes)`.
    """
    if not isinstance(counts, dict):
        counts = {label: counts for label in range(num_classes)}
    for label, count in counts.items():
        if isinstance(label, bool) or not isinstance(label, (int, np.integer)) or not 0 <= label < num_classes:
            raise ValueError(f"Classes must be ints in [0, {num_classes}). Received: class {label!r}")
        if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 1:
            raise ValueError(f"Counts must be positive ints. Received: per_class={count!r} for class {label}")
    return {int(label): int(count) for label, count in sorted(counts.items())}


def synthesize(model, counts, *, classifier=None, min_confidence=0.0, seed=0, max_rounds=10, batch_size=256):
    """Samples `counts` labelled examples from a conditional model.

    Args:
        model: a conditional `AdversarialModel` (`num_classes` set).
        counts: samples per class: an int for every class, or `{class: count}`
            (a top-up plan, see `tfgan_zoo.data.imbalance.top_up_counts`).
        classifier: a `keras.Model` mapping samples (in [-1, 1]) to class
            logits, such as the domain classifier of
            `tfgan_zoo.metrics.classifier`; None keeps every sample.
        min_confidence: with a classifier, the least softmax probability of
            the requested class a kept sample must have (the class must also
            be the most likely one).
        seed: seed of the latents; round 0 draws what `model.generate(...,
            seed=seed)` draws, later rounds other seeds derived from it.
        max_rounds: rounds of drawing before a class still short is an error.
        batch_size: samples per generator or classifier call.

    Returns:
        A `Synthesized` dataset holding exactly `counts` examples per class.

    Raises:
        ValueError: on an unconditional model, bad counts, a classifier that
            does not fit the samples, or a class the classifier still rejects
            after `max_rounds` rounds (the error names it).
    """
    if model.num_classes is None:
        raise ValueError(
            f"Synthetic labelled data needs a conditional model. Received: {model.name!r} with num_classes=None"
        )
    counts = per_class_counts(model.num_classes, counts)
    if not 0.0 <= min_confidence <= 1.0:
        raise ValueError(f"min_confidence must be in [0, 1]. Received: min_confidence={min_confidence!r}")
    if isinstance(max_rounds, bool) or not isinstance(max_rounds, int) or max_rounds < 1:
        raise ValueError(f"max_rounds must be a positive int. Received: max_rounds={max_rounds!r}")
    kept = {label: [] for label in counts}
    drawn = {label: 0 for label in counts}
    rounds = 0
    while rounds < max_rounds and _shortfall(counts, kept):
        short = _shortfall(counts, kept)
        plan = {label: _draws(missing, drawn[label], counts[label] - missing) for label, missing in short.items()}
        labels = np.concatenate([np.full(num, label, np.int32) for label, num in plan.items()])
        samples = _as_stored(
            model.generate(len(labels), labels=labels, seed=_round_seed(seed, rounds), batch_size=batch_size)
        )
        accepted = _accepted(classifier, samples, labels, min_confidence, batch_size)
        for label, num in plan.items():
            drawn[label] += num
            kept[label].append(samples[(labels == label) & accepted][: short[label]])
        rounds += 1
    short = _shortfall(counts, kept)
    if short:
        label = min(short)
        raise ValueError(
            f"Class {label} is still {short[label]} samples short after max_rounds={max_rounds} rounds: the "
            f"classifier accepted {counts[label] - short[label]} of the {drawn[label]} samples drawn for it "
            f"(min_confidence={min_confidence}). Short classes: {short}. Lower min_confidence, raise max_rounds "
            "or train the model longer."
        )
    x = np.concatenate([part for label in counts for part in kept[label]])
    y = np.concatenate([np.full(count, label, np.int32) for label, count in counts.items()])
    return Synthesized(x=x, y=y, drawn=drawn, rounds=rounds)


def write_synthetic(path, synthesized):
    """Writes a `Synthesized` dataset as `x` and `y` to an `.npz` file (atomically)."""
    if os.path.splitext(str(path))[1].lower() != ".npz":
        raise ValueError(f"A synthetic dataset is written as .npz. Received: out={path!r}")
    sampling.write_npz(path, {"x": synthesized.x, "y": synthesized.y})


def _shortfall(counts, kept):
    """`{class: samples still missing}` of the classes not yet full."""
    missing = {label: count - sum(len(part) for part in kept[label]) for label, count in counts.items()}
    return {label: num for label, num in missing.items() if num > 0}


def _draws(missing, drawn_so_far, kept_so_far):
    """Samples to draw for a class `missing` short, from the acceptance rate seen so far (1 before any draw)."""
    rate = kept_so_far / drawn_so_far if drawn_so_far else 1.0
    return int(math.ceil(missing / max(rate, 1.0 / _MAX_OVERSAMPLING)))


def _round_seed(seed, round_index):
    """The latent seed of a round: `seed` itself first, then seeds derived from `(seed, round)`."""
    if round_index == 0:
        return int(seed)
    return int(np.random.SeedSequence([int(seed), round_index]).generate_state(1)[0])


def _as_stored(samples):
    """Images as the file stores them (uint8); vectors unchanged."""
    return images.to_uint8(samples) if samples.ndim == 4 else samples.astype(np.float32)


def _accepted(classifier, samples, labels, min_confidence, batch_size):
    """Which samples the classifier assigns to their requested class with enough confidence."""
    if classifier is None:
        return np.ones(len(samples), bool)
    expected = tuple(classifier.inputs[0].shape[1:])
    if tuple(samples.shape[1:]) != expected:
        raise ValueError(
            f"The classifier takes samples of shape {expected}; the model makes {tuple(samples.shape[1:])}. "
            f"Received: classifier={classifier.name!r}"
        )
    scaled = samples.astype(np.float32) / 127.5 - 1.0 if samples.dtype == np.uint8 else samples
    probabilities = np.concatenate([
        np.asarray(keras.ops.softmax(classifier(scaled[start : start + batch_size], training=False), axis=-1))
        for start in range(0, len(scaled), batch_size)
    ])
    rows = np.arange(len(labels))
    return (np.argmax(probabilities, axis=-1) == labels) & (probabilities[rows, labels] >= min_confidence)
