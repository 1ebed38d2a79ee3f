"""Loading the model of a saved run: the model classes registered, then its newest good checkpoint.

Apart from `run_dir` (the layout of a run, which knows no model class) because
loading needs every model class registered with Keras, that is `tfgan_zoo.models`.
"""

from tfgan_zoo import models  # noqa: F401  (registers the model classes for keras.models.load_model)
from tfgan_zoo.reliability import checkpoints
from tfgan_zoo.run_dir import RunDir


def load_checkpoint(run):
    """`(model, path, bad)`: the newest good checkpoint of `run` (`reliability.checkpoints.load_checkpoint`)."""
    return checkpoints.load_checkpoint(run.checkpoint)


def load_run(path):
    """Loads `(model, recipe)` from a run directory's newest good checkpoint.

    A damaged newest checkpoint is skipped with a warning in favour of the
    one before it (`reliability.checkpoints`).
    """
    run = RunDir(path)
    if not run.has_checkpoint():
        raise ValueError(f"No trained run found (missing {run.checkpoint}). Received: run={path!r}")
    model, _, _ = load_checkpoint(run)
    return model, run.read_recipe()
