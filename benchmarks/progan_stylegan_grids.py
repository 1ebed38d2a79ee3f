"""Pictures of trained progressive GAN and StyleGAN runs.

    python benchmarks/progan_stylegan_grids.py --progan=results/runs/progan_mnist8k \
        --stylegan=results/runs/stylegan_mnist8k

Writes into benchmarks/results/:

- `issue7_progan_progression.png`: one row per sample grid the ProGAN run
  wrote (every `steps_per_epoch` steps), the first 8 of its fixed latents,
  top to bottom as the networks grow; `issue7_progan_progression.json`
  gives each row's step and the progress (level + fade-in alpha) it was
  drawn at.
- `issue7_stylegan_style_mixing.png`: the style-mixing figure
  (`tfgan_zoo.models.stylegan.style_mixing_grid`): top row source B, left
  column source A, one block of rows per range of layers copied from B
  (coarse, middle, fine; listed in the JSON).
- `issue7_stylegan_truncation.png`: the same 8 latents (columns) at
  truncation psi 1, 0.7, 0.5, 0 (rows).
"""

import glob
import os
import re

from absl import app, flags

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import common  # noqa: E402
from tfgan_zoo import saved_runs  # noqa: E402
from tfgan_zoo.models.stylegan import style_mixing_grid  # noqa: E402
from tfgan_zoo.utils import images  # noqa: E402

flags.DEFINE_string("progan", os.path.join(common.RESULTS, "runs", "progan_mnist8k"), "ProGAN run directory.")
flags.DEFINE_string("stylegan", os.path.join(common.RESULTS, "runs", "stylegan_mnist8k"), "StyleGAN run directory.")
FLAGS = flags.FLAGS

_PSI = (1.0, 0.7, 0.5, 0.0)


def first_row(picture, cell, columns=8):
    """The top row of `columns` cells of a `make_grid` picture, with the border above it (not below)."""
    return picture[: cell + 1, : columns * (cell + 1) + 1]


def progression(run_path):
    model, recipe = saved_runs.load_run(run_path)
    cell = model.generator.output.shape[1]
    rows, steps = [], []
    for path in sorted(glob.glob(os.path.join(run_path, "samples", "step_*.png"))):
        step = int(re.search(r"step_(\d+)", path).group(1))
        picture = tf.io.decode_png(tf.io.read_file(path)).numpy()
        rows.append(first_row(picture, cell))
        # The grid after step N shows the generator as step N - 1 set it.
        steps.append({"step": step, "progress": round(float(model.progress_at(step - 1)), 4)})
    bottom_border = np.zeros_like(rows[0][:1])
    return np.concatenate([*rows, bottom_border]), {"recipe": recipe.name, "rows": steps}


def truncation_grid(model, columns=8):
    latent = model.latent_for_seed(columns, seed=3)
    rows = []
    for psi in _PSI:
        model.set_truncation(psi)
        rows.append(model.generate(latent=latent))
    model.set_truncation(1.0)
    return images.make_grid(images.to_uint8(np.concatenate(rows)), columns=columns)


def main(_):
    picture, progression_info = progression(FLAGS.progan)
    images.write_png(os.path.join(common.RESULTS, "issue7_progan_progression.png"), picture)
    model, recipe = saved_runs.load_run(FLAGS.stylegan)
    mixing, ranges = style_mixing_grid(model, rows=4, columns=6)
    images.write_png(os.path.join(common.RESULTS, "issue7_stylegan_style_mixing.png"), mixing)
    images.write_png(os.path.join(common.RESULTS, "issue7_stylegan_truncation.png"), truncation_grid(model))
    common.write_json("issue7_grids.json", {
        "progan_progression": progression_info,
        "stylegan_style_mixing": {"recipe": recipe.name, "rows": 4, "columns": 6, "layer_ranges": ranges},
        "stylegan_truncation_psi_rows": list(_PSI),
    })


if __name__ == "__main__":
    app.run(main)
