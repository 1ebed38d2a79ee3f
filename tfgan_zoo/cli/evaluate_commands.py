"""`tfgan-zoo evaluate` and `tfgan-zoo train-classifier` (examples in the command functions' docstrings)."""

import json
import os

from absl import flags

from tfgan_zoo.cli import evaluate_summary
from tfgan_zoo.cli.flags import FLAGS, command, fit_verbose, require, shows_progress

flags.DEFINE_string(
    "metrics", None,
    "evaluate: comma-separated metric names (see tfgan_zoo.metrics.evaluation.METRICS); "
    "default: all that fit the samples.",
)
flags.DEFINE_string(
    "samples", None, "evaluate: an .npz of samples (x uint8 or float in [-1, 1], optional y labels) instead of --run."
)
flags.DEFINE_string(
    "classifier", None,
    "evaluate: the feature network, a domain classifier .keras or InceptionV3 .h5 weights; default: "
    "<run>/classifier.keras (or classifier.keras beside --out), trained on --dataset when missing. "
    "synthesize: a .keras classifier (logits) that filters the samples.",
)
flags.DEFINE_integer("epochs", None, "train-classifier / evaluate: epochs of domain classifier training (default 20).")

_DEFAULT_EPOCHS = 20
# Float images saved from [-1, 1] models may overshoot by round-off.
_RANGE_SLACK = 1e-3
CLASSIFIER_NAME = "classifier.keras"


def _as_float_images(array):
    """uint8 images scaled to [-1, 1]; any other array as float32."""
    return array.astype("float32") / 127.5 - 1.0 if array.dtype == "uint8" else array.astype("float32")


def _read_samples(path):
    """`(x, y, targets)` of an npz: uint8 images scaled to [-1, 1], floats kept."""
    import numpy as np

    if not os.path.isfile(path):
        raise ValueError(f"The samples file does not exist. Received: --samples={path!r}")
    with np.load(path) as arrays:
        if "x" not in arrays:
            raise ValueError(
                f"The samples file needs an array 'x'. Received: keys {sorted(arrays)} in --samples={path!r}"
            )
        x = _as_float_images(arrays["x"])
        y = arrays["y"].astype(np.int32) if "y" in arrays else None
        targets = _as_float_images(arrays["target"]) if "target" in arrays else None
    if x.ndim == 4 and x.size and (x.min() < -1.0 - _RANGE_SLACK or x.max() > 1.0 + _RANGE_SLACK):
        raise ValueError(
            "Float images in the samples file must lie in [-1, 1] (or be uint8). "
            f"Received: values in [{x.min():.3g}, {x.max():.3g}] in --samples={path!r}"
        )
    if y is not None and y.shape != (len(x),):
        raise ValueError(f"'y' must hold one label per sample, shape ({len(x)},). Received: y.shape={y.shape}")
    return x, y, targets


def _generated(model):
    """`(generated, labels, targets)`: `--num` samples, or for an image-to-image model its translations of
    `--num` held-out sources (chosen by `--seed`) with their targets, for L1/PSNR/SSIM."""
    from tfgan_zoo import held_out
    from tfgan_zoo.models.image_to_image import ImageToImageModel

    if isinstance(model, ImageToImageModel):
        sources, targets, _ = held_out.heldout_examples(model, FLAGS.num, FLAGS.seed or 0)
        return model.translate(sources), None, targets
    labels = model.balanced_labels(FLAGS.num, FLAGS.label)
    return model.generate(FLAGS.num, labels=labels, seed=FLAGS.seed or 0), labels, None


def _feature_network(dataset, cache_dir, transform, sample_shape):
    """The feature network and what is known about it (path, held-out accuracy)."""
    from tfgan_zoo.metrics import classifier, dataset_classifier, evaluation

    if FLAGS.classifier:
        network = evaluation.load_feature_network(FLAGS.classifier)
        return network, {"path": FLAGS.classifier, **dataset_classifier.read_facts(FLAGS.classifier)}
    path = os.path.join(cache_dir, CLASSIFIER_NAME)
    epochs = FLAGS.epochs or _DEFAULT_EPOCHS
    if not os.path.exists(path) and shows_progress():
        print(f"Training a domain classifier on {dataset} for {epochs} epochs: the feature network of FID, KID and "
              f"PRD (saved as {path}, reused next time; --classifier gives another)", flush=True)
    model, facts = dataset_classifier.load_or_train_classifier(
        path, dataset, sample_shape=sample_shape, epochs=epochs, verbose=fit_verbose(), **transform
    )
    return classifier.classifier_network(model), {"path": path, **facts}


@command("run", "samples", "dataset", "out", "metrics", "num", "seed", "label", "classifier", "epochs")
def command_evaluate():
    """Score a run's samples (or an .npz of them) against real data: FID, KID, PRD, ..., in a JSON report.

    The default feature network is a classifier trained on the dataset (saved in the run, reused).

    Examples:
      tfgan-zoo evaluate --run=runs/dcgan_shapes --num=2000 --out=report.json --metrics=fid,kid,prd
      tfgan-zoo evaluate --run=runs/pix2pix --num=500 --out=report.json --metrics=l1,psnr,ssim
      tfgan-zoo evaluate --samples=samples.npz --dataset=mnist8k --out=report.json
    """
    import numpy as np

    from tfgan_zoo import data, saved_runs
    from tfgan_zoo.data.spec import parse_spec
    from tfgan_zoo.metrics import dataset_classifier, evaluation, plots

    require(out=FLAGS.out)
    if (FLAGS.run is None) == (FLAGS.samples is None):
        raise ValueError(
            f"Give exactly one of --run and --samples. Received: --run={FLAGS.run!r} --samples={FLAGS.samples!r}"
        )
    # Names are checked before any slow work so that a typo fails at once.
    names = evaluation.parse_metric_names(FLAGS.metrics) if FLAGS.metrics else None
    model, targets = None, None
    if FLAGS.run:
        model, recipe = saved_runs.load_run(FLAGS.run)
        dataset, cache_dir = FLAGS.dataset or recipe.dataset, FLAGS.run
        generated, labels, targets = _generated(model)
    else:
        require(dataset=FLAGS.dataset)
        dataset, cache_dir = FLAGS.dataset, os.path.dirname(os.path.abspath(FLAGS.out))
        generated, labels, targets = _read_samples(FLAGS.samples)

    info = data.info(dataset)
    transform = dataset_classifier.real_transform(generated, info)
    limit = 2 * len(generated) if dataset.startswith("tfds:") else None
    real, real_labels = data.load_arrays(dataset, limit=limit, **transform)
    points = generated.ndim == 2
    needs_network = not points and (names is None or any(
        name in evaluation.FEATURE_METRICS + evaluation.PROBABILITY_METRICS for name in names
    ))
    network, network_facts = (
        _feature_network(dataset, cache_dir, transform, generated.shape[1:]) if needs_network else (None, {})
    )
    parsed = parse_spec(dataset)
    mixture = data.MIXTURES.get(parsed.target) if parsed.kind == "gen" else None
    if names is None:
        names = evaluation.default_metrics(
            points=points, conditional=labels is not None,
            has_probabilities=bool(network and network.has_probabilities),
            # An image-to-image model's discriminator judges pairs, not the lone images the histogram feeds it.
            has_model=model is not None and getattr(model, "has_discriminator", True) and model.latent_dim is not None,
            has_targets=targets is not None,
        )
    inputs = evaluation.EvaluationInputs(
        generated=generated, real=real, real_labels=real_labels, requested_labels=labels,
        feature_network=network, model=model, mixture=mixture, targets=targets, seed=FLAGS.seed or 0,
    )
    report = evaluation.evaluate(names, inputs)
    stem = os.path.splitext(FLAGS.out)[0]
    written = plots.write_report_plots(report, stem, info.class_names)
    report["meta"] = {
        "source": {"run": FLAGS.run} if FLAGS.run else {"samples": FLAGS.samples},
        "dataset": dataset, "num_generated": len(generated), "num_real_pool": len(real),
        "seed": FLAGS.seed or 0, "metrics": names,
        "feature_network": None if network is None else {"name": network.name, **network_facts},
        "plots": written,
    }
    os.makedirs(os.path.dirname(os.path.abspath(FLAGS.out)), exist_ok=True)
    with open(FLAGS.out, "w") as handle:
        json.dump(report, handle, indent=2, default=lambda value: np.asarray(value).tolist())
    if network is not None:
        print(evaluate_summary.feature_network_line(network, network_facts))
    for line in evaluate_summary.score_lines(evaluation.scalar_logs({k: v for k, v in report.items() if k != "meta"})):
        print(line)
    warning = evaluate_summary.poor_feature_space_warning(network_facts)
    if warning:
        print(warning)
    print(f"Wrote {FLAGS.out}" + (f" and {len(written)} plots" if written else ""))


@command("dataset", "out", "epochs", "seed")
def command_train_classifier():
    """Train a domain classifier (a feature network for evaluate) and report its held-out accuracy.

    Example:
      tfgan-zoo train-classifier --dataset=mnist8k --out=mnist8k_classifier.keras --epochs=20
    """
    from tfgan_zoo.metrics import dataset_classifier

    require(dataset=FLAGS.dataset, out=FLAGS.out)
    if not FLAGS.out.endswith(".keras"):
        raise ValueError(f"The classifier file must end in .keras. Received: --out={FLAGS.out!r}")
    model, facts = dataset_classifier.train_classifier_on_dataset(
        FLAGS.dataset, epochs=FLAGS.epochs or _DEFAULT_EPOCHS, seed=FLAGS.seed or 0, verbose=fit_verbose()
    )
    dataset_classifier.save_classifier(model, facts, FLAGS.out)
    print(
        f"Held-out accuracy {facts['heldout_accuracy']:.4f} on {facts['heldout']} images "
        f"(trained on {facts['train']}); saved {FLAGS.out}"
    )


COMMANDS = {"evaluate": command_evaluate, "train-classifier": command_train_classifier}
