"""`tfgan-zoo list`, `train` and `sample`."""

import os
import sys

from absl import flags

from tfgan_zoo.cli.flags import FLAGS, command, require

flags.DEFINE_integer("steps", None, "train: exactly this many steps in total (lifts the recipe's minute budget).")
flags.DEFINE_float("minutes", None, "train: this many wall-clock minutes in total (lifts the step cap).")
flags.DEFINE_bool("smoke", False, "train, verify: shrink the recipe to a seconds-long run (for tests).")
flags.DEFINE_multi_string("set", [], "train, verify: override any recipe field, --set=key=value (repeatable).")
flags.DEFINE_bool("long", False, "list: a table of recipe, verify (carries `verify` bounds?) and description.")
flags.DEFINE_bool("verified", False, "list: only the recipes that carry `tfgan-zoo verify` bounds.")
flags.DEFINE_enum(
    "strategy", "default", ["default", "mirrored", "multiworker", "tpu"],
    "train: tf.distribute strategy; the recipe's batch_size is per replica (multiworker reads TF_CONFIG, "
    "tpu TPU_NAME).",
)
flags.DEFINE_enum(
    "precision", None, ["float32", "mixed_float16", "mixed_bfloat16"],
    "train: Keras dtype policy (sets the recipe's precision field; default: the recipe's).",
)
flags.DEFINE_enum(
    "jit_compile", None, ["auto", "true", "false"],
    "train: XLA compilation of the train step (sets the recipe's jit_compile; 'auto' is off on CPU).",
)
flags.DEFINE_bool(
    "sync_batchnorm", None,
    "train: BatchNorm statistics over the global batch across replicas (sets the recipe's sync_batchnorm).",
)
flags.DEFINE_integer("steps_per_execution", 1, "train: training steps per compiled call.")
flags.DEFINE_enum(
    "on_divergence", "stop", ["stop", "rollback"],
    "train: when a loss or weight turns NaN/Inf: stop (exit 2, the last good checkpoint is kept) or roll back to the "
    "last good checkpoint with halved learning rates and train on (at most 3 times).",
)

# Without --steps, a --minutes budget runs until the clock stops it.
_UNBOUNDED_STEPS = 10**12


def resolve_recipe():
    """The recipe named by the flags, with --smoke, --set and the shortcuts applied."""
    from tfgan_zoo import recipes

    recipe = recipes.get_recipe(FLAGS.recipe or recipes.DEFAULT_RECIPE)
    if FLAGS.smoke:
        recipe = recipe.smoke_sized()
    overrides = recipes.parse_assignments(FLAGS.set)
    if FLAGS.steps is not None and FLAGS.minutes is not None:
        raise ValueError(
            f"Give --steps or --minutes, not both. Received: --steps={FLAGS.steps} --minutes={FLAGS.minutes}"
        )
    if FLAGS.dataset is not None:
        overrides["dataset"] = FLAGS.dataset
    if FLAGS.seed is not None:
        overrides["seed"] = FLAGS.seed
    for name in ("precision", "jit_compile", "sync_batchnorm"):
        if getattr(FLAGS, name) is not None:
            overrides[name] = getattr(FLAGS, name)
    if FLAGS.steps is not None:
        overrides.update(steps=FLAGS.steps, minutes=0.0)
    if FLAGS.minutes is not None:
        overrides.update(minutes=FLAGS.minutes, steps=_UNBOUNDED_STEPS)
    return recipe.with_overrides(overrides)


def has_verify_bounds(recipe):
    """Whether the recipe carries the bounds `tfgan-zoo verify` checks a trained run against."""
    return getattr(recipe, "expect", None) is not None


@command("long", "verified", tensorflow=False)
def command_list():
    """Print the recipe names; --long adds whether each carries verify bounds, and its description.

    Examples:
      tfgan-zoo list
      tfgan-zoo list --long
      tfgan-zoo list --verified --long
    """
    from tfgan_zoo import recipes

    catalog = sorted(recipes.RECIPES.items())
    names = [name for name, recipe in catalog if not FLAGS.verified or has_verify_bounds(recipe)]
    if not names:
        print("No recipe carries verify bounds yet (--verified lists only those).", file=sys.stderr)
        return
    if not FLAGS.long:
        for name in names:
            print(name)
        return
    width = max(len(name) for name in ["recipe", *names]) + 2
    print(f"{'recipe'.ljust(width)}verify  description")
    for name in names:
        recipe = recipes.RECIPES[name]
        print(f"{name.ljust(width)}{('yes' if has_verify_bounds(recipe) else '-').ljust(8)}{recipe.description}")


@command("recipe", "out", "dataset", "seed", "steps", "minutes", "smoke", "set", "strategy", "precision",
         "jit_compile", "sync_batchnorm", "steps_per_execution", "on_divergence")
def command_train():
    """Train a recipe into a run directory (samples, TensorBoard logs, checkpoints); resume it if it exists.

    Examples:
      tfgan-zoo train                                        # the default recipe into runs/dcgan_shapes
      tfgan-zoo train --recipe=cgan_shapes --out=runs/cgan --smoke    # a seconds-long run of any recipe
      tfgan-zoo train --recipe=dcgan_mnist8k --out=runs/dcgan --minutes=5 --set=g_lr=1e-4
      tfgan-zoo train --out=runs/dcgan_shapes --steps=4000  # resume, up to 4,000 steps in total
      tfgan-zoo train --out=runs/dcgan_shapes --on_divergence=rollback  # resume a run that diverged
    """
    from tfgan_zoo import training

    recipe = resolve_recipe()
    out = FLAGS.out or os.path.join("runs", recipe.name)
    verbose = FLAGS.verbose if FLAGS.verbose == "auto" else int(FLAGS.verbose)
    model, _ = training.train(
        recipe, out, verbose=verbose, strategy=FLAGS.strategy, steps_per_execution=FLAGS.steps_per_execution,
        on_divergence=FLAGS.on_divergence,
    )
    print(f"Run {out}: {int(model.step_counter.numpy())} steps; samples in {os.path.join(out, 'samples')}")


@command("run", "out", "num", "label", "seed")
def command_sample():
    """Draw samples of a run: a PNG grid, or an .npz of uint8 images (and labels).

    Examples:
      tfgan-zoo sample --run=runs/dcgan_shapes --num=64 --out=grid.png
      tfgan-zoo sample --run=runs/cgan --num=16 --label=2 --seed=1 --out=twos.npz
    """
    from tfgan_zoo import sample_files, saved_runs

    require(run=FLAGS.run, out=FLAGS.out)
    model, _ = saved_runs.load_run(FLAGS.run)
    sample_files.write_samples(model, FLAGS.num, FLAGS.out, label=FLAGS.label, seed=FLAGS.seed or 0)
    print(f"Wrote {FLAGS.num} samples to {FLAGS.out}")


COMMANDS = {"list": command_list, "train": command_train, "sample": command_sample}
