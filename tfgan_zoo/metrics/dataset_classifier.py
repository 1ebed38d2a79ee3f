"""Training the domain classifier on a dataset spec, with a held-out split.

The classifier trains on the spec's training part and is measured on a
disjoint held-out part:
- `mnist8k` and `idx:` specs: the data layer's `:train` / `:test` splits;
- `gen:` specs: the "test" split is a fresh draw with another data seed;
- `tfds:` specs: the dataset's own "train" and "test" splits;
- `npz:` and `folder:` specs, whose training part the data layer cannot
  name: a seeded quarter of the examples is held out here.
The trained model is saved with a sidecar `FILE.accuracy.json` recording
the held-out accuracy and the data it came from.
"""

import json
import os

import keras
import numpy as np

from tfgan_zoo.metrics import classifier

# TFDS datasets may not fit in memory; these bound what is read.
_TFDS_LIMITS = {"train": 60_000, "test": 10_000}
_HOLDOUT_SEED = 0


def sidecar_path(path):
    """Where the facts of the classifier saved at `path` are kept."""
    return f"{path}.accuracy.json"


def _load(spec, split, transform):
    from tfgan_zoo import data

    limit = _TFDS_LIMITS[split] if spec.startswith("tfds:") else None
    return data.load_arrays(spec, split=split, limit=limit, **transform)


def real_transform(generated, info):
    """`{image_size, channels}` that give a dataset's real images (`info`) the generated images' shape."""
    if generated.ndim != 4:
        return {}
    height, _, channels = info.shape
    return {
        "image_size": generated.shape[1] if generated.shape[1] != height else None,
        "channels": generated.shape[3] if generated.shape[3] != channels else None,
    }


def heldout_arrays(spec, *, image_size=None, channels=None):
    """`((x_train, y_train), (x_test, y_test))` of `spec`, disjoint.

    Raises:
        ValueError: If the dataset has no labels or the spec is invalid.
    """
    from tfgan_zoo.data.spec import parse_spec

    parsed = parse_spec(spec)
    transform = {"image_size": image_size, "channels": channels}
    if parsed.kind in ("mnist8k", "idx"):
        # The data layer splits these only when the spec names the split.
        base = "mnist8k" if parsed.kind == "mnist8k" else f"idx:{parsed.target}"
        train, test = _load(f"{base}:train", "train", transform), _load(f"{base}:test", "test", transform)
    elif parsed.kind in ("npz", "folder"):
        x, y = _load(spec, "train", transform)
        order = np.random.default_rng(_HOLDOUT_SEED).permutation(len(x))
        num_test = len(x) // 4
        train = (x[order[num_test:]], None if y is None else y[order[num_test:]])
        test = (x[order[:num_test]], None if y is None else y[order[:num_test]])
    else:
        base = f"tfds:{parsed.target}" if parsed.kind == "tfds" else spec
        train, test = _load(base, "train", transform), _load(base, "test", transform)
    if train[1] is None:
        raise ValueError(f"A domain classifier needs a labelled dataset. Received: dataset={spec!r}")
    if len(train[0]) < 1 or len(test[0]) < 1:
        raise ValueError(
            f"Dataset {spec!r} gives {len(train[0])} training and {len(test[0])} held-out examples; "
            f"both must be non-empty. Received: dataset={spec!r}"
        )
    return train, test


def train_classifier_on_dataset(spec, *, epochs=20, seed=0, image_size=None, channels=None, verbose=0):
    """Trains a domain classifier on `spec` and measures it on held-out data.

    Args:
        spec: A labelled image dataset spec.
        epochs: Training epochs.
        seed: Seed of the training.
        image_size: Resize images to this square size (None: keep).
        channels: Convert images to 1 or 3 channels (None: keep).
        verbose: Passed to `model.fit`.

    Returns:
        A tuple `(model, facts)`: the trained model and a dict with
        `heldout_accuracy`, `dataset`, `train`, `heldout` (counts) and `epochs`.
    """
    from tfgan_zoo import data

    info = data.info(spec)
    if info.kind != "image":
        raise ValueError(f"A domain classifier needs an image dataset. Received: dataset={spec!r}")
    (x_train, y_train), (x_test, y_test) = heldout_arrays(spec, image_size=image_size, channels=channels)
    num_classes = max(int(info.num_classes or 0), int(y_train.max()) + 1, int(y_test.max()) + 1)
    model, accuracy = classifier.train_domain_classifier(
        x_train, y_train, x_test, y_test, num_classes=num_classes, epochs=epochs, seed=seed, verbose=verbose
    )
    facts = {
        "heldout_accuracy": float(accuracy), "dataset": spec, "train": len(x_train),
        "heldout": len(x_test), "epochs": epochs,
    }
    return model, facts


def save_classifier(model, facts, path):
    """Saves the model to `path` (`.keras`) and its facts beside it."""
    if not str(path).endswith(".keras"):
        raise ValueError(f"The classifier file must end in .keras. Received: out={path!r}")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    model.save(path)
    with open(sidecar_path(path), "w") as handle:
        json.dump(facts, handle, indent=2)


def read_facts(path):
    """The sidecar facts of a saved classifier, or {} when there are none."""
    if not os.path.exists(sidecar_path(path)):
        return {}
    with open(sidecar_path(path)) as handle:
        return json.load(handle)


def load_or_train_classifier(path, spec, *, sample_shape=None, **kwargs):
    """Loads the classifier cached at `path`, training and caching it first if absent.

    Args:
        path: the cache (`.keras`).
        spec: the dataset it is trained on when absent.
        sample_shape: the shape of one sample it will score, `(H, W, C)`; a
            cached classifier made for another shape is refused.
        **kwargs: `train_classifier_on_dataset`'s.

    Returns:
        A tuple `(model, facts)`.

    Raises:
        ValueError: If the cached classifier takes another shape than `sample_shape`.
    """
    if os.path.exists(path):
        return load_cached_classifier(path, sample_shape), read_facts(path)
    model, facts = train_classifier_on_dataset(spec, **kwargs)
    save_classifier(model, facts, path)
    return model, facts


def load_cached_classifier(path, sample_shape=None):
    """The classifier cached at `path`; refused when it was made for samples of another shape than `sample_shape`.

    Raises:
        ValueError: If the cached classifier takes another shape than `sample_shape`.
    """
    model = keras.models.load_model(path)
    takes = tuple(model.input_shape[1:])
    if sample_shape is not None and takes != tuple(sample_shape):
        raise ValueError(
            f"The classifier cached at {path} takes images of shape {takes}, not the samples' "
            f"{tuple(sample_shape)}; delete it (it is retrained at the samples' size) or write to another "
            f"folder. Received: sample_shape={tuple(sample_shape)}"
        )
    return model
