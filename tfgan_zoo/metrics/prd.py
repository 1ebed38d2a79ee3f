"""Precision and Recall for Distributions (PRD), Sajjadi et al. (2018).

Real and generated features are clustered together with k-means; the
cluster histograms P (real, the reference) and Q (generated) are compared
along a curve of slopes lambda = tan(angle):

    precision(lambda) = sum_w min(lambda P(w), Q(w)),
    recall(lambda) = precision(lambda) / lambda.

The curve is averaged over several clusterings. F_8 summarises recall
(does the model cover the real data?) and F_1/8 precision (are its samples
realistic?), as in the paper.
"""

import numpy as np

from tfgan_zoo.metrics import _checks
from tfgan_zoo.metrics import kmeans as kmeans_lib
from tfgan_zoo.utils import validation


def prd_from_histograms(generated_dist, real_dist, *, num_angles=1001, epsilon=1e-10):
    """The PRD curve of two histograms over the same bins.

    Args:
        generated_dist: Probabilities of the generated distribution per bin.
        real_dist: Probabilities of the real (reference) distribution.
        num_angles: Points on the curve, in `[3, 1e6]`.
        epsilon: Angles run from `epsilon` to `pi/2 - epsilon`, in (0, 0.1).

    Returns:
        A tuple `(precision, recall)` of float64 arrays `[num_angles]` in [0, 1].

    Raises:
        ValueError: If the arguments are out of range.
    """
    validation.check_number("epsilon", epsilon, "(0, 0.1)")
    validation.check_int("num_angles", num_angles, minimum=3)
    if num_angles > 1e6:
        raise ValueError(f"`num_angles` must be at most 1e6. Received: num_angles={num_angles}")
    generated_dist = np.asarray(generated_dist, dtype=np.float64)
    real_dist = np.asarray(real_dist, dtype=np.float64)
    if generated_dist.ndim != 1 or generated_dist.shape != real_dist.shape:
        raise ValueError(
            "`generated_dist` and `real_dist` must be 1-D histograms over the same bins. "
            f"Received: generated_dist.shape={generated_dist.shape}, real_dist.shape={real_dist.shape}"
        )
    slopes = np.tan(np.linspace(epsilon, np.pi / 2 - epsilon, num_angles))
    precision = np.minimum(real_dist[None, :] * slopes[:, None], generated_dist[None, :]).sum(axis=1)
    recall = precision / slopes
    # Round-off pushes values just above 1 where the histograms agree.
    return np.clip(precision, 0.0, 1.0), np.clip(recall, 0.0, 1.0)


def _cluster_histograms(generated, real, num_clusters, seed):
    labels, _ = kmeans_lib.kmeans(np.concatenate([generated, real]), num_clusters, seed=seed)
    generated_hist = np.bincount(labels[: len(generated)], minlength=num_clusters) / len(generated)
    real_hist = np.bincount(labels[len(generated):], minlength=num_clusters) / len(real)
    return generated_hist, real_hist


def prd_from_activations(
    real, generated, *, num_clusters=20, num_angles=1001, num_runs=10, enforce_balance=True, seed=0
):
    """The PRD curve of two feature sets, averaged over `num_runs` clusterings.

    Args:
        real: Reference features `[n, d]`.
        generated: Generated features `[m, d]`.
        num_clusters: Clusters (histogram bins) per run.
        num_angles: Points on the curve.
        num_runs: Clusterings to average (with seeds `seed, seed + 1, ...`).
        enforce_balance: Require `n == m`; unequal counts bias the
            histograms, so the reference implementation refuses them.
        seed: Seed of the first clustering.

    Returns:
        A tuple `(precision, recall)` of float64 arrays `[num_angles]`.

    Raises:
        ValueError: If the inputs or arguments are invalid.
    """
    real, generated = _checks.matching_features(real, generated)
    validation.check_int("num_runs", num_runs)
    if enforce_balance and len(real) != len(generated):
        raise ValueError(
            "PRD needs as many generated as real samples (or enforce_balance=False). "
            f"Received: len(real)={len(real)}, len(generated)={len(generated)}"
        )
    curves = [
        prd_from_histograms(*_cluster_histograms(generated, real, num_clusters, seed + run), num_angles=num_angles)
        for run in range(num_runs)
    ]
    precision = np.mean([curve[0] for curve in curves], axis=0)
    recall = np.mean([curve[1] for curve in curves], axis=0)
    return precision, recall


def f_beta(precision, recall, beta, epsilon=1e-10):
    """F_beta = (1 + beta^2) p r / (beta^2 p + r), elementwise."""
    precision = np.asarray(precision, dtype=np.float64)
    recall = np.asarray(recall, dtype=np.float64)
    return (1 + beta**2) * precision * recall / (beta**2 * precision + recall + epsilon)


def max_f_beta_pair(precision, recall, beta=8):
    """The curve's maximum F_beta (recall-like) and F_1/beta (precision-like).

    Args:
        precision: PRD precision values.
        recall: PRD recall values, same shape.
        beta: Weight, `> 0`; the paper uses 8.

    Returns:
        A tuple `(f_beta, f_inverse_beta)` of Python floats.
    """
    validation.check_number("beta", beta, "(0, inf)")
    return (
        float(np.max(f_beta(precision, recall, beta))),
        float(np.max(f_beta(precision, recall, 1.0 / beta))),
    )


def prd_summary(real, generated, **kwargs):
    """PRD curve and its summary as a JSON-ready dict.

    Args:
        real: Reference features `[n, d]`.
        generated: Generated features `[n, d]`.
        **kwargs: Passed to `prd_from_activations`.

    Returns:
        A dict with `f_8` (recall-like), `f_1_8` (precision-like),
        `max_precision`, `max_recall` and the curve as lists `precision`,
        `recall`.
    """
    precision, recall = prd_from_activations(real, generated, **kwargs)
    f_8, f_1_8 = max_f_beta_pair(precision, recall, beta=8)
    return {
        "f_8": f_8,
        "f_1_8": f_1_8,
        "max_precision": float(precision.max()),
        "max_recall": float(recall.max()),
        "precision": precision.tolist(),
        "recall": recall.tolist(),
    }
