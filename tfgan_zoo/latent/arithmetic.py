"""Vector arithmetic on averaged latents: the DCGAN "smiling woman - neutral woman + neutral man" demonstration."""

import dataclasses
import re

import numpy as np

from tfgan_zoo.latent.interpolation import check_indices

# Half-width of the noise added to the result for its variants, in standard
# deviations of the prior: Radford et al. add U(-0.25, 0.25) to latents from
# U(-1, 1), whose standard deviation is 0.58, so about 0.4 of it.
DEFAULT_JITTER = 0.4
DEFAULT_VARIANTS = 8
_PRIOR_STD = {"normal": 1.0, "uniform": 12**-0.5}
_GROUP = r"\s*\d+(?:\s*,\s*\d+)*\s*"


@dataclasses.dataclass(frozen=True)
class Term:
    """One signed group of an expression: `sign * mean(points[indices])`."""

    sign: int
    indices: tuple


def parse_expression(text):
    """Terms of an expression such as `"3,5-9,4+1,2"`: mean(3, 5) - mean(9, 4) + mean(1, 2).

    Groups are comma-separated sample indices; `+` and `-` join them; the
    first group counts positively.
    """
    if not isinstance(text, str) or not re.fullmatch(f"{_GROUP}(?:[+-]{_GROUP})*", text):
        raise ValueError(
            "An expression is groups of comma-separated sample indices joined by + and -, e.g. '3,5-9,4+1,2'. "
            f"Received: expression={text!r}"
        )
    parts = re.split(r"([+-])", text)
    signs = [1] + [1 if operator == "+" else -1 for operator in parts[1::2]]
    return [Term(sign, tuple(int(index) for index in group.split(","))) for sign, group in zip(signs, parts[::2])]


def combine(latents, soft_labels, terms):
    """`(latent, soft_label)`: the signed sum of the terms' mean points (`soft_label` is `None` when unconditional).

    A term of one point, or of the same point repeated, contributes that point
    exactly, so `"i-i+i"` is point `i` itself.
    """
    check_indices(len(latents), [index for term in terms for index in term.indices])

    def signed_sum(points):
        points = np.asarray(points, np.float64)
        return sum(term.sign * points[list(term.indices)].mean(axis=0) for term in terms)

    return signed_sum(latents), None if soft_labels is None else signed_sum(soft_labels)


def arithmetic_rows(space, latents, soft_labels, terms, *, variants=DEFAULT_VARIANTS, jitter=DEFAULT_JITTER, seed=0):
    """The rows of the arithmetic figure, as samples.

    One row per term: its points' samples, then the sample of their mean.
    The last row: the result's sample, then `variants - 1` samples of the
    result with uniform noise of half-width `jitter` prior standard
    deviations added to its latent (Radford et al.'s Figure 7 shows nine such
    variants). Uniform latents are clipped into [0, 1]. Soft labels of
    conditional models take the same arithmetic, so averaging two classes
    blends them.

    Returns:
        A list of float32 sample arrays, one per row (rows differ in length).
    """
    rows = []
    for term in terms:
        indices = list(term.indices)
        mean_latent, mean_label = combine(latents, soft_labels, [Term(1, term.indices)])
        row_latents = np.concatenate([np.asarray(latents, np.float32)[indices], mean_latent[None]])
        row_labels = None if soft_labels is None else np.concatenate([soft_labels[indices], mean_label[None]])
        rows.append(space.render(row_latents, row_labels))
    rows.append(render_variants(space, *combine(latents, soft_labels, terms), variants, jitter, seed))
    return rows


def render_variants(space, latent, soft_label, variants, jitter, seed):
    """Samples of `latent` (the first, exact) and of `variants - 1` jittered copies of it."""
    if isinstance(variants, bool) or not isinstance(variants, int) or variants < 1:
        raise ValueError(f"variants must be an int >= 1. Received: variants={variants!r}")
    noise = np.random.default_rng(seed).uniform(-jitter, jitter, [variants, space.latent_dim])
    noise[0] = 0.0
    points = space.to_support(latent[None] + noise * _PRIOR_STD[space.prior])
    labels = None if soft_label is None else np.repeat(np.asarray(soft_label, np.float32)[None], variants, axis=0)
    return space.render(points, labels)
