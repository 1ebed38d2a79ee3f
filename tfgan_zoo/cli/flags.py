"""Flags shared by several `tfgan-zoo` commands, defined once (absl flags are global)."""

import sys

from absl import flags

flags.DEFINE_string("recipe", None, "Recipe name (see `tfgan-zoo list`); default: the offline default recipe.")
flags.DEFINE_string(
    "out", None, "train: run directory (default runs/<recipe>); other commands: the output file or folder."
)
flags.DEFINE_string("dataset", None, "Dataset spec, e.g. mnist8k, idx:DIR, folder:DIR, tfds:mnist, gen:shapes.")
flags.DEFINE_integer("seed", None, "train: the recipe's seed; sampling commands: the seed of the latents (default 0).")
flags.DEFINE_string("run", None, "The run directory to load.")
flags.DEFINE_integer("num", 64, "Number of samples.")
flags.DEFINE_integer("label", None, "Class of every sample (conditional models); default balanced over classes.")


# === Verbosity (every command) ===
VERBOSITY = ("auto", "0", "1", "2")


class _VerbosityParser(flags.EnumParser):
    """`auto`, `0`, `1` or `2`; a bare `--verbose` (absl passes 'true' for a boolean flag) means `1`."""

    _ALIASES = {"true": "1", "false": "0"}

    def parse(self, argument):
        return super().parse(self._ALIASES.get(str(argument).lower(), argument))


flags.DEFINE_flag(flags.Flag(
    _VerbosityParser(VERBOSITY), flags.ArgumentSerializer(), "verbose", "auto",
    "Output detail. auto: results and progress; TensorFlow's start-up and C++ log lines hidden; train shows a "
    "progress bar on a terminal and one line per epoch (or per minute) otherwise. 0: results only. 1 (or a bare "
    "--verbose): TensorFlow's log lines too; train shows Keras's progress bar. 2: TensorFlow's log lines too; "
    "train prints Keras's one line per epoch.",
    boolean=True,
))

FLAGS = flags.FLAGS


def shows_tensorflow_logs():
    """Whether --verbose asks for TensorFlow's own log lines (1 or 2)."""
    return FLAGS.verbose in ("1", "2")


def shows_progress():
    """Whether a command shows progress (every level but 0)."""
    return FLAGS.verbose != "0"


def fit_verbose():
    """Keras's `verbose` for a `fit` of short epochs that a command runs (e.g. a domain classifier).

    `auto`: the progress bar on a terminal, one line per epoch otherwise.
    """
    if FLAGS.verbose == "auto":
        return 1 if sys.stdout.isatty() else 2
    return int(FLAGS.verbose)


def command(*flag_names, tensorflow=True):
    """Marks a command function: the flags it reads (`tfgan-zoo COMMAND --help` lists them) and whether it
    starts TensorFlow (`main` then starts it first, its start-up lines hidden unless --verbose asks)."""
    def mark(function):
        function.flag_names = flag_names
        function.starts_tensorflow = tensorflow
        return function

    return mark


def require(**values):
    """Raises a ValueError naming every required flag that is missing."""
    missing = [f"--{name}" for name, value in values.items() if value in (None, "")]
    if missing:
        received = " ".join(f"--{name}={value!r}" for name, value in values.items())
        raise ValueError(f"This command needs {', '.join(missing)}. Received: {received}")
