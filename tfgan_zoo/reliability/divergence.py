"""The NaN/Inf guard, and rolling a diverged run back to its last good checkpoint.

The guard reads the logs the train step already returns (one scalar per
loss, fetched every batch anyway by `fit`'s callbacks) and, before a
checkpoint is written, every weight. Nothing is added to the compiled step.
"""

import dataclasses
import math

import keras
import numpy as np

from tfgan_zoo.reliability import checkpoints

ON_DIVERGENCE = ("stop", "rollback")


@dataclasses.dataclass(frozen=True)
class Divergence:
    """Where a run diverged: the step, the first non-finite loss (or weight) and its value."""

    step: int
    name: str
    value: float


class DivergenceError(ValueError):
    """Training produced NaN or Inf; the last good checkpoint was kept."""


class TrainingDiverged(Exception):  # noqa: N818  (a signal out of `fit`, caught by `training.train`)
    """Raised inside `fit` by `DivergenceGuard`; `divergence` says where."""

    def __init__(self, divergence):
        super().__init__(divergence)
        self.divergence = divergence


class DivergenceGuard(keras.callbacks.Callback):
    """Aborts `fit` at the first non-finite loss, and before a checkpoint of non-finite weights.

    It raises `TrainingDiverged` rather than setting `stop_training`, so no
    later callback runs on the diverged model: no checkpoint, sample grid or
    epoch-end log is written from it. `RunCheckpoint` calls `check_weights`
    before writing.
    """

    def on_train_batch_end(self, batch, logs=None):
        logs = logs or {}
        # The model's own order (d_loss, g_loss, then their parts), not the logs' alphabetical one.
        names = [name for name in getattr(self.model, "loss_names", ()) if name in logs]
        for name in names + sorted(set(logs) - set(names)):
            value = np.asarray(logs[name])
            if not np.all(np.isfinite(value)):
                self._diverged(name, float(value.flat[0]) if value.size else math.nan)

    def check_weights(self):
        weight = checkpoints.first_nonfinite_weight(self.model)
        if weight is not None:
            self._diverged(f"weight {weight}", math.nan)

    def _diverged(self, name, value):
        raise TrainingDiverged(Divergence(int(self.model.step_counter.numpy()), name, value))


def divergence_message(divergence, run_root, good_step):
    kept = (f"the last good checkpoint (step {good_step}) is kept" if good_step
            else "no checkpoint was written (it diverged before the first save)")
    return (
        f"Training diverged at step {divergence.step}: {divergence.name} became {divergence.value} (the first "
        f"non-finite value); {kept} in {run_root}. Lower the learning rates (e.g. --set=g_lr=1e-4 --set=d_lr=1e-4 "
        f"in a new --out) or resume this run with --on_divergence=rollback, which reloads the last good checkpoint "
        f"and halves them. Received: step={divergence.step}, {divergence.name}={divergence.value}"
    )


def optimizers(model):
    """Every optimizer a model trains with (the base's two and any a variant adds, e.g. ControlGAN's third)."""
    found = []
    for value in vars(model).values():
        if isinstance(value, keras.optimizers.Optimizer) and all(value is not o for o in found):
            found.append(value)
    return found


def learning_rates(model):
    """The current learning rate of each of `optimizers(model)`."""
    return [float(_inner(optimizer).learning_rate) for optimizer in optimizers(model)]


def set_learning_rates(model, rates):
    """Sets each optimizer's learning rate (saved with the model's compile config, so it survives a resume)."""
    for optimizer, rate in zip(optimizers(model), rates, strict=True):
        _inner(optimizer).learning_rate = rate


def _inner(optimizer):
    return getattr(optimizer, "inner_optimizer", optimizer)  # LossScaleOptimizer under mixed_float16
