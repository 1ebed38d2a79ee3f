"""Training progress as plain lines, for output that is not a terminal (a log file, CI, `nohup`).

Keras's progress bar redraws itself after every step with carriage returns
and colour codes: a 120-step run logged to a file held 124 redraws. Where
no one watches a terminal, `ProgressLog` prints one line per epoch, and one
more whenever `interval_seconds` passed without a line.
"""

import sys
import time

import keras

DEFAULT_INTERVAL_SECONDS = 60.0


class ProgressLog(keras.callbacks.Callback):
    """Prints `epoch E/N, step S: name=value ... (T s)` at each epoch's end and every `interval_seconds`.

    Args:
        interval_seconds: the longest time without a line while an epoch runs.
        clock: returns seconds (a fake clock in tests).
    """

    def __init__(self, interval_seconds=DEFAULT_INTERVAL_SECONDS, clock=time.monotonic):
        super().__init__()
        is_number = isinstance(interval_seconds, (int, float)) and not isinstance(interval_seconds, bool)
        if not is_number or interval_seconds <= 0:
            raise ValueError(
                f"interval_seconds must be a positive number. Received: interval_seconds={interval_seconds!r}"
            )
        self.interval_seconds = interval_seconds
        self._clock = clock

    def on_train_begin(self, logs=None):
        self._start = self._last_line = self._clock()
        self._epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self._clock() - self._last_line >= self.interval_seconds:
            self._print(logs)

    def on_epoch_end(self, epoch, logs=None):
        self._print(logs)

    def _print(self, logs):
        now = self._clock()
        self._last_line = now
        values = " ".join(f"{name}={float(value):.4g}" for name, value in sorted((logs or {}).items()))
        step = int(self.model.step_counter.numpy())
        print(f"epoch {self._epoch + 1}/{self.params['epochs']}, step {step}: {values} ({now - self._start:.0f} s)",
              file=sys.stdout, flush=True)


def progress_output(verbose, is_terminal=None):
    """`(fit's verbose, progress callbacks)` for `training.train`'s `verbose`.

    `"auto"` shows Keras's progress bar on a terminal and `ProgressLog`'s
    lines otherwise; 0, 1 and 2 are Keras's own levels. `is_terminal`
    defaults to whether stdout is one.
    """
    if verbose != "auto":
        return verbose, []
    if is_terminal is None:
        is_terminal = sys.stdout.isatty()
    return (1, []) if is_terminal else (0, [ProgressLog()])
