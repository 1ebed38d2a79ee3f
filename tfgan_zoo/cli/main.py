"""`tfgan-zoo`: list recipes, train, sample.

    tfgan-zoo list
    tfgan-zoo train [--recipe=NAME] [--out=DIR] [--dataset=SPEC] [--steps=N | --minutes=M]
                    [--smoke] [--seed=S] [--set=key=value ...]
    tfgan-zoo sample --run=DIR --num=N --out=FILE.png|FILE.npz [--label=K] [--seed=S]
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from absl import app, flags  # noqa: E402

FLAGS = flags.FLAGS
flags.DEFINE_string("recipe", None, "Recipe name (see `tfgan-zoo list`); default: the offline default recipe.")
flags.DEFINE_string("out", None, "train: run directory (default runs/<recipe>); sample: output .png or .npz.")
flags.DEFINE_string("dataset", None, "Dataset spec overriding the recipe's, e.g. mnist8k, idx:DIR, tfds:mnist.")
flags.DEFINE_integer("steps", None, "Train for exactly this many steps in total (lifts the recipe's minute budget).")
flags.DEFINE_float("minutes", None, "Train for this many wall-clock minutes in total (lifts the step cap).")
flags.DEFINE_bool("smoke", False, "Shrink the recipe to a seconds-long run (for tests).")
flags.DEFINE_integer("seed", None, "train: the recipe's seed; sample: the seed of the latents (default 0).")
flags.DEFINE_multi_string("set", [], "Override any recipe field: --set=key=value (repeatable).")
flags.DEFINE_string("run", None, "sample: the run directory to load.")
flags.DEFINE_integer("num", 64, "sample: number of samples.")
flags.DEFINE_integer("label", None, "sample: class of every sample (conditional models); default balanced.")
flags.DEFINE_enum("verbose", "auto", ["auto", "0", "1", "2"], "train: Keras progress output.")

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
        raise ValueError(f"Give --steps or --minutes, not both. Received: --steps={FLAGS.steps} --minutes={FLAGS.minutes}")
    if FLAGS.dataset is not None:
        overrides["dataset"] = FLAGS.dataset
    if FLAGS.seed is not None:
        overrides["seed"] = FLAGS.seed
    if FLAGS.steps is not None:
        overrides.update(steps=FLAGS.steps, minutes=0.0)
    if FLAGS.minutes is not None:
        overrides.update(minutes=FLAGS.minutes, steps=_UNBOUNDED_STEPS)
    return recipe.with_overrides(overrides)


def command_list():
    from tfgan_zoo import recipes

    for name in sorted(recipes.RECIPES):
        print(name)


def command_train():
    from tfgan_zoo import training

    recipe = resolve_recipe()
    out = FLAGS.out or os.path.join("runs", recipe.name)
    verbose = FLAGS.verbose if FLAGS.verbose == "auto" else int(FLAGS.verbose)
    model, _ = training.train(recipe, out, verbose=verbose)
    print(f"Run {out}: {int(model.step_counter.numpy())} steps; samples in {os.path.join(out, 'samples')}")


def command_sample():
    from tfgan_zoo import run_dir, sampling

    if not FLAGS.run or not FLAGS.out:
        raise ValueError(f"sample needs --run=DIR and --out=FILE. Received: --run={FLAGS.run!r} --out={FLAGS.out!r}")
    model, _ = run_dir.load_run(FLAGS.run)
    sampling.write_samples(model, FLAGS.num, FLAGS.out, label=FLAGS.label, seed=FLAGS.seed or 0)
    print(f"Wrote {FLAGS.num} samples to {FLAGS.out}")


COMMANDS = {"list": command_list, "train": command_train, "sample": command_sample}


def main(argv):
    if len(argv) != 2 or argv[1] not in COMMANDS:
        raise app.UsageError(f"Usage: tfgan-zoo {{{'|'.join(COMMANDS)}}} [--flags]. Received: {argv[1:]}")
    try:
        COMMANDS[argv[1]]()
    except ValueError as error:
        print(f"tfgan-zoo {argv[1]}: error: {error}", file=sys.stderr)
        return 2
    return 0


def run():
    app.run(main)


if __name__ == "__main__":
    run()
