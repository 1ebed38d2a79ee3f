"""Items 1 and 6: the last N good checkpoints are kept, a corrupt one is named and the one before it used."""

import os
import shutil
import zipfile

import pytest

from fault_testing import assert_same_weights, checkpoint_files, smoke, state, train
from tfgan_zoo import saved_runs, training
from tfgan_zoo.reliability import checkpoints


def _truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _garbage(path):
    path.write_bytes(b"not a checkpoint " * 100)


def _empty(path):
    path.write_bytes(b"")


def _bit_rot(path):
    # Flip one byte inside the stored weights: the zip still opens, its CRC check fails.
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("model.weights.h5")
    data = bytearray(path.read_bytes())
    data[info.header_offset + 30 + len(info.filename) + info.file_size // 2] ^= 0xFF
    path.write_bytes(bytes(data))


CORRUPTIONS = {
    "truncated": (_truncate, "not a .keras zip archive"),
    "garbage": (_garbage, "not a .keras zip archive"),
    "empty": (_empty, "is empty"),
    "bit_rot": (_bit_rot, "fails its CRC check"),
}


def test_the_two_newest_good_checkpoints_are_kept(tmp_path):
    train(tmp_path, steps=6)
    assert checkpoint_files(tmp_path) == ["model.keras", "model.prev-4.keras", "state.json"]
    model, path, bad = checkpoints.load_checkpoint(str(tmp_path / "checkpoints" / "model.prev-4.keras"))
    assert int(model.step_counter.numpy()) == 4 and not bad


@pytest.mark.parametrize("corruption", sorted(CORRUPTIONS))
def test_a_corrupt_checkpoint_is_named_and_the_previous_one_is_used(tmp_path, corruption):
    corrupt, reason = CORRUPTIONS[corruption]
    train(tmp_path, steps=6)
    newest = tmp_path / "checkpoints" / "model.keras"
    corrupt(newest)
    with pytest.warns(UserWarning, match=f"{newest}.*{reason}.*trying the previous one"):
        model, _ = saved_runs.load_run(str(tmp_path))
    assert int(model.step_counter.numpy()) == 4


def test_resume_after_corruption_equals_the_uninterrupted_run(tmp_path):
    straight, _ = train(tmp_path / "straight", steps=8)
    train(tmp_path / "resumed", steps=6)
    _truncate(tmp_path / "resumed" / "checkpoints" / "model.keras")
    with pytest.warns(UserWarning, match="trying the previous one"):
        resumed, _ = train(tmp_path / "resumed", steps=8)
    assert_same_weights(straight, resumed)
    # The bad file is kept aside for inspection, never loaded or rotated over a good one again.
    assert "model.keras.corrupt" in checkpoint_files(tmp_path / "resumed")


@pytest.mark.parametrize("corruption", ["empty", "garbage"])
def test_no_usable_checkpoint_is_a_clear_error(tmp_path, corruption):
    corrupt, reason = CORRUPTIONS[corruption]
    train(tmp_path, steps=2)
    corrupt(tmp_path / "checkpoints" / "model.keras")
    with pytest.warns(UserWarning, match="no other checkpoint is left"):
        with pytest.raises(checkpoints.CheckpointError, match=f"No usable checkpoint: .*model.keras: .*{reason}"):
            saved_runs.load_run(str(tmp_path))


def test_a_checkpoint_with_nan_weights_is_skipped(tmp_path):
    straight, _ = train(tmp_path, steps=6)
    for weight in straight.weights[1:3]:
        weight.assign(weight * float("nan"))
    straight.save(str(tmp_path / "checkpoints" / "model.keras"))  # left by a run before checkpoints held the recipe
    with pytest.warns(UserWarning, match="holds NaN or Inf"):
        model, _ = saved_runs.load_run(str(tmp_path))
    assert int(model.step_counter.numpy()) == 4


def test_a_run_written_before_issue_19_still_loads_and_resumes(tmp_path):
    """One `model.keras` without a stored recipe, `state.json` and `recipe.json`: today's main's layout."""
    straight, _ = train(tmp_path / "straight", steps=6)
    old = tmp_path / "old"
    train(old, steps=4)
    model, _ = saved_runs.load_run(str(old))
    os.remove(old / "checkpoints" / "model.prev-2.keras")
    model.save(str(old / "checkpoints" / "model.keras"))
    assert checkpoints.stored_recipe(str(old / "checkpoints" / "model.keras")) is None
    resumed, history = train(old, steps=6)
    assert history is not None
    assert_same_weights(straight, resumed)
    assert state(old)["step"] == 6


def test_a_crash_between_the_two_renames_resumes_from_the_previous_file(tmp_path):
    straight, _ = train(tmp_path / "straight", steps=6)
    train(tmp_path / "resumed", steps=4)
    folder = tmp_path / "resumed" / "checkpoints"
    # model.keras was renamed to its prev name, the new file not yet into place.
    shutil.move(folder / "model.keras", folder / "model.prev-4.keras")
    resumed, _ = training.train(smoke(6), str(tmp_path / "resumed"), verbose=0)
    assert_same_weights(straight, resumed)
