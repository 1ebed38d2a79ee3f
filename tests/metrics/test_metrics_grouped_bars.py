"""The grouped bar chart (per-class accuracy of several training sets) and the class histogram on it."""

import numpy as np
import tensorflow as tf

from tfgan_zoo.metrics import plots


def _png(path):
    return tf.io.decode_png(tf.io.read_file(str(path))).numpy()


def test_grouped_bars_and_the_class_histogram_write_pngs(tmp_path):
    groups = {"alone": [0.9, 0.2, 0.95], "classic": [0.9, 0.5, 0.95], "gan": [0.91, 0.7, 0.94]}
    plots.plot_grouped_bars(groups, tmp_path / "bars.png", class_names=["0", "1", "2"], ylabel="accuracy",
                            errors={"alone": [0.01, 0.05, 0.01]}, ylim=(0, 1))
    picture = _png(tmp_path / "bars.png")
    assert picture.shape[2] in (3, 4) and picture.shape[1] >= 400
    # Each group's bars are drawn in its own colour: three distinct saturated colours at least.
    colours = {tuple(pixel[:3]) for pixel in picture.reshape(-1, picture.shape[2]) if np.ptp(pixel[:3]) > 100}
    assert len(colours) >= 3
    plots.plot_class_histogram({"generated": [0.5, 0.5], "real": [0.4, 0.6], "modes_covered": 2},
                               tmp_path / "classes.png")
    assert _png(tmp_path / "classes.png").ndim == 3
