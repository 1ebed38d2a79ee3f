"""What a new user sees: help, `list --long`, and output free of TensorFlow's start-up noise."""

import os
import subprocess
import sys
import types

import pytest

from conftest import REPO_ROOT
from test_cli import tfgan_zoo_in_process
from tfgan_zoo.cli import help_text, main
from tfgan_zoo.cli.flags import FLAGS


def tfgan_zoo_quiet_env(*args):
    """Runs the command as a user would: no TF_CPP_MIN_LOG_LEVEL of the test setup, output not a terminal."""
    env = {key: value for key, value in os.environ.items() if key != "TF_CPP_MIN_LOG_LEVEL"}
    result = subprocess.run([sys.executable, "-m", "tfgan_zoo.cli.main", *args], cwd=REPO_ROOT,
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


# === Help ===
def test_top_level_help_lists_every_command_with_one_line():
    output = tfgan_zoo_quiet_env("--help").stdout
    for name, function in main.COMMANDS.items():
        assert f"  {name.ljust(18)}{help_text.summary(function)}\n" in output
    assert len(output.splitlines()) == len(main.COMMANDS) + 7  # usage, summary, footer and blank lines


def test_command_help_shows_its_flags_and_examples_only():
    output = tfgan_zoo_quiet_env("sample", "--help").stdout
    assert output.startswith("usage: tfgan-zoo sample [--flags]\n")
    assert "Examples:\n  tfgan-zoo sample --run=" in output
    assert all(f"  --{flag}\n" in output for flag in ("run", "out", "num", "label", "seed", "verbose"))
    assert "--formats" not in output and "--recipe" not in output


def test_every_command_documents_itself_and_every_flag_belongs_to_a_command():
    named = set()
    for name, function in main.COMMANDS.items():
        assert help_text.summary(function) != "(no description)", name
        assert "tfgan-zoo " + name in help_text.command_help(name, function), f"{name} has no example"
        named.update(help_text.flag_names(function))
    defined = {flag.name for module in FLAGS.flags_by_module_dict()
               if module.startswith("tfgan_zoo.cli") for flag in FLAGS.get_flags_for_module(module)}
    assert defined - named == set()


def test_a_command_without_declared_flags_shows_its_modules_flags():
    def command_verify():
        """Check a run against its recipe's bounds."""

    command_verify.__module__ = "tfgan_zoo.cli.export_command"
    assert help_text.summary(command_verify) == "Check a run against its recipe's bounds."
    assert help_text.flag_names(command_verify)[:2] == ["formats", "name"]


def test_unknown_command_exits_2_with_the_command_list(capsys):
    status, stderr = tfgan_zoo_in_process(capsys, "bogus")
    assert status == 2 and "Received: ['bogus']" in stderr and "  synthesize  " in stderr


# === list ===
@pytest.fixture
def verified_recipe(monkeypatch):
    """A catalog entry that carries verify bounds (no recipe does until `verify` lands)."""
    from tfgan_zoo import recipes

    entry = types.SimpleNamespace(name="zz_verified", description="A recipe with bounds.", expect=object())
    monkeypatch.setitem(recipes.RECIPES, entry.name, entry)
    return entry


def list_output(capsys, *args):
    from absl import flags

    flags.FLAGS.unparse_flags()
    try:
        status = main.main(flags.FLAGS(["tfgan-zoo", "list", *args]))
    finally:
        flags.FLAGS.unparse_flags()
    assert status == 0
    output = capsys.readouterr()
    return output.out.splitlines(), output.err


def test_list_long_table_has_verify_column_and_descriptions(capsys, verified_recipe):
    from tfgan_zoo import recipes

    lines, _ = list_output(capsys, "--long")
    assert lines[0].split() == ["recipe", "verify", "description"] and len(lines) == len(recipes.RECIPES) + 1
    rows = {line.split()[0]: line for line in lines[1:]}
    assert rows["zz_verified"].split()[1:] == ["yes", "A", "recipe", "with", "bounds."]
    assert rows["dcgan_shapes"].split()[1] == "yes", "the default recipe declares its claim"
    plain = rows["gan_ring8"]
    assert plain.split()[1] == "-" and plain.endswith(recipes.RECIPES["gan_ring8"].description)


def test_list_verified_lists_only_recipes_with_bounds(capsys, verified_recipe):
    from tfgan_zoo import recipes

    with_bounds = sorted(name for name, recipe in recipes.RECIPES.items() if recipe.expect is not None)
    assert "zz_verified" in with_bounds and "cgan_mnist8k" in with_bounds and "gan_ring8" not in with_bounds
    assert list_output(capsys, "--verified") == (with_bounds, "")


def test_list_verified_says_so_when_no_recipe_has_bounds(capsys, monkeypatch):
    from tfgan_zoo import recipes

    monkeypatch.setattr(recipes, "RECIPES", {"plain": types.SimpleNamespace(name="plain", description="No bounds.")})
    lines, errors = list_output(capsys, "--verified", "--long")
    assert lines == [] and "No recipe carries verify bounds yet" in errors


# === Output of a training run in a log file ===
def test_train_to_a_file_prints_lines_without_tensorflow_noise(tmp_path):
    result = tfgan_zoo_quiet_env("train", "--smoke", f"--out={tmp_path / 'run'}")
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == ["epoch 1/2, step 2", "epoch 2/2, step 4"]
    assert lines[-1].startswith(f"Run {tmp_path / 'run'}: 4 steps")
    shown = tfgan_zoo_quiet_env("sample", f"--run={tmp_path / 'run'}", f"--out={tmp_path / 'grid.png'}", "--verbose")
    assert "InitializeLog" in shown.stderr  # TensorFlow's own start-up lines are back with --verbose
