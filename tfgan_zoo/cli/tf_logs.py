"""TensorFlow's start-up and C++ log lines: hidden by default, shown with `--verbose=1` or `2`.

`TF_CPP_MIN_LOG_LEVEL` must be set before TensorFlow is imported, and it is
not enough: the lines TensorFlow's libraries log while they load (the oneDNN
banner, "Could not find cuda drivers", once per library, so twice) come
before its logging reads the level, and "failed call to cuInit" comes when
the devices are first listed. So TensorFlow is started here, with file
descriptor 2 (C++'s stderr) pointed at a temporary file; what it caught is
replayed only when the start fails. LiteRT's converter and interpreter
print to stderr directly ("fully_quantize: 0, ...", "Created TensorFlow Lite
XNNPACK delegate"): `stderr_hidden` serves `export` the same way.
"""

import contextlib
import os
import sys
import tempfile

# Level 3 hides TensorFlow's C++ INFO, WARNING and ERROR lines (the grappler "remapper failed" error of
# CycleGAN's step is harmless); failures still reach the user as Python exceptions.
QUIET_LEVEL = "3"


def start_tensorflow(show_logs):
    """Imports TensorFlow and lists its devices, its log lines shown only when `show_logs`.

    An explicit `TF_CPP_MIN_LOG_LEVEL` in the environment is kept.
    """
    if show_logs:
        import tensorflow as tf

        tf.config.list_physical_devices()
        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", QUIET_LEVEL)
    with stderr_hidden():
        import tensorflow as tf
        from absl import logging

        tf.config.list_physical_devices()
        logging.set_verbosity(logging.ERROR)


@contextlib.contextmanager
def stderr_hidden(hide=True):
    """Points file descriptor 2 at a temporary file (when `hide`).

    The file is replayed to stderr if the block fails, except by a `ValueError`: the project's errors
    explain themselves in one line.
    """
    if not hide:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as caught:
        os.dup2(caught.fileno(), 2)
        try:
            yield
        except ValueError:
            _restore(saved)
            raise
        except BaseException:
            _restore(saved)
            caught.seek(0)
            sys.stderr.write(caught.read().decode(errors="replace"))
            raise
        _restore(saved)


def _restore(saved):
    sys.stderr.flush()
    os.dup2(saved, 2)
    os.close(saved)
