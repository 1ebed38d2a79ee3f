"""Semantic inpainting: the contextual loss, its optimisation through `projection`, blending."""

import numpy as np
import pytest

from conftest import tiny_gan
from test_latent_projection import tiny_vae
from tfgan_zoo.data import masks as masks_lib
from tfgan_zoo.latent import LatentSpace, inpainting, projection

SHAPE = (8, 8, 1)


def _generated_targets(space, count=3, seed=5):
    return space.render(*space.seed_grid(count, seed=seed))


# === The contextual loss ===
def test_contextual_weights_count_missing_neighbours_of_known_pixels():
    masks = np.zeros((1, 5, 5, 1), np.float32)
    masks[0, 2, 2] = 1.0
    weights = inpainting.contextual_weights(masks, window=3)[0, ..., 0]
    # The centre is missing (weight 0); its 8 neighbours see 1 missing pixel among 9.
    expected = np.zeros((5, 5), np.float32)
    expected[1:4, 1:4] = 1.0 / 9.0
    expected[2, 2] = 0.0
    np.testing.assert_allclose(weights, expected, rtol=1e-6)
    # At the border the window is clipped to the image: 1 missing among the 6 pixels inside it.
    corner = np.zeros((1, 5, 5, 1), np.float32)
    corner[0, 0, 0] = 1.0
    assert inpainting.contextual_weights(corner, window=3)[0, 0, 1, 0] == pytest.approx(1.0 / 6.0)
    np.testing.assert_array_equal(inpainting.contextual_weights(masks, window=None), 1.0 - masks)
    # No hole: every pixel weighs alike.
    np.testing.assert_array_equal(inpainting.contextual_weights(np.zeros_like(masks)), 1.0)


def test_pixel_weights_make_the_optimisation_blind_to_unweighted_pixels():
    space = LatentSpace(tiny_gan())
    targets = _generated_targets(space, 2)
    masks = masks_lib.masks_for_seed("rect:0.4", 2, 8, 8)
    # Without D's features of the whole target, which would see the hole.
    options = dict(iterations=20, restarts=2, seed=1, pixel_weights=1.0 - masks, pixel_norm="l1", feature_weight=0.0)
    first = projection.project_by_optimisation(space, targets * (1 - masks) + 0.9 * masks, **options)
    second = projection.project_by_optimisation(space, targets * (1 - masks) - 0.7 * masks, **options)
    np.testing.assert_array_equal(first.latents, second.latents)
    assert first.settings["pixel_norm"] == "l1" and first.settings["pixel_weights"]


def test_latent_optimisation_reduces_the_contextual_loss():
    space = LatentSpace(tiny_gan())
    targets = _generated_targets(space)
    masks = masks_lib.masks_for_seed("free:0.3", 3, 8, 8, seed=2)
    result = inpainting.semantic_inpainting(space, targets, masks, iterations=150, restarts=3, seed=1,
                                            perceptual_weight=0.0)
    weights = inpainting.contextual_weights(masks)
    starts = space.render(space.model.latent_for_seed(9, 1)).reshape([3, 3, *SHAPE])
    start_losses = np.stack([inpainting.contextual_loss(start, targets, weights) for start in starts])
    # Without the perceptual term the objective is the contextual loss, at the start and at the end.
    np.testing.assert_allclose(result.projection.initial_objectives, start_losses, rtol=1e-4)
    assert np.all(result.contextual_loss < 0.2 * start_losses.min(axis=0))
    np.testing.assert_allclose(result.contextual_loss, result.projection.objectives.min(axis=0), rtol=1e-4)
    np.testing.assert_allclose(result.generated, space.render(result.latents), atol=1e-6)


@pytest.mark.parametrize("blend", inpainting.BLENDS)
def test_completed_images_keep_the_known_pixels(blend):
    space = LatentSpace(tiny_gan())
    images = np.random.default_rng(0).uniform(-1, 1, (2, *SHAPE)).astype(np.float32)
    masks = masks_lib.masks_for_seed("rect:0.3", 2, 8, 8)
    result = inpainting.semantic_inpainting(space, images, masks, iterations=5, restarts=1, blend=blend)
    np.testing.assert_array_equal(result.completed * (1 - masks), images * (1 - masks))
    assert result.settings["blend"] == blend and result.settings["perceptual_weight"] == 0.003
    assert result.settings["adversarial_weight"] == 0.003 and result.settings["feature_weight"] == 0.0
    if blend == "paste":
        np.testing.assert_array_equal(result.completed * masks, result.generated * masks)


# === Blending ===
def test_poisson_blending_keeps_the_sample_gradients_and_meets_the_context():
    rng = np.random.default_rng(1)
    images = rng.uniform(-0.5, 0.5, (3, 12, 12, 2)).astype(np.float32)
    masks = masks_lib.masks_for_seed("free:0.3", 3, 12, 12)
    # A sample that differs from the image by a constant: same gradients, so Poisson recovers the image.
    np.testing.assert_allclose(inpainting.poisson_blend(images, images + 0.3, masks), images, atol=1e-5)
    # Paste keeps the offset.
    assert np.abs(inpainting.paste(images, images + 0.3, masks) - images).max() == pytest.approx(0.3)
    blended = inpainting.poisson_blend(images, rng.uniform(-1, 1, images.shape), masks)
    np.testing.assert_array_equal(blended * (1 - masks), images * (1 - masks))
    assert blended.min() >= -1.0 and blended.max() <= 1.0


# === Arguments ===
def test_bad_arguments_are_refused():
    space = LatentSpace(tiny_gan())
    images = np.zeros((2, *SHAPE), np.float32)
    masks = masks_lib.masks_for_seed("rect:0.3", 2, 8, 8)
    with pytest.raises(ValueError, match="Received: blend='blur'"):
        inpainting.semantic_inpainting(space, images, masks, blend="blur")
    with pytest.raises(ValueError, match=r"masks must have shape \[2, 8, 8, 1\]"):
        inpainting.semantic_inpainting(space, images, masks[:1])
    with pytest.raises(ValueError, match="needs a known pixel"):
        inpainting.semantic_inpainting(space, images, np.ones_like(masks))
    with pytest.raises(ValueError, match="Received: window=4"):
        inpainting.semantic_inpainting(space, images, masks, window=4)
    with pytest.raises(ValueError, match="Received: adversarial_weight=-1"):
        inpainting.semantic_inpainting(space, images, masks, perceptual_weight=-1)
    with pytest.raises(ValueError, match="does not score samples.*adversarial_weight=0.003"):
        inpainting.semantic_inpainting(LatentSpace(tiny_vae()), images, masks, iterations=1)
    with pytest.raises(ValueError, match="Received: pixel_norm='l3'"):
        projection.project_by_optimisation(space, images, pixel_norm="l3", iterations=1)
    with pytest.raises(ValueError, match="positive sum for every image"):
        projection.project_by_optimisation(space, images, pixel_weights=-(1 - masks), iterations=1)
    with pytest.raises(ValueError, match=r"must broadcast to the images' shape"):
        projection.project_by_optimisation(space, images, pixel_weights=np.ones((3, 8, 8, 1)), iterations=1)
