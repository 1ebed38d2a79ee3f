"""Streaming versions of FID, KID and the Inception Score as `keras.metrics.Metric`s.

The outer layer of the metrics: state accumulates batch by batch, so an
evaluation never holds all samples at once, and `reset_state` starts over.
`result()` hands the state to the float64 numpy cores (`frechet`, `kid`,
`scores`), so a streamed value equals the one-shot value on the same data.

- FID keeps sufficient statistics per side: count, mean and the centred sum
  of outer products, merged per batch with Chan et al.'s parallel update
  (stable where the naive sum of x x^T would cancel digits).
- The Inception Score (one split) keeps count, the sum of p(y|x) and the sum
  of p log p: E_x KL(p(y|x) || p(y)) = E_x[sum p log p] - sum p(y) log p(y).
- KID has no sufficient statistics (its subsets are random), so it stores
  the features of up to `max_samples` samples per side.

Each metric takes activations; pass `feature_network` to feed it samples
instead, which it then runs through that network.
"""

import keras
import numpy as np
from keras import ops

from tfgan_zoo.metrics import features as features_lib
from tfgan_zoo.metrics import frechet, kid, scores
from tfgan_zoo.utils import validation


class _FeatureMetric(keras.metrics.Metric):
    """Shared argument handling: optional feature network in front of the state."""

    def __init__(self, num_features, feature_network=None, name=None, **kwargs):
        super().__init__(name=name, dtype="float64", **kwargs)
        validation.check_int("num_features", num_features)
        self.num_features = num_features
        self.feature_network = (
            None if feature_network is None else features_lib.as_feature_network(feature_network)
        )

    def _outputs(self, values, name):
        """Activations (and probabilities) of a batch, as float64 numpy."""
        if self.feature_network is not None:
            return self.feature_network.outputs(values)
        array = np.asarray(values, dtype=np.float64)
        if array.ndim != 2 or array.shape[1] != self.num_features:
            raise ValueError(
                f"`{name}` must be activations [batch, {self.num_features}]. "
                f"Received: {name}.shape={array.shape}"
            )
        return features_lib.FeatureOutputs(array, None)

    def _features(self, values, name):
        features = self._outputs(values, name).features
        if features.shape[1] != self.num_features:
            raise ValueError(
                f"The feature network gives {features.shape[1]} features but the metric was built "
                f"for num_features={self.num_features}. Received: {name} of shape {np.shape(values)}"
            )
        return features

    def get_config(self):
        # A feature network is code, not config: rebuild it when reloading.
        return {**super().get_config(), "num_features": self.num_features}


class StreamingFrechetDistance(_FeatureMetric):
    """FID accumulated over batches of real and generated activations.

    Args:
        num_features: Feature dimension.
        feature_network: Optional `FeatureNetwork` or callable; when given,
            `update_state` takes samples instead of activations.
        name: Metric name.

    Example:
        >>> metric = StreamingFrechetDistance(128)
        >>> for real, fake in batches:
        ...     metric.update_state(real_features=real, generated_features=fake)
        >>> fid = metric.result()
    """

    def __init__(self, num_features, feature_network=None, name="frechet_distance", **kwargs):
        super().__init__(num_features, feature_network, name=name, **kwargs)
        self._states = {side: self._gaussian_state(side) for side in ("real", "generated")}

    def _gaussian_state(self, side):
        shapes = {"count": (), "mean": (self.num_features,), "m2": (self.num_features, self.num_features)}
        return {
            key: self.add_variable(shape=shape, initializer="zeros", dtype="float64", name=f"{side}_{key}")
            for key, shape in shapes.items()
        }

    def update_state(self, real_features=None, generated_features=None):
        """Adds a batch to either side or both (the sides need not be aligned)."""
        for side, values in (("real", real_features), ("generated", generated_features)):
            if values is not None:
                _merge_gaussian(self._states[side], self._features(values, f"{side}_features"))

    def result(self):
        statistics = []
        for side, state in self._states.items():
            count = float(state["count"].numpy())
            if count < 2:
                raise ValueError(
                    f"StreamingFrechetDistance needs at least 2 {side} samples. Received: {int(count)}"
                )
            mean = state["mean"].numpy()
            # ddof=1, as np.cov and the one-shot function use.
            statistics += [mean, state["m2"].numpy() / (count - 1)]
        return frechet.frechet_distance(*statistics)


def _merge_gaussian(state, batch):
    """Chan et al.'s update of (count, mean, M2) with a batch of rows."""
    batch = ops.convert_to_tensor(batch, dtype="float64")
    batch_count = ops.cast(ops.shape(batch)[0], "float64")
    # max(., 1) keeps an empty batch a no-op instead of 0 / 0.
    batch_mean = ops.sum(batch, axis=0) / ops.maximum(batch_count, 1.0)
    centered = batch - batch_mean
    batch_m2 = ops.matmul(ops.transpose(centered), centered)
    count = state["count"]
    total = count + batch_count
    delta = batch_mean - state["mean"]
    weight = batch_count / ops.maximum(total, 1.0)
    state["m2"].assign(state["m2"] + batch_m2 + ops.outer(delta, delta) * count * weight)
    state["mean"].assign(state["mean"] + delta * weight)
    count.assign(total)


class StreamingKernelDistance(_FeatureMetric):
    """KID over features stored batch by batch (at most `max_samples` per side).

    Args:
        num_features: Feature dimension.
        max_samples: Capacity per side; storage is `8 * max_samples *
            num_features` bytes per side.
        num_subsets: Subsets averaged by `kid.kernel_distance_from_activations`.
        subset_size: Rows per side in each subset.
        seed: Seed of the subset draws.
        feature_network: Optional network; see `StreamingFrechetDistance`.
        name: Metric name.

    `update_state` runs eagerly (it checks the capacity). `result()`
    returns `(mean, std)` over the subsets.
    """

    def __init__(
        self, num_features, max_samples=10_000, num_subsets=100, subset_size=1000, seed=0,
        feature_network=None, name="kernel_distance", **kwargs,
    ):
        super().__init__(num_features, feature_network, name=name, **kwargs)
        validation.check_int("max_samples", max_samples, minimum=2)
        self.max_samples = max_samples
        self.num_subsets = num_subsets
        self.subset_size = subset_size
        self.seed = seed
        self._buffers = {
            side: (
                self.add_variable(shape=(max_samples, num_features), initializer="zeros", dtype="float64",
                                  name=f"{side}_features"),
                self.add_variable(shape=(), initializer="zeros", dtype="int64", name=f"{side}_count"),
            )
            for side in ("real", "generated")
        }

    def update_state(self, real_features=None, generated_features=None):
        """Appends a batch to either side or both."""
        for side, values in (("real", real_features), ("generated", generated_features)):
            if values is None:
                continue
            batch = self._features(values, f"{side}_features")
            buffer, count = self._buffers[side]
            start = int(count.numpy())
            if start + len(batch) > self.max_samples:
                raise ValueError(
                    f"StreamingKernelDistance holds at most max_samples={self.max_samples} {side} samples. "
                    f"Received: {start + len(batch)} in total"
                )
            buffer.assign(ops.slice_update(buffer, (start, 0), ops.convert_to_tensor(batch, "float64")))
            count.assign(start + len(batch))

    def _stored(self, side):
        buffer, count = self._buffers[side]
        return buffer.numpy()[: int(count.numpy())]

    def result(self):
        return kid.kernel_distance_from_activations(
            self._stored("real"), self._stored("generated"),
            num_subsets=self.num_subsets, subset_size=self.subset_size, seed=self.seed,
        )

    def get_config(self):
        return {
            **super().get_config(), "max_samples": self.max_samples, "num_subsets": self.num_subsets,
            "subset_size": self.subset_size, "seed": self.seed,
        }


class StreamingInceptionScore(keras.metrics.Metric):
    """Inception Score (one split) accumulated over batches of p(y|x).

    Args:
        num_classes: Number of classes of the probabilities.
        feature_network: Optional network with probabilities; when given,
            `update_state` takes samples instead of probabilities.
        name: Metric name.

    `result()` equals `scores.inception_score(all_probs, splits=1)[0]`.
    """

    def __init__(self, num_classes, feature_network=None, name="inception_score", **kwargs):
        super().__init__(name=name, dtype="float64", **kwargs)
        validation.check_int("num_classes", num_classes)
        self.num_classes = num_classes
        self.feature_network = None
        if feature_network is not None:
            self.feature_network = features_lib.as_feature_network(feature_network)
            features_lib.require_probabilities(self.feature_network, "inception_score")
        self._count = self.add_variable(shape=(), initializer="zeros", dtype="float64", name="count")
        self._sum_probs = self.add_variable(shape=(num_classes,), initializer="zeros", dtype="float64",
                                            name="sum_probs")
        self._sum_p_log_p = self.add_variable(shape=(), initializer="zeros", dtype="float64", name="sum_p_log_p")

    def update_state(self, probs):
        """Adds a batch of probabilities `[B, num_classes]` (or samples, with a network)."""
        if self.feature_network is not None:
            probs = self.feature_network.outputs(probs).probabilities
        if np.shape(probs)[:1] == (0,):
            return  # An empty batch adds nothing (and would fail validation).
        # Validation and row normalisation exactly as the one-shot function.
        probs = scores._as_probabilities(probs)
        if probs.shape[1] != self.num_classes:
            raise ValueError(
                f"`probs` must have {self.num_classes} columns. Received: probs.shape={probs.shape}"
            )
        self._count.assign_add(float(len(probs)))
        self._sum_probs.assign_add(probs.sum(axis=0))
        self._sum_p_log_p.assign_add(float(scores._xlogy_ratio(probs, np.ones_like(probs)).sum()))

    def result(self):
        count = float(self._count.numpy())
        if count < 1:
            raise ValueError("StreamingInceptionScore has no samples yet. Received: 0 samples")
        marginal = self._sum_probs.numpy() / count
        entropy_of_marginal = -float(scores._xlogy_ratio(marginal, np.ones_like(marginal)).sum())
        mean_neg_entropy = float(self._sum_p_log_p.numpy()) / count
        return float(np.exp(mean_neg_entropy + entropy_of_marginal))

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes}
