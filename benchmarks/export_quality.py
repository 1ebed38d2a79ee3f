"""Quality of the quantized LiteRT files: domain FID of their samples against the float model.

    python benchmarks/export_quality.py --run=benchmarks/results/runs/dcgan_mnist8k --num=4000

Exports the run in every LiteRT format, feeds the same latents (and labels)
to the Keras generator (`training=False`) and to each file, and scores every
sample set with the mnist8k domain classifier against the same real half as
`mnist8k_quality.py`. Reports each file's FID, its change against the Keras
float model, and the file sizes.
"""

import os
import tempfile

from absl import app, flags

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

import common  # noqa: E402
from tfgan_zoo import data, export, metrics, saved_runs  # noqa: E402
from tfgan_zoo.export import litert  # noqa: E402
from tfgan_zoo.utils.batching import map_in_batches  # noqa: E402

flags.DEFINE_string("run", None, "A trained mnist8k run directory.", required=True)
flags.DEFINE_integer("num", 4000, "Samples per file.")
flags.DEFINE_integer("batch", 64, "LiteRT batch size.")
FLAGS = flags.FLAGS


def litert_samples(interpreter, latent, labels, batch_size):
    """The LiteRT sampler's float32 outputs for `latent` (and `labels` or None), `batch_size` rows per call."""

    def run(latent_batch, label_batch):
        inputs = {"latent": latent_batch} if label_batch is None else {"latent": latent_batch, "label": label_batch}
        return litert.run(interpreter, inputs)

    return map_in_batches(run, (latent, labels), batch_size).astype(np.float32)


def main(_):
    model, recipe = saved_runs.load_run(FLAGS.run)
    classifier, accuracy = common.domain_classifier(
        os.path.join(common.RESULTS, "mnist8k_classifier.keras"),
        data.load_arrays("mnist8k:train"), data.load_arrays("mnist8k:test"),
    )
    real, _ = data.load_arrays("mnist8k")
    real_half = real[np.random.default_rng(0).permutation(len(real))[: FLAGS.num]]

    latent = model.latent_for_seed(FLAGS.num, seed=7)
    labels = model.balanced_labels(FLAGS.num)
    keras_samples = model.generate(latent=latent, labels=labels)
    results = {"machine": common.machine(), "run": FLAGS.run, "recipe": recipe.name,
               "classifier_heldout_accuracy": accuracy,
               "keras": metrics.domain_scores(classifier, real_half, keras_samples, requested_labels=labels)}
    with tempfile.TemporaryDirectory() as out:
        manifest = export.export_run(FLAGS.run, out, formats=[f for f in export.FORMATS if f.startswith("tflite")])
        for fmt, entry in manifest["tflite"].items():
            with open(os.path.join(out, entry["path"]), "rb") as handle:
                interpreter = litert.load_interpreter(handle.read())
            samples = litert_samples(interpreter, latent, labels, FLAGS.batch)
            scores = metrics.domain_scores(classifier, real_half, samples, requested_labels=labels)
            scores["fid_change_vs_keras"] = scores["fid"] / results["keras"]["fid"] - 1.0
            scores["bytes"] = entry["bytes"]
            scores["mean_abs_error_vs_keras"] = float(np.mean(np.abs(samples - keras_samples)))
            results[fmt] = scores
    common.write_json(f"export_quality_{recipe.name}.json", results)


if __name__ == "__main__":
    app.run(main)
