"""Item 7: OS errors are one line naming the path and the error; nothing partial is left behind."""

import errno
import os

import keras
import pytest

from fault_testing import assert_same_weights, checkpoint_files, cli_in_process, state, train
from tfgan_zoo.reliability import files


def test_an_output_whose_parent_is_a_file_is_one_line_on_the_command_line(tmp_path, capsys):
    (tmp_path / "file").write_text("a file, not a folder")
    status, err = cli_in_process(capsys, "train", "--recipe=gan_ring8", "--smoke", f"--out={tmp_path}/file/run",
                                 "--verbose=0")
    assert status == 2
    assert err.count("\n") == 1 and "Not a directory" in err and f"{tmp_path}/file/run" in err, err


def test_a_read_only_run_folder_is_named(tmp_path, monkeypatch):
    real_open = os.open

    def read_only_open(path, flags, *args):
        if str(path).startswith(str(tmp_path)):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", read_only_open)
    with pytest.raises(files.RunIOError, match=f"{tmp_path}/run/.lock: Read-only file system \\(choose a writable"):
        train(tmp_path / "run", steps=2)


def test_a_full_disk_during_a_checkpoint_leaves_no_partial_file_and_the_rerun_resumes(tmp_path, monkeypatch):
    straight, _ = train(tmp_path / "straight", steps=6)
    real_save = keras.Model.save

    def save_until_the_disk_is_full(model, path, *args, **kwargs):
        if int(model.step_counter.numpy()) == 4:
            with open(path, "wb") as handle:
                handle.write(b"PK\x03\x04 half a checkpoint")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), path)
        return real_save(model, path, *args, **kwargs)

    monkeypatch.setattr(keras.Model, "save", save_until_the_disk_is_full)
    with pytest.raises(files.RunIOError, match="Could not write the checkpoint: .*model.tmp-.*No space left on device"):
        train(tmp_path / "run", steps=6)
    assert checkpoint_files(tmp_path / "run") == ["model.keras", "state.json"]
    assert state(tmp_path / "run")["step"] == 2
    monkeypatch.setattr(keras.Model, "save", real_save)
    resumed, _ = train(tmp_path / "run", steps=6)
    assert_same_weights(straight, resumed)
