"""Every `bash` example of README.md runs as written, in order, after the quickstart, at smoke size.

The examples run in a fresh folder that stands for the repository root
(`export/` linked in, for the deployment kit's scripts); `tfgan-zoo` commands
run in this process (a TensorFlow start-up each would cost most of the time),
other commands in a subprocess. Slow: about 1.5 minutes on the 2-core machine.
"""

import os
import re
import shlex
import subprocess
import sys

from conftest import REPO_ROOT
from tfgan_zoo.cli import help_text, main
from tfgan_zoo.cli.flags import FLAGS

# Lines of the quickstart that set up the checkout, not examples of the tool.
SETUP_COMMANDS = ("python3 -m venv", "python -m pytest")
# Flags that set how much work a command does, and the most they get here; other values stay as written.
SMOKE_LIMITS = {"--num": 200, "--per_class": 4, "--iterations": 5, "--epochs": 1, "--steps": 6, "--minutes": 0.02}


def readme_commands(text):
    """The commands of the ```bash blocks, in order, as argument lists (comments and setup lines dropped)."""
    commands = []
    for block in re.findall(r"^```bash\n(.*?)^```", text, re.S | re.M):
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line, comments=True)
            if words and not line.startswith(SETUP_COMMANDS):
                commands.append(words)
    return commands


def smoke_sized(words):
    """`words` with the flags of `SMOKE_LIMITS` capped and `--smoke` added to `tfgan-zoo train`."""
    sized = []
    for word in words:
        name, _, value = word.partition("=")
        if name in SMOKE_LIMITS and value:
            limit = SMOKE_LIMITS[name]
            word = f"{name}={min(type(limit)(value), limit)}"
        sized.append(word)
    if words[:2] == ["tfgan-zoo", "train"] and "--smoke" not in words:
        sized.append("--smoke")
    return sized


def run_tfgan_zoo(args):
    """What the `tfgan-zoo` entry point does with `args`, in this process; returns the exit status."""
    if help_text.requested(args):
        return main.print_help(args)
    FLAGS.unparse_flags()
    try:
        return main.main(FLAGS(["tfgan-zoo", *args]))
    finally:
        FLAGS.unparse_flags()


def test_commands_are_read_in_order_with_setup_lines_left_out():
    with open(os.path.join(REPO_ROOT, "README.md")) as handle:
        commands = readme_commands(handle.read())
    assert commands[0] == ["tfgan-zoo", "train"] and len(commands) >= 25
    assert not any(command[0] == "pip" or command[:3] == ["python", "-m", "pytest"] for command in commands)
    assert smoke_sized(["tfgan-zoo", "train", "--minutes=5", "--steps=3"]) == [
        "tfgan-zoo", "train", "--minutes=0.02", "--steps=3", "--smoke"]
    assert smoke_sized(["tfgan-zoo", "sample", "--num=4000"]) == ["tfgan-zoo", "sample", "--num=200"]


def test_every_example_runs_after_the_quickstart(tmp_path, monkeypatch, capsys):
    with open(os.path.join(REPO_ROOT, "README.md")) as handle:
        commands = readme_commands(handle.read())
    os.symlink(os.path.join(REPO_ROOT, "export"), tmp_path / "export")
    monkeypatch.chdir(tmp_path)
    for words in commands:
        command = smoke_sized(words)
        if command[0] == "tfgan-zoo":
            status, output = run_tfgan_zoo(command[1:]), capsys.readouterr()
            errors = output.err
        else:
            program = [sys.executable] if command[0] == "python" else command[:1]
            result = subprocess.run([*program, *command[1:]], capture_output=True, text=True)
            status, errors = result.returncode, result.stderr
        assert status == 0, (
            f"README example failed: {shlex.join(words)}\n(run as {shlex.join(command)})\n{errors[-3000:]}"
        )
