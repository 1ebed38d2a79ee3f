"""Grids of the intermediate images of the staged generators.

    python benchmarks/mnist8k_quality.py --recipes=lapgan_mnist8k,gran_mnist8k --cpu_minutes=5 --output=...
    python benchmarks/stage_grids.py

Reads the runs that `mnist8k_quality.py` trained (benchmarks/results/runs/)
and writes, for the latents `latent_for_seed(num, seed=7)`:

- `lapgan_mnist8k_levels.png`: each row one sample, the columns the
  cascade's 8x8, 16x16 and 32x32 images (pixels repeated to 32x32);
- `gran_mnist8k_canvases.png`: each row one sample, the columns
  `tanh` of the canvas after each of GRAN's steps.
"""

import os

from absl import app, flags

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import common  # noqa: E402
from tfgan_zoo.networks import gran, stages  # noqa: E402
from tfgan_zoo.saved_runs import load_run  # noqa: E402
from tfgan_zoo.utils import images  # noqa: E402

flags.DEFINE_string("lapgan", "lapgan_mnist8k", "LAPGAN run (in benchmarks/results/runs/); empty to skip.")
flags.DEFINE_string("gran", "gran_mnist8k", "GRAN run (in benchmarks/results/runs/); empty to skip.")
flags.DEFINE_integer("num", 10, "Samples (rows) per grid.")
FLAGS = flags.FLAGS


def main(_):
    if FLAGS.lapgan:
        model, _ = load_run(os.path.join(common.RESULTS, "runs", FLAGS.lapgan))
        levels = model.level_images(model.latent_for_seed(FLAGS.num, seed=7))
        _write(f"{FLAGS.lapgan}_levels.png", stages.stage_grid(levels))
    if FLAGS.gran:
        model, _ = load_run(os.path.join(common.RESULTS, "runs", FLAGS.gran))
        canvases = gran.canvases(model.sampling_generator, model.latent_for_seed(FLAGS.num, seed=7))
        _write(f"{FLAGS.gran}_canvases.png", stages.stage_grid(canvases))


def _write(name, picture):
    path = os.path.join(common.RESULTS, name)
    images.write_png(path, picture)
    print(f"wrote {path} {picture.shape}")


if __name__ == "__main__":
    app.run(main)
