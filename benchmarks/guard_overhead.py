"""What the divergence guard costs `fit`: fit/plain by CPU time with and without it.

    cd benchmarks && python guard_overhead.py                      # unrolled_ring8 and dcgan_mnist8k, batch 64
    python guard_overhead.py --recipes=gan_ring8 --rounds=9

Three paths per recipe, each on its own model built from the recipe, in
alternating rounds inside one single-threaded process (`timing.alternate`):
`plain` (the compiled `train_step` in a Python loop), `fit` (one epoch of
`model.fit`) and `fit_guarded` (the same with `reliability.divergence.DivergenceGuard`,
which reads each step's logs). The guard's other check, every weight before
each checkpoint, runs once per save, not per step: its cost is timed on its
own (`weight_check_cpu_ms`) and is to be set against the save itself.
"""

import time

from absl import app, flags

import common
import timing
from speed import built_model, plain_step, recipe_and_batches
from tfgan_zoo.reliability import checkpoints, divergence

# `speed` defines --batch_size, --steps, --rounds, --min_round_seconds and --output; this script reuses them.
flags.DEFINE_list("recipes", ["unrolled_ring8", "dcgan_mnist8k"], "Recipes to measure.")
FLAGS = flags.FLAGS
FLAGS.set_default("output", "guard_overhead.json")
FLAGS.set_default("rounds", 7)


def measure(name):
    recipe, dataset, examples = recipe_and_batches(name, FLAGS.batch_size)
    guarded = built_model(recipe, dataset)
    guard = divergence.DivergenceGuard()
    paths = {"plain": timing.loop_path(plain_step(built_model(recipe, dataset)), dataset),
             "fit": timing.fit_path(built_model(recipe, dataset), dataset),
             "fit_guarded": timing.fit_path(guarded, dataset, callbacks=[guard])}
    round_steps, seconds, cpu_seconds = timing.alternate(paths, FLAGS.steps, FLAGS.rounds, FLAGS.min_round_seconds)
    row = {"recipe": name, "steps_per_round": round_steps, "examples_per_step": examples,
           **rate_fields(examples * round_steps, seconds, cpu_seconds)}
    for path in ("fit", "fit_guarded"):
        row[f"cpu_ratio_{path}_over_plain"] = row[f"{path}_per_cpu_second"] / row["plain_per_cpu_second"]
    started = time.process_time()
    checkpoints.first_nonfinite_weight(guarded)
    row["weight_check_cpu_ms"] = 1e3 * (time.process_time() - started)
    print(f"{name}: fit/plain {row['cpu_ratio_fit_over_plain']:.3f}, with the guard "
          f"{row['cpu_ratio_fit_guarded_over_plain']:.3f} (CPU time, {round_steps} steps/round); "
          f"weight check {row['weight_check_cpu_ms']:.2f} CPU ms per save", flush=True)
    return row


def rate_fields(images_per_round, seconds, cpu_seconds):
    fields = {}
    for path in seconds:
        fields[f"{path}_per_second"], _ = timing.rates(images_per_round, seconds[path])
        fields[f"{path}_per_cpu_second"], fields[f"{path}_cpu_rounds"] = timing.rates(
            images_per_round, cpu_seconds[path])
    return fields


def main(_):
    common.single_threaded()
    rows = [measure(name) for name in FLAGS.recipes]
    common.write_json(FLAGS.output, {"machine": common.machine(), "load_average": timing.load_average(),
                                     "batch_size": FLAGS.batch_size, "rounds": FLAGS.rounds, "rows": rows})


if __name__ == "__main__":
    app.run(main)
