"""`tfgan-zoo COMMAND [--flags]`: the command line of tfgan_zoo.

Each command family lives in its own module with a `COMMANDS` dict; shared
flags are defined once in `tfgan_zoo.cli.flags`. `--help` is answered from
the command functions (`tfgan_zoo.cli.help_text`). TensorFlow starts before a
command runs, quietly unless `--verbose` asks (`tfgan_zoo.cli.tf_logs`).
Library errors (`ValueError`) are printed as one line and exit with status 2;
a command may return another exit status (`verify` returns 1 when a bound is
missed).
"""

import sys

from absl import app

from tfgan_zoo.cli import (
    evaluate_commands,
    export_command,
    help_text,
    inpaint_command,
    latent_commands,
    synthesize_command,
    tf_logs,
    train_commands,
    verify_command,
)
from tfgan_zoo.cli.flags import shows_tensorflow_logs

COMMANDS = {**train_commands.COMMANDS, **export_command.COMMANDS, **evaluate_commands.COMMANDS,
            **latent_commands.COMMANDS, **inpaint_command.COMMANDS, **synthesize_command.COMMANDS,
            **verify_command.COMMANDS}


def main(argv):
    if len(argv) != 2 or argv[1] not in COMMANDS:
        print(help_text.overview(COMMANDS), file=sys.stderr)
        print(f"\ntfgan-zoo: error: give one command of the list above. Received: {argv[1:]}", file=sys.stderr)
        return 2
    command = COMMANDS[argv[1]]
    if getattr(command, "starts_tensorflow", True):
        tf_logs.start_tensorflow(shows_tensorflow_logs())
    try:
        status = command()
    except ValueError as error:
        print(f"tfgan-zoo {argv[1]}: error: {error}", file=sys.stderr)
        return 2
    return status or 0


def print_help(args):
    """Prints the help for the command named in `args` (the top-level help without one); returns the status."""
    names = [arg for arg in args if not arg.startswith("-")]
    if not names:
        print(help_text.overview(COMMANDS))
        return 0
    if names[0] not in COMMANDS:
        print(help_text.overview(COMMANDS), file=sys.stderr)
        print(f"\ntfgan-zoo: error: unknown command. Received: {names[0]!r}", file=sys.stderr)
        return 2
    print(help_text.command_help(names[0], COMMANDS[names[0]]))
    return 0


def run():
    if help_text.requested(sys.argv[1:]):
        sys.exit(print_help(sys.argv[1:]))
    app.run(main)


if __name__ == "__main__":
    run()
