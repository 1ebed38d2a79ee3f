"""Paths between points of a latent space: linear and spherical interpolation, and their sample grids."""

import numpy as np

from tfgan_zoo.utils import validation

METHODS = ("lerp", "slerp")
# Below this sine of the angle two vectors count as parallel, where slerp's
# great circle is undefined (antiparallel) or numerically unstable (parallel).
_PARALLEL_SINE = 1e-6
# The centre of U[0, 1)^d, about which a uniform prior's latents turn.
_UNIFORM_CENTRE = 0.5


def fractions(frames):
    """`frames` evenly spaced fractions from 0 to 1, both included."""
    if isinstance(frames, bool) or not isinstance(frames, (int, np.integer)) or frames < 2:
        raise ValueError(f"frames must be an int >= 2 (both endpoints are drawn). Received: frames={frames!r}")
    return np.linspace(0.0, 1.0, int(frames))


def lerp(start, end, fractions):
    """`(1 - t) * start + t * end` for each fraction `t`: float64 rows `[len(fractions), dim]`.

    Written with both weights, so `t = 0` and `t = 1` give the endpoints
    exactly (`start + t * (end - start)` can miss `end` by a rounding).
    """
    start, end = np.asarray(start, np.float64), np.asarray(end, np.float64)
    t = np.asarray(fractions, np.float64)[:, None]
    return (1.0 - t) * start + t * end


def slerp(start, end, fractions):
    """Spherical interpolation: constant angular speed along the great circle from `start` to `end`.

    `sin((1 - t) w) / sin(w) * start + sin(t w) / sin(w) * end`, `w` the
    angle between the vectors. Between vectors of equal norm every point
    keeps that norm, which linear interpolation does not: the midpoint of two
    typical draws of a high-dimensional normal prior has about 0.7 times
    their norm, a region the generator rarely saw in training. Parallel
    and antiparallel vectors (no unique great circle) are interpolated
    linearly. Float64 rows `[len(fractions), dim]`; `t = 0` and `t = 1` give
    the endpoints exactly.

    Reference: White, "Sampling Generative Networks", 2016; Shoemake,
    "Animating Rotation with Quaternion Curves", SIGGRAPH 1985.
    """
    start, end = np.asarray(start, np.float64), np.asarray(end, np.float64)
    norms = np.linalg.norm(start) * np.linalg.norm(end)
    if norms == 0.0:
        return lerp(start, end, fractions)
    angle = np.arccos(np.clip(np.dot(start, end) / norms, -1.0, 1.0))
    sine = np.sin(angle)
    if sine < _PARALLEL_SINE:
        return lerp(start, end, fractions)
    t = np.asarray(fractions, np.float64)[:, None]
    return np.sin((1.0 - t) * angle) / sine * start + np.sin(t * angle) / sine * end


def latent_path(space, start, end, frames, method="slerp"):
    """`frames` latents from `start` to `end` (both included) in `space`'s prior.

    Spherical paths turn about the prior's centre: the origin for the normal
    prior, `(0.5, ..., 0.5)` for the uniform one (about the origin, slerp
    would swing all-positive uniform latents around the wrong point); they
    are then clipped into [0, 1], the uniform prior's support. Linear paths
    between points of the support stay inside it.
    """
    validation.check_choice("method", method, METHODS)
    steps = fractions(frames)
    if method == "lerp":
        return space.to_support(lerp(start, end, steps))
    centre = _UNIFORM_CENTRE if space.prior == "uniform" else 0.0
    # In float64, shifting a float32 latent by 0.5 and back is exact (for values
    # above 2**-29; uniform draws are multiples of 2**-23): the endpoints stay exact.
    start, end = np.asarray(start, np.float64), np.asarray(end, np.float64)
    return space.to_support(slerp(start - centre, end - centre, steps) + centre)


def interpolation_grid(space, latents, soft_labels, pairs, frames, method="slerp"):
    """One row per `(a, b)` in `pairs`: samples from point `a` to point `b` of `latents` / `soft_labels`.

    Conditional models move the soft label linearly from `a`'s to `b`'s
    along the same path, so each row starts at sample `a` and ends at sample
    `b` exactly; between points of the same class it stays in that class.

    Args:
        space: a `LatentSpace`.
        latents: `[num, latent_dim]`, e.g. from `space.seed_grid`.
        soft_labels: `[num, num_classes]`, or `None` for unconditional models.
        pairs: `(start index, end index)` pairs.
        frames: samples per row, endpoints included.
        method: `"slerp"` or `"lerp"` for the latents.

    Returns:
        float32 samples `[len(pairs), frames, *sample_shape]`.
    """
    check_indices(len(latents), [index for pair in pairs for index in pair])
    path_latents, path_labels = [], []
    for start, end in pairs:
        path_latents.append(latent_path(space, latents[start], latents[end], frames, method))
        if soft_labels is not None:
            path_labels.append(lerp(soft_labels[start], soft_labels[end], fractions(frames)))
    images = space.render(np.concatenate(path_latents), np.concatenate(path_labels) if path_labels else None)
    return images.reshape([len(pairs), frames, *space.sample_shape])


def label_grid(space, latents, indices, frames=2):
    """Each chosen latent held while its soft label walks through every class in order (conditional models).

    With `frames=2` a row is the latent drawn in each class (the usual
    conditional-GAN figure); larger `frames` add `frames - 2` blends between
    each class and the next.

    Returns:
        float32 samples `[len(indices), (num_classes - 1) * (frames - 1) + 1, *sample_shape]`.
    """
    if space.num_classes is None:
        raise ValueError("A label grid needs a conditional model. Received: a model with num_classes=None")
    check_indices(len(latents), indices)
    classes = np.eye(space.num_classes, dtype=np.float32)
    steps = fractions(frames)
    # Consecutive legs share their endpoint class; each leg after the first drops it.
    walk = np.concatenate(
        [lerp(classes[k], classes[k + 1], steps)[(1 if k else 0):] for k in range(space.num_classes - 1)]
    )
    row_latents = np.repeat(np.asarray(latents, np.float32)[list(indices)], len(walk), axis=0)
    images = space.render(row_latents, np.tile(walk, [len(indices), 1]))
    return images.reshape([len(indices), len(walk), *space.sample_shape])


def check_indices(num, indices):
    """Raises unless every index names one of `num` points."""
    bad = [index for index in indices if not 0 <= index < num]
    if bad or not len(indices):
        raise ValueError(f"Sample indices must be in [0, {num}) (and at least one). Received: indices={list(indices)}")
