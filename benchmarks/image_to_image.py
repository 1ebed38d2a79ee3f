"""Image-to-image quality on held-out pairs at a fixed CPU budget (pix2pix; reusable for SRGAN, CycleGAN).

    python benchmarks/image_to_image.py --recipes=pix2pix_edges_mnist8k --cpu_minutes=5 --output=i2i_gan.json
    python benchmarks/image_to_image.py --recipes=pix2pix_l1_edges_mnist8k --cpu_minutes=5 --output=i2i_l1.json

Each recipe is trained into benchmarks/results/runs/<recipe> (with `--steps`,
runs/<recipe>_<steps>steps, trained to exactly that many steps) for `--cpu_minutes`
of single-threaded CPU time (`--train=false` scores the existing run), then
`--num` held-out sources of its task (the held-out split of its dataset, see
`tfgan_zoo.data.paired.heldout_spec`) are translated and compared with their
targets:

- `l1`: mean absolute error per pixel (images in [-1, 1]); `psnr_db`,
  `ssim` (range 2), means over the images;
- for CycleGAN, `cycle_l1` (mean |F(G(x)) - x|) and `ink`, the share of
  stroke pixels of sources, outputs and targets (see `cycle_scores`); on
  mnist8k also `domain_b_share` / `domain_a_share`, the view of a small
  A-vs-B classifier (plain vs thick strokes) trained in seconds on
  mnist8k:train and its transformed version (see `domain_switch`);
- on mnist8k, with the project's domain classifier (trained on
  mnist8k:train, cached in benchmarks/results/): `label_accuracy`, the share
  of outputs classified as the digit their source was made from; `fid` of
  the outputs against the targets, beside `real_floor`, the targets against
  as many mnist8k:train digits; `targets` holds the same scores for the
  targets themselves (the ceiling) and `sources` for the untranslated
  sources where they have the targets' shape;
- for super-resolution (sources an integer factor smaller than the
  targets), `bicubic`: the same scores for the sources enlarged by bicubic
  interpolation (`tfgan_zoo.data.transforms.upscale`), the baseline of
  Ledig et al. 2017.

A PNG of source / (bicubic) / output / target rows is written into the run's folder;
`--figure=PATH` also writes one PNG comparing every recipe scored (they share
the held-out pairs of one task): sources, bicubic, each recipe's outputs, targets.

    python image_to_image.py --recipes=srresnet_mnist8k,srgan_mnist8k --train=false --output=i2i_sr.json \
      --figure=figures/srgan_mnist8k_4x.png
"""

import os

from absl import app, flags

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

import common  # noqa: E402
import domain_switch  # noqa: E402
from tfgan_zoo import data, held_out, metrics, recipes  # noqa: E402
from tfgan_zoo.data import paired, transforms  # noqa: E402
from tfgan_zoo.saved_runs import load_run  # noqa: E402
from tfgan_zoo.utils import images  # noqa: E402
from tfgan_zoo.utils.batching import map_in_batches  # noqa: E402

flags.DEFINE_list("recipes", ["pix2pix_edges_mnist8k", "pix2pix_l1_edges_mnist8k"], "Recipes to train and score.")
flags.DEFINE_float("cpu_minutes", 5.0, "Training budget per recipe in CPU minutes of this (single-threaded) process.")
flags.DEFINE_integer("steps", 0, "Train each recipe to exactly this many steps instead of the CPU budget (0: budget).")
flags.DEFINE_bool("train", True, "Train (or continue) each run first; false scores the runs as they are.")
flags.DEFINE_integer("num", 2000, "Held-out pairs to score (mnist8k:test has 2,000).")
flags.DEFINE_integer("seed", 0, "Seed of the choice of held-out pairs.")
flags.DEFINE_string("output", "image_to_image.json", "Results file in benchmarks/results/.")
flags.DEFINE_string("figure", None, "Also write one PNG of the first 16 held-out pairs with every recipe's outputs.")
FLAGS = flags.FLAGS

_MNIST8K_SHAPE = (28, 28, 1)
# Per recipe scored: (sources, outputs, targets, bicubic or None) of the held-out pairs, for `--figure`.
_SHOWN = {}
# Per CycleGAN task: (A-vs-B classifier, its training CPU seconds), trained once per process.
_DOMAIN_CLASSIFIERS = {}


def pair_scores(outputs, targets):
    """L1, PSNR and SSIM of outputs against their targets (means over the images)."""
    return {
        "l1": float(np.mean(np.abs(outputs - targets))),
        "psnr_db": float(np.mean(metrics.psnr(outputs, targets))),
        "ssim": float(np.mean(metrics.ssim(outputs, targets))),
    }


def class_scores(classifier, scored, targets, labels):
    """The domain classifier's view: share classified as the source's digit, confident share, FID to the targets."""
    scores = metrics.domain_scores(classifier, targets, scored, requested_labels=labels)
    return {key: scores[key] for key in ("label_accuracy", "confident_share", "fid")}


def cycle_scores(model, sources, outputs, targets):
    """For a model with an inverse generator (CycleGAN): `cycle_l1`, mean |F(G(x)) - x|; and `ink` shares.

    `ink` is the share of pixels above 0 (the strokes of MNIST-like images) of
    the sources, outputs and targets: a stroke-thickness check of the domain switch.
    """
    back = map_in_batches(lambda batch: model.inverse_generator(batch, training=False), outputs, 256)
    ink = {name: float(np.mean(batch > 0)) for name, batch in (("sources", sources), ("outputs", outputs),
                                                                ("targets", targets))}
    return {"cycle_l1": float(np.mean(np.abs(back - sources))), "ink": ink}


def upscale_factor(sources, targets):
    """The integer factor from sources to targets of a super-resolution task, else None."""
    (height, width, channels), (target_height, target_width, target_channels) = sources.shape[1:], targets.shape[1:]
    factor = target_height // height
    same_factor = target_height == factor * height and target_width == factor * width
    return factor if factor > 1 and same_factor and channels == target_channels else None


def comparison_rows(sources, outputs, targets, count=16, bicubic=None):
    """Rows of sources, (bicubic,) each of `outputs` and targets (sources resized and given the targets' channels)."""
    shown = np.asarray(sources[:count], np.float32)
    if shown.shape[1:3] != targets.shape[1:3]:
        shown = np.kron(shown, np.ones((1, targets.shape[1] // shown.shape[1], targets.shape[2] // shown.shape[2], 1)))
    if shown.shape[-1] != targets.shape[-1]:
        shown = np.repeat(shown, targets.shape[-1], axis=-1)
    rows = [shown] + ([] if bicubic is None else [bicubic[:count]]) + [output[:count] for output in outputs]
    return np.concatenate(rows + [targets[:count]])


def write_triplets(run_dir, sources, outputs, targets, count=16, bicubic=None):
    """The run's PNG of source, (bicubic,) output and target rows."""
    path = os.path.join(run_dir, "heldout_triplets.png")
    grid = comparison_rows(sources, [outputs], targets, count, bicubic)
    images.write_png(path, images.samples_to_picture(grid, columns=count))
    return path


def score_recipe(name, classifier, real_train):
    out = os.path.join(common.RESULTS, "runs", f"{name}_{FLAGS.steps}steps" if FLAGS.steps else name)
    entry = {}
    if FLAGS.train:
        budget = {"steps": FLAGS.steps, "minutes": 0.0} if FLAGS.steps else {"cpu_minutes": FLAGS.cpu_minutes}
        _, entry["steps"], entry["train_seconds"] = common.train_recipe(name, out, **budget)
    model, recipe = load_run(out)
    entry["steps"] = int(model.step_counter.numpy())
    sources, targets, labels = held_out.heldout_examples(model, FLAGS.num, seed=FLAGS.seed)
    outputs = model.translate(sources)
    entry["heldout"] = {"dataset": paired.heldout_spec(recipe.dataset), "num": len(sources), "seed": FLAGS.seed}
    entry.update(pair_scores(outputs, targets))
    factor = upscale_factor(sources, targets)
    bicubic = None if factor is None else transforms.upscale(sources, factor).numpy()
    entry["triplets"] = write_triplets(out, sources, outputs, targets, bicubic=bicubic)
    _SHOWN[name] = (sources, outputs, targets, bicubic)
    if hasattr(model, "inverse_generator"):
        entry.update(cycle_scores(model, sources, outputs, targets))
    with_classifier = classifier is not None and targets.shape[1:] == _MNIST8K_SHAPE and labels is not None
    if with_classifier:
        entry.update(class_scores(classifier, outputs, targets, labels))
        entry["real_floor"] = metrics.domain_scores(classifier, targets, real_train[: len(targets)])["fid"]
        entry["targets"] = {key: value for key, value in class_scores(classifier, targets, targets, labels).items()
                            if key != "fid"}
    baselines = {"sources": sources if sources.shape == targets.shape else None, "bicubic": bicubic}
    for key, baseline in baselines.items():
        if baseline is not None:
            entry[key] = pair_scores(baseline, targets)
            if with_classifier:
                entry[key].update(class_scores(classifier, baseline, targets, labels))
    if with_classifier and hasattr(model, "inverse_generator") and sources.shape == targets.shape:
        task = recipe.model_options["task"]
        if task not in _DOMAIN_CLASSIFIERS:
            _DOMAIN_CLASSIFIERS[task] = domain_switch.train_classifier(real_train, task, seed=FLAGS.seed)
        entry.update(domain_switch.domain_switch_scores(*_DOMAIN_CLASSIFIERS[task], model.inverse_generator,
                                                        sources, outputs, targets))
        print(f"{name}: classified B ({task}): sources {entry['domain_b_share']['sources']:.3f}, "
              f"G(A->B) {entry['domain_b_share']['outputs']:.3f}, targets {entry['domain_b_share']['targets']:.3f}; "
              f"classified A: F(B->A) {entry['domain_a_share']['inverse_outputs']:.3f}")
    return entry


def main(_):
    common.single_threaded()
    os.makedirs(common.RESULTS, exist_ok=True)
    uses_mnist8k = any(recipes.get_recipe(name).dataset.startswith("mnist8k") for name in FLAGS.recipes)
    classifier, real_train, results = None, None, {"machine": common.machine()}
    if uses_mnist8k:
        real_train = data.load_arrays("mnist8k:train")
        classifier, results["classifier_heldout_accuracy"] = common.domain_classifier(
            os.path.join(common.RESULTS, "mnist8k_classifier.keras"), real_train, data.load_arrays("mnist8k:test"))
        real_train = real_train[0][np.random.default_rng(FLAGS.seed).permutation(len(real_train[0]))]
    for name in FLAGS.recipes:
        results[name] = score_recipe(name, classifier, real_train)
        common.write_json(FLAGS.output, results)
    if FLAGS.figure:
        sources, _, targets, bicubic = _SHOWN[FLAGS.recipes[0]]
        outputs = [_SHOWN[name][1] for name in FLAGS.recipes]
        grid = comparison_rows(sources, outputs, targets, bicubic=bicubic)
        images.write_png(FLAGS.figure, images.samples_to_picture(grid, columns=16))
        print(f"Wrote {FLAGS.figure}: rows sources, {'bicubic, ' if bicubic is not None else ''}"
              f"{', '.join(FLAGS.recipes)}, targets")


if __name__ == "__main__":
    app.run(main)
