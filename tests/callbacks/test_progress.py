"""`ProgressLog`: plain progress lines where output is not a terminal."""

import pytest

from conftest import fake_images, tiny_gan
from tfgan_zoo import callbacks


def fit_lines(capsys, progress, epochs=2):
    model = tiny_gan()
    model.fit(fake_images(24), batch_size=8, epochs=epochs, shuffle=False, verbose=0, callbacks=[progress])
    return capsys.readouterr().out.splitlines()


def test_one_line_per_epoch_when_the_interval_does_not_pass(capsys):
    lines = fit_lines(capsys, callbacks.ProgressLog(interval_seconds=3600))
    assert [line.split(":")[0] for line in lines] == ["epoch 1/2, step 3", "epoch 2/2, step 6"]
    assert all("d_loss=" in line and "g_loss=" in line and line.endswith(" s)") for line in lines)
    assert not any(code in "".join(lines) for code in ("\r", "\b", "\x1b"))


def test_a_line_each_time_the_interval_passes(capsys):
    ticks = iter(range(1000))  # one second per reading of the clock
    lines = fit_lines(capsys, callbacks.ProgressLog(interval_seconds=1, clock=lambda: next(ticks)), epochs=1)
    steps = [line.split(":")[0] for line in lines]
    assert steps == ["epoch 1/1, step 1", "epoch 1/1, step 2", "epoch 1/1, step 3", "epoch 1/1, step 3"]


def test_auto_progress_is_keras_bar_on_a_terminal_and_lines_otherwise():
    assert callbacks.progress_output("auto", is_terminal=True) == (1, [])
    verbose, extra = callbacks.progress_output("auto", is_terminal=False)
    assert verbose == 0 and [type(callback) for callback in extra] == [callbacks.ProgressLog]
    assert callbacks.progress_output(2, is_terminal=False) == (2, [])


@pytest.mark.parametrize("interval", [0, -1, True, "60"])
def test_bad_interval_names_the_value(interval):
    with pytest.raises(ValueError, match=f"interval_seconds={interval!r}"):
        callbacks.ProgressLog(interval_seconds=interval)
