"""Item 2: one process per run folder, refused by PID; unique temporary files; a killed holder blocks nothing."""

import os
import signal
import subprocess
import sys

import pytest

from conftest import REPO_ROOT
from fault_testing import checkpoint_files, train
from tfgan_zoo.reliability import files, lock

_HOLD_LOCK = """
import sys, time
from tfgan_zoo.reliability import lock
with lock.run_lock(sys.argv[1]):
    print("locked", flush=True)
    time.sleep(60)
"""


def _hold_lock_in_another_process(folder):
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_LOCK, str(folder)], cwd=REPO_ROOT, text=True,
                              stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": REPO_ROOT})
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_a_second_process_is_refused_naming_the_holder_and_a_killed_holder_blocks_nothing(tmp_path):
    holder = _hold_lock_in_another_process(tmp_path)
    try:
        with pytest.raises(lock.RunLockedError, match=f"in use by another process \\(PID {holder.pid}\\)"):
            train(tmp_path, steps=2)
        assert not (tmp_path / "checkpoints").exists(), "the refused process wrote nothing"
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    model, _ = train(tmp_path, steps=2)  # the OS released the dead holder's lock
    assert int(model.step_counter.numpy()) == 2


def test_the_lock_is_released_when_a_run_ends_and_names_its_holder(tmp_path):
    train(tmp_path, steps=2)
    with lock.run_lock(str(tmp_path)):
        assert (tmp_path / lock.LOCK_NAME).read_text().strip() == str(os.getpid())


def test_temporary_names_are_unique_and_name_their_writer(tmp_path):
    path = str(tmp_path / "model.keras")
    first, second = files.temporary_name(path), files.temporary_name(path)
    assert first != second and first.endswith(".keras")
    assert files.writer_pid(first) == os.getpid()


def test_stale_temporary_files_of_dead_processes_are_removed_on_the_next_run(tmp_path):
    train(tmp_path, steps=2)
    folder = tmp_path / "checkpoints"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = [f"model.tmp-{dead.stdout.strip()}-0a1b2c3d.keras", "model.tmp.keras", "state.json.tmp"]
    for name in stale:
        (folder / name).write_bytes(b"partial")
    train(tmp_path, steps=4)
    assert checkpoint_files(tmp_path) == ["model.keras", "model.prev-2.keras", "state.json"]
