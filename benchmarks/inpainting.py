"""Inpainting on held-out mnist8k digits: the context encoder, semantic inpainting and trivial fills.

    cd benchmarks
    OPENBLAS_NUM_THREADS=1 python inpainting.py --stage=train --recipe=inpainting_mnist8k --cpu_minutes=5 &
    OPENBLAS_NUM_THREADS=1 python inpainting.py --stage=train --recipe=inpainting_l2_mnist8k --cpu_minutes=5 &
    OPENBLAS_NUM_THREADS=1 python inpainting.py --stage=train --recipe=dcgan_mnist8k --cpu_minutes=5 &
    wait
    OPENBLAS_NUM_THREADS=1 python inpainting.py --stage=score --output=inpainting.json

`--stage=train` trains one recipe into benchmarks/results/runs/inpainting/<recipe>
for `--cpu_minutes` of single-threaded CPU time (a latent-variable recipe such
as `dcgan_mnist8k` on mnist8k:train, so the test digits stay unseen).

`--stage=score` draws `--num` held-out digits of mnist8k:test with a mask of
each kind in `--masks` (`tfgan_zoo.data.masks`, seed `--seed`) and fills the
holes with:

- `masked input`: the hole left at 0 (grey), what the generator sees;
- `mean fill`: the per-pixel mean of the mnist8k:train digits;
- each inpainting run (`--inpainting_runs`): its context encoder;
- each latent-variable run (`--semantic_runs`), on the first `--semantic_num`
  digits only (it optimises `--restarts` latents per digit for
  `--iterations` Adam steps): semantic inpainting (Yeh et al. 2017), blended
  by Poisson and by paste from the same optimised samples.

Scores, means over the digits: `hole_psnr_db`, the PSNR of the filled pixels
alone (MSE over the hole, range 2); `psnr_db` of the whole image; and the
share of completed digits the project's domain classifier (trained on
mnist8k:train) assigns to the right digit (the originals' share is the
ceiling). Every method is also scored on the semantic subset, so those
columns compare like with like. A figure of masked / filled / original rows
is written to benchmarks/figures/inpainting_mnist8k.png.
"""

import os
import time

from absl import app, flags

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

import common  # noqa: E402
from tfgan_zoo import data  # noqa: E402
from tfgan_zoo.data import paired  # noqa: E402
from tfgan_zoo.latent import LatentSpace, inpainting  # noqa: E402
from tfgan_zoo.latent.figures import rows_picture  # noqa: E402
from tfgan_zoo.metrics.classifier import classifier_outputs  # noqa: E402
from tfgan_zoo.saved_runs import load_run  # noqa: E402
from tfgan_zoo.utils import images as image_utils  # noqa: E402

flags.DEFINE_enum("stage", "score", ["train", "score"], "train one recipe, or score the trained runs.")
flags.DEFINE_string("recipe", None, "train: the recipe to train.")
flags.DEFINE_float("cpu_minutes", 5.0, "train: budget in CPU minutes of this (single-threaded) process.")
flags.DEFINE_list("inpainting_runs", ["inpainting_mnist8k", "inpainting_l2_mnist8k"],
                  "score: context-encoder runs under results/runs/inpainting.")
flags.DEFINE_list("semantic_runs", ["dcgan_mnist8k"], "score: generator runs for semantic inpainting.")
flags.DEFINE_list("masks", ["rect:0.25", "free:0.25"], "score: mask specs to evaluate.")
flags.DEFINE_integer("num", 2000, "score: held-out digits per mask kind (mnist8k:test has 2,000).")
flags.DEFINE_integer("semantic_num", 300, "score: of which semantic inpainting fills the first this many.")
flags.DEFINE_integer("iterations", 300, "score: Adam steps of semantic inpainting.")
flags.DEFINE_integer("restarts", 4, "score: starting latents per digit.")
flags.DEFINE_integer("window", inpainting.DEFAULT_WINDOW, "score: importance-weighting window (0: uniform).")
flags.DEFINE_float("perceptual_weight", inpainting.DEFAULT_PERCEPTUAL_WEIGHT, "score: Yeh et al.'s lambda.")
flags.DEFINE_integer("seed", 0, "score: seed of the held-out digits and their masks.")
flags.DEFINE_string("output", "inpainting.json", "score: results file in benchmarks/results/.")
flags.DEFINE_string("figure", os.path.join(os.path.dirname(os.path.abspath(__file__)), "figures",
                                           "inpainting_mnist8k.png"), "score: the figure's path.")
FLAGS = flags.FLAGS

RUNS = os.path.join(common.RESULTS, "runs", "inpainting")
HELDOUT = "mnist8k:train"  # its held-out split, mnist8k:test, is what is scored
FIGURE_COLUMNS = 12


def train():
    recipe = FLAGS.recipe
    if recipe is None:
        raise app.UsageError("--stage=train needs --recipe")
    # Latent-variable recipes read all of mnist8k by default; train them on the training split only.
    overrides = {} if recipe.startswith("inpainting") else {"dataset": "mnist8k:train"}
    _, steps, seconds = common.train_recipe(recipe, os.path.join(RUNS, recipe), cpu_minutes=FLAGS.cpu_minutes,
                                            **overrides)
    print(f"{recipe}: {steps} steps in {seconds:.0f} s wall")


# === Scores ===
def hole_psnr(outputs, targets, masks):
    """Per-image PSNR (dB, range 2) over the missing pixels only."""
    squared = np.square(outputs.astype(np.float64) - targets) * masks
    mse = squared.sum(axis=(1, 2, 3)) / (masks.sum(axis=(1, 2, 3)) * targets.shape[-1])
    return 10.0 * np.log10(4.0 / np.maximum(mse, 1e-12))


def scores(outputs, targets, masks, labels, classifier):
    _, probs = classifier_outputs(classifier, outputs)
    whole = np.mean(np.square(outputs.astype(np.float64) - targets), axis=(1, 2, 3))
    return {
        "hole_psnr_db": float(np.mean(hole_psnr(outputs, targets, masks))),
        "psnr_db": float(np.mean(10.0 * np.log10(4.0 / np.maximum(whole, 1e-12)))),
        "label_accuracy": float(np.mean(np.argmax(probs, axis=1) == labels)),
    }


def fill_methods(masked, masks, targets, mean_image, inpainting_models):
    """`{method: completed digits}` of the methods that fill every digit."""
    methods = {
        "masked input": masked,
        "mean fill": inpainting.paste(targets, np.broadcast_to(mean_image, targets.shape), masks),
    }
    for name, model in inpainting_models.items():
        methods[f"context encoder ({name})"] = model.inpaint(targets, masks)
    return methods


def semantic_methods(targets, masks, labels, semantic_models):
    """`{method: completed digits}` and `{method: settings}` of semantic inpainting on the given digits."""
    methods, details = {}, {}
    for name, model in semantic_models.items():
        started = time.process_time()
        result = inpainting.semantic_inpainting(
            LatentSpace(model), targets, masks, window=FLAGS.window or None, perceptual_weight=FLAGS.perceptual_weight,
            blend="poisson", iterations=FLAGS.iterations, restarts=FLAGS.restarts, seed=FLAGS.seed,
        )
        methods[f"semantic ({name}), Poisson"] = result.completed
        methods[f"semantic ({name}), paste"] = inpainting.paste(targets, result.generated, masks)
        details[name] = {**result.settings, "cpu_seconds": time.process_time() - started,
                         "contextual_loss": float(np.mean(result.contextual_loss)),
                         "objective_start": float(np.mean(result.projection.initial_objectives.min(axis=0))),
                         "objective_end": float(np.mean(result.projection.objectives.min(axis=0)))}
    return methods, details


def score_mask(spec, classifier, mean_image, inpainting_models, semantic_models):
    (masked, masks), targets, labels = paired.heldout_pairs(HELDOUT, f"mask:{spec}", FLAGS.num, seed=FLAGS.seed)
    subset = slice(0, min(FLAGS.semantic_num, FLAGS.num))
    filled = fill_methods(masked, masks, targets, mean_image, inpainting_models)
    semantic, details = semantic_methods(targets[subset], masks[subset], labels[subset], semantic_models)
    entry = {"num": len(targets), "semantic_num": len(targets[subset]), "missing_share": float(masks.mean()),
             "all": {}, "subset": {}, "semantic_settings": details}
    for method, outputs in filled.items():
        entry["all"][method] = scores(outputs, targets, masks, labels, classifier)
        entry["subset"][method] = scores(outputs[subset], targets[subset], masks[subset], labels[subset], classifier)
    for method, outputs in semantic.items():
        entry["subset"][method] = scores(outputs, targets[subset], masks[subset], labels[subset], classifier)
    # The ceiling: the classifier on the untouched digits (their PSNR is infinite).
    for part, chosen in (("all", slice(None)), ("subset", subset)):
        _, probs = classifier_outputs(classifier, targets[chosen])
        entry[part]["originals"] = {"label_accuracy": float(np.mean(np.argmax(probs, axis=1) == labels[chosen]))}
    rows = [masked[:FIGURE_COLUMNS]]
    rows += [outputs[:FIGURE_COLUMNS] for method, outputs in {**filled, **semantic}.items()
             if method.startswith("context encoder (inpainting_mnist8k)") or method.endswith("Poisson")]
    return entry, [*rows, targets[:FIGURE_COLUMNS]]


def score():
    common.single_threaded()
    real_train = data.load_arrays("mnist8k:train")
    classifier, accuracy = common.domain_classifier(
        os.path.join(common.RESULTS, "mnist8k_classifier.keras"), real_train, data.load_arrays("mnist8k:test"))
    mean_image = real_train[0].mean(axis=0, keepdims=True)
    inpainting_models = {name: load_run(os.path.join(RUNS, name))[0] for name in FLAGS.inpainting_runs}
    semantic_models = {name: load_run(os.path.join(RUNS, name))[0] for name in FLAGS.semantic_runs}
    results = {"machine": common.machine(), "classifier_heldout_accuracy": accuracy,
               "steps": {name: int(model.step_counter.numpy())
                         for name, model in {**inpainting_models, **semantic_models}.items()},
               "heldout": {"dataset": paired.heldout_spec(HELDOUT), "seed": FLAGS.seed}, "masks": {}}
    figure_rows = []
    for spec in FLAGS.masks:
        results["masks"][spec], rows = score_mask(spec, classifier, mean_image, inpainting_models, semantic_models)
        figure_rows += rows
        common.write_json(FLAGS.output, results)
    image_utils.write_png(FLAGS.figure, rows_picture(figure_rows))
    print(f"Wrote {FLAGS.figure}: per mask kind, rows masked / context encoder / semantic (Poisson) / original")


def main(_):
    common.single_threaded()
    train() if FLAGS.stage == "train" else score()


if __name__ == "__main__":
    app.run(main)
