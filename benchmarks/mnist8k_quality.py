"""Domain FID on mnist8k at a fixed CPU budget (BENCHMARK_PROTOCOL.md).

    python benchmarks/mnist8k_quality.py --recipes=dcgan_mnist8k,gan_mnist8k,cgan_mnist8k --minutes=5
    python benchmarks/mnist8k_quality.py --recipes=lsgan_mnist8k,hinge_mnist8k --cpu_minutes=2 --output=losses_a.json
    python benchmarks/mnist8k_quality.py --recipes=dcgan_mnist8k --cpu_minutes=3 --set=batch_size=32 --tag=_b32 \
        --output=pilot_b32.json     # a pilot: the recipe with --set changes, in runs/<recipe><tag>

For recipes that carry `expect` bounds, `tfgan-zoo verify` is the tool of record; this script
compares recipes (and pilots of changed recipes) without a claim.

1. Trains the domain classifier on mnist8k:train (6,000) and reports its
   accuracy on mnist8k:test (2,000); cached in benchmarks/results/.
2. The real-vs-real floor: two disjoint halves of mnist8k (4,000 each).
3. Each recipe trained for `--minutes` of wall clock (or `--cpu_minutes` of
   single-threaded CPU time), then 4,000 samples
   scored against the first real half: FID, IS analogue, confident share,
   classes above 2%, and for conditional models the label accuracy.
   Samples of recipes trained at another size (mnist8k resized to 32x32 for
   generators that grow by powers of two) are area-resized to 28x28 first.
"""

import os
import time

from absl import app, flags

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

import common  # noqa: E402
from tfgan_zoo import data, held_out, metrics, recipes  # noqa: E402

flags.DEFINE_list("recipes", ["dcgan_mnist8k", "gan_mnist8k", "cgan_mnist8k"], "Recipes to train and score.")
flags.DEFINE_float("minutes", 5.0, "Training budget per recipe, wall clock.")
flags.DEFINE_float("cpu_minutes", 0.0, "Budget in CPU minutes of this process instead of --minutes (0: off); "
                   "runs single-threaded, so parallel processes get equal budgets.")
flags.DEFINE_integer("num", 4000, "Samples per side.")
flags.DEFINE_multi_string("set", [], "Recipe overrides applied to every recipe, field=value (repeatable).")
flags.DEFINE_string("tag", "", "Suffix of the run folders (pilots of changed recipes keep their own runs).")
flags.DEFINE_string(
    "output", "mnist8k_quality.json", "Results file in benchmarks/results/ (several scripts may run at once)."
)
FLAGS = flags.FLAGS


def main(_):
    if FLAGS.cpu_minutes:
        common.single_threaded()
    classifier_path = os.path.join(common.RESULTS, "mnist8k_classifier.keras")
    os.makedirs(common.RESULTS, exist_ok=True)
    started = time.monotonic()
    classifier, accuracy = common.domain_classifier(
        classifier_path, data.load_arrays("mnist8k:train"), data.load_arrays("mnist8k:test")
    )
    results = {"machine": common.machine(), "classifier_heldout_accuracy": accuracy,
               "classifier_seconds": time.monotonic() - started}

    real, _ = data.load_arrays("mnist8k")
    order = np.random.default_rng(0).permutation(len(real))
    half_a, half_b = real[order[: FLAGS.num]], real[order[FLAGS.num : 2 * FLAGS.num]]
    results["floor"] = metrics.domain_scores(classifier, half_a, half_b)

    overrides = recipes.parse_assignments(FLAGS.set)
    results["set"] = overrides
    for name in FLAGS.recipes:
        out = os.path.join(common.RESULTS, "runs", name + FLAGS.tag)
        if FLAGS.cpu_minutes:
            model, steps, seconds = common.train_recipe(name, out, cpu_minutes=FLAGS.cpu_minutes, **overrides)
        else:
            model, steps, seconds = common.train_recipe(name, out, minutes=FLAGS.minutes, steps=10**9, **overrides)
        labels = model.balanced_labels(FLAGS.num)
        scores = {}
        # The EMA generator (what `sample` uses) and the live one: does the average help?
        for use_ema in (True, False):
            samples = held_out.generate(model, FLAGS.num, labels=labels, seed=7, use_ema=use_ema)
            samples = common.at_size(samples, real.shape[1:3])
            scores[use_ema] = metrics.domain_scores(classifier, half_a, samples, requested_labels=labels)
        results[name] = {"steps": steps, "train_seconds": seconds, **scores[True], "live_generator": scores[False]}
        common.write_json(FLAGS.output, results)


if __name__ == "__main__":
    app.run(main)
