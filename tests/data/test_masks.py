"""Inpainting masks: rectangles and free-form strokes of a set share, seeded, in tf.data and paired tasks."""

import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo.data import masks, paired, transforms


def _draw(spec, batch=32, height=28, width=28, seed=(0, 1)):
    return masks.random_masks(spec, batch, height, width, seed).numpy()


# === Coverage and shape ===
@pytest.mark.parametrize("share", [0.05, 0.25, 0.6, 0.9])
@pytest.mark.parametrize("size", [(28, 28), (32, 20)], ids=["28x28", "32x20"])
def test_masks_cover_the_configured_share(share, size):
    height, width = size
    pixels = height * width
    for kind in masks.MASK_KINDS:
        drawn = _draw(f"{kind}:{share}", height=height, width=width)
        assert drawn.shape == (32, height, width, 1) and drawn.dtype == np.float32
        assert set(np.unique(drawn)) <= {0.0, 1.0}
        covered = drawn.reshape([32, -1]).sum(axis=1)
        if kind == "free":
            # Strokes are laid down until exactly round(share * pixels) are covered.
            np.testing.assert_array_equal(covered, round(share * pixels))
        else:
            # A rectangle's area is share * pixels up to half a row of the longer side.
            assert np.abs(covered - share * pixels).max() <= max(height, width) / 2, kind


def test_a_rectangle_fills_its_bounding_box_and_strokes_do_not():
    for name, spec in (("rect", "rect:0.3"), ("free", "free:0.3")):
        filled = []
        for mask in _draw(spec)[..., 0]:
            rows, columns = np.nonzero(mask)
            box = mask[rows.min():rows.max() + 1, columns.min():columns.max() + 1]
            filled.append(box.mean())
        if name == "rect":
            np.testing.assert_array_equal(filled, 1.0)
        else:
            assert np.mean(filled) < 0.8


def test_mixed_masks_are_rectangles_or_strokes_and_every_image_differs():
    drawn = _draw("mixed:0.25", batch=64)[..., 0]
    counts = drawn.reshape([64, -1]).sum(axis=1)
    free = counts == round(0.25 * 784)
    boxes = [mask[np.ix_(np.any(mask, 1), np.any(mask, 0))].mean() for mask in drawn]
    assert 10 < free.sum() < 54 and np.mean(np.array(boxes)[~free] == 1.0) == 1.0
    # Rectangles of one size have a few hundred places, so two of 64 may coincide; strokes never do.
    assert len({mask.tobytes() for mask in drawn}) >= 60 and len({mask.tobytes() for mask in drawn[free]}) == free.sum()


# === Seeds ===
@pytest.mark.parametrize("kind", masks.MASK_KINDS)
def test_masks_are_a_pure_function_of_the_seed(kind):
    spec = f"{kind}:0.3"
    np.testing.assert_array_equal(_draw(spec, seed=(3, 4)), _draw(spec, seed=(3, 4)))
    assert np.any(_draw(spec, seed=(3, 4)) != _draw(spec, seed=(3, 5)))
    # Inside a traced tf.data map they are the same as eagerly.
    dataset = tf.data.Dataset.from_tensors(tf.constant([3, 4], tf.int64)).map(
        lambda seed: masks.random_masks(spec, 32, 28, 28, seed))
    np.testing.assert_array_equal(next(iter(dataset)).numpy(), _draw(spec, seed=(3, 4)))
    np.testing.assert_array_equal(masks.masks_for_seed(spec, 5, 28, 28, seed=2),
                                  _draw(spec, batch=5, seed=(2, masks.MASK_SEED_SALT)))


def test_apply_masks_sets_the_hole_and_keeps_the_rest():
    images = np.random.default_rng(0).uniform(-1, 1, (4, 8, 8, 3)).astype(np.float32)
    drawn = _draw("free:0.4", batch=4, height=8, width=8)
    masked = masks.apply_masks(images, drawn).numpy()
    np.testing.assert_array_equal(masked * drawn, 0.0)
    np.testing.assert_array_equal(masked * (1 - drawn), images * (1 - drawn))
    filled = masks.apply_masks(images, drawn, fill=-1.0).numpy()
    np.testing.assert_array_equal(filled[np.broadcast_to(drawn, images.shape) == 1], -1.0)


# === The inpainting task ===
def test_mask_task_pairs_masked_images_and_masks_with_the_originals():
    task = transforms.parse_task("mask:free:0.3")
    assert task.name == "mask:free:0.3" and task.seeded
    assert transforms.parse_task("mask").name == "mask:rect:0.25"
    assert task.source_shape((28, 28, 1)) == ((28, 28, 1), (28, 28, 1))
    assert task.target_shape((32, 32, 3)) == (32, 32, 3)
    images = tf.random.stateless_uniform([4, 28, 28, 1], (0, 0), -1.0, 1.0)
    (masked, drawn), target = task.pair(images, (1, 2))
    np.testing.assert_array_equal(drawn, masks.random_masks("free:0.3", 4, 28, 28, (1, 2)))
    np.testing.assert_array_equal(masked, masks.apply_masks(images, drawn))
    np.testing.assert_array_equal(target, images)
    with pytest.raises(ValueError, match="needs a seed"):
        task.pair(images)


def test_paired_mask_batches_are_seeded_by_batch_index_so_a_skip_resumes_them():
    (masked, drawn), target, labels = next(iter(paired.load_paired("mnist8k:train", "mask:rect:0.25", 8, seed=3,
                                                                   labels=True)))
    assert masked.shape == drawn.shape == target.shape == (8, 28, 28, 1) and labels.shape == (8,)
    np.testing.assert_array_equal(masked, masks.apply_masks(target, drawn))
    batches = list(paired.load_paired("mnist8k:train", "mask:free:0.25", 8, seed=3).take(4))
    resumed = next(iter(paired.load_paired("mnist8k:train", "mask:free:0.25", 8, seed=3).skip(3)))
    for expected, actual in zip(tf.nest.flatten(batches[3]), tf.nest.flatten(resumed)):
        np.testing.assert_array_equal(expected, actual)
    # Another seed, other masks.
    other = next(iter(paired.load_paired("mnist8k:train", "mask:free:0.25", 8, seed=4)))
    assert np.any(other[0][1].numpy() != batches[0][0][1].numpy())


def test_heldout_mask_pairs_are_a_function_of_the_seed():
    (masked, drawn), targets, labels = paired.heldout_pairs("mnist8k:train", "mask:free:0.25", 6, seed=2)
    assert masked.shape == drawn.shape == targets.shape == (6, 28, 28, 1) and labels.shape == (6,)
    np.testing.assert_array_equal(drawn.mean(axis=(1, 2, 3)), round(0.25 * 784) / 784)
    again = paired.heldout_pairs("mnist8k:train", "mask:free:0.25", 6, seed=2)
    np.testing.assert_array_equal(again[0][1], drawn)
    assert np.any(paired.heldout_pairs("mnist8k:train", "mask:free:0.25", 6, seed=3)[0][1] != drawn)


# === Arguments ===
@pytest.mark.parametrize("spec, message", [
    ("blob:0.2", "Unknown mask kind"), ("rect:1.5", "in \\(0, 1\\)"), ("free:0", "in \\(0, 1\\)"),
    ("rect:x", "in \\(0, 1\\)"),
])
def test_bad_mask_specs_are_named(spec, message):
    with pytest.raises(ValueError, match=f"{message}.*Received: mask='{spec}'"):
        masks.parse_mask(spec)
    with pytest.raises(ValueError, match=f"Received: mask='{spec}'"):
        transforms.parse_task(f"mask:{spec}")


def test_bad_sizes_and_masks_are_refused():
    with pytest.raises(ValueError, match="Received: height=0"):
        masks.rectangular_masks(2, 0, 8, 0.2, (0, 0))
    with pytest.raises(ValueError, match="Received: share=1.0"):
        masks.free_form_masks(2, 8, 8, 1.0, (0, 0))
    with pytest.raises(ValueError, match=r"Received: shape=\(2, 8, 8, 3\)"):
        masks.check_masks(np.zeros((2, 8, 8, 3)), (2, 8, 8, 3))
    with pytest.raises(ValueError, match="values in"):
        masks.check_masks(np.full((2, 8, 8, 1), 2.0), (2, 8, 8, 3))
