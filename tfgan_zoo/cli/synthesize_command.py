"""`tfgan-zoo synthesize`: a labelled synthetic dataset from a conditional run.

    tfgan-zoo synthesize --run=runs/cgan_mnist8k --per_class=500 --out=synthetic.npz
    tfgan-zoo synthesize --run=runs/bagan --top_up=npz:imbalanced.npz --out=top_up.npz \\
        --classifier=classifier.keras --min_confidence=0.9

The file holds `x` (uint8 NHWC) and `y` (int32); train on it with
`--dataset=npz:synthetic.npz`.
"""

from absl import flags

from tfgan_zoo.cli import evaluate_commands  # noqa: F401  (defines --classifier)
from tfgan_zoo.cli.flags import FLAGS, require

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


def _counts(num_classes):
    """Per-class counts from --per_class and --top_up."""
    from tfgan_zoo import data
    from tfgan_zoo.data import imbalance

    if FLAGS.top_up is None:
        require(per_class=FLAGS.per_class)
        return FLAGS.per_class
    _, labels = data.load_arrays(FLAGS.top_up)
    if labels is None:
        raise ValueError(f"--top_up needs a labelled dataset. Received: --top_up={FLAGS.top_up!r}")
    counts = imbalance.top_up_counts(labels, num_classes, target=FLAGS.per_class)
    if not counts:
        raise ValueError(f"Every class of --top_up already has the target count. Received: --top_up={FLAGS.top_up!r}")
    return counts


def command_synthesize():
    import keras

    from tfgan_zoo import run_dir, synthesis

    require(run=FLAGS.run, out=FLAGS.out)
    if not FLAGS.out.lower().endswith(".npz"):
        raise ValueError(f"The synthetic dataset is written as .npz. Received: --out={FLAGS.out!r}")
    if FLAGS.per_class is not None and FLAGS.per_class < 1:
        raise ValueError(f"--per_class must be a positive int. Received: --per_class={FLAGS.per_class}")
    if FLAGS.min_confidence is not None and not FLAGS.classifier:
        raise ValueError(f"--min_confidence needs --classifier. Received: --min_confidence={FLAGS.min_confidence}")
    model, _ = run_dir.load_run(FLAGS.run)
    if model.num_classes is None:
        raise ValueError(f"synthesize needs a conditional run (a model with labels). Received: --run={FLAGS.run!r}")
    counts = _counts(model.num_classes)
    classifier = keras.models.load_model(FLAGS.classifier) if FLAGS.classifier else None
    result = synthesis.synthesize(
        model, counts, classifier=classifier, min_confidence=FLAGS.min_confidence or 0.0, seed=FLAGS.seed or 0,
        max_rounds=FLAGS.max_rounds,
    )
    synthesis.write_synthetic(FLAGS.out, result)
    drawn = sum(result.drawn.values())
    print(f"Wrote {len(result.y)} samples ({len(result.drawn)} classes) to {FLAGS.out}; "
          f"{drawn} drawn in {result.rounds} rounds")


COMMANDS = {"synthesize": command_synthesize}
