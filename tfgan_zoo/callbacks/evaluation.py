"""Evaluates chosen metrics every N epochs during `fit`, into the epoch logs."""

import keras
import numpy as np

from tfgan_zoo import held_out
from tfgan_zoo.metrics import evaluation
from tfgan_zoo.utils import validation


class EvaluationCallback(keras.callbacks.Callback):
    """Scores fresh samples against fixed real data every `every_n_epochs` epochs.

    The numeric results are written into the epoch's `logs` as
    `<prefix><metric>[_<key>]` (e.g. `eval_fid`, `eval_kid_mean`), so they
    appear in the `History` and, when this callback is listed *before*
    `keras.callbacks.TensorBoard`, among its epoch scalars. Samples come
    from the sampling generator (EMA when present) with `training=False`,
    with the same seed every time, so changes between epochs come from the
    model and not from new noise. Real features are computed once.

    Args:
        metrics: Metric names or a comma-separated string (see
            `tfgan_zoo.metrics.evaluation.METRICS`).
        real: Real reference samples `[N, ...]` (for the FID and its floor,
            at least twice `num_samples`).
        real_labels: Labels of `real`, for conditional metrics.
        feature_network: A `FeatureNetwork`, a domain classifier
            `keras.Model` or a callable; may be None for 2-D points.
        every_n_epochs: Evaluate after epochs N, 2N, ...
        num_samples: Generated samples per evaluation.
        seed: Seed of the latents and of the metrics' randomness.
        mixture: A `tfgan_zoo.data.Mixture`, for the `mixture` metric.
        prefix: Prefix of the log keys.

    Example:
        >>> callback = EvaluationCallback("fid,kid", real_images, feature_network=classifier,
        ...                               every_n_epochs=5, num_samples=2000)
        >>> model.fit(dataset, epochs=50, callbacks=[callback, keras.callbacks.TensorBoard(logdir)])
    """

    def __init__(
        self, metrics, real, *, real_labels=None, feature_network=None, every_n_epochs=1,
        num_samples=1000, seed=0, mixture=None, prefix="eval_",
    ):
        super().__init__()
        self.metric_names = evaluation.parse_metric_names(metrics)
        validation.check_int("every_n_epochs", every_n_epochs)
        validation.check_int("num_samples", num_samples)
        self.real = np.asarray(real)
        self.real_labels = real_labels
        self.feature_network = evaluation.resolve_feature_network(feature_network)
        self.every_n_epochs = every_n_epochs
        self.num_samples = num_samples
        self.seed = seed
        self.mixture = mixture
        self.prefix = prefix
        self._real_cache = {}

    def evaluate_now(self):
        """Samples from the model and returns the full report (dict)."""
        labels = self.model.balanced_labels(self.num_samples)
        generated = held_out.generate(self.model, self.num_samples, labels=labels, seed=self.seed)
        inputs = evaluation.EvaluationInputs(
            generated=generated, real=self.real, real_labels=self.real_labels, requested_labels=labels,
            feature_network=self.feature_network, model=self.model, mixture=self.mixture, seed=self.seed,
        )
        return evaluation.evaluate(self.metric_names, inputs, real_cache=self._real_cache)

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every_n_epochs or logs is None:
            return
        logs.update(evaluation.scalar_logs(self.evaluate_now(), self.prefix))
