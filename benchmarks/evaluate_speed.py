"""Wall-clock time of evaluating 10,000 samples (28x28x1) with the mnist8k domain classifier.

    python benchmarks/evaluate_speed.py [--num=10000] [--run=benchmarks/results/runs/dcgan_mnist8k]

Times, on this machine, each stage of what `tfgan-zoo evaluate` does for the
metrics FID (with its real-vs-real floor), KID, IS, PRD, improved P/R and
density/coverage: sampling, classifier features of the generated samples
and of the real pool (mnist8k, 8,000 images), then each metric on the
cached features. Writes benchmarks/results/evaluate_speed.json.

The samples come from the run given by --run when it exists; otherwise
real digits with added noise stand in (the timing does not depend on what
the images show). The machine is shared: the load average is recorded.
"""

import os
import time

from absl import app, flags

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

import common  # noqa: E402
from tfgan_zoo import data, held_out, saved_runs  # noqa: E402
from tfgan_zoo.metrics import classifier, evaluation  # noqa: E402

flags.DEFINE_integer("num", 10_000, "Generated samples to evaluate.")
flags.DEFINE_string("run", os.path.join(common.RESULTS, "runs", "dcgan_mnist8k"), "Run to sample from.")
FLAGS = flags.FLAGS

METRICS = ("fid", "kid", "inception_score", "prd", "precision_recall", "density_coverage")


def _timed(function):
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def _samples(real):
    if os.path.exists(os.path.join(FLAGS.run, "checkpoints", "model.keras")):
        model, _ = saved_runs.load_run(FLAGS.run)
        samples, seconds = _timed(lambda: held_out.generate(model, FLAGS.num, seed=7))
        return samples, seconds, FLAGS.run
    rng = np.random.default_rng(7)
    rows = rng.integers(0, len(real), FLAGS.num)
    noisy = np.clip(real[rows] + rng.normal(scale=0.3, size=real[rows].shape), -1, 1).astype(np.float32)
    return noisy, 0.0, "mnist8k + noise"


def main(_):
    model, accuracy = common.domain_classifier(
        os.path.join(common.RESULTS, "mnist8k_classifier.keras"),
        data.load_arrays("mnist8k:train"), data.load_arrays("mnist8k:test"),
    )
    real, real_labels = data.load_arrays("mnist8k")
    generated, sampling_seconds, source = _samples(real)
    inputs = evaluation.EvaluationInputs(
        generated=generated, real=real, real_labels=real_labels, feature_network=classifier.classifier_network(model)
    )
    evaluator = evaluation.Evaluator(inputs)
    load_before = os.getloadavg()
    seconds = {"sampling": sampling_seconds}
    # Features first, so each metric below is timed on cached activations.
    _, seconds["features_generated"] = _timed(lambda: evaluator.outputs("fid", "generated"))
    _, seconds["features_real"] = _timed(lambda: evaluator.outputs("fid", "real"))
    report = {}
    for name in METRICS:
        entries, seconds[name] = _timed(lambda name=name: evaluator.evaluate([name]))
        report.update(entries)
    seconds["total"] = sum(seconds.values())
    half = len(evaluator.real_halves("fid")[0])
    results = {
        "machine": common.machine(),
        "load_average_1min_before_after": [load_before[0], os.getloadavg()[0]],
        "generated": len(generated), "samples_from": source, "real_pool": len(real), "real_half": half,
        "classifier_heldout_accuracy": accuracy,
        "seconds": seconds,
        "samples_per_second_total": len(generated) / seconds["total"],
        "values": evaluation.scalar_logs(report),
    }
    common.write_json("evaluate_speed.json", results)


if __name__ == "__main__":
    app.run(main)
