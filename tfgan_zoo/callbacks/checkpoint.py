"""Checkpoints for exact resume, and the step / wall-clock budget of a run."""

import time

import keras

from tfgan_zoo.reliability import checkpoints, files


class RunCheckpoint(keras.callbacks.Callback):
    """Saves the whole model (weights, both optimizers, step counter) atomically.

    Written after every epoch and when training ends (also when a budget stops
    it mid-epoch). The model's own step counter says where a resumed run
    continues: data is skipped to that step, and noise is keyed on it, so the
    continuation equals the uninterrupted run. A crash during a save leaves the
    previous checkpoint intact (write to a temporary file, then rename), and
    the `keep` newest good checkpoints are kept (`reliability.checkpoints`).

    Args:
        path: the `.keras` file to write.
        state_path: JSON file for run bookkeeping (elapsed wall and CPU seconds).
        elapsed_before: seconds spent in earlier sessions of this run.
        cpu_before: CPU seconds of this process's kind spent in earlier sessions.
        extra_state: more bookkeeping written with every checkpoint (e.g.
            the number of replicas the run trains on).
        keep: how many good checkpoints to keep (the newest and `keep - 1`
            before it), so one bad file never loses the run.
        guard: a `reliability.divergence.DivergenceGuard`, which checks the
            weights for NaN/Inf before each save (and aborts `fit` instead).
        recipe: the recipe dict stored inside each checkpoint (the run's identity).
    """

    def __init__(self, path, state_path, elapsed_before=0.0, extra_state=None, cpu_before=0.0, *, keep=2, guard=None,
                 recipe=None):
        super().__init__()
        self.path = path
        self.state_path = state_path
        self.elapsed_before = elapsed_before
        self.cpu_before = cpu_before
        self.extra_state = dict(extra_state or {})
        self.keep = keep
        self.guard = guard
        self.recipe = recipe
        self._saved_step = None

    def on_train_begin(self, logs=None):
        self._started = time.monotonic()
        self._cpu_started = time.process_time()
        self._saved_step = int(self.model.step_counter.numpy())

    def on_epoch_end(self, epoch, logs=None):
        self.save()

    def on_train_end(self, logs=None):
        self.save()

    def save(self):
        step = int(self.model.step_counter.numpy())
        if step == self._saved_step:
            return
        if self.guard is not None:
            self.guard.check_weights()  # raises instead of saving NaN/Inf
        checkpoints.save_checkpoint(self.model, self.path, recipe=self.recipe, previous_step=self._saved_step,
                                    keep=self.keep)
        elapsed = self.elapsed_before + time.monotonic() - self._started
        cpu = self.cpu_before + time.process_time() - self._cpu_started
        write_json_atomically(
            self.state_path, {"step": step, "elapsed_seconds": elapsed, "cpu_seconds": cpu, **self.extra_state}
        )
        self._saved_step = step


class Budget(keras.callbacks.Callback):
    """Stops training after `max_steps` total steps, `max_seconds` of training or `max_cpu_seconds` of CPU time.

    CPU time is this process's (`time.process_time`, all its threads): a
    budget that holds whatever else runs on the machine.

    Args:
        max_steps: total steps of the run, counted by the model's step counter.
        max_seconds: wall-clock budget of the run in seconds (0: none).
        elapsed_before: seconds spent in earlier sessions of this run.
        max_cpu_seconds: CPU-time budget of the run in seconds (0: none).
        cpu_before: CPU seconds spent in earlier sessions of this run.
    """

    def __init__(self, max_steps, max_seconds=0.0, elapsed_before=0.0, *, max_cpu_seconds=0.0, cpu_before=0.0):
        super().__init__()
        self.max_steps = max_steps
        self.max_seconds = max_seconds
        self.elapsed_before = elapsed_before
        self.max_cpu_seconds = max_cpu_seconds
        self.cpu_before = cpu_before

    def on_train_begin(self, logs=None):
        self._started = time.monotonic()
        self._cpu_started = time.process_time()

    def on_train_batch_end(self, batch, logs=None):
        step = int(self.model.step_counter.numpy())
        elapsed = self.elapsed_before + time.monotonic() - self._started
        cpu = self.cpu_before + time.process_time() - self._cpu_started
        if (step >= self.max_steps or (self.max_seconds and elapsed >= self.max_seconds)
                or (self.max_cpu_seconds and cpu >= self.max_cpu_seconds)):
            self.model.stop_training = True


def save_atomically(model, path, recipe=None):
    """Writes one checkpoint atomically (`reliability.checkpoints.save_checkpoint`, keeping no older one)."""
    checkpoints.save_checkpoint(model, path, recipe=recipe)


def write_json_atomically(path, values):
    with files.clear_os_errors("write the run's bookkeeping"):
        files.write_json_atomically(path, values)
