"""`tfgan-zoo COMMAND [--flags]`: the command line of tfgan_zoo.

Each command family lives in its own module with a `COMMANDS` dict; shared
flags are defined once in `tfgan_zoo.cli.flags`. Library errors
(`ValueError`) are printed as one line and exit with status 2; a command
may return another exit status (`verify` returns 1 when a bound is missed).
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from absl import app  # noqa: E402

from tfgan_zoo.cli import evaluate_commands, export_command, latent_commands, train_commands  # noqa: E402
from tfgan_zoo.cli import inpaint_command, synthesize_command, verify_command  # noqa: E402

COMMANDS = {**train_commands.COMMANDS, **export_command.COMMANDS, **evaluate_commands.COMMANDS,
            **latent_commands.COMMANDS, **inpaint_command.COMMANDS, **synthesize_command.COMMANDS,
            **verify_command.COMMANDS}


def main(argv):
    if len(argv) != 2 or argv[1] not in COMMANDS:
        raise app.UsageError(f"Usage: tfgan-zoo {{{'|'.join(COMMANDS)}}} [--flags]. Received: {argv[1:]}")
    try:
        status = COMMANDS[argv[1]]()
    except ValueError as error:
        print(f"tfgan-zoo {argv[1]}: error: {error}", file=sys.stderr)
        return 2
    return status or 0


def run():
    app.run(main)


if __name__ == "__main__":
    run()
