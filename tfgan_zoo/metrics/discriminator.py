"""How well the discriminator separates real from generated samples.

The histograms of D's outputs on both sets show whether D wins (two
separated humps), has been fooled (overlapping humps) or collapsed. The AUC
is threshold-free; the accuracy thresholds at 0, the decision boundary of
logit-output discriminators.
"""

import numpy as np

from tfgan_zoo.utils import batching, validation


def discriminator_outputs(model, samples, labels=None, *, batch_size=256):
    """One D score per sample, computed with `training=False`.

    Args:
        model: An `AdversarialModel` (anything with `discriminate`).
        samples: Samples `[N, ...]` as the discriminator takes them.
        labels: Integer labels `[N]` for conditional models, else None.
        batch_size: Samples per forward pass.

    Returns:
        Float64 array `[N]`. Outputs with more than one value per sample
        (patch discriminators) are averaged per sample.
    """
    validation.check_int("batch_size", batch_size)
    samples = np.asarray(samples, dtype=np.float32)
    labels = None if labels is None else np.asarray(labels, np.int32)

    def mean_scores(batch, batch_labels):
        output = np.asarray(model.discriminate(batch, batch_labels, training=False))
        return output.reshape(len(output), -1).mean(axis=1)

    return batching.map_in_batches(mean_scores, (samples, labels), batch_size).astype(np.float64)


def roc_auc(positive_scores, negative_scores):
    """P(positive score > negative score) + P(tie) / 2 (Mann-Whitney U / n m).

    Args:
        positive_scores: Scores of the positive class (real samples).
        negative_scores: Scores of the negative class (generated samples).

    Returns:
        The area under the ROC curve as a Python float.
    """
    positive = np.asarray(positive_scores, dtype=np.float64).ravel()
    negative = np.asarray(negative_scores, dtype=np.float64).ravel()
    if positive.size == 0 or negative.size == 0:
        raise ValueError(
            "Both score sets must be non-empty. "
            f"Received: {positive.size} positive and {negative.size} negative scores"
        )
    values, inverse = np.unique(np.concatenate([positive, negative]), return_inverse=True)
    counts = np.bincount(inverse)
    # Average rank (1-based) of each distinct value, so ties share their rank.
    average_rank = np.cumsum(counts) - (counts - 1) / 2.0
    rank_sum = average_rank[inverse[: positive.size]].sum()
    u_statistic = rank_sum - positive.size * (positive.size + 1) / 2.0
    return float(u_statistic / (positive.size * negative.size))


def discriminator_histogram(real_scores, generated_scores, *, num_bins=40):
    """Histograms of D on real and generated samples, with separation scores.

    Args:
        real_scores: D outputs on real samples `[n]`.
        generated_scores: D outputs on generated samples `[m]`.
        num_bins: Bins shared by both histograms over their joint range.

    Returns:
        A dict with `bin_edges`, `real_counts`, `generated_counts` (lists),
        `real_mean`, `generated_mean`, `auc` (1: D separates perfectly, 0.5:
        D cannot tell) and `accuracy_at_zero` (balanced accuracy of calling
        scores > 0 real).
    """
    validation.check_int("num_bins", num_bins)
    real = np.asarray(real_scores, dtype=np.float64).ravel()
    generated = np.asarray(generated_scores, dtype=np.float64).ravel()
    auc = roc_auc(real, generated)
    edges = np.histogram_bin_edges(np.concatenate([real, generated]), bins=num_bins)
    return {
        "bin_edges": edges.tolist(),
        "real_counts": np.histogram(real, edges)[0].tolist(),
        "generated_counts": np.histogram(generated, edges)[0].tolist(),
        "real_mean": float(real.mean()),
        "generated_mean": float(generated.mean()),
        "auc": auc,
        # Balanced, so that unequal set sizes do not move the number.
        "accuracy_at_zero": float(0.5 * (np.mean(real > 0) + np.mean(generated <= 0))),
    }
