"""Flags shared by several `tfgan-zoo` commands, defined once (absl flags are global)."""

from absl import flags

flags.DEFINE_string("recipe", None, "Recipe name (see `tfgan-zoo list`); default: the offline default recipe.")
flags.DEFINE_string("out", None, "train: run directory (default runs/<recipe>); other commands: the output file or folder.")
flags.DEFINE_string("dataset", None, "Dataset spec, e.g. mnist8k, idx:DIR, folder:DIR, tfds:mnist, gen:shapes.")
flags.DEFINE_integer("seed", None, "train: the recipe's seed; sampling commands: the seed of the latents (default 0).")
flags.DEFINE_string("run", None, "The run directory to load.")
flags.DEFINE_integer("num", 64, "Number of samples.")
flags.DEFINE_integer("label", None, "Class of every sample (conditional models); default balanced over classes.")

FLAGS = flags.FLAGS


def require(**values):
    """Raises a ValueError naming every required flag that is missing."""
    missing = [f"--{name}" for name, value in values.items() if value in (None, "")]
    if missing:
        received = " ".join(f"--{name}={value!r}" for name, value in values.items())
        raise ValueError(f"This command needs {', '.join(missing)}. Received: {received}")
