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


class DivergenceGuard(keras.callbacks.Callback):
    """Stops `fit` at the first non-finite loss and keeps non-finite weights out of checkpoints.

    `divergence` holds the first `Divergence` seen (None while training is sound).
    `RunCheckpoint` asks `may_save` before writing.
    """

    def __init__(self):
        super().__init__()
        self.divergence = None

    def on_train_batch_end(self, batch, logs=None):
        if self.divergence is not None:
            return
        for name, value in (logs or {}).items():
            value = np.asarray(value)
            if not np.all(np.isfinite(value)):
                self._diverged(name, float(value.flat[0]) if value.size else math.nan)
                return

    def may_save(self):
        """False once diverged, or when a weight holds NaN/Inf (then that is recorded as the divergence)."""
        if self.divergence is None:
            weight = checkpoints.first_nonfinite_weight(self.model)
            if weight is not None:
                self._diverged(f"weight {weight}", math.nan)
        return self.divergence is None

    def _diverged(self, name, value):
        self.divergence = Divergence(int(self.model.step_counter.numpy()), name, value)
        self.model.stop_training = True


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
