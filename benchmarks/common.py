"""Shared pieces of the benchmark scripts: results folder, timing a recipe, JSON output."""

import json
import os
import time

import keras

from tfgan_zoo import metrics, recipes, training

# One TensorFlow op thread per process (CPU budgets of parallel runs compare), and the machine line of reports.
from tfgan_zoo.verification import machine, single_threaded  # noqa: F401

RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")


def train_recipe(name, out_dir, cpu_minutes=0.0, **overrides):
    """Trains a catalog recipe into `out_dir`; returns the model, steps and wall seconds.

    With `cpu_minutes`, the run stops after that much CPU time of this process
    (the recipe's `cpu_minutes` budget, kept across resumes) instead of the
    recipe's wall-clock budget.
    """
    if cpu_minutes:
        overrides = {**overrides, "minutes": 0.0, "steps": 10**9, "cpu_minutes": float(cpu_minutes)}
    recipe = recipes.get_recipe(name).with_overrides(overrides)
    started = time.monotonic()
    model, _ = training.train(recipe, out_dir, verbose=2)
    return model, int(model.step_counter.numpy()), time.monotonic() - started


def domain_classifier(path, real_train, real_test):
    """Loads the project's mnist8k domain classifier, training it first if needed.

    Returns the model and its held-out accuracy (stored beside the cached model).
    """
    accuracy_path = path + ".accuracy.json"
    if os.path.exists(path) and os.path.exists(accuracy_path):
        with open(accuracy_path) as handle:
            return keras.models.load_model(path), json.load(handle)["heldout_accuracy"]
    (x_train, y_train), (x_test, y_test) = real_train, real_test
    model, accuracy = metrics.train_domain_classifier(x_train, y_train, x_test, y_test, num_classes=10)
    model.save(path)
    with open(accuracy_path, "w") as handle:
        json.dump({"heldout_accuracy": float(accuracy), "train": len(x_train), "heldout": len(x_test)}, handle)
    return model, accuracy


def at_size(images, size):
    """`images` (NHWC) area-resized to `size` `(height, width)` when they differ, as float32 numpy."""
    import numpy as np
    import tensorflow as tf

    if tuple(images.shape[1:3]) == tuple(size):
        return images
    return np.asarray(tf.image.resize(images, tuple(size), method="area"), np.float32)


def write_json(name, values):
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, name), "w") as handle:
        json.dump(values, handle, indent=2, default=float)
    print(json.dumps(values, indent=2, default=float))
