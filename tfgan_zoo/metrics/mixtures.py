"""Mode-collapse metrics for Gaussian-mixture toy data (ring, grid).

Follows the protocol of VEEGAN and PacGAN: each generated sample is assigned
to its nearest mixture centre; it is "high quality" when it lies within a few
standard deviations of that centre. Coverage and the reverse KL divergence
are computed from the high-quality samples only.
"""

import numpy as np

from tfgan_zoo.utils import batching, validation

# Rows of samples processed at once, so that memory stays bounded for
# [num_samples, num_centers, dim] differences on large evaluations.
_CHUNK = 65536


def _nearest_centers(samples, centers):
    """Index of and Euclidean distance to the nearest centre of each sample."""
    indices = np.empty(samples.shape[0], dtype=np.int64)
    distances = np.empty(samples.shape[0], dtype=np.float64)
    for rows in batching.batch_slices(samples.shape[0], _CHUNK):
        chunk = samples[rows]
        # Explicit differences (not the |a|^2 - 2ab + |b|^2 expansion) keep
        # the distance of a sample sitting on a centre exactly zero.
        diffs = chunk[:, None, :] - centers[None, :, :]
        dist = np.sqrt(np.sum(diffs * diffs, axis=-1))
        nearest = np.argmin(dist, axis=1)
        indices[rows] = nearest
        distances[rows] = dist[np.arange(chunk.shape[0]), nearest]
    return indices, distances


def mixture_metrics(samples, centers, sigma, *, quality_sigmas=3.0):
    """Quality, mode coverage and reverse KL of samples from a mixture.

    Args:
        samples: Array-like of shape `[num_samples, dim]` (dim is 2 for the
            ring and grid benchmarks).
        centers: Array-like of shape `[num_modes, dim]`, the mixture means.
        sigma: Standard deviation of every mixture component, `> 0`.
        quality_sigmas: A sample is high quality when its distance to its
            nearest centre is `<= quality_sigmas * sigma`; must be `> 0`.

    Returns:
        A dict with
        - `high_quality_share`: share of samples that are high quality;
        - `modes_covered`: number of centres that are the nearest centre of at
          least one high-quality sample;
        - `reverse_kl`: KL(p_gen || uniform) of the nearest-mode histogram of
          the high-quality samples (natural log), `inf` when there are none;
        - `mode_histogram`: list of high-quality sample counts per centre.

    Raises:
        ValueError: If shapes are inconsistent or `sigma` / `quality_sigmas`
            are not positive.
    """
    samples = np.asarray(samples, dtype=np.float64)
    centers = np.asarray(centers, dtype=np.float64)
    if samples.ndim != 2 or samples.shape[0] < 1:
        raise ValueError(
            "`samples` must be a non-empty 2-D array of shape [num_samples, dim]. "
            f"Received: samples.shape={samples.shape}"
        )
    if centers.ndim != 2 or centers.shape[0] < 1 or centers.shape[1] != samples.shape[1]:
        raise ValueError(
            f"`centers` must have shape [num_modes, {samples.shape[1]}] to match "
            f"`samples`. Received: centers.shape={centers.shape}"
        )
    validation.check_number("sigma", sigma, "(0, inf)")
    validation.check_number("quality_sigmas", quality_sigmas, "(0, inf)")

    num_modes = centers.shape[0]
    nearest, distance = _nearest_centers(samples, centers)
    high_quality = distance <= quality_sigmas * sigma
    histogram = np.bincount(nearest[high_quality], minlength=num_modes)
    num_high_quality = int(histogram.sum())

    return {
        "high_quality_share": num_high_quality / samples.shape[0],
        "modes_covered": int(np.count_nonzero(histogram)),
        "reverse_kl": reverse_kl_to_uniform(histogram),
        "mode_histogram": [int(count) for count in histogram],
    }


def reverse_kl_to_uniform(histogram):
    """KL(p || uniform) of a mode histogram (counts per mode), natural log.

    Empty modes contribute 0; an empty histogram (no sample on any mode)
    puts no mass on the modes, so the divergence is `inf`.
    """
    histogram = np.asarray(histogram, dtype=np.float64)
    total = histogram.sum()
    if total == 0:
        return float("inf")
    p_gen = histogram[histogram > 0] / total
    # KL(p || uniform) = sum p log(p / (1/M)).
    return float(np.sum(p_gen * np.log(p_gen * len(histogram))))
