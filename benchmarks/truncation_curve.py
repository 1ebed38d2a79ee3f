"""BigGAN's truncation trick on mnist8k: sample quality and label accuracy against the threshold.

    cd benchmarks
    OPENBLAS_NUM_THREADS=1 python mnist8k_quality.py --cpu_minutes=5 --recipes=biggan_mnist8k
    OPENBLAS_NUM_THREADS=1 python truncation_curve.py --truncations=0.25,0.5,1.0,2.0,none

Loads a trained run (default `results/runs/biggan_mnist8k`, which
`mnist8k_quality.py --recipes=biggan_mnist8k` leaves), then for each
threshold draws `--num` samples with balanced labels and the same seed
(`model.generate(..., truncation=t)`, the EMA generator), area-resizes them to
28x28 and scores them against the first real half of mnist8k with the
project's domain classifier, as `mnist8k_quality.py` does: FID, IS analogue,
confident share, classes covered and the share classified as the requested
label. Writes the JSON, a plot of FID and label accuracy against the
threshold, and a grid with one row per threshold (the same ten latents,
digits 0-9), under `results/`.
"""

import os

from absl import app, flags

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

import common  # noqa: E402
from tfgan_zoo import data, metrics, saved_runs  # noqa: E402
from tfgan_zoo.utils import images  # noqa: E402

flags.DEFINE_string("run", os.path.join(common.RESULTS, "runs", "biggan_mnist8k"), "The trained BigGAN run.")
flags.DEFINE_list("truncations", ["0.25", "0.5", "1.0", "2.0", "none"], "Thresholds; `none` samples untruncated.")
flags.DEFINE_integer("num", 4000, "Samples per threshold.")
flags.DEFINE_string("output", "issue7_biggan_truncation", "Stem of the files written in benchmarks/results/.")
FLAGS = flags.FLAGS


def parse_truncation(value):
    return None if value.lower() == "none" else float(value)


def plot_curve(rows, path):
    """FID (left axis) and requested-label accuracy (right axis) against the threshold; `none` at the right."""
    from matplotlib.figure import Figure

    names = [row["truncation"] for row in rows]
    positions = np.arange(len(rows))
    figure = Figure(figsize=(5.5, 3.6), dpi=100)
    fid_axis = figure.subplots()
    fid_axis.plot(positions, [row["fid"] for row in rows], "o-", color="tab:blue")
    fid_axis.set_ylabel("domain FID (lower is better)", color="tab:blue")
    fid_axis.set_xticks(positions, [str(name) for name in names])
    fid_axis.set_xlabel("truncation threshold")
    accuracy_axis = fid_axis.twinx()
    accuracy_axis.plot(positions, [100 * row["label_accuracy"] for row in rows], "s--", color="tab:red")
    accuracy_axis.set_ylabel("requested label (%)", color="tab:red")
    fid_axis.set_title("BigGAN (small) on mnist8k: truncation trick")
    figure.tight_layout()
    figure.savefig(path, format="png")


def main(_):
    common.single_threaded()
    model, recipe = saved_runs.load_run(FLAGS.run)
    classifier, _ = common.domain_classifier(
        os.path.join(common.RESULTS, "mnist8k_classifier.keras"), data.load_arrays("mnist8k:train"),
        data.load_arrays("mnist8k:test"),
    )
    real, _ = data.load_arrays("mnist8k")
    half_a = real[np.random.default_rng(0).permutation(len(real))[: FLAGS.num]]
    labels = model.balanced_labels(FLAGS.num)
    results = {"machine": common.machine(), "run": FLAGS.run, "recipe": recipe.name,
               "steps": int(model.step_counter.numpy()), "num": FLAGS.num, "rows": []}
    grid_rows = []
    for value in FLAGS.truncations:
        truncation = parse_truncation(value)
        samples = model.generate(FLAGS.num, labels=labels, seed=7, truncation=truncation)
        scores = metrics.domain_scores(classifier, half_a, common.at_size(samples, real.shape[1:3]),
                                       requested_labels=labels)
        results["rows"].append({"truncation": value, **scores})
        grid_rows.append(samples[:10])
        common.write_json(f"{FLAGS.output}.json", results)
    plot_curve(results["rows"], os.path.join(common.RESULTS, f"{FLAGS.output}.png"))
    grid = images.make_grid(images.to_uint8(np.concatenate(grid_rows)), columns=10)
    images.write_png(os.path.join(common.RESULTS, f"{FLAGS.output}_samples.png"), grid)


if __name__ == "__main__":
    app.run(main)
