"""How well real held-out digits project into trained latent spaces.

    tfgan-zoo train --recipe=dcgan_mnist8k --dataset=mnist8k:train --minutes=4 --out=RUNS/dcgan_mnist8k
    tfgan-zoo train --recipe=vae_mnist8k --dataset=mnist8k:train --minutes=4 --out=RUNS/vae_mnist8k
    python benchmarks/projection.py --runs=RUNS --names=dcgan_mnist8k,vae_mnist8k --num=100

Projects the first `--num` digits of mnist8k:test (held out from runs trained
on mnist8k:train) into each run's latent space by optimisation (Adam on pixel
MSE plus the discriminator-feature term where the model has one, several
restarts) and, for models with an encoder, through the encoder. Reports the
mean reconstruction MSE (on [-1, 1] values) and PSNR per path and writes a
grid of the first 16 digits above their reconstructions into each run's
folder.
"""

import os
import time

from absl import app, flags

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

import common  # noqa: E402
from tfgan_zoo import data  # noqa: E402
from tfgan_zoo.latent import LatentSpace, has_encoder, projection, write_rows  # noqa: E402
from tfgan_zoo.saved_runs import load_run  # noqa: E402

flags.DEFINE_string("runs", os.path.join(common.RESULTS, "runs"), "Folder holding one trained run per name.")
flags.DEFINE_list("names", ["dcgan_mnist8k", "vae_mnist8k"], "Runs to project into.")
flags.DEFINE_integer("num", 100, "Held-out digits to project.")
flags.DEFINE_integer("iterations", projection.DEFAULT_ITERATIONS, "Adam steps of the optimisation path.")
flags.DEFINE_integer("restarts", projection.DEFAULT_RESTARTS, "Starting latents per digit.")
flags.DEFINE_float("feature_weight", None, "Weight of the discriminator-feature term (default: the library's).")
flags.DEFINE_string("output", "projection.json", "Results file in benchmarks/results/.")
FLAGS = flags.FLAGS

_SHOWN = 16


def summary(result, seconds):
    return {"mse_mean": result.mse.mean(), "mse_median": np.median(result.mse), "psnr_mean_db": result.psnr.mean(),
            "seconds": seconds, **result.settings}


def project_run(name, test_digits, test_labels):
    model, recipe = load_run(os.path.join(FLAGS.runs, name))
    space = LatentSpace(model)
    labels = test_labels if model.num_classes is not None else None
    report = {"steps": int(model.step_counter.numpy()), "trained_on": recipe.dataset, "paths": {}}
    rows = [test_digits[:_SHOWN]]
    started = time.monotonic()
    result = projection.project_by_optimisation(
        space, test_digits, labels, iterations=FLAGS.iterations, restarts=FLAGS.restarts,
        feature_weight=FLAGS.feature_weight,
    )
    report["paths"]["optimisation"] = summary(result, time.monotonic() - started)
    rows.append(result.reconstructions[:_SHOWN])
    if has_encoder(model):
        started = time.monotonic()
        result = projection.project_by_encoder(space, test_digits, labels)
        report["paths"]["encoder"] = summary(result, time.monotonic() - started)
        rows.append(result.reconstructions[:_SHOWN])
    report["grid"] = os.path.join(FLAGS.runs, name, "projections.png")
    write_rows(report["grid"], rows)
    return report


def main(_):
    common.single_threaded()
    digits, labels = data.load_arrays("mnist8k:test", limit=FLAGS.num)
    results = {"machine": common.machine(), "digits": "mnist8k:test", "num": len(digits)}
    for name in FLAGS.names:
        results[name] = project_run(name, digits, labels)
        common.write_json(FLAGS.output, results)


if __name__ == "__main__":
    app.run(main)
