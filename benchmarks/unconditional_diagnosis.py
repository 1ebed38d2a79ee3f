"""Why an unconditional GAN scores worse than its conditional twin: pilots at equal steps, and diagnostics.

    # a pilot: the recipe with --set changes, trained single-threaded for --steps, scored like `verify`
    python benchmarks/unconditional_diagnosis.py --recipe=dcgan_mnist8k --steps=1800 --tag=lr4e4 \
        --set=g_lr=0.0004 --set=d_lr=0.0004
    # diagnostics of finished runs (each needs two checkpoints, e.g. from a pilot above)
    python benchmarks/unconditional_diagnosis.py --runs=runs/pilots/dcgan_mnist8k_lr4e4,runs/pilots/cgan_mnist8k_base

For every run it prints one JSON line:
- `fid`, `min_class_share`: as `tfgan-zoo verify` measures them (4,000 samples, the mnist8k domain
  classifier, cached in --work);
- `fid_real_with_generated_class_mix`: real images resampled with the generated class shares, against
  real: the part of FID that class imbalance alone explains;
- `class_mean_distance`: per predicted class, squared distance between the generated and the real
  class means in the classifier's feature space (how far samples sit from typical digits);
- `feature_spread`: total variance of generated features over that of real ones (below 1: samples
  crowd between the class clusters);
- `class_changed`: share of 2,000 fixed latents whose predicted class differs between the run's last
  two checkpoints (how much the latent-to-class map still moves; conditional runs keep their label).
"""

import glob
import json
import os

from absl import app, flags

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

import common  # noqa: E402
from tfgan_zoo import recipes, training  # noqa: E402
from tfgan_zoo.metrics import frechet  # noqa: E402
from tfgan_zoo.saved_runs import load_run  # noqa: E402
from tfgan_zoo.verification.measure import SAMPLE_SEED, Scorer  # noqa: E402

flags.DEFINE_string("recipe", "dcgan_mnist8k", "Recipe of a pilot (mnist8k recipes).")
flags.DEFINE_integer("steps", 1800, "Training steps of a pilot.")
flags.DEFINE_multi_string("set", [], "Recipe overrides of a pilot, field=value (repeatable).")
flags.DEFINE_string("tag", "base", "Suffix of the pilot's run folder.")
flags.DEFINE_list("runs", [], "Diagnose these finished runs instead of training a pilot.")
flags.DEFINE_string("work", os.path.join(common.RESULTS, "diagnosis"), "Pilot runs and the cached classifier.")
FLAGS = flags.FLAGS

HOP_SAMPLES = 2000


def diagnose(run_dir, model, scorer):
    """The JSON-able diagnostics of one trained model (see the module docstring)."""
    recipe = scorer.recipe
    names = ["fid", "min_class_share"] + (["label_accuracy"] if recipe.conditional else [])
    samples = scorer.samples(model)
    values = scorer.measure(model, names, samples)
    network, real, real_labels = scorer.domain_references(samples[0])
    order = np.random.default_rng(0).permutation(len(real))
    real_a, real_b = order[: scorer.num_samples], order[scorer.num_samples: 2 * scorer.num_samples]
    real_features = network.outputs(real[real_a]).features
    generated = network.outputs(samples[0])
    predicted = generated.probabilities.argmax(-1)
    shares = np.bincount(predicted, minlength=10) / len(predicted)
    rng = np.random.default_rng(1)
    other = real_labels[real_b]
    resampled = np.concatenate([rng.choice(real_b[other == label], int(round(share * len(real_b))))
                                for label, share in enumerate(shares)])
    values["fid_real_with_generated_class_mix"] = frechet.frechet_distance_from_activations(
        real_features, network.outputs(real[resampled]).features)
    values["class_mean_distance"] = [
        float(np.sum((real_features[real_labels[real_a] == label].mean(0)
                      - generated.features[predicted == label].mean(0)) ** 2)) if np.any(predicted == label) else None
        for label in range(10)]
    values["feature_spread"] = float(np.trace(np.cov(generated.features.T)) / np.trace(np.cov(real_features.T)))
    values["class_changed"] = _class_changed(run_dir, model, network)
    return values


def _class_changed(run_dir, model, network):
    """Share of fixed latents whose class differs between `model` (the newest checkpoint) and the one before."""
    import keras

    previous = glob.glob(os.path.join(run_dir, "checkpoints", "model.prev-*.keras"))
    if not previous:
        return None
    classes = []
    for checkpoint in (model, keras.models.load_model(previous[0])):
        samples = checkpoint.generate(HOP_SAMPLES, labels=checkpoint.balanced_labels(HOP_SAMPLES), seed=SAMPLE_SEED,
                                      use_ema=False)
        classes.append(network.outputs(samples).probabilities.argmax(-1))
    return float(np.mean(classes[0] != classes[1]))


def main(argv):
    del argv
    common.single_threaded()
    import tfgan_zoo.models  # noqa: F401  (registers the model classes for loading)

    os.makedirs(FLAGS.work, exist_ok=True)
    if FLAGS.runs:
        targets = [(run, *load_run(run)) for run in FLAGS.runs]
    else:
        overrides = {**recipes.parse_assignments(FLAGS.set), "steps": FLAGS.steps, "minutes": 0.0, "cpu_minutes": 0.0}
        recipe = recipes.get_recipe(FLAGS.recipe).with_overrides(overrides)
        run = os.path.join(FLAGS.work, f"{FLAGS.recipe}_{FLAGS.tag}")
        model, _ = training.train(recipe, run, verbose=0)
        targets = [(run, model, recipe)]
    for run, model, recipe in targets:
        scorer = Scorer(recipe, FLAGS.work, num_samples=4000)
        values = diagnose(run, model, scorer)
        print(json.dumps({"run": run, "steps": int(model.step_counter.numpy()), "set": FLAGS.set,
                          **{key: _rounded(value) for key, value in values.items()}}), flush=True)


def _rounded(value):
    if isinstance(value, list):
        return [None if item is None else round(item, 1) for item in value]
    return value if value is None else round(float(value), 4)


if __name__ == "__main__":
    app.run(main)
