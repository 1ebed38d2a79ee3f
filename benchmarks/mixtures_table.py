"""Prints the 2-D benchmark table of BENCHMARKS.md from one or more mixtures.py result files.

    python mixtures_table.py --files=mixtures.json,mixtures_issue6_a.json
"""

import json
import os

from absl import app, flags

import common

flags.DEFINE_list("files", ["mixtures.json"], "Result files in benchmarks/results/.")
FLAGS = flags.FLAGS


def _cell(summary, key, scale=1.0, digits=1, suffix=""):
    mean, stderr = summary[key]["mean"] * scale, summary[key]["stderr"] * scale
    return f"{mean:.{digits}f} ± {stderr:.{digits}f}{suffix}"


def main(argv):
    del argv
    print("| recipe | seeds | modes covered | high-quality share | reverse KL | per seed: modes (high quality) |")
    print("|---|---|---|---|---|---|")
    for name in FLAGS.files:
        with open(os.path.join(common.RESULTS, name)) as file:
            results = json.load(file)
        for recipe, entry in results.items():
            if recipe == "machine":
                continue
            runs, summary = entry["runs"], entry["summary"]
            per_seed = ", ".join(f"{r['modes_covered']} ({r['high_quality_share']:.0%})" for r in runs)
            print(f"| `{recipe}` | {len(runs)} | {_cell(summary, 'modes_covered')} | "
                  f"{_cell(summary, 'high_quality_share', 100, 1, '%')} | {_cell(summary, 'reverse_kl', 1, 2)} | {per_seed} |")


if __name__ == "__main__":
    app.run(main)
