"""Generated data: Gaussian mixtures and the shapes images."""

import time

import numpy as np
import pytest

from tfgan_zoo import data
from tfgan_zoo.data import shapes
from tfgan_zoo.data.mixtures import MIXTURES


@pytest.mark.parametrize("name, num_modes, sigma", [("ring8", 8, 0.01), ("grid25", 25, 0.05)])
def test_mixture_points_match_their_modes(name, num_modes, sigma):
    x, y = data.load_arrays(f"gen:{name}")
    assert x.shape == (100_000, 2) and x.dtype == np.float32
    assert y.dtype == np.int32 and set(np.unique(y)) == set(range(num_modes))
    centers = MIXTURES[name].centers
    assert MIXTURES[name].sigma == sigma
    counts = np.bincount(y)
    assert counts.min() > 0.8 * 100_000 / num_modes
    for mode in range(num_modes):
        points = x[y == mode]
        np.testing.assert_allclose(points.mean(axis=0), centers[mode], atol=5 * sigma / 60)
        np.testing.assert_allclose(points.std(axis=0), sigma, rtol=0.1)
    description = data.info(f"gen:{name}")
    assert description.shape == (2,) and description.kind == "points"
    assert description.num_classes == num_modes


def test_mixture_centres_follow_the_definition():
    ring = MIXTURES["ring8"].centers
    np.testing.assert_allclose(ring[0], [1.0, 0.0])
    np.testing.assert_allclose(np.linalg.norm(ring, axis=1), 1.0)
    grid = MIXTURES["grid25"].centers
    assert sorted(set(grid[:, 0])) == [-4, -2, 0, 2, 4] and len({tuple(c) for c in grid}) == 25


def test_mixture_data_ignores_the_shuffle_seed():
    a, _ = data.load_arrays("gen:ring8:500")
    b, _ = data.load_arrays("gen:ring8:500")
    np.testing.assert_array_equal(a, b)
    test_points, _ = data.load_arrays("gen:ring8:500", split="test")
    assert not np.array_equal(a, test_points)


def test_render_shapes_is_fast_and_well_formed():
    start = time.perf_counter()
    images, factors = shapes.render_shapes(10_000, 32, seed=0)
    assert time.perf_counter() - start < 5.0
    assert images.shape == (10_000, 32, 32, 3) and images.dtype == np.uint8
    assert set(factors) == {"shape", "colour", "size", "x", "y"}
    counts = np.bincount(factors["shape"], minlength=3)
    assert counts.min() >= 0.9 * counts.max()
    assert factors["size"].min() >= 0.35 and factors["size"].max() <= 0.70
    half = factors["size"] / 2
    assert np.all(factors["x"] - half >= 0) and np.all(factors["x"] + half <= 1)
    # Every image shows exactly one saturated colour on black.
    lit = images.reshape(len(images), -1, 3).max(axis=2) > 0
    assert lit.any(axis=1).all()
    assert set(np.unique(images)) == {0, 255}


def test_squares_have_exactly_their_colour_inside_and_black_outside():
    size = 40
    images, factors = shapes.render_shapes(60, size, seed=11)
    squares = np.flatnonzero(factors["shape"] == 0)[:5]
    assert len(squares) == 5
    centres = (np.arange(size) + 0.5) / size
    for i in squares:
        half = float(factors["size"][i]) / 2
        inside_cols = np.abs(centres - float(factors["x"][i])) < half
        inside_rows = np.abs(centres - float(factors["y"][i])) < half
        inside = inside_rows[:, None] & inside_cols[None, :]
        colour = shapes.COLOURS[factors["colour"][i]]
        assert np.all(images[i][inside] == colour)
        assert np.all(images[i][~inside] == 0)
        # Side length in pixels agrees with the size factor.
        assert abs(inside_cols.sum() - factors["size"][i] * size) <= 1


def test_circles_and_triangles_fit_their_boxes():
    size = 48
    images, factors = shapes.render_shapes(30, size, seed=2)
    for i in range(30):
        rows, cols = np.nonzero(images[i].max(axis=2))
        extent = factors["size"][i] * size
        centre_x, centre_y = factors["x"][i] * size, factors["y"][i] * size
        assert cols.min() >= centre_x - extent / 2 - 1 and cols.max() <= centre_x + extent / 2
        assert rows.min() >= centre_y - extent / 2 - 1 and rows.max() <= centre_y + extent / 2
        if factors["shape"][i] == 2:
            # The triangle widens from apex to base.
            assert np.sum(rows == rows.max()) > np.sum(rows == rows.min())


def test_shapes_spec_renders_at_the_requested_size():
    x, y = data.load_arrays("gen:shapes:90", image_size=28)
    assert x.shape == (90, 28, 28, 3)
    assert set(np.unique(x)) == {-1.0, 1.0}
    assert np.bincount(y).tolist() == [30, 30, 30]
    description = data.info("gen:shapes")
    assert description.shape == (32, 32, 3) and description.num_examples == 10_000
    assert description.class_names == ("square", "circle", "triangle")


def test_render_shapes_rejects_bad_arguments():
    with pytest.raises(ValueError, match="num=0"):
        shapes.render_shapes(0)
    with pytest.raises(ValueError, match="image_size=4"):
        shapes.render_shapes(5, image_size=4)
