"""Shared pieces of the fault-injection suite: tiny runs, injected faults, checkpoint reads."""

import json
import os
import subprocess
import sys

import keras
import numpy as np

from conftest import REPO_ROOT
from tfgan_zoo import recipes, training


def smoke(steps=4, name="gan_ring8", **overrides):
    """A seconds-long recipe: 2 steps an epoch, so `steps=4` writes checkpoints at steps 2 and 4."""
    return recipes.get_recipe(name).smoke_sized().with_overrides({"steps": steps, "steps_per_epoch": 2, **overrides})


def train(out, steps=4, name="gan_ring8", **options):
    return training.train(smoke(steps, name), str(out), verbose=0, **options)


def state(out):
    return json.loads((out / "checkpoints" / "state.json").read_text())


def checkpoint_files(out):
    return sorted(os.listdir(out / "checkpoints"))


def assert_same_weights(a, b):
    for x, y in zip(a.weights, b.weights, strict=True):
        np.testing.assert_array_equal(x.numpy(), y.numpy(), err_msg=x.path)


class PoisonOnce(keras.callbacks.Callback):
    """Sets the discriminator's weights to NaN after step `at`, once: the fault a too-high learning rate makes.

    (All of them: a NaN in one hidden kernel can vanish behind a fused ReLU in the compiled step, which is
    why the guard also checks the weights before each save.)
    """

    def __init__(self, at):
        super().__init__()
        self.at = at
        self.done = False

    def on_train_batch_end(self, batch, logs=None):
        if not self.done and int(self.model.step_counter.numpy()) == self.at:
            for weight in self.model.discriminator.weights:
                weight.assign(np.full(weight.shape, np.nan, weight.dtype))
            self.done = True


def run_python(code, timeout=120):
    """Runs `code` in a fresh Python process from the repository root; returns the CompletedProcess."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONPATH": REPO_ROOT}
    return subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)


def cli_in_process(capsys, *args):
    """`tfgan-zoo ARGS` through `main` in this process: `(exit status, stderr)`."""
    from absl import flags

    from tfgan_zoo.cli import main

    flags.FLAGS.unparse_flags()
    try:
        status = main.main(flags.FLAGS(["tfgan-zoo", *args]))
    finally:
        flags.FLAGS.unparse_flags()
    return status, capsys.readouterr().err
