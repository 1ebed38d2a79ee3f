"""What the code- and label-learning variants learned, beyond sample quality.

    python benchmarks/mnist8k_quality.py --recipes=infogan_mnist8k,bigan_mnist8k,... --cpu_minutes=5
    python benchmarks/learned_codes.py --output=learned_codes.json

Reads the runs that `mnist8k_quality.py` trained (benchmarks/results/runs/)
and measures, on mnist8k:test (2,000 digits) with mnist8k:train (6,000) as
the labelled reference where one is needed:

- InfoGAN: Q's categorical code of each test digit matched one-to-one to the
  digit classes (error; Chen et al. report about 5% on MNIST), and one PNG
  grid per continuous code (rows walk the categorical code), written into
  the run's folder.
- BiGAN, AAE, VAE, VAE-GAN: 1-nearest-neighbour accuracy of encoder features
  (Donahue et al. report 97.39% for BiGAN on full MNIST) beside raw pixels,
  the mean squared reconstruction error of G(E(x)), and a grid of test
  digits above their reconstructions.
- Semi-supervised GAN: the discriminator's test error, beside the same
  network trained from scratch on the same 100 labelled digits alone
  (Salimans et al. report 0.93% on full MNIST with 100 labels).
"""

import os
import time

from absl import app, flags

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

import common  # noqa: E402
from tfgan_zoo import data  # noqa: E402
from tfgan_zoo.metrics import code_assignment, nearest_neighbour_probe  # noqa: E402
from tfgan_zoo.saved_runs import load_run  # noqa: E402
from tfgan_zoo.utils import images  # noqa: E402
from tfgan_zoo.verification import learned  # noqa: E402

flags.DEFINE_string("runs", os.path.join(common.RESULTS, "runs"), "Folder holding one trained run per recipe.")
flags.DEFINE_list("infogan", ["infogan_mnist8k"], "InfoGAN runs.")
flags.DEFINE_list("encoders", ["bigan_mnist8k", "aae_mnist8k", "vae_mnist8k", "vae_gan_mnist8k"],
                  "Runs with an encoder.")
flags.DEFINE_list("semi_supervised", ["ssgan_mnist8k"], "Semi-supervised GAN runs.")
flags.DEFINE_integer("baseline_epochs", 200, "Epochs of the supervised-only baseline on the labelled digits.")
flags.DEFINE_string("output", "learned_codes.json", "Results file in benchmarks/results/.")
FLAGS = flags.FLAGS


def _write_grid(run, name, samples, columns):
    """Writes a grid PNG into the run's own folder (so a run elsewhere never overwrites it)."""
    path = os.path.join(FLAGS.runs, run, f"{name}.png")
    images.write_png(path, images.samples_to_picture(samples, columns=columns))
    return path


def infogan_report(name, model, test):
    x_test, y_test = test
    codes = model.predict_codes(x_test)[:, 0]
    report = code_assignment.best_code_assignment(codes, y_test, num_codes=model.categorical_codes[0], num_classes=10)
    grids = []
    for index in range(model.continuous_codes):
        latent = model.code_grid(index, seed=3)
        columns = len(latent) // model.categorical_codes[0]
        grids.append(_write_grid(name, f"continuous{index}", model.generate(latent=latent), columns))
    return {"code_error": report["error"], "mapping": report["mapping"], "grids": grids}


def encoder_report(name, model, train, test):
    x_test = test[0]
    # Deterministic features: E(x) for BiGAN/AAE, the posterior mean for the VAEs.
    accuracy = learned.encoder_accuracy(model, train, test)
    reconstructed = model.reconstruct(x_test[:2000])
    shown = np.concatenate([x_test[:16], reconstructed[:16]])
    return {
        "nearest_neighbour_accuracy": accuracy,
        "reconstruction_mse": float(np.mean(np.square(reconstructed - x_test[:2000]))),
        "grid": _write_grid(name, "reconstructions", shown, columns=16),
    }


def semi_supervised_report(model, recipe, test, epochs):
    return {
        "num_labelled": recipe.model_options.get("num_labelled", 100),
        "test_error": learned.classifier_error(model, *test),
        "supervised_only_test_error": learned.labelled_only_error(recipe, test, epochs=epochs),
    }


def main(_):
    train, test = data.load_arrays("mnist8k:train"), data.load_arrays("mnist8k:test")
    results = {"machine": common.machine(), "test_digits": len(test[0]), "reference_digits": len(train[0])}
    results["pixels_nearest_neighbour_accuracy"] = nearest_neighbour_probe.nearest_neighbour_accuracy(
        train[0].reshape(len(train[0]), -1), train[1], test[0].reshape(len(test[0]), -1), test[1])
    jobs = [(n, lambda m, r, n=n: infogan_report(n, m, test)) for n in FLAGS.infogan]
    jobs += [(n, lambda m, r, n=n: encoder_report(n, m, train, test)) for n in FLAGS.encoders]
    jobs += [(n, lambda m, r: semi_supervised_report(m, r, test, FLAGS.baseline_epochs))
             for n in FLAGS.semi_supervised]
    for name, measure in jobs:
        started = time.monotonic()
        model, recipe = load_run(os.path.join(FLAGS.runs, name))
        results[name] = {"steps": int(model.step_counter.numpy()), **measure(model, recipe)}
        results[name]["seconds"] = time.monotonic() - started
        common.write_json(FLAGS.output, results)


if __name__ == "__main__":
    app.run(main)
