"""Labelled synthetic datasets drawn from a generator, optionally kept only where a classifier agrees.

Two ways to draw them:

- `synthesize`: samples of a class-conditional model (CGAN, BAGAN, ...)
  for the requested class;
- `augment`: variations of real images of the class by an
  image-conditioned model (DAGAN), each labelled with its source's class.

Samples are asked for per class. With a classifier, a sample is kept when
the classifier's most likely class is the one it was asked for, with a
probability of at least `min_confidence`; classes short of their count are
drawn again, in rounds, until every class is full or `max_rounds` is spent.
The classifier judges each sample as it will be stored (images rounded to
uint8), so every kept sample passes the filter when read back.

The written file is what `tfgan_zoo.data` reads as ``npz:FILE``: ``x`` uint8
``[N, H, W, C]`` (float32 ``[N, D]`` for vectors) and ``y`` int32 ``[N]``.

Example:
    >>> model, _ = tfgan_zoo.saved_runs.load_run("runs/cgan_mnist8k")
    >>> result = synthesize(model, 100, classifier=keras.models.load_model("classifier.keras"),
    ...                     min_confidence=0.9)
    >>> write_synthetic("synthetic.npz", result)   # then train on --dataset=npz:synthetic.npz
    >>> dagan, _ = tfgan_zoo.saved_runs.load_run("runs/dagan_imbalanced_mnist8k")
    >>> x, y = tfgan_zoo.data.imbalance.imbalanced_arrays("mnist8k:train", [2, 5, 8], 0.02)
    >>> more = augment(dagan, x, y, tfgan_zoo.data.imbalance.top_up_counts(y, 10))   # minority digits topped up
"""

from __future__ import annotations

import dataclasses
import math
import os

import keras
import numpy as np

from tfgan_zoo import sample_files
from tfgan_zoo.utils import batching, images, validation

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
        source: for `augment`, int32 `[N]`: the row of the source images
            each sample varies (its label is that row's); None otherwise.
    """

    x: np.ndarray
    y: np.ndarray
    drawn: dict
    rounds: int
    source: np.ndarray | None = None


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

    def draw(plan, round_seed):
        labels = np.concatenate([np.full(num, label, np.int32) for label, num in plan.items()])
        return model.generate(len(labels), labels=labels, seed=round_seed, batch_size=batch_size), labels, None

    return _draw_until_full(counts, draw, classifier=classifier, min_confidence=min_confidence, seed=seed,
                            max_rounds=max_rounds, batch_size=batch_size)


def augment(model, images, labels, counts, *, classifier=None, min_confidence=0.0, seed=0, max_rounds=10,
            batch_size=256):
    """Variations of real images, `counts` per class, each labelled with its source image's class.

    For each class, the variations go through that class's images in a
    seeded order, round-robin, so every source is varied about equally
    often; each variation gets its own latent. Round 0 draws exactly
    `model.generate(sources=chosen, seed=seed)`, so the same seed gives the
    same file and another seed other variations of the same sources.

    Args:
        model: an image-conditioned model (`generate(sources=images,
            seed=...)`, a generator of `[latent, image]`), e.g. a `DAGAN`.
        images: the real images to vary `[N, H, W, C]`, float32 in [-1, 1].
        labels: their int labels `[N]`.
        counts: variations per class: an int for every class in `labels`,
            or `{class: count}` (a top-up plan, see
            `tfgan_zoo.data.imbalance.top_up_counts`).
        classifier, min_confidence, seed, max_rounds, batch_size: as in
            `synthesize` (`seed` also orders each class's sources).

    Returns:
        A `Synthesized` dataset with exactly `counts` examples per class and
        `source`, the row of `images` each one varies.

    Raises:
        ValueError: on a model that does not vary images, images that do not
            fit it, bad counts, a class without images to vary, or a class
            the classifier still rejects after `max_rounds` rounds.
    """
    check_image_conditioned(model)
    images, labels = np.asarray(images, np.float32), np.asarray(labels).reshape(-1)
    expected = tuple(model.generator.inputs[1].shape[1:])
    if images.ndim != 4 or images.shape[1:] != expected or len(images) != len(labels) or not len(images):
        raise ValueError(
            f"augment varies images of shape {expected} with one label each. Received: images of shape "
            f"{images.shape}, {len(labels)} labels"
        )
    if not np.issubdtype(labels.dtype, np.integer) or labels.min() < 0:
        raise ValueError(f"labels must be ints >= 0. Received: labels of dtype {labels.dtype}, min {labels.min()}")
    labels = labels.astype(np.int32)
    present = sorted(int(label) for label in np.unique(labels))
    if not isinstance(counts, dict):
        counts = dict.fromkeys(present, counts)
    named = [int(label) for label in counts if isinstance(label, (int, np.integer)) and not isinstance(label, bool)]
    counts = per_class_counts(max(present + named) + 1, counts)
    members = {}
    for label in counts:
        rows = np.flatnonzero(labels == label)
        if not len(rows):
            raise ValueError(
                f"Class {label} has no image to vary. Received: images of classes {present}, counts={counts}"
            )
        members[label] = rows[np.random.default_rng([int(seed), label]).permutation(len(rows))]
    used = dict.fromkeys(counts, 0)

    def draw(plan, round_seed):
        chosen = []
        for label, num in plan.items():
            order = members[label]
            chosen.append(order[(used[label] + np.arange(num)) % len(order)])
            used[label] += num
        chosen = np.concatenate(chosen).astype(np.int32)
        samples = model.generate(sources=images[chosen], seed=round_seed, batch_size=batch_size)
        return samples, labels[chosen], chosen

    return _draw_until_full(counts, draw, classifier=classifier, min_confidence=min_confidence, seed=seed,
                            max_rounds=max_rounds, batch_size=batch_size)


def is_image_conditioned(model):
    """Whether `model` varies given images: its generator takes `[latent, image]` (DAGAN)."""
    inputs = getattr(getattr(model, "generator", None), "inputs", None) or []
    return [tensor.name for tensor in inputs] == ["latent", "image"]


def check_image_conditioned(model):
    """Raises a ValueError naming the model unless it varies given images."""
    if not is_image_conditioned(model):
        inputs = [tensor.name for tensor in getattr(getattr(model, "generator", None), "inputs", None) or []]
        raise ValueError(
            "Augmentation needs an image-conditioned model (a generator of [latent, image], e.g. DAGAN). "
            f"Received: {getattr(model, 'name', model)!r} with generator inputs {inputs}"
        )


def _draw_until_full(counts, draw, *, classifier, min_confidence, seed, max_rounds, batch_size):
    """Draws rounds of `draw(plan, round_seed) -> (samples, labels, source rows or None)` until every class of
    `counts` holds its count of accepted samples; the shared loop of `synthesize` and `augment`."""
    validation.check_number("min_confidence", min_confidence, "[0, 1]")
    validation.check_int("max_rounds", max_rounds)
    kept = {label: [] for label in counts}
    kept_sources = {label: [] for label in counts}
    drawn = {label: 0 for label in counts}
    rounds, with_sources = 0, False
    while rounds < max_rounds and _shortfall(counts, kept):
        short = _shortfall(counts, kept)
        plan = {label: _draws(missing, drawn[label], counts[label] - missing) for label, missing in short.items()}
        samples, labels, sources = draw(plan, _round_seed(seed, rounds))
        samples = _as_stored(samples)
        accepted = _accepted(classifier, samples, labels, min_confidence, batch_size)
        with_sources = sources is not None
        for label, num in plan.items():
            drawn[label] += num
            rows = np.flatnonzero((labels == label) & accepted)[: short[label]]
            kept[label].append(samples[rows])
            if with_sources:
                kept_sources[label].append(sources[rows])
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
    source = None
    if with_sources:
        source = np.concatenate([part for label in counts for part in kept_sources[label]]).astype(np.int32)
    return Synthesized(x=x, y=y, drawn=drawn, rounds=rounds, source=source)


def write_synthetic(path, synthesized):
    """Writes a `Synthesized` dataset as `x` and `y` (and `source` from `augment`) to an `.npz` file, atomically.

    Readers of ``npz:`` datasets use `x` and `y` only.
    """
    if os.path.splitext(str(path))[1].lower() != ".npz":
        raise ValueError(f"A synthetic dataset is written as .npz. Received: out={path!r}")
    arrays = {"x": synthesized.x, "y": synthesized.y}
    if synthesized.source is not None:
        arrays["source"] = synthesized.source
    sample_files.write_npz(path, arrays)


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
    probabilities = batching.map_in_batches(
        lambda batch: keras.ops.softmax(classifier(batch, training=False), axis=-1), scaled, batch_size)
    rows = np.arange(len(labels))
    return (np.argmax(probabilities, axis=-1) == labels) & (probabilities[rows, labels] >= min_confidence)
