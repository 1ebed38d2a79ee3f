"""Latent arithmetic, traversals and edits: identities, what moves, the figures."""

import re

import numpy as np
import pytest

from conftest import tiny_gan
from tfgan_zoo.latent import LatentSpace, arithmetic, editing, figures, traverse


def test_parse_expression_reads_signed_groups():
    terms = arithmetic.parse_expression("3,5 - 9,4+1")
    assert [(term.sign, term.indices) for term in terms] == [(1, (3, 5)), (-1, (9, 4)), (1, (1,))]
    for bad in ("", "3,,5", "3-", "+3", "a-b", "3*4"):
        with pytest.raises(ValueError, match=re.escape(f"expression={bad!r}")):
            arithmetic.parse_expression(bad)


def test_combine_averages_each_group_and_applies_the_signs():
    latents = np.arange(12, dtype=np.float32).reshape(4, 3)
    latent, soft_label = arithmetic.combine(latents, None, arithmetic.parse_expression("0,2-1+3"))
    np.testing.assert_allclose(latent, (latents[0] + latents[2]) / 2 - latents[1] + latents[3])
    assert soft_label is None


@pytest.mark.parametrize("num_classes", [None, 3], ids=["unconditional", "conditional"])
def test_arithmetic_of_identical_latents_returns_the_same_image(num_classes):
    model = tiny_gan(num_classes=num_classes)
    space = LatentSpace(model)
    latents, soft_labels = space.seed_grid(6, seed=1)
    terms = arithmetic.parse_expression("4,4-4+4")
    latent, soft_label = arithmetic.combine(latents, soft_labels, terms)
    assert np.array_equal(latent.astype(np.float32), latents[4])
    assert soft_label is None or np.array_equal(soft_label, soft_labels[4])
    rows = arithmetic.arithmetic_rows(space, latents, soft_labels, terms, variants=3)
    sample = model.generate(6, seed=1)[4]
    assert [len(row) for row in rows] == [3, 2, 2, 3]
    # The same input in a batch of another size may round differently in the last bit (oneDNN).
    np.testing.assert_allclose(rows[-1][0], sample, rtol=0, atol=1e-6)
    np.testing.assert_allclose(rows[0][-1], sample, rtol=0, atol=1e-6)  # the mean of one point repeated
    assert np.abs(rows[-1][1] - sample).max() > 1e-4  # the variants are jittered


def test_uniform_prior_arithmetic_stays_in_the_unit_box():
    space = LatentSpace(tiny_gan(latent_prior="uniform"))
    latents = np.array([[1.0, 1.0, 0.0, 0.5], [0.0, 0.0, 1.0, 0.5], [1.0, 0.9, 0.1, 0.5]], np.float32)
    latent, _ = arithmetic.combine(latents, None, arithmetic.parse_expression("0-1+2"))
    assert latent.max() > 1.0 and latent.min() < 0.0
    rendered = arithmetic.render_variants(space, latent, None, 1, 0.0, 0)
    np.testing.assert_array_equal(rendered, space.render(np.clip(latent, 0, 1)[None]))


def test_traversal_changes_only_the_chosen_dimension():
    latent = np.array([0.3, -1.2, 0.8, 2.0], np.float32)
    values = np.linspace(-3, 3, 5)
    sweeps = traverse.traversal_latents(latent, [2, 0], values)
    assert sweeps.shape == (2, 5, 4)
    for row, dim in enumerate([2, 0]):
        np.testing.assert_allclose(sweeps[row, :, dim], values)
        others = [index for index in range(4) if index != dim]
        np.testing.assert_array_equal(sweeps[row][:, others], np.tile(latent[others], [5, 1]))
    with pytest.raises(ValueError, match=r"dims=\[4\]"):
        traverse.traversal_latents(latent, [4], values)


def test_traversal_grid_rows_per_point_and_dimension():
    model = tiny_gan(num_classes=3)
    space = LatentSpace(model)
    latents, soft_labels = space.seed_grid(4)
    grid = traverse.traversal_grid(space, latents, soft_labels, [2, 3], dims=[1], values=[-1.0, latents[2, 1], 1.0])
    assert grid.shape == (2, 3, 8, 8, 1)
    np.testing.assert_allclose(grid[0, 1], model.generate(4)[2], atol=1e-6)
    assert traverse.traversal_values(LatentSpace(tiny_gan(latent_prior="uniform")), 3).tolist() == [0.0, 0.5, 1.0]


def test_edit_strip_moves_along_a_dimension_or_an_expression():
    model = tiny_gan()
    space = LatentSpace(model)
    latents, soft_labels = space.seed_grid(4)
    direction = editing.parse_direction(space, latents, soft_labels, "dim:1")
    np.testing.assert_array_equal(direction.latent, [0, 1, 0, 0])
    amounts = editing.strengths(direction, 3)
    assert amounts.tolist() == [-2.0, 0.0, 2.0]
    strip = editing.edit_strip(space, latents[0], None, direction, amounts)
    np.testing.assert_allclose(strip[1], model.generate(4)[0], rtol=0, atol=1e-6)
    np.testing.assert_allclose(strip[2], space.render(latents[:1] + [[0, 2, 0, 0]])[0], atol=1e-6)
    towards = editing.parse_direction(space, latents, soft_labels, "1-0")
    np.testing.assert_allclose(editing.edit_strip(space, latents[0], None, towards, [1.0])[0],
                               model.generate(4)[1], atol=1e-5)
    with pytest.raises(ValueError, match="dim=7"):
        editing.parse_direction(space, latents, soft_labels, "dim:7")


def test_conditional_expression_directions_move_the_class():
    model = tiny_gan(num_classes=3)
    space = LatentSpace(model)
    latents, soft_labels = space.seed_grid(3)  # classes 0, 1, 2
    direction = editing.expression_direction(latents, soft_labels, "2-0")
    np.testing.assert_allclose(direction.soft_label, [-1, 0, 1])
    moved = editing.edit_strip(space, latents[0], soft_labels[0], direction, [1.0])
    np.testing.assert_allclose(moved[0], model.generate(3)[2], atol=1e-5)


def test_rows_picture_pads_short_rows_with_black_tiles():
    rows = [np.ones((3, 4, 4, 1), np.float32), np.ones((1, 4, 4, 1), np.float32)]
    picture = figures.rows_picture(rows)
    assert picture.shape == (2 * 5 + 1, 3 * 5 + 1, 1)
    assert picture[1:5, 1:5].min() == 255 and picture[6:10, 6:10].max() == 0
    with pytest.raises(ValueError, match=r"\(2, 3\)"):
        figures.rows_picture([np.zeros((2, 3))])
