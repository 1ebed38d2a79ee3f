"""Semantic inpainting (Yeh et al. 2017): fill a hole with the sample of a trained generator that best fits the rest.

Any trained generator whose discriminator scores samples will do; nothing
is trained. For each image:

1. the latent `z` is optimised (`projection.project_by_optimisation`, its
   restarts and Adam loop) for the contextual loss plus the perceptual loss:

       sum(W * |G(z) - x|) / sum(W) + perceptual_weight * L_G(D(G(z)))

   where `W` weighs the *known* pixels, each by the share of missing pixels
   in its `window` x `window` neighbourhood (Yeh et al.'s importance
   weighting: context next to the hole counts most, far context not at all;
   `window=None` weighs every known pixel alike), and `L_G` is the model's
   generator loss on D's score;
2. `G(z)` is blended into the hole: `"paste"` copies its pixels into the
   hole; `"poisson"` (Yeh et al.'s choice, Perez et al. 2003) keeps its
   gradients instead, solving a Poisson equation whose boundary values are
   the known pixels around the hole, so the fill meets its context without
   a seam. Known pixels are never changed.

Example:

```python
space = LatentSpace(model)                        # a trained dcgan_mnist8k, say
masks = masks_lib.masks_for_seed("rect:0.25", len(images), 28, 28)
result = semantic_inpainting(space, images, masks, blend="poisson")
result.completed                                  # images with the holes filled
```

Reference: Yeh et al., "Semantic Image Inpainting with Deep Generative
Models", CVPR 2017; Perez et al., "Poisson Image Editing", SIGGRAPH 2003.
"""

import dataclasses

import numpy as np
import tensorflow as tf

from tfgan_zoo.data import masks as masks_lib
from tfgan_zoo.latent import projection
from tfgan_zoo.utils import validation

BLENDS = ("paste", "poisson")
# Yeh et al.'s lambda (perceptual against contextual loss) and importance-weighting window.
DEFAULT_PERCEPTUAL_WEIGHT = 0.003
DEFAULT_WINDOW = 7
# Conjugate-gradient iterations of Poisson blending, per pixel of the longer side (a few times the
# grid's diameter: enough to converge to 1e-6 on the 28-96 px images tried).
_POISSON_ITERATIONS_PER_PIXEL = 8
_POISSON_TOLERANCE = 1e-10


@dataclasses.dataclass(frozen=True)
class Inpainting:
    """Completed images and how they were found.

    Attributes:
        completed: float32 `[N, H, W, C]`, the images with `generated` blended into their holes.
        generated: float32 `[N, H, W, C]`, `G(z)` of the latents found.
        masks: float32 `[N, H, W, 1]`, 1 on the missing pixels.
        latents: float32 `[N, latent_dim]`.
        contextual_loss: float64 `[N]`, the weighted L1 distance of `generated` to the known pixels.
        projection: the `projection.Projection` of the optimisation (objectives of every restart).
        settings: what was asked for (window, weights, blend, optimisation settings).
    """

    completed: np.ndarray
    generated: np.ndarray
    masks: np.ndarray
    latents: np.ndarray
    contextual_loss: np.ndarray
    projection: projection.Projection
    settings: dict


def semantic_inpainting(
    space, images, masks, labels=None, *, window=DEFAULT_WINDOW, perceptual_weight=DEFAULT_PERCEPTUAL_WEIGHT,
    blend="poisson", iterations=projection.DEFAULT_ITERATIONS, restarts=projection.DEFAULT_RESTARTS,
    learning_rate=projection.DEFAULT_LEARNING_RATE, seed=0,
):
    """Completes the missing pixels (`masks` 1) of `images` with a generator's samples (see the module docstring).

    Args:
        space: a `LatentSpace` of a trained model.
        images: `[N, H, W, C]` in [-1, 1]; what they hold on missing pixels is never read.
        masks: `[N, H, W, 1]` in [0, 1], 1 on missing pixels (`tfgan_zoo.data.masks`);
            every image needs a known pixel.
        labels: integer labels `[N]`, required by conditional models.
        window: side of the importance-weighting window (odd, >= 3), or None for uniform weights.
        perceptual_weight: weight of the generator loss on D's score (Yeh et al.'s lambda), >= 0.
        blend: `"poisson"` or `"paste"`.
        iterations, restarts, learning_rate, seed: the optimisation's, see
            `projection.project_by_optimisation`.

    Returns:
        An `Inpainting`.
    """
    validation.check_choice("blend", blend, BLENDS)
    images = projection.check_targets(space, images)
    masks = masks_lib.check_masks(masks, images.shape)
    if np.any(masks.reshape([len(masks), -1]).min(axis=1) >= 1.0):
        raise ValueError("Every image needs a known pixel to inpaint from. Received: a mask of 1 everywhere")
    weights = contextual_weights(masks, window)
    known = np.asarray(masks_lib.apply_masks(images, masks), np.float32)
    found = projection.project_by_optimisation(
        space, known, labels, iterations=iterations, restarts=restarts, learning_rate=learning_rate, seed=seed,
        feature_weight=0.0, pixel_weights=weights, pixel_norm="l1", adversarial_weight=perceptual_weight,
    )
    generated = found.reconstructions
    completed = poisson_blend(images, generated, masks) if blend == "poisson" else paste(images, generated, masks)
    settings = dict(found.settings, window=window, perceptual_weight=float(perceptual_weight), blend=blend)
    return Inpainting(completed=completed, generated=generated, masks=masks, latents=found.latents,
                      contextual_loss=contextual_loss(generated, images, weights), projection=found, settings=settings)


# === The contextual loss ===
def contextual_weights(masks, window=DEFAULT_WINDOW):
    """Importance weights `[N, H, W, 1]` of the known pixels (Yeh et al. 2017, eq. 3).

    A known pixel weighs the share of missing pixels among its neighbours in
    a `window` x `window` square (clipped at the image border); a missing
    pixel weighs 0. An image without a missing pixel next to its known ones
    gets uniform weights. `window=None`: 1 on every known pixel.
    """
    masks = np.asarray(masks, np.float32)
    known = 1.0 - masks
    if window is None:
        return known
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)) or window < 3 or window % 2 == 0:
        raise ValueError(f"window must be an odd int >= 3, or None for uniform weights. Received: window={window!r}")
    # SAME average pooling averages over the neighbours inside the image only.
    missing_share = tf.nn.avg_pool2d(masks, window, strides=1, padding="SAME").numpy()
    weights = known * missing_share
    empty = weights.reshape([len(weights), -1]).sum(axis=1) <= 0
    weights[empty] = known[empty]
    return weights


def contextual_loss(generated, images, weights):
    """Per-image weighted L1 distance `sum(W * |G(z) - x|) / sum(W)` (float64 `[N]`), `weights` `[N, H, W, 1]`."""
    difference = np.abs(np.asarray(generated, np.float64) - np.asarray(images, np.float64))
    weights = np.broadcast_to(np.asarray(weights, np.float64), difference.shape)
    return (weights * difference).reshape([len(difference), -1]).sum(axis=1) / weights.reshape(
        [len(difference), -1]).sum(axis=1)


# === Blending ===
def paste(images, generated, masks):
    """`images * (1 - masks) + generated * masks`, float32."""
    masks = np.asarray(masks, np.float32)
    return (np.asarray(images, np.float32) * (1.0 - masks) + np.asarray(generated, np.float32) * masks).astype(
        np.float32)


def poisson_blend(images, generated, masks):
    """The hole filled with the function whose Laplacian is `generated`'s and that meets the known pixels at its edge.

    Per image and channel, on the missing pixels `p` (masks > 0.5, 4-neighbourhoods
    `N(p)` inside the image), solves `sum_{q in N(p)} (f_p - f_q) = sum_{q in N(p)}
    (g_p - g_q)` with `f_q` the image's value on known neighbours (Perez et
    al.'s discrete Poisson equation, Dirichlet boundary on the known pixels),
    by conjugate gradients from `g`. Values are clipped to [-1, 1]; known pixels
    are kept.
    """
    images = np.asarray(images, np.float64)
    generated = np.asarray(generated, np.float64)
    hole = np.broadcast_to(np.asarray(masks, np.float64) > 0.5, images.shape).astype(np.float64)
    known = images * (1.0 - hole)

    def operator(values):
        # The Laplacian of the hole's values with the known ones set to 0, on the hole.
        return _laplacian(values * hole) * hole

    right = (_laplacian(generated) - _laplacian(known)) * hole
    solution = generated * hole
    residual = right - operator(solution)
    direction = residual.copy()
    energy = _per_system(residual * residual)
    for _ in range(_POISSON_ITERATIONS_PER_PIXEL * max(images.shape[1:3])):
        if energy.max() <= _POISSON_TOLERANCE:
            break
        step = operator(direction)
        curvature = _per_system(direction * step)
        alpha = np.divide(energy, curvature, out=np.zeros_like(energy), where=curvature > 0)
        solution += alpha * direction
        residual -= alpha * step
        new_energy = _per_system(residual * residual)
        beta = np.divide(new_energy, energy, out=np.zeros_like(energy), where=energy > 0)
        direction = residual + beta * direction
        energy = new_energy
    return (known + np.clip(solution, -1.0, 1.0) * hole).astype(np.float32)


def _laplacian(values):
    """`sum_{q in N(p)} (x_p - x_q)` over the 4-neighbours inside the image, for `[N, H, W, C]`."""
    padded = np.pad(values, [(0, 0), (1, 1), (1, 1), (0, 0)], mode="edge")
    neighbours = padded[:, :-2, 1:-1] + padded[:, 2:, 1:-1] + padded[:, 1:-1, :-2] + padded[:, 1:-1, 2:]
    return 4.0 * values - neighbours


def _per_system(values):
    """Sums over the pixels of each image and channel (one linear system each), kept as `[N, 1, 1, C]`."""
    return values.sum(axis=(1, 2), keepdims=True)
