"""Scores computed from classifier probabilities.

These functions take `p(y|x)` for a batch of samples, as produced by any
classifier (InceptionV3 or the project's domain classifier), and work in
float64 numpy. Running the classifier is the job of `classifier.py`.
"""

import numpy as np

from tfgan_zoo.metrics import _checks
from tfgan_zoo.utils import validation

# Softmax outputs in float32 sum to 1 only up to round-off; this tolerance
# accepts them while still catching logits passed by mistake.
_SUM_TOLERANCE = 1e-3


def _as_probabilities(probs):
    """Validates `probs` as a [N, K] row-stochastic matrix, float64."""
    probs = np.asarray(probs, dtype=np.float64)
    if probs.ndim != 2 or probs.shape[0] < 1 or probs.shape[1] < 1:
        raise ValueError(
            "`probs` must be a non-empty 2-D array of shape "
            f"[num_samples, num_classes]. Received: probs.shape={probs.shape}"
        )
    if not np.all(np.isfinite(probs)) or np.any(probs < 0.0):
        raise ValueError(
            "`probs` must hold finite, non-negative probabilities (did you pass "
            f"logits?). Received: probs.min()={np.nanmin(probs)}"
        )
    row_sums = probs.sum(axis=1)
    worst = float(np.max(np.abs(row_sums - 1.0)))
    if worst > _SUM_TOLERANCE:
        raise ValueError(
            "Each row of `probs` must sum to 1. Received: rows of `probs` "
            f"deviating from 1 by up to {worst}"
        )
    # Remove float32 round-off so the scores are exact for exact inputs.
    return probs / row_sums[:, None]


def _xlogy_ratio(p, q):
    """Elementwise p * log(p / q), with 0 where p == 0 (0 log 0 = 0)."""
    safe_p = np.where(p > 0.0, p, 1.0)
    safe_q = np.where(p > 0.0, q, 1.0)
    return np.where(p > 0.0, p * np.log(safe_p / safe_q), 0.0)


def inception_score(probs, splits=1):
    """Inception Score: exp(E_x KL(p(y|x) || p(y))), averaged over splits.

    As in Salimans et al. (2016), the samples are cut into `splits` contiguous
    parts; within each part the marginal `p(y)` is the mean of the part's
    rows, and the score of the part is the exponentiated mean KL divergence.

    Args:
        probs: Array-like of shape `[num_samples, num_classes]`; each row is a
            probability vector `p(y|x)`.
        splits: Number of parts, `1 <= splits <= num_samples`.

    Returns:
        A tuple `(mean, std)` of Python floats over the per-split scores
        (`std` is the population standard deviation, 0 for one split).

    Raises:
        ValueError: If `probs` is not a valid probability matrix or `splits`
            is out of range.
    """
    probs = _as_probabilities(probs)
    num_samples = probs.shape[0]
    validation.check_int("splits", splits)
    if splits > num_samples:
        raise ValueError(
            f"`splits` must be at most the number of samples ({num_samples}). "
            f"Received: splits={splits}"
        )
    scores = []
    for part in np.array_split(probs, splits, axis=0):
        marginal = part.mean(axis=0, keepdims=True)
        kl = _xlogy_ratio(part, marginal).sum(axis=1)
        scores.append(np.exp(kl.mean()))
    scores = np.asarray(scores)
    return float(scores.mean()), float(scores.std())


def class_statistics(probs, *, confident=0.9, mode_share=0.02):
    """Class histogram, mode coverage and confidence of classified samples.

    Args:
        probs: Array-like of shape `[num_samples, num_classes]`.
        confident: A sample is confident when its largest probability is
            strictly greater than this threshold, in `[0, 1)`.
        mode_share: A class counts as a covered mode when strictly more than
            this share of samples is assigned to it (by argmax), in `[0, 1)`.

    Returns:
        A dict with `class_histogram` (list of per-class shares of samples,
        summing to 1), `modes_covered` (int) and `confident_share` (float).

    Raises:
        ValueError: If `probs` is invalid or a threshold is out of range.
    """
    probs = _as_probabilities(probs)
    validation.check_number("confident", confident, "[0, 1)")
    validation.check_number("mode_share", mode_share, "[0, 1)")
    num_samples, num_classes = probs.shape
    predicted = np.argmax(probs, axis=1)
    shares = np.bincount(predicted, minlength=num_classes) / num_samples
    return {
        "class_histogram": [float(share) for share in shares],
        "modes_covered": int(np.sum(shares > mode_share)),
        "confident_share": float(np.mean(probs.max(axis=1) > confident)),
    }


def label_accuracy(probs, labels):
    """Share of samples whose predicted class equals the requested label.

    For conditional generators: `labels` are the classes the generator was
    asked for, `probs` what the classifier sees in the results.

    Args:
        probs: Array-like of shape `[num_samples, num_classes]`.
        labels: Integer array-like of shape `[num_samples]`, values in
            `[0, num_classes)`.

    Returns:
        The accuracy as a Python float in `[0, 1]`.

    Raises:
        ValueError: If the shapes disagree or a label is out of range.
    """
    probs = _as_probabilities(probs)
    labels = _checks.check_labels("labels", labels, *probs.shape)
    return float(np.mean(np.argmax(probs, axis=1) == labels))
