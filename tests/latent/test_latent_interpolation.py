"""Interpolation paths and grids: exact endpoints, slerp's norm, uniform priors, soft labels."""

import keras
import numpy as np
import pytest

from conftest import tiny_gan
from tfgan_zoo.latent import LatentSpace, interpolation


def test_lerp_and_slerp_give_the_endpoints_exactly():
    rng = np.random.default_rng(0)
    start, end = rng.normal(size=(2, 7)).astype(np.float32)
    for path in (interpolation.lerp(start, end, interpolation.fractions(5)),
                 interpolation.slerp(start, end, interpolation.fractions(5))):
        assert path.shape == (5, 7)
        assert np.array_equal(path[0].astype(np.float32), start) and np.array_equal(path[-1].astype(np.float32), end)


def test_slerp_keeps_the_norm_of_equal_norm_endpoints_and_lerp_does_not():
    rng = np.random.default_rng(1)
    start, end = rng.normal(size=(2, 64))
    end *= np.linalg.norm(start) / np.linalg.norm(end)
    steps = interpolation.fractions(11)
    np.testing.assert_allclose(np.linalg.norm(interpolation.slerp(start, end, steps), axis=1), np.linalg.norm(start))
    # Two independent 64-d draws are nearly orthogonal: the chord's midpoint has about 0.7 of their norm.
    assert np.linalg.norm(interpolation.lerp(start, end, steps)[5]) < 0.8 * np.linalg.norm(start)


def test_slerp_turns_at_constant_angular_speed():
    start, end = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    path = interpolation.slerp(start, end, interpolation.fractions(4))
    np.testing.assert_allclose(np.arctan2(path[:, 1], path[:, 0]), np.linspace(0, np.pi / 2, 4), atol=1e-12)


@pytest.mark.parametrize("end_scale", [2.0, -3.0], ids=["parallel", "antiparallel"])
def test_slerp_of_parallel_vectors_is_linear(end_scale):
    start = np.array([1.0, -2.0, 0.5])
    steps = interpolation.fractions(5)
    path = interpolation.slerp(start, end_scale * start, steps)
    np.testing.assert_allclose(path, interpolation.lerp(start, end_scale * start, steps))
    assert np.all(np.isfinite(path))


def test_interpolation_grid_rows_start_and_end_at_the_chosen_samples():
    model = tiny_gan(ema_decay=0.9)
    space = LatentSpace(model)
    latents, soft_labels = space.seed_grid(6, seed=2)
    samples = model.generate(6, seed=2)
    for method in interpolation.METHODS:
        path = interpolation.latent_path(space, latents[1], latents[4], 6, method)
        assert np.array_equal(path[0], latents[1]) and np.array_equal(path[-1], latents[4])
        grid = interpolation.interpolation_grid(space, latents, soft_labels, [(1, 4), (5, 0)], 6, method)
        assert grid.shape == (2, 6, 8, 8, 1)
        # Exact latents; the images may differ in the last bit, as batches of other sizes round differently.
        for row, (start, end) in enumerate([(1, 4), (5, 0)]):
            np.testing.assert_allclose(grid[row, 0], samples[start], rtol=0, atol=1e-6)
            np.testing.assert_allclose(grid[row, -1], samples[end], rtol=0, atol=1e-6)
        assert np.abs(grid[0, 1] - grid[0, 0]).max() > 1e-4


def test_uniform_prior_paths_stay_in_the_unit_box_with_exact_endpoints():
    space = LatentSpace(tiny_gan(latent_prior="uniform"))
    latents, _ = space.seed_grid(2)
    for method in interpolation.METHODS:
        path = interpolation.latent_path(space, latents[0], latents[1], 7, method)
        assert path.min() >= 0.0 and path.max() <= 1.0
        assert np.array_equal(path[0], latents[0]) and np.array_equal(path[-1], latents[1])
    # About the box's centre, slerp of two points equidistant from it keeps that distance.
    centre = np.full(4, 0.5, np.float32)
    start, end = centre + [0.2, 0, 0, 0], centre + [0, 0.2, 0, 0]
    path = interpolation.latent_path(space, start, end, 5, "slerp")
    np.testing.assert_allclose(np.linalg.norm(path - centre, axis=1), 0.2, rtol=1e-6)


def test_conditional_paths_blend_the_label_and_end_at_both_samples():
    model = tiny_gan(num_classes=3)
    space = LatentSpace(model)
    latents, soft_labels = space.seed_grid(6)
    samples = model.generate(6)  # balanced labels 0, 1, 2, 0, 1, 2
    grid = interpolation.interpolation_grid(space, latents, soft_labels, [(0, 4)], 5, "lerp")
    np.testing.assert_allclose(grid[0, 0], samples[0], rtol=0, atol=1e-6)
    np.testing.assert_allclose(grid[0, -1], samples[4], rtol=0, atol=1e-6)
    assert np.abs(grid[0, 2] - grid[0, 0]).max() > 1e-4


def test_label_grid_draws_each_latent_in_every_class_and_blends_between():
    model = tiny_gan(num_classes=3)
    space = LatentSpace(model)
    latents, _ = space.seed_grid(4)
    grid = interpolation.label_grid(space, latents, [1, 3])
    assert grid.shape == (2, 3, 8, 8, 1)
    for klass in range(3):
        expected = model.generate(latent=latents[[1, 3]], labels=np.full(2, klass, np.int32))
        np.testing.assert_allclose(grid[:, klass], expected, atol=1e-6)
    blended = interpolation.label_grid(space, latents, [1], frames=3)
    assert blended.shape == (1, 5, 8, 8, 1)
    np.testing.assert_allclose(blended[0, ::2], grid[0], atol=1e-6)


def test_bad_arguments_name_the_value():
    space = LatentSpace(tiny_gan())
    latents, soft_labels = space.seed_grid(4)
    with pytest.raises(ValueError, match=r"indices=\[1, 9\]"):
        interpolation.interpolation_grid(space, latents, soft_labels, [(1, 9)], 3)
    with pytest.raises(ValueError, match="method='cubic'"):
        interpolation.latent_path(space, latents[0], latents[1], 3, "cubic")
    with pytest.raises(ValueError, match="frames=1"):
        interpolation.fractions(1)
    with pytest.raises(ValueError, match="num_classes=None"):
        interpolation.label_grid(space, latents, [0])
    with pytest.raises(ValueError, match="label=2"):
        space.seed_grid(4, label=2)


def test_generators_that_embed_their_label_draw_whole_classes_only():
    from tfgan_zoo import models, networks

    latent, label = keras.Input((4,), name="latent"), keras.Input((), dtype="int32", name="label")
    features = keras.layers.Concatenate()([latent, keras.layers.Embedding(3, 2)(label)])
    image = keras.layers.Reshape((8, 8, 1))(keras.layers.Dense(64, activation="tanh")(features))
    discriminator = networks.dcgan_discriminator((8, 8, 1), num_classes=3, base_filters=4)
    model = models.GAN(keras.Model([latent, label], image), discriminator, num_classes=3)
    space = LatentSpace(model)
    assert not space.blends_labels
    latents, soft_labels = space.seed_grid(3)
    np.testing.assert_allclose(space.render(latents, soft_labels), model.generate(3), atol=1e-6)
    with pytest.raises(ValueError, match="blended soft labels"):
        interpolation.interpolation_grid(space, latents, soft_labels, [(0, 1)], 3)


def test_generators_of_images_from_images_are_refused():
    from tfgan_zoo import models, networks

    source = keras.Input((8, 8, 1), name="source")
    translator = keras.Model(source, keras.layers.Conv2D(1, 3, padding="same", activation="tanh")(source))
    model = models.GAN(translator, networks.dcgan_discriminator((8, 8, 1), base_filters=4))
    with pytest.raises(ValueError, match=r"first input shape \(None, 8, 8, 1\)"):
        LatentSpace(model)
