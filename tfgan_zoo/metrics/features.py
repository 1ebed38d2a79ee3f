"""Feature networks, and the metrics that run one over samples.

The middle layer of the metrics: `frechet`, `kid` and `scores` hold the math
on activations; these functions feed them the activations of a feature
network, which is injectable. A feature network is any callable mapping a
float32 batch of samples in [-1, 1] to features `[B, F]`, or to a pair
`(features [B, F], class probabilities [B, K])`; wrap it in `FeatureNetwork`
to name it and declare what it returns. `classifier.classifier_network` and
`inception.inception_network` build the two standard ones.
"""

import dataclasses
from collections.abc import Callable

import numpy as np

from tfgan_zoo.metrics import frechet, kid, scores
from tfgan_zoo.utils import batching, validation


@dataclasses.dataclass(frozen=True)
class FeatureOutputs:
    """Float64 `features [N, F]` and `probabilities [N, K]` (None if the network has none)."""

    features: np.ndarray
    probabilities: np.ndarray | None


@dataclasses.dataclass(frozen=True)
class FeatureNetwork:
    """A named feature network with batching.

    Attributes:
        function: Maps a float32 batch to features, or to `(features, probs)`
            when `has_probabilities` is True.
        name: Name written into reports.
        has_probabilities: Whether `function` also returns class probabilities
            (needed by the Inception Score and the class metrics).
        input_shape: Per-sample shape the network takes, or None for any.
        batch_size: Samples per call of `function`.
    """

    function: Callable
    name: str = "features"
    has_probabilities: bool = False
    input_shape: tuple | None = None
    batch_size: int = 256

    def __post_init__(self):
        validation.check_int("batch_size", self.batch_size)

    def outputs(self, samples):
        """Runs the network over `samples` in batches.

        Args:
            samples: Array-like `[N, ...]`, `N >= 1`.

        Returns:
            `FeatureOutputs` with float64 arrays.

        Raises:
            ValueError: If the samples do not fit `input_shape`.
        """
        samples = np.asarray(samples, dtype=np.float32)
        if samples.ndim < 2 or len(samples) < 1:
            raise ValueError(
                f"`samples` must be a non-empty batch. Received: samples.shape={samples.shape}"
            )
        if self.input_shape is not None and tuple(samples.shape[1:]) != tuple(self.input_shape):
            raise ValueError(
                f"Feature network {self.name!r} takes samples of shape {tuple(self.input_shape)}. "
                f"Received: samples.shape={samples.shape}"
            )
        outputs = batching.map_in_batches(self.function, samples, self.batch_size)
        features, probabilities = outputs if self.has_probabilities else (outputs, None)
        features = features.astype(np.float64).reshape(len(samples), -1)
        if probabilities is None:
            return FeatureOutputs(features, None)
        return FeatureOutputs(features, probabilities.astype(np.float64))


def as_feature_network(network):
    """`network` if it is a `FeatureNetwork`, else a plain callable wrapped as one."""
    if isinstance(network, FeatureNetwork):
        return network
    if not callable(network):
        raise ValueError(
            "`feature_network` must be a FeatureNetwork or a callable mapping samples to features. "
            f"Received: feature_network={network!r}"
        )
    return FeatureNetwork(network, name=getattr(network, "__name__", "features"))


def identity_network():
    """Features = the samples themselves (flattened); for 2-D points."""
    return FeatureNetwork(lambda batch: batch, name="identity")


def frechet_classifier_distance(real_samples, generated_samples, feature_network):
    """FID with any feature network (InceptionV3 for standard FID).

    Args:
        real_samples: Real samples `[N, ...]`.
        generated_samples: Generated samples `[M, ...]`.
        feature_network: A `FeatureNetwork` or a callable samples -> features.

    Returns:
        The Frechet distance as a Python float.
    """
    network = as_feature_network(feature_network)
    return frechet.frechet_distance_from_activations(
        network.outputs(real_samples).features, network.outputs(generated_samples).features
    )


def kernel_classifier_distance(real_samples, generated_samples, feature_network, **kwargs):
    """KID with any feature network; `kwargs` go to `kid.kernel_distance_from_activations`.

    Returns:
        A tuple `(mean, std)` over the subsets.
    """
    network = as_feature_network(feature_network)
    return kid.kernel_distance_from_activations(
        network.outputs(real_samples).features, network.outputs(generated_samples).features, **kwargs
    )


def classifier_score(samples, feature_network, *, splits=1):
    """Inception Score with a network that returns class probabilities.

    Returns:
        A tuple `(mean, std)` over the splits.

    Raises:
        ValueError: If the network gives no probabilities.
    """
    network = as_feature_network(feature_network)
    require_probabilities(network, "inception_score")
    return scores.inception_score(network.outputs(samples).probabilities, splits=splits)


def require_probabilities(network, metric):
    """Raises unless `network` returns class probabilities, naming `metric`."""
    if not network.has_probabilities:
        raise ValueError(
            f"Metric {metric!r} needs a feature network with class probabilities (a domain "
            f"classifier); {network.name!r} gives features only. Received: metric={metric!r}"
        )
