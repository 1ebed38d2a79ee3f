"""kill -9 during training, a checkpoint write or an export: the resumed run equals the uninterrupted one, bit for bit.

These cases passed before the reliability work; they stay here so none regresses. Each
kill happens in a separate process; the faults inside a save or an export
are placed exactly by the process killing itself there.
"""

import os
import signal
import subprocess
import sys
import time

from conftest import REPO_ROOT, tiny_gan
from fault_testing import assert_same_weights, checkpoint_files, run_python, state, train
from tfgan_zoo import export


def test_kill_9_at_a_random_time_during_training(tmp_path):
    out = tmp_path / "run"
    command = [sys.executable, "-m", "tfgan_zoo.cli.main", "train", "--recipe=gan_ring8", "--smoke", "--steps=100000",
               "--set=steps_per_epoch=2", f"--out={out}", "--verbose=0"]
    trainer = subprocess.Popen(command, cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": REPO_ROOT},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while not ((out / "checkpoints" / "state.json").exists() and state(out)["step"] >= 6):
            assert trainer.poll() is None and time.monotonic() < deadline, "the trainer stopped or never saved"
            time.sleep(0.05)
    finally:
        trainer.send_signal(signal.SIGKILL)
        trainer.wait()
    killed_at = state(out)["step"]
    resumed, _ = train(out, steps=killed_at + 4)
    straight, _ = train(tmp_path / "straight", steps=killed_at + 4)
    assert int(resumed.step_counter.numpy()) == killed_at + 4
    assert_same_weights(straight, resumed)


_KILLED_IN_SAVE = """
import os, signal, sys
import keras
from tfgan_zoo import recipes, training
real_save = keras.Model.save
def save_then_die(model, path, *args, **kwargs):
    real_save(model, path, *args, **kwargs)
    if int(model.step_counter.numpy()) == 4:  # the temporary file is complete, not yet renamed into place
        os.kill(os.getpid(), signal.SIGKILL)
keras.Model.save = save_then_die
recipe = recipes.get_recipe("gan_ring8").smoke_sized().with_overrides({"steps": 6, "steps_per_epoch": 2})
training.train(recipe, sys.argv[1], verbose=0)
"""


def test_kill_9_during_a_checkpoint_write(tmp_path):
    out = tmp_path / "run"
    died = run_python(_KILLED_IN_SAVE.replace("sys.argv[1]", repr(str(out))))
    assert died.returncode == -signal.SIGKILL, died.stderr[-2000:]
    assert any(".tmp-" in name for name in checkpoint_files(out)), "the kill should leave the temporary file"
    assert state(out)["step"] == 2
    resumed, _ = train(out, steps=6)
    straight, _ = train(tmp_path / "straight", steps=6)
    assert_same_weights(straight, resumed)
    assert checkpoint_files(out) == ["model.keras", "model.prev-4.keras", "state.json"]


_KILLED_IN_EXPORT = """
import os, signal
from tfgan_zoo import export
def die(*args):
    os.kill(os.getpid(), signal.SIGKILL)  # the staging folder exists, the SavedModel is being written
export._stage_saved_model = die
export.export_run(RUN, OUT, formats="saved_model")
"""


def test_kill_9_during_an_export_leaves_nothing_published_and_the_next_export_cleans_up(tmp_path):
    train(tmp_path / "run", steps=2)
    out = tmp_path / "export"
    code = _KILLED_IN_EXPORT.replace("RUN", repr(str(tmp_path / "run"))).replace("OUT", repr(str(out)))
    died = run_python(code)
    assert died.returncode == -signal.SIGKILL, died.stderr[-2000:]
    assert [name for name in os.listdir(out) if name.startswith(".export-staging-")], "the kill left a staging folder"
    live = out / f".export-staging-{os.getpid()}-live"  # a concurrent export of a live process: kept
    live.mkdir()
    export.export_model(tiny_gan((4,)), str(out), "tiny", formats="saved_model")
    assert sorted(os.listdir(out)) == [live.name, "manifest.json", "saved_model"]
