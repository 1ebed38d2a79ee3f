"""The registry of metric names used by `tfgan-zoo evaluate` and the callback.

Each name maps to a function of an `Evaluator`, which holds the samples and
references and caches what several metrics share (the features of each
set, the k-NN balls). A metric returns a dict of report entries; most give
one entry under their own name, `fid` adds `real_vs_real_floor` (FID of
the two real halves) and `kid` holds its own `real_vs_real_floor`.

Real references are used as in `BENCHMARK_PROTOCOL.md`: a seeded
permutation of the real pool is cut into two disjoint halves of the same
size (the number of generated samples when the pool allows); metrics
compare the first half with the generated samples and the FID floor
compares the halves with each other.

Example:
    >>> inputs = EvaluationInputs(generated=fake, real=real,
    ...                           feature_network=classifier_network(model))
    >>> report = evaluate(["fid", "kid", "prd"], inputs)
"""

import dataclasses
import os

import numpy as np

from tfgan_zoo.metrics import discriminator, frechet, image_quality, kid, manifold, memorisation, mixtures, prd, scores
from tfgan_zoo.metrics import features as features_lib


@dataclasses.dataclass
class EvaluationInputs:
    """Everything a metric may need; unused fields stay None.

    Attributes:
        generated: Generated samples: images in [-1, 1] `[N, H, W, C]` or
            points `[N, D]`.
        real: Real reference samples of the same per-sample shape.
        real_labels: Integer labels of `real`.
        requested_labels: Labels the generator was asked for, `[N]`.
        feature_network: A `FeatureNetwork` (or callable, or a domain
            classifier `keras.Model`); points default to their coordinates.
        model: The `AdversarialModel`, for `discriminator_histogram`.
        training: Training images for `nearest_neighbour` (default: `real`).
        heldout: Real images outside the training set, for the
            `nearest_neighbour` scale.
        mixture: A `tfgan_zoo.data.Mixture` for points from a 2-D mixture.
        targets: Paired target images for `l1` / `psnr` / `ssim`.
        seed: Seed of the real halves, KID subsets and PRD clusterings.
    """

    generated: np.ndarray
    real: np.ndarray | None = None
    real_labels: np.ndarray | None = None
    requested_labels: np.ndarray | None = None
    feature_network: object = None
    model: object = None
    training: np.ndarray | None = None
    heldout: np.ndarray | None = None
    mixture: object = None
    targets: np.ndarray | None = None
    seed: int = 0


def resolve_feature_network(network):
    """A `FeatureNetwork` from a FeatureNetwork, a domain classifier model or a callable."""
    import keras

    from tfgan_zoo.metrics import classifier

    if network is None or isinstance(network, features_lib.FeatureNetwork):
        return network
    if isinstance(network, keras.Model):
        return classifier.classifier_network(network)
    return features_lib.as_feature_network(network)


def load_feature_network(path):
    """Loads a feature network file: a domain classifier `.keras` or InceptionV3 `.h5` weights.

    Raises:
        ValueError: If the file is missing or of another kind.
    """
    if not isinstance(path, str) or not os.path.isfile(path):
        raise ValueError(f"The feature network file does not exist. Received: classifier={path!r}")
    if path.endswith(".keras"):
        import keras

        from tfgan_zoo.metrics import classifier

        return classifier.classifier_network(keras.models.load_model(path))
    if path.endswith(".h5"):
        from tfgan_zoo.metrics import inception

        return inception.inception_network(path)
    raise ValueError(
        "The feature network must be a domain classifier (.keras) or InceptionV3 weights (.h5). "
        f"Received: classifier={path!r}"
    )


class Evaluator:
    """Computes registered metrics on one `EvaluationInputs`, sharing work.

    Args:
        inputs: The samples and references.
        real_cache: Optional dict kept by the caller to reuse everything that
            depends on real data only (real features, the FID floor) across
            evaluations of new samples against the same references.
    """

    def __init__(self, inputs, real_cache=None):
        self.inputs = inputs
        self.generated = np.asarray(inputs.generated)
        if self.generated.ndim < 2 or len(self.generated) < 2:
            raise ValueError(
                "`generated` must hold at least 2 samples [N, ...]. "
                f"Received: generated.shape={self.generated.shape}"
            )
        network = resolve_feature_network(inputs.feature_network)
        if network is None and self.generated.ndim == 2:
            network = features_lib.identity_network()
        self.network = network
        self._cache = {}
        self._real_cache = {} if real_cache is None else real_cache

    # === Shared pieces ===
    def require(self, metric, **values):
        """Raises naming `metric` and every input it needs that is missing."""
        missing = [name for name, value in values.items() if value is None]
        if missing:
            raise ValueError(
                f"Metric {metric!r} needs {', '.join(missing)}, which this evaluation lacks. "
                f"Received: metric={metric!r}"
            )

    def _cached(self, cache, key, compute):
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    def real_halves(self, metric):
        """Indices of two disjoint, equally large halves of the seeded real pool."""
        self.require(metric, real=self.inputs.real)

        def compute():
            count = len(self.inputs.real)
            half = min(count // 2, len(self.generated))
            if half < 2:
                raise ValueError(
                    f"Metric {metric!r} needs at least 4 real samples. Received: {count} real samples"
                )
            order = np.random.default_rng(self.inputs.seed).permutation(count)
            return order[:half], order[half:2 * half]

        return self._cached(self._real_cache, ("halves", len(self.generated)), compute)

    def outputs(self, metric, which):
        """Feature outputs of "generated", "real_a", "real_b" or "real" (both halves)."""
        self.require(metric, feature_network=self.network)
        if which == "generated":
            return self._cached(self._cache, which, lambda: self.network.outputs(self.generated))
        half_a, half_b = self.real_halves(metric)
        pool = self._cached(
            self._real_cache, ("pool", len(half_a)),
            lambda: self.network.outputs(self.inputs.real[np.concatenate([half_a, half_b])]),
        )
        rows = {"real_a": slice(0, len(half_a)), "real_b": slice(len(half_a), None), "real": slice(None)}[which]
        probabilities = None if pool.probabilities is None else pool.probabilities[rows]
        return features_lib.FeatureOutputs(pool.features[rows], probabilities)

    def probabilities(self, metric, which="generated"):
        """Class probabilities of a set; raises naming `metric` if the network has none."""
        self.require(metric, feature_network=self.network)
        features_lib.require_probabilities(self.network, metric)
        return self.outputs(metric, which).probabilities

    def matched(self, metric):
        """Real-half and generated features with equal counts (PRD, k-NN metrics)."""
        real = self.outputs(metric, "real_a").features
        return real, self.outputs(metric, "generated").features[: len(real)]

    def manifold(self, metric):
        """Improved P/R and density/coverage, computed once for both metrics."""
        return self._cached(self._cache, "manifold", lambda: manifold.manifold_metrics(*self.matched(metric)))

    def evaluate(self, names):
        """Report entries of the metrics `names` (validated), in order."""
        report = {}
        for name in parse_metric_names(names):
            report.update(METRICS[name](self))
        return report


# === Metric functions: Evaluator -> report entries ===
def _fid(ev):
    real_a = ev.outputs("fid", "real_a").features
    floor = ev._cached(
        ev._real_cache, ("floor", len(real_a)),
        lambda: frechet.frechet_distance_from_activations(real_a, ev.outputs("fid", "real_b").features),
    )
    fid = frechet.frechet_distance_from_activations(real_a, ev.outputs("fid", "generated").features)
    return {"fid": fid, "real_vs_real_floor": floor}


def _kid(ev):
    real_a = ev.outputs("kid", "real_a").features
    mean, std = kid.kernel_distance_from_activations(real_a, ev.outputs("kid", "generated").features,
                                                     seed=ev.inputs.seed)
    floor, _ = ev._cached(
        ev._real_cache, ("kid_floor", len(real_a)),
        lambda: kid.kernel_distance_from_activations(real_a, ev.outputs("kid", "real_b").features,
                                                     seed=ev.inputs.seed),
    )
    return {"kid": {"mean": mean, "std": std, "real_vs_real_floor": floor}}


def _inception_score(ev):
    mean, std = scores.inception_score(ev.probabilities("inception_score"))
    return {"inception_score": {"mean": mean, "std": std}}


def _prd(ev):
    return {"prd": prd.prd_summary(*ev.matched("prd"), seed=ev.inputs.seed)}


def _precision_recall(ev):
    results = ev.manifold("precision_recall")
    return {"precision_recall": {"precision": results["precision"], "recall": results["recall"]}}


def _density_coverage(ev):
    results = ev.manifold("density_coverage")
    return {"density_coverage": {"density": results["density"], "coverage": results["coverage"]}}


def _class_histogram(ev):
    statistics = scores.class_statistics(ev.probabilities("class_histogram"))
    real = scores.class_statistics(ev.probabilities("class_histogram", "real_a"))
    return {"class_histogram": {
        "generated": statistics["class_histogram"],
        "real": real["class_histogram"],
        "modes_covered": statistics["modes_covered"],
        "confident_share": statistics["confident_share"],
    }}


def _label_accuracy(ev):
    ev.require("label_accuracy", requested_labels=ev.inputs.requested_labels)
    return {"label_accuracy": scores.label_accuracy(ev.probabilities("label_accuracy"), ev.inputs.requested_labels)}


def _intra_fid(ev):
    ev.require("intra_fid", requested_labels=ev.inputs.requested_labels, real_labels=ev.inputs.real_labels)
    half_a, half_b = ev.real_halves("intra_fid")
    real_labels = np.asarray(ev.inputs.real_labels)[np.concatenate([half_a, half_b])]
    real = ev.outputs("intra_fid", "real").features
    generated = ev.outputs("intra_fid", "generated").features
    requested = np.asarray(ev.inputs.requested_labels)
    per_class = []
    for label in range(int(max(real_labels.max(), requested.max())) + 1):
        real_rows, generated_rows = real[real_labels == label], generated[requested == label]
        # A covariance needs two samples; a class without them is reported as None.
        enough = len(real_rows) >= 2 and len(generated_rows) >= 2
        per_class.append(frechet.frechet_distance_from_activations(real_rows, generated_rows) if enough else None)
    measured = [value for value in per_class if value is not None]
    if not measured:
        raise ValueError("Metric 'intra_fid' found no class with 2 real and 2 generated samples. Received: none")
    return {"intra_fid": {"mean": float(np.mean(measured)), "per_class": per_class}}


def _mixture(ev):
    ev.require("mixture", mixture=ev.inputs.mixture)
    mixture = ev.inputs.mixture
    return {"mixture": mixtures.mixture_metrics(ev.generated, mixture.centers, mixture.sigma)}


def _nearest_neighbour(ev):
    training = ev.inputs.training if ev.inputs.training is not None else ev.inputs.real
    ev.require("nearest_neighbour", training=training)
    report = memorisation.nearest_neighbour_report(ev.generated, training, ev.inputs.heldout)
    return {"nearest_neighbour": report}


def _discriminator_histogram(ev):
    ev.require("discriminator_histogram", model=ev.inputs.model)
    model = ev.inputs.model
    half_a, _ = ev.real_halves("discriminator_histogram")
    real_labels = None
    if model.num_classes is not None:
        ev.require("discriminator_histogram", real_labels=ev.inputs.real_labels,
                   requested_labels=ev.inputs.requested_labels)
        real_labels = np.asarray(ev.inputs.real_labels)[half_a]
    real_scores = discriminator.discriminator_outputs(model, ev.inputs.real[half_a], real_labels)
    generated_scores = discriminator.discriminator_outputs(model, ev.generated, ev.inputs.requested_labels)
    return {"discriminator_histogram": discriminator.discriminator_histogram(real_scores, generated_scores)}


def _paired(metric_function, name):
    def metric(ev):
        ev.require(name, targets=ev.inputs.targets)
        values = metric_function(ev.generated, ev.inputs.targets)
        return {name: {"mean": float(np.mean(values)), "std": float(np.std(values))}}

    return metric


METRICS = {
    "fid": _fid,
    "kid": _kid,
    "inception_score": _inception_score,
    "prd": _prd,
    "precision_recall": _precision_recall,
    "density_coverage": _density_coverage,
    "class_histogram": _class_histogram,
    "label_accuracy": _label_accuracy,
    "intra_fid": _intra_fid,
    "mixture": _mixture,
    "nearest_neighbour": _nearest_neighbour,
    "discriminator_histogram": _discriminator_histogram,
    "l1": _paired(image_quality.mean_absolute_error, "l1"),
    "psnr": _paired(image_quality.psnr, "psnr"),
    "ssim": _paired(image_quality.ssim, "ssim"),
}

# Metrics that run the feature network, and those that need its probabilities.
FEATURE_METRICS = ("fid", "kid", "prd", "precision_recall", "density_coverage", "intra_fid")
PROBABILITY_METRICS = ("inception_score", "class_histogram", "label_accuracy")


def parse_metric_names(names):
    """Validates metric names given as a list or a comma-separated string.

    Raises:
        ValueError: Naming the first unknown name, or if none is given.
    """
    if isinstance(names, str):
        names = [name.strip() for name in names.split(",") if name.strip()]
    names = list(names)
    if not names:
        raise ValueError(f"Give at least one metric. Known: {', '.join(METRICS)}. Received: metrics={names!r}")
    for name in names:
        if name not in METRICS:
            raise ValueError(f"Unknown metric {name!r}. Known: {', '.join(METRICS)}. Received: metrics={names!r}")
    return names


def default_metrics(*, points, conditional, has_probabilities, has_model, has_targets=False):
    """The metrics an evaluation computes when none are named.

    Images get the feature metrics, class metrics (when the network gives
    probabilities), conditional metrics, memorisation, D's histogram (with a
    model) and L1/PSNR/SSIM (with targets); 2-D points get the mixture metrics
    and D's histogram.
    """
    if points:
        return ["mixture"] + (["discriminator_histogram"] if has_model else [])
    names = ["fid", "kid", "prd", "precision_recall", "density_coverage"]
    if has_probabilities:
        names += ["inception_score", "class_histogram"] + (["label_accuracy"] if conditional else [])
    names += ["intra_fid"] if conditional else []
    names += ["nearest_neighbour"] + (["discriminator_histogram"] if has_model else [])
    return names + (["l1", "psnr", "ssim"] if has_targets else [])


def evaluate(names, inputs, real_cache=None):
    """Computes the metrics `names` on `inputs`; see `Evaluator`.

    Returns:
        A JSON-ready dict of report entries.
    """
    return Evaluator(inputs, real_cache).evaluate(names)


def scalar_logs(report, prefix=""):
    """Flattens the numeric scalars of a report for Keras logs.

    `{"fid": 3.0, "kid": {"mean": 0.1}}` -> `{"fid": 3.0, "kid_mean": 0.1}`;
    lists (histograms, curves) are left out.
    """
    logs = {}
    for name, value in report.items():
        if isinstance(value, dict):
            for key, inner in value.items():
                if isinstance(inner, (int, float)) and not isinstance(inner, bool):
                    logs[f"{prefix}{name}_{key}"] = float(inner)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            logs[f"{prefix}{name}"] = float(value)
    return logs
