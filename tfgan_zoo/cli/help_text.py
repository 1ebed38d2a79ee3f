"""`tfgan-zoo --help` and `tfgan-zoo COMMAND --help`, written from the command functions.

A command's one-line description is the first line of its function's
docstring; its help adds the rest of the docstring (examples) and its flags:
those it names with `flags.command(...)`, or else the flags its own module
defines. `--helpfull` stays absl's list of every flag.
"""

import inspect
import textwrap

from tfgan_zoo.cli.flags import FLAGS

HELP_ARGUMENTS = ("--help", "-h", "--helpshort")
_WIDTH = 100


def requested(args):
    """Whether `args` (the command line after the program) ask for help."""
    return any(arg in HELP_ARGUMENTS for arg in args)


def summary(function):
    """The first line of the command function's docstring."""
    lines = (inspect.getdoc(function) or "").splitlines()
    return lines[0] if lines else "(no description)"


def overview(commands):
    """The top-level help: every command with its one line."""
    width = max(len(name) for name in commands) + 2
    rows = [f"  {name.ljust(width)}{summary(function)}" for name, function in commands.items()]
    return "\n".join([
        "usage: tfgan-zoo COMMAND [--flags]",
        "",
        "GANs for TensorFlow / Keras 3: train recipes, then sample, export and evaluate the runs.",
        "",
        "commands:",
        *rows,
        "",
        "`tfgan-zoo COMMAND --help` shows a command's flags and examples; --helpfull lists every flag.",
    ])


def command_help(name, function):
    """A command's help: its description and examples, then its flags."""
    details = (inspect.getdoc(function) or "").splitlines()[1:]
    parts = [f"usage: tfgan-zoo {name} [--flags]", "", summary(function), *details, "", "flags:"]
    parts += [_describe(FLAGS[flag_name]) for flag_name in flag_names(function)]
    return "\n".join(parts)


def flag_names(function):
    """The flags a command reads: those it names, or those its module defines; `verbose` always."""
    names = getattr(function, "flag_names", None)
    if names is None:
        names = [flag.name for flag in FLAGS.get_flags_for_module(function.__module__)]
    return [*dict.fromkeys([*names, "verbose"])]


def _describe(flag):
    unset = flag.default is None or flag.default is False or flag.default in ([], "")
    default = "" if unset else f" (default: {flag.default})"
    text = textwrap.fill(flag.help + default, _WIDTH, initial_indent="      ", subsequent_indent="      ")
    return f"  --{flag.name}\n{text}"
