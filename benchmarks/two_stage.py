"""The two-stage pipeline: a 28x28 GAN, then a 4x upscaler to 112x112, at a CPU budget per stage.

    python benchmarks/two_stage.py --recipes=two_stage_mnist8k --cpu_minutes=5 --output=two_stage_mnist8k.json
    python benchmarks/two_stage.py --recipes=two_stage_shapes --cpu_minutes=5 --output=two_stage_shapes.json

Each recipe is trained into benchmarks/results/runs/<recipe> (`--cpu_minutes`
of single-threaded CPU time for each stage; `--train=false` scores the run as
it is). Scores:

- `upscaler_heldout`: the stage-2 upscaler on `--num` held-out pairs of the
  task it trained on (mnist8k:test 7 -> 28; held-out shapes 28 -> 112),
  PSNR / SSIM / L1 against the true high-resolution image, beside `bicubic`;
- for 28 -> 112 digits, where no 112-pixel truth exists (`at_112`, on
  held-out real 28-pixel digits and on the pipeline's samples): `consistency_psnr_db`,
  the PSNR of the 112-pixel output area-averaged back to 28 pixels against
  its 28-pixel input (does the upscaler keep what it was given?);
  `midtone_share`, the share of pixels strictly between -0.8 and 0.8 (soft,
  blurred edges are mid-tones); and with the domain classifier,
  `label_accuracy` of the downscaled outputs (real digits) or
  `class_agreement` with the 28-pixel sample's class (samples), and
  `confident_share`. Each beside the same for bicubic enlargement.

The pipeline's grid (its `samples/stages.png`) is copied to benchmarks/figures/<recipe>_stages.png.
"""

import os
import shutil

from absl import app, flags

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

import common  # noqa: E402
from tfgan_zoo import data, held_out, metrics, two_stage_training  # noqa: E402
from tfgan_zoo.data import paired, transforms  # noqa: E402
from tfgan_zoo.metrics import classifier as classifier_lib  # noqa: E402
from tfgan_zoo.saved_runs import load_run  # noqa: E402
from tfgan_zoo.utils.batching import map_in_batches  # noqa: E402

flags.DEFINE_list("recipes", ["two_stage_mnist8k"], "Two-stage recipes to train and score.")
flags.DEFINE_float(
    "cpu_minutes", 5.0, "Training budget of each stage in CPU minutes of this (single-threaded) process."
)
flags.DEFINE_bool("train", True, "Train (or continue) each run first; false scores the runs as they are.")
flags.DEFINE_integer("num", 2000, "Held-out pairs and pipeline samples to score.")
flags.DEFINE_integer("seed", 0, "Seed of the held-out choice and of the samples.")
flags.DEFINE_string("output", "two_stage.json", "Results file in benchmarks/results/.")
FLAGS = flags.FLAGS

FIGURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "figures")
_MNIST8K_SHAPE = (28, 28, 1)


def pair_scores(outputs, targets):
    return {"l1": float(np.mean(np.abs(outputs - targets))), "psnr_db": float(np.mean(metrics.psnr(outputs, targets))),
            "ssim": float(np.mean(metrics.ssim(outputs, targets)))}


def upscaler_heldout(stage2, num, seed):
    """The upscaler against bicubic on held-out pairs of its own task."""
    sources, targets, _ = held_out.heldout_examples(stage2, num, seed=seed)
    factor = targets.shape[1] // sources.shape[1]
    return {"pairs": f"{sources.shape[1]} -> {targets.shape[1]} px, {len(sources)} held-out",
            "upscaler": pair_scores(stage2.translate(sources), targets),
            "bicubic": pair_scores(transforms.upscale(sources, factor).numpy(), targets)}


def at_112_scores(upscaler, inputs, classifier, labels=None):
    """Scores of 28 -> 112 enlargements of `inputs` (upscaler and bicubic) without a 112-pixel truth."""
    size = inputs.shape[1:3]
    enlarged = {"upscaler": map_in_batches(lambda batch: upscaler(batch, training=False), inputs, 256),
                "bicubic": transforms.upscale(inputs, 4).numpy()}
    _, input_probs = classifier_lib.classifier_outputs(classifier, inputs)
    results = {"inputs": {"midtone_share": float(np.mean(np.abs(inputs) < 0.8))}}
    for name, images in enlarged.items():
        back = common.at_size(images, size)
        _, probs = classifier_lib.classifier_outputs(classifier, back)
        entry = {"consistency_psnr_db": float(np.mean(metrics.psnr(back, inputs))),
                 "midtone_share": float(np.mean(np.abs(images) < 0.8)),
                 "confident_share": float(np.mean(probs.max(axis=1) > 0.9))}
        if labels is not None:
            entry["label_accuracy"] = float(np.mean(probs.argmax(axis=1) == labels))
        else:
            entry["class_agreement"] = float(np.mean(probs.argmax(axis=1) == input_probs.argmax(axis=1)))
        results[name] = entry
    if labels is not None:
        results["inputs"]["label_accuracy"] = float(np.mean(input_probs.argmax(axis=1) == labels))
    results["inputs"]["confident_share"] = float(np.mean(input_probs.max(axis=1) > 0.9))
    return results


def score_recipe(name, classifier):
    out = os.path.join(common.RESULTS, "runs", name)
    entry = {}
    if FLAGS.train:
        _, entry["steps"], entry["train_seconds"] = common.train_recipe(name, out, cpu_minutes=FLAGS.cpu_minutes)
    model, _ = load_run(out)
    stage2, stage2_recipe = load_run(os.path.join(out, "stage2"))
    entry["stage_steps"] = model.stage_steps
    entry["shapes"] = {"stage1": list(model.low_resolution_shape),
                       "pipeline": [int(size) for size in model.generator.outputs[0].shape[1:]],
                       "upscaler_trained_on": [int(size) for size in stage2.generator.inputs[0].shape[1:]]}
    entry["upscaler_heldout"] = upscaler_heldout(stage2, min(FLAGS.num, 1000 if "shapes" in name else FLAGS.num),
                                                 FLAGS.seed)
    if classifier is not None and model.low_resolution_shape == _MNIST8K_SHAPE:
        images, labels = data.load_arrays(paired.heldout_spec("mnist8k:train"))
        chosen = np.random.default_rng(FLAGS.seed).permutation(len(images))[: FLAGS.num]
        entry["at_112_heldout_digits"] = at_112_scores(model.upscaler, images[chosen], classifier, labels[chosen])
        low, _ = model.generate_stages(FLAGS.num, seed=FLAGS.seed)
        entry["at_112_pipeline_samples"] = at_112_scores(model.upscaler, low, classifier)
    os.makedirs(FIGURES, exist_ok=True)
    figure = os.path.join(FIGURES, f"{name}_stages.png")
    shutil.copyfile(os.path.join(out, "samples", two_stage_training.GRID_NAME), figure)
    entry["figure"] = os.path.relpath(figure, os.path.dirname(FIGURES))
    return entry


def main(_):
    common.single_threaded()
    results = {"machine": common.machine(), "cpu_minutes_per_stage": FLAGS.cpu_minutes}
    classifier = None
    if any("mnist8k" in name for name in FLAGS.recipes):
        classifier, results["classifier_heldout_accuracy"] = common.domain_classifier(
            os.path.join(common.RESULTS, "mnist8k_classifier.keras"), data.load_arrays("mnist8k:train"),
            data.load_arrays("mnist8k:test"))
    for name in FLAGS.recipes:
        results[name] = score_recipe(name, classifier)
        common.write_json(FLAGS.output, results)


if __name__ == "__main__":
    app.run(main)
