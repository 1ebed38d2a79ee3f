"""The measurement of every bound a recipe can declare (`recipes.expectations.BOUND_KINDS`).

Image bounds use the project's domain classifier of the recipe's dataset,
trained and cached as `tfgan-zoo evaluate` does (held-out split, the same
real pool cut into two disjoint halves, FID beside its real-vs-real floor).
Stacked MNIST reads each channel with the mnist8k classifier; the shapes'
bound reads shape and colour with an attribute classifier trained on real
renders; codes, encoders and classifiers are read on held-out data
(`verification.learned`). A `Scorer` trains these once and shares them across seeds.
"""

import os

import numpy as np

from tfgan_zoo import data, held_out
from tfgan_zoo.data import stacked
from tfgan_zoo.data.spec import parse_spec
from tfgan_zoo.verification import learned

# Which evaluation each bound needs.
_DOMAIN = ("fid", "classes", "min_class_share", "label_accuracy")
_MIXTURE = ("modes", "high_quality", "reverse_kl")
_STACKED = ("stacked_modes", "stacked_reverse_kl")
_SHAPES = ("shape_colour_share", "min_shape_share")
STACKED_SPEC = "stacked_mnist8k"
# Samples are drawn from this latent seed (the training seed varies).
SAMPLE_SEED = 7
CLASSIFIER_EPOCHS = 20
ATTRIBUTE_EPOCHS = 3


def check_bounds(recipe, names):
    """Raises a ValueError naming the recipe and the bound when its data cannot give a bound's metric."""
    parsed = parse_spec(recipe.dataset)
    generator = parsed.target if parsed.kind == "gen" else None
    for name in names:
        reason = None
        if name in _MIXTURE and generator not in data.MIXTURES:
            reason = "it needs a 2-D mixture dataset (gen:ring8, gen:grid25)"
        elif name in _STACKED and generator != STACKED_SPEC:
            reason = f"it needs the Stacked MNIST dataset (gen:{STACKED_SPEC})"
        elif name in _SHAPES and generator != "shapes":
            reason = "it needs the generated shapes (gen:shapes)"
        elif name in _DOMAIN and (generator in data.MIXTURES or generator == STACKED_SPEC):
            reason = "it needs a labelled image dataset with a domain classifier"
        elif name in _DOMAIN and not data.info(recipe.dataset).num_classes:
            reason = "the dataset has no labels to train the domain classifier on"
        elif name == "label_accuracy" and not recipe.conditional:
            reason = "the recipe is unconditional, so no label is requested"
        elif name in learned.BOUNDS:
            reason = learned.unmeasurable_reason(recipe, name)
        if reason:
            raise ValueError(
                f"Recipe {recipe.name!r} cannot be verified against bound {name!r}: {reason}. "
                f"Received: dataset={recipe.dataset!r}, conditional={recipe.conditional}"
            )


def stacked_channel_probabilities(network, generated):
    """`[N, 3, 10]`: each channel of Stacked MNIST samples read as a digit by `network` (`classifier_network`)."""
    return np.stack([network.outputs(generated[..., channel:channel + 1]).probabilities for channel in range(3)],
                    axis=1)


def stacked_mode_histogram(digits):
    """How many samples fall in each of the 1,000 modes, from their `[N, 3]` channel digits."""
    return np.bincount(stacked.mode_of_channels(digits), minlength=stacked.NUM_MODES)


class Scorer:
    """Measures the bounds of one recipe on trained models, sharing classifiers and real data.

    Args:
        recipe: the recipe verified (its dataset and size).
        work_dir: where the classifiers are cached (`classifier.keras`,
            `attributes.keras`, `mnist8k_classifier.keras`).
        num_samples: generated samples per model.
        smoke: train the classifiers for one epoch (for tests).
    """

    def __init__(self, recipe, work_dir, *, num_samples, smoke=False):
        self.recipe = recipe
        self.work_dir = work_dir
        self.num_samples = num_samples
        self.epochs = 1 if smoke else CLASSIFIER_EPOCHS
        self.attribute_epochs = 1 if smoke else ATTRIBUTE_EPOCHS
        self.facts = {}
        self._real_cache = {}
        self._networks = {}
        self._learned = learned.LearnedScorer(recipe, baseline_epochs=1 if smoke else learned.BASELINE_EPOCHS)

    def measure(self, model, names, samples=None):
        """`{bound: value}` for a trained `model`; also fills `self.facts` (feature networks, FID floor).

        `samples`: `(generated, labels)` from `self.samples(model)`, when the caller needs them too.
        """
        values = {}
        if all(name in learned.BOUNDS for name in names):
            samples = (None, None)
        generated, labels = samples if samples is not None else self.samples(model)
        if any(name in _DOMAIN for name in names):
            values.update(self._domain(generated, labels, names))
        if any(name in _MIXTURE for name in names):
            values.update(self._mixture(generated))
        if any(name in _STACKED for name in names):
            values.update(self._stacked(generated))
        if any(name in _SHAPES for name in names):
            values.update(self._shapes(generated))
        if any(name in learned.BOUNDS for name in names):
            values.update(self._learned.measure(model, names))
            self.facts.update(self._learned.facts)
        return {name: values[name] for name in names}

    def samples(self, model):
        """The generated images every bound is measured on, and the labels they were asked for (or None)."""
        labels = model.balanced_labels(self.num_samples)
        return held_out.generate(model, self.num_samples, labels=labels, seed=SAMPLE_SEED), labels

    # === Bounds on the domain classifier ===
    def _domain(self, generated, labels, names):
        from tfgan_zoo.metrics import evaluation

        network, real, real_labels = self.domain_references(generated)
        wanted = ["fid", "class_histogram"] + (["label_accuracy"] if "label_accuracy" in names else [])
        inputs = evaluation.EvaluationInputs(
            generated=generated, real=real, real_labels=real_labels, requested_labels=labels, feature_network=network,
        )
        report = evaluation.evaluate(wanted, inputs, real_cache=self._real_cache)
        self.facts["real_vs_real_floor"] = float(report["real_vs_real_floor"])
        histogram = report["class_histogram"]
        values = {"fid": float(report["fid"]), "classes": int(histogram["modes_covered"]),
                  "min_class_share": float(min(histogram["generated"]))}
        if "label_accuracy" in report:
            values["label_accuracy"] = float(report["label_accuracy"])
        return values

    def domain_references(self, generated):
        """The classifier network and the real pool, at the generated images' size (as `evaluate`)."""
        if "domain" not in self._networks:
            from tfgan_zoo.metrics import classifier, dataset_classifier

            transform = dataset_classifier.real_transform(generated, data.info(self.recipe.dataset))
            path = os.path.join(self.work_dir, "classifier.keras")
            model, facts = dataset_classifier.load_or_train_classifier(
                path, self.recipe.dataset, sample_shape=generated.shape[1:], epochs=self.epochs, **transform)
            self.facts["domain_classifier"] = {"path": path, **facts}
            real, real_labels = data.load_arrays(self.recipe.dataset, **transform)
            self._networks["domain"] = (classifier.classifier_network(model), real, real_labels)
        return self._networks["domain"]

    # === 2-D mixtures ===
    def _mixture(self, generated):
        from tfgan_zoo.metrics import mixtures

        mixture = data.MIXTURES[parse_spec(self.recipe.dataset).target]
        report = mixtures.mixture_metrics(generated, mixture.centers, mixture.sigma)
        return {"modes": report["modes_covered"], "high_quality": report["high_quality_share"],
                "reverse_kl": report["reverse_kl"]}

    # === Stacked MNIST ===
    def _stacked(self, generated):
        from tfgan_zoo.metrics import mixtures

        digits = stacked_channel_probabilities(self._digit_network(), generated).argmax(-1)
        histogram = stacked_mode_histogram(digits)
        return {"stacked_modes": int(np.count_nonzero(histogram)),
                "stacked_reverse_kl": mixtures.reverse_kl_to_uniform(histogram)}

    def _digit_network(self):
        if "digits" not in self._networks:
            from tfgan_zoo.metrics import classifier, dataset_classifier

            path = os.path.join(self.work_dir, "mnist8k_classifier.keras")
            model, facts = dataset_classifier.load_or_train_classifier(path, "mnist8k", epochs=self.epochs)
            self.facts["digit_classifier"] = {"path": path, **facts}
            self._networks["digits"] = classifier.classifier_network(model)
        return self._networks["digits"]

    # === Generated shapes ===
    def _shapes(self, generated):
        from tfgan_zoo.metrics import attributes, scores

        probabilities = attributes.attribute_probabilities(self._attribute_classifier(generated.shape[1:]), generated)
        shapes = scores.class_statistics(probabilities["shape"])["class_histogram"]
        return {"shape_colour_share": attributes.share_confident(probabilities), "min_shape_share": min(shapes)}

    def _attribute_classifier(self, sample_shape):
        if "attributes" not in self._networks:
            from tfgan_zoo.data import captions
            from tfgan_zoo.metrics import attributes, dataset_classifier

            path = os.path.join(self.work_dir, "attributes.keras")
            counts = {name: captions.ATTRIBUTES[name] for name in ("shape", "colour")}
            image_size = sample_shape[0]
            if os.path.exists(path):
                model = dataset_classifier.load_cached_classifier(path, sample_shape)
            else:
                images, _, labels = captions.captioned_arrays(image_size=image_size, combinations="all")
                model = attributes.train_attribute_classifier(images, labels, counts, epochs=self.attribute_epochs)
                model.save(path)
            test_images, _, test_labels = captions.captioned_arrays(
                split="test", image_size=image_size, combinations="all")
            accuracy = attributes.agreement(model, test_images, test_labels)
            self.facts["attribute_classifier"] = {
                "path": path,
                "heldout_accuracy": accuracy["all"],
                "heldout_confident_share": attributes.confident_share(model, test_images),
            }
            self._networks["attributes"] = model
        return self._networks["attributes"]
