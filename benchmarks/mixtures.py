"""The 2-D mode-collapse benchmark (BENCHMARK_PROTOCOL.md): ring8 and grid25, 5 seeds.

    python benchmarks/mixtures.py --recipes=gan_ring8,gan_grid25 --seeds=5 [--output=mixtures.json]
    python benchmarks/mixtures.py --recipes=unrolled_ring8 --seeds=1 --tag=_second_order \
        --overrides='{"model_options": {"unroll_steps": 5, "second_order": true}, "ema_decay": 0.0}'

2,500 samples per run; a sample is high quality within 3 sigma of its nearest
mode; a mode is covered when a high-quality sample is nearest to it. Reports
mean and standard error over seeds.
"""

import json
import os

from absl import app, flags

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

import common  # noqa: E402
from tfgan_zoo import metrics, recipes  # noqa: E402
from tfgan_zoo.data.mixtures import MIXTURES  # noqa: E402

flags.DEFINE_list("recipes", ["gan_ring8", "gan_grid25"], "Recipes on gen:ring8 / gen:grid25.")
flags.DEFINE_integer("seeds", 5, "Number of seeds.")
flags.DEFINE_integer("first_seed", 0, "First seed (runs seeds first_seed .. first_seed + seeds - 1).")
flags.DEFINE_string("output", "mixtures.json", "Results file in benchmarks/results/ (several scripts may run at once).")
flags.DEFINE_string("overrides", "{}", "Recipe fields to change, as a JSON object (a pilot of another setting).")
flags.DEFINE_string("tag", "", "Suffix of the run folders (runs/<recipe><tag>_seed<N>), so pilots keep their own.")
FLAGS = flags.FLAGS


def main(_):
    overrides = json.loads(FLAGS.overrides)
    results = {"machine": common.machine(), "overrides": overrides}
    for name in FLAGS.recipes:
        runs = []
        for seed in range(FLAGS.first_seed, FLAGS.first_seed + FLAGS.seeds):
            out = os.path.join(common.RESULTS, "runs", f"{name}{FLAGS.tag}_seed{seed}")
            model, steps, seconds = common.train_recipe(name, out, seed=seed, **overrides)
            mixture = MIXTURES[recipes.get_recipe(name).dataset.split(":")[1]]
            scores = metrics.mixture_metrics(model.generate(2500, seed=100 + seed), mixture.centers, mixture.sigma)
            runs.append({"seed": seed, "steps": steps, "train_seconds": seconds, **scores})
        summary = {}
        for key in ("modes_covered", "high_quality_share", "reverse_kl", "train_seconds"):
            values = np.array([run[key] for run in runs], np.float64)
            summary[key] = {"mean": values.mean(), "stderr": values.std(ddof=1) / np.sqrt(len(values))}
        results[name] = {
            "summary": summary,
            "runs": [{k: v for k, v in r.items() if k != "mode_histogram"} for r in runs],
        }
        common.write_json(FLAGS.output, results)


if __name__ == "__main__":
    app.run(main)
