"""Timing pieces the speed benchmarks share: `fit` epochs, compiled loops, alternating rounds.

The machine is shared and noisy, so every comparison runs its paths in
alternating rounds inside one process (the order is reversed every other
round, so neither path always runs right after the other) and reports
medians. Each path is a function `run(steps) -> (wall seconds, CPU seconds)`.
"""

import math
import os
import time

import keras
import numpy as np
import tensorflow as tf


class Stopwatch:
    """Wall seconds and this process's CPU seconds (all threads) between `start` and `stop`.

    CPU seconds are what the process itself consumed: less sensitive than wall
    time to other work on a shared machine, so their ratio is a second opinion.
    """

    def start(self):
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def stop(self):
        return time.perf_counter() - self._wall, time.process_time() - self._cpu


class EpochTimer(keras.callbacks.Callback):
    """`(wall, cpu)` seconds of the last epoch of `fit`.

    `fit` ends an epoch by reading its metrics as Python floats, so the
    epoch's last step has finished when `on_epoch_end` runs.
    """

    def __init__(self):
        super().__init__()
        self.stopwatch = Stopwatch()

    def on_epoch_begin(self, epoch, logs=None):
        self.stopwatch.start()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds = self.stopwatch.stop()


def fit_path(model, dataset, callbacks=()):
    """`run(steps)`: one epoch of `steps` training steps through `model.fit`, with `callbacks` besides the timer."""
    timer = EpochTimer()

    def run(steps):
        model.fit(dataset, epochs=1, steps_per_epoch=steps, verbose=0, shuffle=False, callbacks=[*callbacks, timer])
        return timer.seconds

    return run


def loop_path(step, dataset):
    """`run(steps)`: a Python loop calling the compiled `step` on batches of `dataset`."""
    iterator = iter(dataset)

    stopwatch = Stopwatch()

    def run(steps):
        stopwatch.start()
        for _ in range(steps):
            outputs = step(next(iterator))
        tf.nest.map_structure(np.asarray, outputs)  # waits for the last step
        return stopwatch.stop()

    return run


def alternate(paths, steps, rounds, min_round_seconds=0.0, multiple=1):
    """Times `paths` (`{name: run}`) in alternating rounds after warming each up.

    Each path runs `steps` steps twice first (tracing, then a timed
    calibration); rounds then take at least `steps` steps, enough for the
    fastest path to take `min_round_seconds`, rounded up to a multiple of
    `multiple` (so `steps_per_execution` divides them).

    Returns:
        `(round_steps, {name: [wall seconds of each timed round]},
        {name: [CPU seconds of each timed round]})`.
    """
    for run in paths.values():
        run(steps)
    fastest = min(run(steps)[0] for run in paths.values()) / steps
    round_steps = max(steps, math.ceil(min_round_seconds / fastest))
    round_steps = multiple * math.ceil(round_steps / multiple)
    wall, cpu = {name: [] for name in paths}, {name: [] for name in paths}
    names = list(paths)
    for index in range(rounds):
        for name in names if index % 2 == 0 else names[::-1]:
            wall_seconds, cpu_seconds = paths[name](round_steps)
            wall[name].append(wall_seconds)
            cpu[name].append(cpu_seconds)
    return round_steps, wall, cpu


def rates(units_per_round, seconds):
    """Units per second of each round, and their median."""
    per_round = [units_per_round / value for value in seconds]
    return float(np.median(per_round)), per_round


def load_average():
    """The 1-minute load average (other work on this shared machine shows here)."""
    return os.getloadavg()[0]
