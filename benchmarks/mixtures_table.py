"""Prints the 2-D benchmark table of BENCHMARKS.md from one or more mixtures.py result files.

    python mixtures_table.py --files=mixtures.json,mixtures_issue6_a.json

Runs of one recipe spread over several files (e.g. seeds 0-2 in one, 3-4 in
another) are pooled, one per seed (a later file's run of a seed wins), and
the mean and standard error are computed over the pool.
"""

import json
import os

import numpy as np
from absl import app, flags

import common

flags.DEFINE_list("files", ["mixtures.json"], "Result files in benchmarks/results/.")
FLAGS = flags.FLAGS


def _cell(values, scale=1.0, digits=1, suffix=""):
    values = np.asarray(values, np.float64) * scale
    stderr = values.std(ddof=1) / np.sqrt(len(values)) if len(values) > 1 else 0.0
    return f"{values.mean():.{digits}f} ± {stderr:.{digits}f}{suffix}"


def pooled_runs(files):
    """`{recipe: [run, ...]}` over result files, one run per seed, in file order."""
    pooled = {}
    for name in files:
        with open(os.path.join(common.RESULTS, name)) as file:
            results = json.load(file)
        for recipe, entry in results.items():
            if isinstance(entry, dict) and "runs" in entry:
                by_seed = pooled.setdefault(recipe, {})
                by_seed.update({run["seed"]: run for run in entry["runs"]})
    return {recipe: [by_seed[seed] for seed in sorted(by_seed)] for recipe, by_seed in pooled.items()}


def main(argv):
    del argv
    print("| recipe | seeds | modes covered | high-quality share | reverse KL | per seed: modes (high quality) |")
    print("|---|---|---|---|---|---|")
    for recipe, runs in pooled_runs(FLAGS.files).items():
        column = {key: [run[key] for run in runs] for key in ("modes_covered", "high_quality_share", "reverse_kl")}
        per_seed = ", ".join(f"{r['modes_covered']} ({r['high_quality_share']:.0%})" for r in runs)
        print(
            f"| `{recipe}` | {len(runs)} | {_cell(column['modes_covered'])} | "
            f"{_cell(column['high_quality_share'], 100, 1, '%')} | {_cell(column['reverse_kl'], 1, 2)} | {per_seed} |"
        )


if __name__ == "__main__":
    app.run(main)
