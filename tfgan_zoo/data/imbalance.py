"""Class-imbalanced views of a labelled dataset, and how many samples would balance them.

An imbalanced view keeps every example of the majority classes and a seeded
`fraction` of each minority class (at least one example), as in the BAGAN
study (Mariani et al. 2018), which drops classes of MNIST and CIFAR-10 to a
few percent of their images. A top-up plan counts, per class, the samples a
generator must add to bring every class to the same size.

Example:
    >>> x, y = imbalanced_arrays("mnist8k:train", minority_classes=[2, 5, 8], fraction=0.02)
    >>> top_up_counts(y, num_classes=10)   # {2: ..., 5: ..., 8: ...}: the largest class's count minus each
    >>> ds = load("mnist8k:train", 64, minority_classes=[2, 5, 8], fraction=0.02)
"""

from __future__ import annotations

import numpy as np

from tfgan_zoo import data
from tfgan_zoo.data import pipeline, sources

_PURPOSE = "Imbalanced views"
# `model_options` keys of a recipe that configure an imbalanced view of its data, not the model
# (see `recipe_batches`; BAGAN and DAGAN recipes read them).
RECIPE_OPTIONS = ("minority_classes", "minority_fraction", "selection_seed")


def imbalanced_indices(labels, minority_classes, fraction, *, seed=0):
    """Sorted indices of the examples an imbalanced view keeps.

    Args:
        labels: integer labels of every example `[N]`.
        minority_classes: the classes cut down; every other class is kept whole.
        fraction: share of each minority class kept, in (0, 1];
            `max(1, round(fraction * count))` examples of each.
        seed: seed of which minority examples are kept.

    Raises:
        ValueError: if `fraction` is outside (0, 1] or a minority class has no
            example.
    """
    labels = np.asarray(labels).reshape(-1)
    if not 0.0 < fraction <= 1.0:
        raise ValueError(f"fraction must be in (0, 1]. Received: fraction={fraction!r}")
    minority = sorted({int(label) for label in minority_classes})
    rng = np.random.default_rng(seed)
    keep = np.ones(len(labels), bool)
    for label in minority:
        members = np.flatnonzero(labels == label)
        if len(members) == 0:
            raise ValueError(
                f"Minority class {label} has no example in the dataset. Received: minority_classes={minority!r}"
            )
        kept = max(1, int(round(fraction * len(members))))
        keep[members] = False
        keep[rng.choice(members, kept, replace=False)] = True
    return np.flatnonzero(keep)


def imbalanced_arrays(spec, minority_classes, fraction, *, seed=0, split="train", image_size=None,
                      resize="bilinear"):
    """The imbalanced view of a labelled in-memory dataset as numpy `(x, y)`.

    x is scaled as `tfgan_zoo.data.load` scales it (float32 in [-1, 1] for
    images), y is int32; examples keep their source order.
    """
    data, transform = sources.read_labelled(spec, split, image_size, resize, _PURPOSE)
    kept = imbalanced_indices(data.y, minority_classes, fraction, seed=seed)
    return pipeline.transform_array(data.x[kept], transform, data.kind), np.asarray(data.y[kept], np.int32)


def load(spec, batch_size, *, minority_classes, fraction, seed=0, selection_seed=0, split="train",
         image_size=None, resize="bilinear"):
    """Endless shuffled `(x, y)` batches of the imbalanced view of `spec`.

    The order is a pure function of `seed` (so `skip(steps_done)` resumes a
    run), the kept minority examples one of `selection_seed`.
    """
    data, transform = sources.read_labelled(spec, split, image_size, resize, _PURPOSE)
    view = data.subset(imbalanced_indices(data.y, minority_classes, fraction, seed=selection_seed))
    return pipeline.from_arrays(
        view.x, view.y, transform, view.kind, batch_size=batch_size, shuffle=True, repeat=True, seed=seed,
        drop_remainder=True,
    )


def recipe_batches(recipe, replicas=1):
    """A recipe's labelled training batches; an imbalanced view when `model_options` names minority classes.

    `minority_classes` (a list) and `minority_fraction` cut those classes to
    that share of their examples, chosen by `selection_seed` (default 0).
    The global batch is `recipe.global_batch(replicas)`; the order is a
    pure function of the recipe's seed (so `skip(steps_done)` resumes).
    """
    options, batch_size = recipe.model_options, recipe.global_batch(replicas)
    view = dict(image_size=recipe.image_size or None, resize=recipe.resize, seed=recipe.seed)
    if "minority_classes" not in options:
        return data.load(recipe.dataset, batch_size, labels=True, **view)
    if "minority_fraction" not in options:
        raise ValueError(
            "model_options.minority_classes needs model_options.minority_fraction. "
            f"Received: model_options={options!r}"
        )
    return load(
        recipe.dataset, batch_size, minority_classes=options["minority_classes"],
        fraction=options["minority_fraction"], selection_seed=options.get("selection_seed", 0), **view,
    )


def without_recipe_options(options):
    """`model_options` without the keys of `RECIPE_OPTIONS` (what is left are model arguments)."""
    return {key: value for key, value in options.items() if key not in RECIPE_OPTIONS}


def top_up_counts(labels, num_classes, target=None):
    """Per class, how many samples bring it up to `target` examples.

    Args:
        labels: integer labels of the data to balance `[N]`.
        num_classes: K, the number of classes (classes absent from `labels`
            count 0 examples).
        target: the size every class should reach; default the largest
            class's count.

    Returns:
        `{class: count}` for every class below the target (classes at or
        above it are left out).
    """
    counts = np.bincount(np.asarray(labels, np.int64).reshape(-1), minlength=num_classes)
    if len(counts) > num_classes:
        raise ValueError(f"labels hold class {len(counts) - 1}, outside num_classes={num_classes}")
    target = int(counts.max()) if target is None else target
    if isinstance(target, bool) or not isinstance(target, (int, np.integer)) or target < 1:
        raise ValueError(f"target must be a positive int. Received: target={target!r}")
    return {label: int(target - count) for label, count in enumerate(counts) if count < target}
