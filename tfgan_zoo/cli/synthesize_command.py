"""`tfgan-zoo synthesize`: a labelled synthetic dataset from a conditional or image-conditioned run.

    tfgan-zoo synthesize --run=runs/cgan_mnist8k --per_class=500 --out=synthetic.npz
    tfgan-zoo synthesize --run=runs/bagan --top_up=npz:imbalanced.npz --out=top_up.npz \\
        --classifier=classifier.keras --min_confidence=0.9
    tfgan-zoo synthesize --run=runs/dagan --mode=augment --source=npz:few.npz --per_class=100 --out=more.npz
    tfgan-zoo synthesize --run=runs/dagan --mode=augment --top_up=npz:imbalanced.npz --out=top_up.npz

`--mode=sample` (the default) draws each class from a class-conditional
generator; `--mode=augment` varies real images of each class of `--source`
(default: the `--top_up` dataset) with an image-conditioned one (DAGAN), each
variation labelled with its source's class. The file holds `x` (uint8 NHWC)
and `y` (int32), in augment mode also `source` (the row of `--source` each
sample varies); train on it with `--dataset=npz:synthetic.npz`.
"""

import numpy as np
from absl import flags

from tfgan_zoo.cli import evaluate_commands  # noqa: F401  (defines --classifier)
from tfgan_zoo.cli.flags import FLAGS, command, require
from tfgan_zoo.utils import validation

MODES = ("sample", "augment")

flags.DEFINE_integer("per_class", None, "synthesize: samples per class (with --top_up: the size each class reaches).")
flags.DEFINE_string(
    "top_up", None,
    "synthesize: a labelled dataset spec; per class, synthesize what brings it up to its largest class "
    "(or to --per_class).",
)
flags.DEFINE_float(
    "min_confidence", None,
    "synthesize: with --classifier, keep a sample only when the classifier's top class is the requested one "
    "with at least this probability (default 0: top class only).",
)
flags.DEFINE_integer("max_rounds", 10, "synthesize: rounds of re-drawing rejected samples before giving up.")
flags.DEFINE_string(
    "mode", "sample",
    "synthesize: 'sample' (a class-conditional run draws each class) or 'augment' (an image-conditioned run, "
    "DAGAN, varies real images of each class of --source).",
)
flags.DEFINE_string(
    "source", None,
    "synthesize --mode=augment: the labelled dataset spec whose images are varied (default: --top_up).",
)


def _counts(num_classes, *, present_only=False):
    """Per-class counts from --per_class and --top_up.

    With `present_only` (augmentation, which can only vary images it has),
    --top_up's plan covers the classes that have examples there, whatever
    `num_classes` says.
    """
    from tfgan_zoo import data
    from tfgan_zoo.data import imbalance

    if FLAGS.top_up is None:
        require(per_class=FLAGS.per_class)
        return FLAGS.per_class
    _, labels = data.load_arrays(FLAGS.top_up)
    if labels is None:
        raise ValueError(f"--top_up needs a labelled dataset. Received: --top_up={FLAGS.top_up!r}")
    if present_only:
        num_classes = int(labels.max()) + 1
    counts = imbalance.top_up_counts(labels, num_classes, target=FLAGS.per_class)
    if present_only:
        counts = {label: count for label, count in counts.items() if np.any(labels == label)}
    if not counts:
        raise ValueError(f"Every class of --top_up already has the target count. Received: --top_up={FLAGS.top_up!r}")
    return counts


def _check_flags():
    """Checks of the flags alone, before a run is loaded."""
    require(run=FLAGS.run, out=FLAGS.out)
    validation.check_choice("--mode", FLAGS.mode, MODES)
    if not FLAGS.out.lower().endswith(".npz"):
        raise ValueError(f"The synthetic dataset is written as .npz. Received: --out={FLAGS.out!r}")
    if FLAGS.per_class is not None:
        validation.check_int("--per_class", FLAGS.per_class)
    if FLAGS.min_confidence is not None and not FLAGS.classifier:
        raise ValueError(f"--min_confidence needs --classifier. Received: --min_confidence={FLAGS.min_confidence}")
    if FLAGS.mode == "sample" and FLAGS.source is not None:
        raise ValueError(f"--source is for --mode=augment. Received: --mode=sample, --source={FLAGS.source!r}")
    if FLAGS.mode == "augment" and FLAGS.source is None and FLAGS.top_up is None:
        raise ValueError(
            "--mode=augment needs --source (the labelled images to vary) or --top_up. "
            "Received: --mode=augment, --source=None, --top_up=None"
        )


def _augmentation(model, recipe):
    """`draw(**options)`: variations of the images of --source (or --top_up), per class; flags checked first."""
    from tfgan_zoo import data, synthesis

    if not synthesis.is_image_conditioned(model):
        inputs = [tensor.name for tensor in model.generator.inputs]
        raise ValueError(
            "--mode=augment needs an image-conditioned run (a generator of [latent, image], e.g. DAGAN). "
            f"Received: --mode=augment, --run={FLAGS.run!r} (model {model.name!r}, generator inputs {inputs})"
        )
    spec = FLAGS.source or FLAGS.top_up
    flag = "--source" if FLAGS.source else "--top_up"
    images, labels = data.load_arrays(spec, image_size=recipe.image_size or None, resize=recipe.resize)
    if labels is None:
        raise ValueError(f"--mode=augment needs labelled images to vary. Received: {flag}={spec!r} without labels")
    expected = tuple(model.generator.inputs[1].shape[1:])
    if images.shape[1:] != expected:
        raise ValueError(
            f"The run varies images of shape {expected}. Received: {flag}={spec!r} with images of shape "
            f"{images.shape[1:]}"
        )
    counts = _counts(int(labels.max()) + 1, present_only=True)
    return lambda **options: synthesis.augment(model, images, labels, counts, **options)


def _sampling(model):
    """`draw(**options)`: samples of each class from a class-conditional run; flags checked first."""
    from tfgan_zoo import synthesis

    if model.num_classes is None:
        hint = " (this run varies images: use --mode=augment)" if synthesis.is_image_conditioned(model) else ""
        raise ValueError(
            f"synthesize needs a conditional run (a model with labels){hint}. Received: --run={FLAGS.run!r}"
        )
    counts = _counts(model.num_classes)
    return lambda **options: synthesis.synthesize(model, counts, **options)


@command("run", "out", "mode", "per_class", "top_up", "source", "classifier", "min_confidence", "max_rounds", "seed")
def command_synthesize():
    """Write a labelled synthetic dataset (.npz) from a conditional run, or DAGAN variations of real images.

    Examples:
      tfgan-zoo synthesize --run=runs/cgan --per_class=500 --out=synthetic.npz
      tfgan-zoo synthesize --run=runs/dagan --mode=augment --source=npz:few.npz --per_class=100 --out=more.npz
    """
    import keras

    from tfgan_zoo import saved_runs, synthesis

    _check_flags()
    model, recipe = saved_runs.load_run(FLAGS.run)
    draw = _augmentation(model, recipe) if FLAGS.mode == "augment" else _sampling(model)
    classifier = keras.models.load_model(FLAGS.classifier) if FLAGS.classifier else None
    result = draw(classifier=classifier, min_confidence=FLAGS.min_confidence or 0.0, seed=FLAGS.seed or 0,
                  max_rounds=FLAGS.max_rounds)
    synthesis.write_synthetic(FLAGS.out, result)
    drawn = sum(result.drawn.values())
    print(f"Wrote {len(result.y)} samples ({len(result.drawn)} classes) to {FLAGS.out}; "
          f"{drawn} drawn in {result.rounds} rounds")


COMMANDS = {"synthesize": command_synthesize}
