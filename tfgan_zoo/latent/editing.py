"""Editing a point of the latent space by moving it along a direction (e.g. a projected real image)."""

import dataclasses
import re

import numpy as np

from tfgan_zoo.latent import arithmetic
from tfgan_zoo.utils import validation

# Default strengths: a dimension moves by up to two prior standard deviations
# either way (half the width of U[0, 1) for the uniform prior); an expression's
# vector is added from -1 to 1 times.
_DIMENSION_REACH = {"normal": 2.0, "uniform": 0.5}
_EXPRESSION_REACH = 1.0


@dataclasses.dataclass(frozen=True)
class Direction:
    """A vector to move points along: a latent part and, for conditional models, a soft-label part.

    Attributes:
        latent: float64 `[latent_dim]`.
        soft_label: float64 `[num_classes]`, or `None` for unconditional models.
        reach: the default largest strength either way.
        name: how the direction was given, for reports.
    """

    latent: np.ndarray
    soft_label: np.ndarray | None
    reach: float
    name: str


def dimension_direction(space, dim):
    """The unit vector of latent coordinate `dim` (soft labels do not move)."""
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)) or not 0 <= dim < space.latent_dim:
        raise ValueError(f"The direction's dimension must be in [0, {space.latent_dim}). Received: dim={dim!r}")
    latent = np.zeros([space.latent_dim])
    latent[dim] = 1.0
    soft_label = None if space.num_classes is None else np.zeros([space.num_classes])
    return Direction(latent, soft_label, _DIMENSION_REACH[space.prior], f"dim:{dim}")


def expression_direction(latents, soft_labels, expression):
    """The vector of an arithmetic expression over points, e.g. `"3,5-9,4"`: mean(3, 5) - mean(9, 4).

    For conditional models its soft-label part moves the class too (the
    difference of two classes' points moves from one class to the other).
    """
    latent, soft_label = arithmetic.combine(latents, soft_labels, arithmetic.parse_expression(expression))
    return Direction(latent, soft_label, _EXPRESSION_REACH, expression)


def parse_direction(space, latents, soft_labels, text):
    """A direction from its command-line form: `dim:K` or an arithmetic expression of sample indices."""
    match = re.fullmatch(r"dim:(\d+)", text.strip())
    if match:
        return dimension_direction(space, int(match.group(1)))
    return expression_direction(latents, soft_labels, text)


def strengths(direction, frames):
    """`frames` strengths from `-reach` to `reach` (an odd count includes 0, the point itself)."""
    validation.check_int("frames", frames)
    return np.linspace(-direction.reach, direction.reach, int(frames))


def edit_strip(space, latent, soft_label, direction, amounts):
    """Samples of the point moved by each of `amounts` times `direction`: `[len(amounts), *sample_shape]`.

    Uniform latents are clipped into [0, 1] after the move.
    """
    amounts = np.asarray(amounts, np.float64)[:, None]
    latents = space.to_support(np.asarray(latent, np.float64) + amounts * direction.latent)
    soft_labels = None
    if soft_label is not None:
        soft_labels = np.asarray(soft_label, np.float64) + amounts * direction.soft_label
    return space.render(latents, soft_labels)
