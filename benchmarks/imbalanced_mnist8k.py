"""Does GAN-synthesised data help a classifier on an imbalanced mnist8k?

    python benchmarks/imbalanced_mnist8k.py --stage=train --recipe=bagan_imbalanced_mnist8k --cpu_minutes=8
    python benchmarks/imbalanced_mnist8k.py --stage=train --recipe=cgan_mnist8k --cpu_minutes=8
    python benchmarks/imbalanced_mnist8k.py --stage=train --recipe=dagan_imbalanced_mnist8k --cpu_minutes=8
    python benchmarks/imbalanced_mnist8k.py --stage=classify --variants=alone,classic --output=imb_base.json
    python benchmarks/imbalanced_mnist8k.py --stage=classify --variants=bagan_imbalanced_mnist8k --output=imb_bagan.json
    python benchmarks/imbalanced_mnist8k.py --stage=classify --variants=dagan_imbalanced_mnist8k --output=imb_dagan.json
    python benchmarks/imbalanced_mnist8k.py --stage=chart --inputs=imb_base.json,imb_bagan.json,imb_dagan.json

The imbalanced set: mnist8k:train (6,000 digits) with digits 2, 5 and 8 cut to
2% of their images (12 each, chosen with seed 0, `tfgan_zoo.data.imbalance`).

`--stage=train` trains one conditional GAN on the imbalanced set for
`--cpu_minutes` of single-threaded CPU time into benchmarks/results/runs/
imbalanced_<recipe>/ (BAGAN and DAGAN read the view themselves; other
recipes read it as an npz file written here).

`--stage=classify` trains the project's domain classifier
(`tfgan_zoo.metrics.classifier`, without its built-in shift augmentation)
over `--seeds` on each of `--variants`:
- `alone`: the imbalanced set;
- `classic`: the imbalanced set with each minority digit topped up to the
  mean majority count by classic augmentation (random shifts of up to 2 px
  and rotations of up to 15 degrees of its 12 images);
- a trained recipe: the same top-up with that GAN's samples (filtered by
  the `alone` classifier of seed 0 at `--min_confidence` when set); for an
  image-conditioned GAN (DAGAN), variations of each minority digit's 12
  images (`tfgan_zoo.synthesis.augment`), with a grid of them in
  benchmarks/results/,
and reports accuracy on mnist8k:test (2,000 digits): overall, on the
minority digits and on the majority digits. Variants run in separate
processes can be merged: `--stage=chart` joins their results and draws a bar
chart of per-class accuracy (mean and spread over seeds) in
benchmarks/results/.
"""

import json
import os
import time

from absl import app, flags

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

import common  # noqa: E402
from tfgan_zoo import data, metrics, recipes, sample_files, saved_runs, synthesis  # noqa: E402
from tfgan_zoo.data import imbalance  # noqa: E402
from tfgan_zoo.metrics import classifier as classifier_lib  # noqa: E402
from tfgan_zoo.metrics import plots  # noqa: E402
from tfgan_zoo.utils import images  # noqa: E402

flags.DEFINE_enum("stage", "classify", ["train", "classify", "chart"],
                  "Train one GAN; train and score classifiers; or merge results into a table and a chart.")
flags.DEFINE_string("recipe", "bagan_imbalanced_mnist8k", "train: the conditional recipe to train.")
flags.DEFINE_float("cpu_minutes", 8.0, "train: CPU minutes of single-threaded training.")
flags.DEFINE_list("variants", ["alone", "classic", "bagan_imbalanced_mnist8k"],
                  "classify: training sets: alone, classic, or a trained recipe whose samples top up the minority.")
flags.DEFINE_list("inputs", [], "chart: results files (in benchmarks/results/) to merge.")
flags.DEFINE_list("minority", ["2", "5", "8"], "Digits cut down.")
flags.DEFINE_float("fraction", 0.02, "Share of each minority digit kept.")
flags.DEFINE_list("seeds", ["0", "1", "2"], "classify: classifier seeds.")
flags.DEFINE_integer("epochs", 10, "classify: classifier epochs.")
flags.DEFINE_float("min_confidence", 0.0, "classify: keep GAN samples the classifier of (a) gives this probability "
                   "of their class (0: no filter).")
flags.DEFINE_string("output", "imbalanced_mnist8k.json", "Results file in benchmarks/results/.")
FLAGS = flags.FLAGS

WORK = os.path.join(common.RESULTS, "imbalanced_mnist8k")
_MAX_SHIFT, _MAX_DEGREES = 2, 15


def _minority():
    return [int(digit) for digit in FLAGS.minority]


def imbalanced_set():
    """The imbalanced training set as float arrays, and its npz file (for recipes that read `npz:`)."""
    x, y = imbalance.imbalanced_arrays("mnist8k:train", _minority(), FLAGS.fraction, seed=0)
    path = os.path.join(WORK, "imbalanced.npz")
    if not os.path.exists(path):
        sample_files.write_npz(path, {"x": images.to_uint8(x), "y": y})
    return x, y, path


def train_gan():
    common.single_threaded()
    _, _, path = imbalanced_set()
    # BAGAN and DAGAN recipes read the imbalanced view themselves (model_options.minority_classes).
    own_view = "minority_classes" in recipes.get_recipe(FLAGS.recipe).model_options
    overrides = {} if own_view else {"dataset": f"npz:{path}"}
    out = os.path.join(common.RESULTS, "runs", f"imbalanced_{FLAGS.recipe}")
    _, steps, seconds = common.train_recipe(FLAGS.recipe, out, cpu_minutes=FLAGS.cpu_minutes, **overrides)
    print(f"{FLAGS.recipe}: {steps} steps in {seconds:.0f} s wall clock ({FLAGS.cpu_minutes} CPU minutes)")


def top_up_plan(y):
    """Per minority digit, the samples that bring it to the mean majority count."""
    counts = np.bincount(y, minlength=10)
    majority = [digit for digit in range(10) if digit not in _minority()]
    target = int(round(counts[majority].mean()))
    return {digit: target - int(counts[digit]) for digit in _minority()}


def classic_top_up(x, y, plan, seed=0):
    """Random shifts (up to 2 px) and rotations (up to 15 degrees) of each minority digit's own images."""
    shift = _MAX_SHIFT / x.shape[1]
    layers = keras.Sequential([
        keras.layers.RandomRotation(_MAX_DEGREES / 360.0, fill_mode="constant", fill_value=-1.0, seed=seed),
        keras.layers.RandomTranslation(shift, shift, fill_mode="constant", fill_value=-1.0, seed=seed + 1),
    ])
    rng = np.random.default_rng(seed)
    parts_x, parts_y = [], []
    for digit, count in plan.items():
        sources = x[rng.choice(np.flatnonzero(y == digit), count, replace=True)]
        parts_x.append(np.clip(np.asarray(layers(sources, training=True)), -1.0, 1.0))
        parts_y.append(np.full(count, digit, np.int32))
    return np.concatenate(parts_x), np.concatenate(parts_y)


def gan_top_up(recipe, plan, filter_model, x, y):
    """The GAN's samples for the plan (uint8-rounded, as a written file would hold them), scaled to [-1, 1].

    A class-conditional GAN samples each minority digit; an image-conditioned
    one (DAGAN) varies that digit's own images of the imbalanced set `(x, y)`
    (the same ones classic augmentation shifts and rotates).
    """
    model, _ = saved_runs.load_run(os.path.join(common.RESULTS, "runs", f"imbalanced_{recipe}"))
    started = time.monotonic()
    options = dict(classifier=filter_model, min_confidence=FLAGS.min_confidence, seed=0, max_rounds=20)
    if synthesis.is_image_conditioned(model):
        result = synthesis.augment(model, x, y, plan, **options)
        variations_figure(recipe, x, result)
    else:
        result = synthesis.synthesize(model, plan, **options)
    suffix = f"_confidence{FLAGS.min_confidence:g}" if FLAGS.min_confidence else ""
    synthesis.write_synthetic(os.path.join(WORK, f"top_up_{recipe}{suffix}.npz"), result)
    samples = result.x.astype(np.float32) / 127.5 - 1.0
    # How recognisable the samples are, to a classifier trained on the full, balanced mnist8k:train
    # (measurement only: no variant trains on anything but the imbalanced set).
    reference, _ = common.domain_classifier(os.path.join(common.RESULTS, "mnist8k_classifier.keras"),
                                            data.load_arrays("mnist8k:train"), data.load_arrays("mnist8k:test"))
    recognised = per_class_accuracy(reference, samples, result.y, digits=sorted(plan))
    facts = {"steps": int(model.step_counter.numpy()), "drawn": int(sum(result.drawn.values())),
             "kept": int(len(result.y)), "seconds": time.monotonic() - started,
             "recognised_by_reference_classifier": dict(zip(sorted(plan), recognised.tolist()))}
    return samples, result.y, facts


def variations_figure(recipe, x, result, sources_per_digit=3, variations=9):
    """A grid of an image-conditioned GAN's top-up: per row a real minority image, then variations of it."""
    rows = []
    for digit in sorted(set(result.y.tolist())):
        for source in list(dict.fromkeys(result.source[result.y == digit].tolist()))[:sources_per_digit]:
            varied = result.x[result.source == source][:variations].astype(np.float32) / 127.5 - 1.0
            rows.append(np.concatenate([x[source : source + 1], varied]))
    picture = images.make_grid(images.to_uint8(np.concatenate(rows)), columns=1 + variations)
    path = os.path.join(common.RESULTS, f"imbalanced_mnist8k_{recipe}_variations.png")
    images.write_png(path, picture)
    print(f"Variations grid: {path}")


def per_class_accuracy(model, x, y, digits=range(10)):
    """The share of each digit's images `model` assigns to it."""
    _, probabilities = classifier_lib.classifier_outputs(model, x)
    correct = np.argmax(probabilities, axis=1) == y
    return np.array([correct[y == digit].mean() for digit in digits])


def summary(per_class, y_test):
    """Overall, minority and majority accuracy from per-class accuracies (weighted by test counts)."""
    counts = np.bincount(y_test, minlength=10)
    minority = np.isin(np.arange(10), _minority())

    def weighted(mask):
        return float(np.sum(per_class[mask] * counts[mask]) / np.sum(counts[mask]))

    return {"overall": weighted(np.ones(10, bool)), "minority": weighted(minority), "majority": weighted(~minority)}


def classify():
    """Trains and scores the classifiers of `--variants`; writes one JSON of results."""
    x, y, _ = imbalanced_set()
    x_test, y_test = data.load_arrays("mnist8k:test")
    plan = top_up_plan(y)
    results = {"machine": common.machine(), "train_counts": np.bincount(y, minlength=10).tolist(), "top_up": plan,
               "epochs": FLAGS.epochs, "seeds": [int(seed) for seed in FLAGS.seeds],
               "min_confidence": FLAGS.min_confidence, "gans": {}, "variants": {}}
    for variant in FLAGS.variants:
        if variant == "alone":
            name, extra = "imbalanced alone", None
        elif variant == "classic":
            name, extra = "classic augmentation", classic_top_up(x, y, plan)
        else:
            gan_x, gan_y, facts = gan_top_up(variant, plan, _filter_model(x, y, x_test, y_test), x, y)
            name, extra = f"{variant} top-up", (gan_x, gan_y)
            if FLAGS.min_confidence:
                name += f" (confidence >= {FLAGS.min_confidence:g})"
            results["gans"][name] = facts
        train_x, train_y = (x, y) if extra is None else (np.concatenate([x, extra[0]]), np.concatenate([y, extra[1]]))
        results["variants"][name] = _train_and_score(name, train_x, train_y, x_test, y_test)
    common.write_json(FLAGS.output, results)


def _filter_model(x, y, x_test, y_test):
    """With `--min_confidence`, the classifier of (a) at seed 0 (it saw each minority digit 12 times); else None."""
    if not FLAGS.min_confidence:
        return None
    model, _ = metrics.train_domain_classifier(x, y, x_test, y_test, num_classes=10, epochs=FLAGS.epochs, seed=0,
                                               augment=False)
    return model


def _train_and_score(name, train_x, train_y, x_test, y_test):
    """Accuracies of classifiers trained on one set, one per seed, with their per-class rows."""
    rows, started = [], time.monotonic()
    for seed in FLAGS.seeds:
        model, _ = metrics.train_domain_classifier(train_x, train_y, x_test, y_test, num_classes=10,
                                                   epochs=FLAGS.epochs, seed=int(seed), augment=False)
        rows.append(per_class_accuracy(model, x_test, y_test))
        print(name, seed, summary(rows[-1], y_test), flush=True)
    scores = [summary(row, y_test) for row in rows]
    return {
        "train_examples": len(train_y),
        **{key: {"mean": float(np.mean([s[key] for s in scores])), "std": float(np.std([s[key] for s in scores]))}
           for key in scores[0]},
        "per_class": np.array(rows).tolist(), "seconds": time.monotonic() - started,
    }


def chart():
    """Merges the JSON results of `--inputs` into `--output` and draws the per-class bar chart beside it."""
    merged = {"variants": {}, "gans": {}}
    for name in FLAGS.inputs:
        with open(os.path.join(common.RESULTS, name)) as handle:
            part = json.load(handle)
        merged["variants"].update(part.pop("variants"))
        merged["gans"].update(part.pop("gans"))
        merged.update(part)
    rows = {name: np.array(entry["per_class"]) for name, entry in merged["variants"].items()}
    path = os.path.join(common.RESULTS, os.path.splitext(FLAGS.output)[0] + "_per_class.png")
    plots.plot_grouped_bars(
        {name: values.mean(0) for name, values in rows.items()}, path,
        errors={name: values.std(0) for name, values in rows.items()}, xlabel="digit",
        ylabel=f"test accuracy (mean of {len(merged['seeds'])} seeds)", ylim=(0.0, 1.02),
        title=f"Digits {','.join(FLAGS.minority)} cut to {FLAGS.fraction:.0%}: per-class accuracy on mnist8k:test",
    )
    merged["chart"] = os.path.relpath(path, os.path.dirname(common.RESULTS))
    common.write_json(FLAGS.output, merged)


def main(_):
    os.makedirs(WORK, exist_ok=True)
    {"train": train_gan, "classify": classify, "chart": chart}[FLAGS.stage]()


if __name__ == "__main__":
    app.run(main)
