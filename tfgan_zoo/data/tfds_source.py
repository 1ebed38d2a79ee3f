"""TensorFlow Datasets image datasets (``tfds:NAME[:SPLIT]``).

Reads the ``image`` feature and, when present, the ``label`` feature.
Downloading needs internet access; tests use `tfds.testing.mock_data`.
"""

from __future__ import annotations

import tensorflow as tf


def _tfds():
    # Imported lazily: tensorflow_datasets takes seconds to import and only
    # this source needs it.
    import tensorflow_datasets as tfds

    return tfds


def _builder(name: str, spec: str):
    tfds = _tfds()
    try:
        return tfds.builder(name)
    except tfds.core.registered.DatasetNotFoundError as error:
        raise ValueError(
            f"Unknown TFDS dataset {name!r} in spec {spec!r}. Received: spec={spec!r}"
        ) from error


def describe(name: str, split: str, spec: str) -> dict:
    """Static facts about a TFDS dataset, without reading any example.

    Returns:
        Dict with ``shape`` (raw image shape, None for varying sizes),
        ``has_labels``, ``num_classes``, ``class_names`` and ``num_examples``
        (None when the dataset is not prepared locally).

    Raises:
        ValueError: If the dataset is unknown or has no ``image`` feature.
    """
    info = _builder(name, spec).info
    features = info.features
    if "image" not in features:
        raise ValueError(
            f"TFDS dataset {name!r} has no 'image' feature; features: "
            f"{sorted(features.keys())}. Received: spec={spec!r}"
        )
    label = features["label"] if "label" in features else None
    num_classes = getattr(label, "num_classes", None)
    names = getattr(label, "names", None)
    try:
        num_examples = info.splits[split].num_examples
    except (KeyError, ValueError, TypeError):
        # Split metadata only exists once the dataset is prepared locally.
        num_examples = None
    return {
        "shape": tuple(features["image"].shape),
        "has_labels": label is not None,
        "num_classes": num_classes,
        "class_names": tuple(names) if names else None,
        "num_examples": num_examples or None,
    }


def examples(name: str, split: str, with_labels: bool) -> tf.data.Dataset:
    """Stream of uint8 images, or ``(image, int32 label)`` when `with_labels`."""
    # File order is fixed so that the seeded shuffle downstream is the only
    # source of randomness.
    ds = _tfds().load(name, split=split, shuffle_files=False)
    if with_labels:
        return ds.map(lambda ex: (ex["image"], tf.cast(ex["label"], tf.int32)))
    return ds.map(lambda ex: ex["image"])
