"""Training speed of every variant: `model.fit` against a plain `@tf.function` loop (BENCHMARK_PROTOCOL.md).

    cd benchmarks && python speed.py                        # every variant, batch 64
    python speed.py --variants=tutorial --batch_size=256 --steps=30 --rounds=7
    python speed.py --variants=gan --steps_per_execution=1,4,16 --spe_variants=gan,vae

For each variant class in `tfgan_zoo.models.MODELS`, one representative
recipe (`VARIANT_RECIPES`) is built twice with `training.build_model`, both
from the same seed. One copy trains through `model.fit`; the other's own
`train_step` is called from a Python loop inside a plain `tf.function`: the
same networks, math and batch without `fit`'s machinery (epoch iterator,
callbacks, distribution wrappers), so the ratio fit/plain is what `fit`
costs. The `tutorial` row adds the TensorFlow DCGAN tutorial's hand-written
step over its own networks (the starting point of this zoo).

Batches come from memory: the recipe's first training batch (with labels
where the variant uses them) repeated, so the input pipeline is not measured.
Images per second count every example the step consumes (`d_steps`
minibatches; 2-D points for the unrolled GAN's only recipe; for image-to-image
models the sources, each with its target or, for CycleGAN, with an image of
the other domain).

Some recipes change for this (`VARIANT_OVERRIDES`): CycleGAN's image pool
holds 64 (the batch), and a phased model (BAGAN's autoencoder, statistics and
GAN phases, StackGAN's two stages) is measured in one phase: both models are
first trained `PHASE_WARMUP_STEPS` steps through `fit` with the earlier phases
shortened to a step each, so `fit` and the plain loop both run the GAN phase
(BAGAN) or Stage-II (`stackgan`; `stackgan_stage1` stays in Stage-I). The
plain loop then runs the `train_step` traced in that phase; `fit` still reads
the step counter before each call to pick the phase's compiled function.

Then `steps_per_execution` (training steps per compiled call) is measured for
`--spe_variants`: one model per value, alternating with the plain loop.

The paths alternate in rounds inside one process (the machine is shared); each
path is first traced and timed once untimed, then rounds are sized so the
fastest path takes at least `--min_round_seconds`. Figures are medians, by
wall time (images/s, the protocol's figure) and by the CPU seconds this
process consumed (steadier when other work loads the machine), with the
ratios round by round. Writes benchmarks/results/speed.json (`--output`).
"""

import math
import os

from absl import app, flags

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import common  # noqa: E402
import timing  # noqa: E402
from tfgan_zoo import losses, models, networks, recipes, training  # noqa: E402

# Variant -> the recipe it is measured with. `tutorial` is the GAN class on the
# tutorial's networks; the others are the classes of `tfgan_zoo.models.MODELS`.
VARIANT_RECIPES = {
    "tutorial": "dcgan_tutorial_mnist8k",
    "gan": "dcgan_mnist8k",
    "unrolled_gan": "unrolled_ring8",  # the catalog's unrolled GANs are all 2-D mixtures
    "infogan": "infogan_mnist8k",
    "controlgan": "controlgan_mnist8k",
    "bigan": "bigan_mnist8k",
    "aae": "aae_mnist8k",
    "vae": "vae_mnist8k",
    "vae_gan": "vae_gan_mnist8k",
    "acgan": "acgan_mnist8k",
    "semi_supervised_gan": "ssgan_mnist8k",
    "bagan": "bagan_imbalanced_mnist8k",
    "dagan": "dagan_imbalanced_mnist8k",
    "pix2pix": "pix2pix_edges_mnist8k",
    "cyclegan": "cyclegan_strokes_mnist8k",
    "srgan": "srgan_mnist8k",
    "inpainting": "inpainting_mnist8k",
    "sagan": "sagan_mnist8k",  # the GAN class on SAGAN's networks (self-attention, spectral norm)
    "gran": "gran_mnist8k",  # the GAN class on GRAN's recurrent canvas generator
    "biggan": "biggan_mnist8k",
    "lapgan": "lapgan_mnist8k",
    "progan": "progan_mnist8k",
    "stylegan": "stylegan_mnist8k",
    "stackgan": "stackgan_shapes",  # measured in Stage-II, the run's last phase
    "stackgan_stage1": "stackgan_shapes",
}
# Recipe changes some variants need here. A phased model (`phase_at`) is measured in the phase it has reached
# after `PHASE_WARMUP_STEPS` steps, so its earlier phases are shortened to one step each.
VARIANT_OVERRIDES = {
    "cyclegan": {"model_options.pool_size": 64},  # the pool must hold a batch of 64 (the recipe's is 50 for 32)
    "bagan": {"model_options.autoencoder_steps": 1, "model_options.statistics_steps": 1},  # then the GAN phase
    "stackgan": {"model_options.stage1_steps": 1},
    "stackgan_stage1": {"model_options.stage1_steps": 10**9},
}
PHASE_WARMUP_STEPS = 2

flags.DEFINE_list("variants", list(VARIANT_RECIPES), "Variants to measure: keys of VARIANT_RECIPES, or recipe names.")
flags.DEFINE_integer("batch_size", 64, "Examples per minibatch, for every recipe.")
flags.DEFINE_integer("steps", 20, "Least steps per timed round.")
flags.DEFINE_integer("rounds", 5, "Timed rounds per path (after warm-up).")
flags.DEFINE_float("min_round_seconds", 1.0, "Rounds of fast variants get more steps, to last this long.")
flags.DEFINE_list("steps_per_execution", ["1", "4", "16"], "Values of steps_per_execution to compare.")
flags.DEFINE_list("spe_variants", ["gan", "unrolled_gan", "vae"], "Variants measured against steps_per_execution.")
flags.DEFINE_string("output", "speed.json", "File name of the results, under benchmarks/results.")
FLAGS = flags.FLAGS
TARGET_RATIO = 0.95


def tutorial_step(batch_size, latent_dim=100):
    """The DCGAN tutorial's hand-written step over a fresh pair of its networks (Adam 1e-4)."""
    generator, discriminator = networks.build_networks("tutorial", (28, 28, 1), latent_dim)
    g_opt, d_opt = keras.optimizers.Adam(1e-4), keras.optimizers.Adam(1e-4)
    g_opt.build(generator.trainable_variables)
    d_opt.build(discriminator.trainable_variables)

    @tf.function
    def step(images):
        noise = tf.random.normal([batch_size, latent_dim])
        with tf.GradientTape() as d_tape:
            fake = generator(noise, training=True)
            d_loss = tf.reduce_mean(losses.non_saturating_discriminator_loss(
                discriminator(images, training=True), discriminator(fake, training=True)))
        d_opt.apply(d_tape.gradient(d_loss, discriminator.trainable_variables), discriminator.trainable_variables)
        noise = tf.random.normal([batch_size, latent_dim])
        with tf.GradientTape() as g_tape:
            g_loss = tf.reduce_mean(losses.non_saturating_generator_loss(
                discriminator(generator(noise, training=True), training=True)))
        g_opt.apply(g_tape.gradient(g_loss, generator.trainable_variables), generator.trainable_variables)
        return d_loss, g_loss

    return step


def plain_step(model):
    """`model.train_step` compiled by `tf.function` alone (for a phased model: the phase it is in)."""
    return tf.function(model.train_step, jit_compile=bool(model.jit_compile))


def built_model(recipe, dataset, **kwargs):
    """`training.build_model(recipe)`; a phased model is first trained `PHASE_WARMUP_STEPS` steps into its phase.

    A phased model's `train_step` runs the phase prepared last, so the
    plain loop's `tf.function` traces that phase, and `fit` (which prepares
    the phase before each call) stays in it.
    """
    model = training.build_model(recipe, **kwargs)
    if model.phase_at(0) is not None:
        model.fit(dataset, epochs=1, steps_per_epoch=PHASE_WARMUP_STEPS, verbose=0)
        model.prepare_phase()
    return model


def recipe_and_batches(variant, batch_size):
    """The variant's recipe at `batch_size`, and its first training batch repeated from memory."""
    recipe = recipes.get_recipe(VARIANT_RECIPES.get(variant, variant)).with_overrides(
        {"batch_size": batch_size, **VARIANT_OVERRIDES.get(variant, {})})
    batch = next(iter(training.make_dataset(recipe)))
    examples = int(tf.nest.flatten(batch)[0].shape[0])
    return recipe, tf.data.Dataset.from_tensors(batch).repeat(), examples


def rate_fields(units_per_round, seconds, cpu_seconds, unit):
    """Per path: `<unit>` per second (median, and each round) and per CPU second of this process (median)."""
    fields = {}
    for name in seconds:
        fields[f"{name}_{unit}_per_second"], fields[f"{name}_rounds"] = timing.rates(units_per_round, seconds[name])
        fields[f"{name}_{unit}_per_cpu_second"], _ = timing.rates(units_per_round, cpu_seconds[name])
    return fields


def ratio_fields(row, seconds, cpu_seconds, path, reference, unit):
    """`path` over `reference`: the ratio of medians by wall and by CPU time, and the ratios round by round."""
    fields = {}
    for prefix, timed, rate in (("", seconds, "per_second"), ("cpu_", cpu_seconds, "per_cpu_second")):
        fields[f"{prefix}ratio_{path}_over_{reference}"] = (
            row[f"{path}_{unit}_{rate}"] / row[f"{reference}_{unit}_{rate}"])
        paired = [theirs / ours for ours, theirs in zip(timed[path], timed[reference])]
        fields[f"{prefix}paired_ratio_{path}_over_{reference}"] = {
            "median": float(np.median(paired)), "min": min(paired), "max": max(paired)}
    return fields


def measure_variant(variant):
    recipe, dataset, examples = recipe_and_batches(variant, FLAGS.batch_size)
    fitted = built_model(recipe, dataset)
    paths = {"fit": timing.fit_path(fitted, dataset),
             "plain": timing.loop_path(plain_step(built_model(recipe, dataset)), dataset)}
    if variant == "tutorial":
        paths["hand_written"] = timing.loop_path(tutorial_step(examples, recipe.latent_dim), dataset)
    round_steps, seconds, cpu_seconds = timing.alternate(paths, FLAGS.steps, FLAGS.rounds, FLAGS.min_round_seconds)
    row = {"variant": variant, "recipe": recipe.name, "model_class": type(fitted).__name__,
           "recipe_overrides": VARIANT_OVERRIDES.get(variant, {}),
           "phase": fitted.phase_at(int(fitted.step_counter.numpy())),
           "examples_per_step": examples, "steps_per_round": round_steps,
           **rate_fields(examples * round_steps, seconds, cpu_seconds, "images")}
    for reference in (name for name in paths if name != "fit"):
        row.update(ratio_fields(row, seconds, cpu_seconds, "fit", reference, "images"))
    # What `fit` adds to a step, in CPU milliseconds: per-call costs show most on the fastest steps.
    row["fit_extra_cpu_ms_per_step"] = 1e3 * examples * (
        1 / row["fit_images_per_cpu_second"] - 1 / row["plain_images_per_cpu_second"])
    print(f"{variant}: fit {row['fit_images_per_second']:.1f}, plain {row['plain_images_per_second']:.1f} "
          f"img/s, ratio {row['ratio_fit_over_plain']:.3f}, by CPU time {row['cpu_ratio_fit_over_plain']:.3f} "
          f"({round_steps} steps/round)", flush=True)
    return row


def measure_steps_per_execution(variant, values):
    recipe, dataset, examples = recipe_and_batches(variant, FLAGS.batch_size)
    paths = {f"spe_{n}": timing.fit_path(built_model(recipe, dataset, steps_per_execution=n), dataset)
             for n in values}
    paths["plain"] = timing.loop_path(plain_step(built_model(recipe, dataset)), dataset)
    round_steps, seconds, cpu_seconds = timing.alternate(
        paths, FLAGS.steps, FLAGS.rounds, FLAGS.min_round_seconds, multiple=math.lcm(*values))
    row = {"variant": variant, "recipe": recipe.name, "examples_per_step": examples, "steps_per_round": round_steps,
           **rate_fields(round_steps, seconds, cpu_seconds, "steps")}
    for name in paths:
        row.update(ratio_fields(row, seconds, cpu_seconds, name, f"spe_{values[0]}", "steps"))
    print(f"{variant}: " + ", ".join(f"{name} {row[f'{name}_steps_per_second']:.1f}" for name in paths)
          + " steps/s", flush=True)
    return row


def markdown(rows, spe_rows, values):
    def spread(paired):
        return f"{paired['median']:.3f} ({paired['min']:.2f}-{paired['max']:.2f})"

    lines = ["| variant | recipe | fit img/s | plain img/s | ratio fit/plain | by round (min-max) | "
             "ratio by CPU time | by round (min-max) | >= 0.95 (wall; CPU) |", "|---|---|---|---|---|---|---|---|---|"]
    for row in rows:
        lines.append(
            f"| {row['model_class']} (`{row['variant']}`) | `{row['recipe']}` | {row['fit_images_per_second']:.1f} | "
            f"{row['plain_images_per_second']:.1f} | {row['ratio_fit_over_plain']:.3f} | "
            f"{spread(row['paired_ratio_fit_over_plain'])} | {row['cpu_ratio_fit_over_plain']:.3f} | "
            f"{spread(row['cpu_paired_ratio_fit_over_plain'])} | "
            f"{'yes' if row['ratio_fit_over_plain'] >= TARGET_RATIO else 'no'}; "
            f"{'yes' if row['cpu_ratio_fit_over_plain'] >= TARGET_RATIO else 'no'} |")
    for row in (row for row in rows if "ratio_fit_over_hand_written" in row):
        lines.append(f"\n`{row['recipe']}`, the tutorial's hand-written step: "
                     f"{row['hand_written_images_per_second']:.1f} img/s; "
                     f"fit / hand-written {row['ratio_fit_over_hand_written']:.3f} "
                     f"(by CPU time {row['cpu_ratio_fit_over_hand_written']:.3f})")
    names = [f"spe_{n}" for n in values] + ["plain"]
    lines += ["", "steps/s (x spe_1 by wall time; by CPU time)", "",
              "| recipe | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for row in spe_rows:
        lines.append(f"| `{row['recipe']}` | " + " | ".join(
            f"{row[f'{name}_steps_per_second']:.1f} (x{row[f'ratio_{name}_over_spe_{values[0]}']:.2f}; "
            f"x{row[f'cpu_ratio_{name}_over_spe_{values[0]}']:.2f})" for name in names) + " |")
    return "\n".join(lines)


def main(_):
    unknown = set(FLAGS.variants + FLAGS.spe_variants) - set(VARIANT_RECIPES) - set(recipes.RECIPES)
    if unknown:
        raise ValueError(f"Unknown variants. Expected keys of {list(VARIANT_RECIPES)} or recipe names. "
                         f"Received: {sorted(unknown)}")
    measured = {recipes.get_recipe(VARIANT_RECIPES.get(name, name)).model for name in FLAGS.variants}
    unmeasured = sorted(set(models.MODELS) - measured)
    if unmeasured:
        print(f"Not measured (no recipe in VARIANT_RECIPES or --variants): {unmeasured}", flush=True)
    values = sorted(int(value) for value in FLAGS.steps_per_execution)
    load_before = timing.load_average()
    rows, spe_rows = [], []

    def write():  # after every row, so a long run that stops keeps what it measured
        common.write_json(FLAGS.output, {
            "machine": common.machine(), "load_average_1min": [load_before, timing.load_average()],
            "batch_size": FLAGS.batch_size, "rounds": FLAGS.rounds, "target_ratio": TARGET_RATIO,
            "variants": rows, "steps_per_execution": spe_rows, "model_classes_not_measured": unmeasured,
        })

    for variant in FLAGS.variants:
        rows.append(measure_variant(variant))
        write()
    for variant in FLAGS.spe_variants:
        spe_rows.append(measure_steps_per_execution(variant, values))
        write()
    print(markdown(rows, spe_rows, values))


if __name__ == "__main__":
    app.run(main)
