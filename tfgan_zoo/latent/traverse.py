"""Per-dimension traversals: one latent coordinate swept over a range, the others held."""

import numpy as np

from tfgan_zoo.latent.interpolation import check_indices
from tfgan_zoo.utils import validation

# Sweeps cover three standard deviations of N(0, 1), or all of U[0, 1).
DEFAULT_SPANS = {"normal": (-3.0, 3.0), "uniform": (0.0, 1.0)}
DEFAULT_FRAMES = 9


def traversal_values(space, frames, span=None):
    """`frames` evenly spaced values over `span` (default: the prior's `DEFAULT_SPANS`)."""
    low, high = span or DEFAULT_SPANS[space.prior]
    validation.check_int("frames", frames)
    return np.linspace(low, high, int(frames))


def traversal_latents(latent, dims, values):
    """Copies of `latent` with coordinate `dims[i]` set to each of `values`: `[len(dims), len(values), dim]`.

    Every other coordinate keeps its value exactly.
    """
    latent = np.asarray(latent, np.float32)
    bad = [dim for dim in dims if not 0 <= dim < latent.shape[-1]]
    if bad or not len(dims):
        raise ValueError(f"dims must be in [0, {latent.shape[-1]}) (and at least one). Received: dims={list(dims)}")
    sweeps = np.tile(latent, [len(dims), len(values), 1])
    for row, dim in enumerate(dims):
        sweeps[row, :, dim] = values
    return sweeps


def traversal_grid(space, latents, soft_labels, indices, dims=None, values=None):
    """For each chosen point, one row per dimension of `dims` (default all), swept over `values`.

    `values` default to `DEFAULT_FRAMES` values over the prior's `DEFAULT_SPANS`.

    Conditional models keep each point's soft label along its rows.

    Returns:
        float32 samples `[len(indices) * len(dims), len(values), *sample_shape]`.
    """
    check_indices(len(latents), indices)
    dims = list(range(space.latent_dim)) if dims is None else list(dims)
    values = traversal_values(space, DEFAULT_FRAMES) if values is None else np.asarray(values, np.float32)
    sweeps = np.concatenate([traversal_latents(latents[index], dims, values) for index in indices])
    points = sweeps.reshape([-1, space.latent_dim])
    labels = None
    if soft_labels is not None:
        labels = np.repeat(np.asarray(soft_labels, np.float32)[list(indices)], len(dims) * len(values), axis=0)
    images = space.render(points, labels)
    return images.reshape([len(indices) * len(dims), len(values), *space.sample_shape])
