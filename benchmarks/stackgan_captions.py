"""Does StackGAN draw what its caption says? Attribute agreement on held-out caption combinations.

    OPENBLAS_NUM_THREADS=1 python benchmarks/stackgan_captions.py --train --steps=2400 --stage1_steps=1200

Trains `stackgan_shapes` (with `--train`; single-threaded, the given steps)
into `benchmarks/results/runs/stackgan_shapes`, or reads the run found there.
Then, with an attribute classifier (the project's domain classifier trunk,
`tfgan_zoo.metrics.classifier.build_domain_classifier`, with one head per
caption attribute: shape, colour, size bin, position bin; trained on the
real generated shapes of the "train" split, all combinations, without the
shift augmentation since position and size are what it must read), it
reports:

- the classifier's accuracy on real held-out shapes of the held-out
  combinations (the ceiling of any generator);
- for every caption of the "test" split's held-out combinations (which the
  GAN never saw in training), one sample, and the share whose classified
  attributes match the caption, per attribute and all four at once; the
  same for captions of training combinations, and for Stage-I's 16x16
  images (resized to 32x32) on the held-out captions.

Writes `stackgan_captions.json` and `stackgan_captions.png` (rows: a
held-out caption, a real image of it, then samples) to benchmarks/results/.
"""

import json
import os
import time

from absl import app, flags

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import common  # noqa: E402
from tfgan_zoo.data import captions  # noqa: E402
from tfgan_zoo.metrics import attributes  # noqa: E402
from tfgan_zoo.saved_runs import load_run  # noqa: E402
from tfgan_zoo.utils import images  # noqa: E402

RECIPE = "stackgan_shapes"
flags.DEFINE_string("run", os.path.join(common.RESULTS, "runs", RECIPE), "Run directory of stackgan_shapes.")
flags.DEFINE_bool("train", False, "Train (or resume) the run first.")
flags.DEFINE_integer("steps", 2400, "Training steps in all (with --train).")
flags.DEFINE_integer("stage1_steps", 1200, "Steps of Stage-I (with --train).")
flags.DEFINE_integer("classifier_epochs", 3, "Epochs of each attribute classifier.")
flags.DEFINE_integer("train_caption_samples", 1000, "Captions of training combinations to sample.")
flags.DEFINE_string("output", "stackgan_captions", "Name of the JSON and PNG files in benchmarks/results/.")
FLAGS = flags.FLAGS


def train_attribute_classifier(seed=0):
    """`(classifier, {attribute: accuracy on real test shapes of all combinations})`, trained on the real
    "train" split, all combinations (`tfgan_zoo.metrics.attributes`)."""
    x_train, _, train_attributes = captions.captioned_arrays(split="train", combinations="all")
    x_test, _, test_attributes = captions.captioned_arrays(split="test", combinations="all")
    classifier = attributes.train_attribute_classifier(
        x_train, train_attributes, captions.ATTRIBUTES, epochs=FLAGS.classifier_epochs, seed=seed, verbose=2)
    accuracy = attributes.agreement(classifier, x_test, test_attributes)
    return classifier, {name: value for name, value in accuracy.items() if name in captions.ATTRIBUTES}


def write_figure(path, model, real, tokens, rows=8, columns=8):
    """One row per held-out caption: a real image of it, then `columns` samples."""
    from matplotlib.figure import Figure

    distinct = np.sort(np.unique(tokens, axis=0, return_index=True)[1])
    chosen = distinct[np.linspace(0, len(distinct) - 1, min(rows, len(distinct))).astype(int)]
    figure = Figure(figsize=(1.0 + 0.6 * (columns + 1), 0.75 * len(chosen)), dpi=100)
    for row, index in enumerate(chosen):
        samples = model.generate(columns, captions=np.repeat(tokens[index : index + 1], columns, axis=0), seed=row)
        strip = images.make_grid(images.to_uint8(np.concatenate([real[index : index + 1], samples])), columns + 1)
        axes = figure.add_subplot(len(chosen), 1, row + 1)
        axes.imshow(strip, interpolation="nearest")
        axes.set_axis_off()
        axes.set_title(captions.detokenize(tokens[index : index + 1])[0] + "   (first: real)", fontsize=8, loc="left")
    figure.tight_layout()
    figure.savefig(path, format="png")


def main(_):
    common.single_threaded()
    started = time.process_time()
    if FLAGS.train:
        model, steps, wall = common.train_recipe(
            RECIPE, FLAGS.run, steps=FLAGS.steps, **{"model_options.stage1_steps": FLAGS.stage1_steps})
        training = {"steps": steps, "stage1_steps": FLAGS.stage1_steps, "wall_seconds": wall,
                    "cpu_seconds": time.process_time() - started}
    else:
        model, _ = load_run(FLAGS.run)
        training = {"steps": int(model.step_counter.numpy()), "stage1_steps": model.stage1_steps}
    classifier_started = time.process_time()
    classifier, test_accuracy = train_attribute_classifier()
    classifier_cpu = time.process_time() - classifier_started

    real, tokens, wanted = captions.captioned_arrays(split="test", combinations="heldout")
    _, train_tokens, train_wanted = captions.captioned_arrays(split="test", combinations="train")
    keep = slice(0, FLAGS.train_caption_samples)
    train_tokens, train_wanted = train_tokens[keep], {name: values[keep] for name, values in train_wanted.items()}
    stage1 = model.generate_stage1(tokens, latent=model.latent_for_seed(len(tokens), seed=1))
    results = {
        "recipe": RECIPE,
        "machine": common.machine(),
        "training": training,
        "heldout_combinations": len(captions.HELDOUT_COMBINATIONS),
        "classifier": {
            "epochs": FLAGS.classifier_epochs,
            "cpu_seconds": classifier_cpu,
            "accuracy_real_test_all_combinations": test_accuracy,
        },
        "ceiling_real_heldout": attributes.agreement(classifier, real, wanted),
        "stage2_heldout_captions": attributes.agreement(
            classifier, model.generate(len(tokens), captions=tokens, seed=1), wanted
        ),
        "stage2_training_captions": attributes.agreement(
            classifier, model.generate(len(train_tokens), captions=train_tokens, seed=2), train_wanted
        ),
        "stage1_heldout_captions_resized": attributes.agreement(
            classifier, tf.image.resize(stage1, real.shape[1:3], method="bilinear").numpy(), wanted
        ),
    }
    os.makedirs(common.RESULTS, exist_ok=True)
    with open(os.path.join(common.RESULTS, f"{FLAGS.output}.json"), "w") as handle:
        json.dump(results, handle, indent=2)
    write_figure(os.path.join(common.RESULTS, f"{FLAGS.output}.png"), model, real, tokens)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    app.run(main)
