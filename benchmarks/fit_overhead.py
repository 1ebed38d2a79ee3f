"""Where `fit`'s extra cost per step goes, for a recipe with a cheap step (default: the unrolled GAN).

    cd benchmarks && python fit_overhead.py                       # unrolled_ring8, batch 64
    python fit_overhead.py --recipe=vae_mnist8k --rounds=15 --repeats=3

`speed.py` compares `fit` with the model's own `train_step` in a plain
`tf.function` loop. Here the gap is taken apart with paths in between, each
on its own model built from the recipe (same seed), all alternating in rounds
inside one process and timed by this process's CPU seconds:

- `fit`: one epoch of `model.fit` per round, as in `speed.py` (a new epoch
  iterator every round; `EpochTimer` times from epoch begin to epoch end);
- `fit_long`: the same with rounds `--long_factor` times longer, so a cost
  paid once per `fit` call (epoch iterator, epoch logs) weighs less;
- `keras_function`: Keras's own compiled train function (what `fit` called
  each step before the zoo's direct function for one step per call on one
  replica, `tfgan_zoo/models/train_function.py`) in a Python loop on one
  persistent iterator: no callbacks, no epoch loop. For
  `steps_per_execution=1` Keras 3 runs the step inside a second `tf.function`
  that takes the iterator, calls `get_next()` in the graph and `strategy.run`,
  and wraps the logs in a `tf.experimental.Optional`, whose `has_value()` and
  `get_value()` it runs eagerly after each call (how it tells the end of the
  data without an exception). Rebuilt piece by piece:
- `optional`: `strategy_run` plus that Optional round trip;
- `strategy_run`: `in_graph_next` with the step under `strategy.run` (the
  default strategy) and Keras's reduction of the per-replica logs;
- `in_graph_next`: the step called from a `tf.function` over the iterator;
- `plain`: the `train_step` compiled by `tf.function`, called on `next(iterator)`;
- `plain_logs`: `plain` that also reads the logs as Python floats every
  step, as `fit`'s callbacks do (in a worker thread there).

Each model's `train_step` counts its traces, to show that nothing retraces.
Reports each path's CPU milliseconds per step and its difference to `plain`
(median of the rounds' paired differences), per repeat (`--repeats` sets of
alternating rounds) and over all rounds. Then the same paths (but
`fit_long`) around a trivial step (a variable update and two logged values;
`--trivial_steps` per round), where the machinery is all there is.
`keras.src.backend.tensorflow.trainer.reduce_per_replica` is Keras's own
(private) reduction, imported to rebuild its function faithfully; like
Keras, those pieces are not converted by AutoGraph (`plain` and
`in_graph_next` compile `train_step` as a user's `tf.function` would).
Writes benchmarks/results/fit_overhead.json (`--output`).
"""

import os

from absl import app, flags

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras.src.backend.tensorflow.trainer import reduce_per_replica  # noqa: E402

import common  # noqa: E402
import timing  # noqa: E402
from tfgan_zoo import recipes, training  # noqa: E402

flags.DEFINE_string("recipe", "unrolled_ring8", "Recipe whose step is measured.")
flags.DEFINE_integer("batch_size", 64, "Examples per minibatch.")
flags.DEFINE_integer("steps", 100, "Steps per (short) round.")
flags.DEFINE_integer("long_factor", 6, "`fit_long` rounds are this many times longer.")
flags.DEFINE_integer("rounds", 11, "Timed rounds per path and repeat.")
flags.DEFINE_integer("repeats", 3, "Sets of alternating rounds.")
flags.DEFINE_integer("trivial_steps", 2000, "Steps per round of the trivial step (0 skips it).")
flags.DEFINE_string("output", "fit_overhead.json", "File name of the results, under benchmarks/results.")
FLAGS = flags.FLAGS


def recipe_and_batches(name, batch_size):
    """The recipe at `batch_size` and its first training batch repeated from memory (as in `speed.py`)."""
    recipe = recipes.get_recipe(name).with_overrides({"batch_size": batch_size})
    batch = next(iter(training.make_dataset(recipe)))
    return recipe, tf.data.Dataset.from_tensors(batch).repeat(), int(tf.nest.flatten(batch)[0].shape[0])


def counted(model):
    """Replaces `model.train_step` by a wrapper that counts its traces (Python calls); returns the counter."""
    traces = [0]
    step = model.train_step

    def train_step(data):
        traces[0] += 1
        return step(data)

    model.train_step = train_step
    return traces


class TrivialModel(keras.Model):
    """A `train_step` that costs next to nothing: adds the batch mean to a variable, logs two values."""

    def __init__(self):
        super().__init__()
        self.total = self.add_weight(shape=(), initializer="zeros", name="total")
        self.trackers = [keras.metrics.Mean(name=name) for name in ("a", "b")]

    @property
    def metrics(self):
        return self.trackers

    def train_step(self, data):
        self.total.assign_add(tf.reduce_mean(data))
        for tracker in self.trackers:
            tracker.update_state(self.total)
        return {tracker.name: tracker.result() for tracker in self.trackers}


def iterator_path(call, dataset):
    """`run(steps)`: `call(iterator)` in a loop on one persistent iterator; waits for the last outputs."""
    iterator, stopwatch = iter(dataset), timing.Stopwatch()

    def run(steps):
        stopwatch.start()
        for _ in range(steps):
            outputs = call(iterator)
        tf.nest.map_structure(np.asarray, outputs)
        return stopwatch.stop()

    return run


def logged_loop_path(step, dataset):
    """`run(steps)`: `timing.loop_path` that also reads every step's logs as Python floats."""
    iterator, stopwatch = iter(dataset), timing.Stopwatch()

    def run(steps):
        stopwatch.start()
        for _ in range(steps):
            logs = {name: float(value) for name, value in step(next(iterator)).items()}  # noqa: F841
        return stopwatch.stop()

    return run


def distributed_step(model):
    """The step under `strategy.run` with Keras's reduction of the logs, compiled as Keras compiles it."""
    strategy = model.distribute_strategy

    @tf.autograph.experimental.do_not_convert  # as Keras's `one_step_on_data`
    def step(data):
        return reduce_per_replica(strategy.run(model.train_step, args=(data,)), strategy, reduction="auto")

    return tf.function(step, reduce_retracing=True)


def optional_call(model):
    """`call(iterator)` as Keras's train function does it: logs in an Optional, unwrapped eagerly."""
    step = distributed_step(model)
    wrapped = tf.function(tf.autograph.experimental.do_not_convert(
        lambda iterator: tf.experimental.Optional.from_value(step(iterator.get_next()))), reduce_retracing=True)

    def call(iterator):
        outputs = wrapped(iterator)
        if not outputs.has_value():
            raise StopIteration
        return outputs.get_value()

    return call


def make_paths(build, dataset, long_factor=None):
    """`({name: run}, {name: trace counter})`: every path on its own model from `build()`."""
    names = ["fit", "keras_function", "optional", "strategy_run", "in_graph_next", "plain", "plain_logs"]
    if long_factor:
        names.insert(1, "fit_long")
    models = {name: build() for name in names if name != "plain_logs"}
    traces = {name: counted(model) for name, model in models.items()}
    keras.Model.make_train_function(models["keras_function"], force=True)  # Keras's, not the zoo's direct one
    plain = tf.function(models["plain"].train_step)
    in_graph_step = tf.function(models["in_graph_next"].train_step)
    strategy_step = distributed_step(models["strategy_run"])
    paths = {
        "fit": timing.fit_path(models["fit"], dataset),
        "keras_function": iterator_path(models["keras_function"].train_function, dataset),
        "optional": iterator_path(optional_call(models["optional"]), dataset),
        "strategy_run": iterator_path(tf.function(tf.autograph.experimental.do_not_convert(
            lambda iterator: strategy_step(iterator.get_next()))), dataset),
        "in_graph_next": iterator_path(tf.function(lambda iterator: in_graph_step(iterator.get_next())), dataset),
        "plain": timing.loop_path(plain, dataset),
        "plain_logs": logged_loop_path(plain, dataset),
    }
    if long_factor:
        long_fit = timing.fit_path(models["fit_long"], dataset)
        paths["fit_long"] = lambda steps: long_fit(steps * long_factor)
    return {name: paths[name] for name in names}, traces


def measure(paths, steps, rounds, repeats, long_factor=1):
    """Per repeat: load, and each path's CPU and wall milliseconds per step in each round."""
    results = []
    for _ in range(repeats):
        load = timing.load_average()
        _, wall, cpu = timing.alternate(paths, steps, rounds)
        per_round = {name: steps * (long_factor if name == "fit_long" else 1) for name in paths}
        results.append({
            "load_average_1min": [load, timing.load_average()],
            "cpu_ms_per_step": {name: [1e3 * s / per_round[name] for s in cpu[name]] for name in paths},
            "wall_ms_per_step": {name: [1e3 * s / per_round[name] for s in wall[name]] for name in paths},
        })
    return results


def summary(repeats):
    """Per path: median, quartiles, range, per-repeat medians, and the median paired difference to `plain`."""
    names = list(repeats[0]["cpu_ms_per_step"])
    pooled = {name: [v for r in repeats for v in r["cpu_ms_per_step"][name]] for name in names}
    rows = {}
    for name in names:
        values = np.array(pooled[name])
        paired = values - np.array(pooled["plain"])
        rows[name] = {
            "median": float(np.median(values)), "q1": float(np.percentile(values, 25)),
            "q3": float(np.percentile(values, 75)), "min": float(values.min()), "max": float(values.max()),
            "per_repeat_median": [float(np.median(r["cpu_ms_per_step"][name])) for r in repeats],
            "paired_difference_to_plain": {"median": float(np.median(paired)), "q1": float(np.percentile(paired, 25)),
                                           "q3": float(np.percentile(paired, 75))},
        }
    return rows


def print_table(title, rows, scale, unit):
    print(
        f"\n{title}\n| path | CPU {unit}/step, median (IQR) | per repeat | paired difference to plain, median (IQR) |"
    )
    print("|---|---|---|---|")
    for name, row in rows.items():
        paired = row["paired_difference_to_plain"]
        print(f"| {name} | {scale * row['median']:.3f} ({scale * row['q1']:.3f}-{scale * row['q3']:.3f}) | "
              + ", ".join(f"{scale * v:.3f}" for v in row["per_repeat_median"])
              + f" | {scale * paired['median']:+.3f} ({scale * paired['q1']:+.3f} to {scale * paired['q3']:+.3f}) |")


def main(_):
    recipe, dataset, examples = recipe_and_batches(FLAGS.recipe, FLAGS.batch_size)
    paths, traces = make_paths(lambda: training.build_model(recipe), dataset, FLAGS.long_factor)
    repeats = measure(paths, FLAGS.steps, FLAGS.rounds, FLAGS.repeats, FLAGS.long_factor)
    results = {
        "machine": common.machine(), "recipe": recipe.name, "examples_per_step": examples,
        "steps_per_round": FLAGS.steps, "long_factor": FLAGS.long_factor, "rounds": FLAGS.rounds,
        "traces_of_train_step": {name: count[0] for name, count in traces.items()},
        "cpu_ms_per_step": summary(repeats), "repeats": repeats,
    }
    if FLAGS.trivial_steps:
        def build():
            model = TrivialModel()
            model.compile(optimizer=None)
            return model

        trivial_dataset = tf.data.Dataset.from_tensors(tf.ones([64, 2])).repeat()
        trivial_paths, _ = make_paths(build, trivial_dataset)
        trivial = measure(trivial_paths, FLAGS.trivial_steps, FLAGS.rounds, 1)
        results["trivial_step"] = {"steps_per_round": FLAGS.trivial_steps, "cpu_ms_per_step": summary(trivial),
                                   "repeats": trivial}
    common.write_json(FLAGS.output, results)
    print(f"{recipe.name}: traces of train_step {results['traces_of_train_step']}")
    print_table(f"{recipe.name}, load {[r['load_average_1min'] for r in repeats]}", results["cpu_ms_per_step"], 1, "ms")
    if FLAGS.trivial_steps:
        print_table(f"trivial step, load {trivial[0]['load_average_1min']}", results["trivial_step"]["cpu_ms_per_step"],
                    1e3, "us")


if __name__ == "__main__":
    app.run(main)
