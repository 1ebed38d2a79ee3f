"""Quality against budget: one run of a recipe, scored like `tfgan-zoo verify` at several CPU budgets.

    python benchmarks/budget_curve.py --recipe=dcgan_long_mnist8k --cpu_minutes=5,10,15,20 --seed=0

The run trains single-threaded to the first budget, is scored, resumes exactly to the next budget,
and so on: one seed's curve for the price of its longest point. Scoring is not counted in the
budget (the run's CPU clock is its own, kept across resumes). Each point prints one JSON line
(steps, CPU-minutes, and the bounds `verify` would measure for the recipe) and the whole curve is
written to `--output` in `benchmarks/results/`. A point's value at budget B equals what `verify`
gives a seed at B, up to where the last step of the segment falls.
"""

import os

from absl import app, flags

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import json  # noqa: E402

import common  # noqa: E402
from tfgan_zoo import recipes, training  # noqa: E402
from tfgan_zoo.verification.measure import Scorer  # noqa: E402

flags.DEFINE_string("recipe", "dcgan_long_mnist8k", "Catalog recipe (mnist8k: scored by its domain classifier).")
flags.DEFINE_list("cpu_minutes", ["5", "10", "15", "20"], "Budgets to score at, in single-threaded CPU-minutes.")
flags.DEFINE_integer("seed", 0, "Seed of the run.")
flags.DEFINE_multi_string("set", [], "Recipe overrides, field=value (repeatable).")
flags.DEFINE_string("tag", "", "Suffix of the run folder (for runs with --set).")
flags.DEFINE_string("work", os.path.join(common.RESULTS, "curves"), "Runs and the cached domain classifier.")
flags.DEFINE_string("output", "", "JSON file name in benchmarks/results/ (default: curve_RECIPE[_TAG]_sSEED.json).")
FLAGS = flags.FLAGS


def main(argv):
    del argv
    common.single_threaded()
    budgets = sorted(float(value) for value in FLAGS.cpu_minutes)
    if not budgets or budgets[0] <= 0:
        raise app.UsageError(f"--cpu_minutes must list budgets > 0. Received: {FLAGS.cpu_minutes}")
    base = recipes.get_recipe(FLAGS.recipe).with_overrides(
        {**recipes.parse_assignments(FLAGS.set), "seed": FLAGS.seed, "minutes": 0.0, "steps": 10**9})
    label = f"{FLAGS.recipe}{'_' + FLAGS.tag if FLAGS.tag else ''}_s{FLAGS.seed}"
    run_dir = os.path.join(FLAGS.work, label)
    bounds = list(base.expect.bounds) if base.expect else ["fid", "min_class_share"]
    scorer = Scorer(base, FLAGS.work, num_samples=4000)
    points = []
    for budget in budgets:
        model, _ = training.train(base.with_overrides({"cpu_minutes": budget}), run_dir, verbose=0)
        point = {"cpu_minutes": budget, "steps": int(model.step_counter.numpy()),
                 **{name: round(float(value), 4) for name, value in scorer.measure(model, bounds).items()}}
        print(json.dumps({"recipe": FLAGS.recipe, "tag": FLAGS.tag, "seed": FLAGS.seed, **point}), flush=True)
        points.append(point)
    common.write_json(FLAGS.output or f"curve_{label}.json",
                      {"recipe": FLAGS.recipe, "set": FLAGS.set, "seed": FLAGS.seed, "machine": common.machine(),
                       "points": points})


if __name__ == "__main__":
    app.run(main)
