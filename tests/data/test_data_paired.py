"""Image-to-image tasks (transforms) and the paired, unpaired and held-out data made from them."""

import numpy as np
import pytest
import tensorflow as tf
import tensorflow_datasets as tfds

from tfgan_zoo import data
from tfgan_zoo.data import paired, transforms


def _square(size=8, low=2, high=6, channels=1):
    """One image of `size` px: a bright square on rows and columns [low, high), -1 elsewhere."""
    image = -np.ones((1, size, size, channels), np.float32)
    image[:, low:high, low:high] = 1.0
    return image


# === Transforms ===
def test_downscale_averages_blocks_and_upsamples_back_within_range():
    image = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1) / 8.0 - 1.0
    small = transforms.downscale(image, 2).numpy()
    expected = image.reshape(1, 2, 2, 2, 2, 1).mean(axis=(2, 4))
    np.testing.assert_allclose(small, expected, atol=1e-6)
    digits, _ = data.load_arrays("mnist8k:test")
    assert transforms.downscale(digits[:3], 4).shape == (3, 7, 7, 1)
    restored = transforms.downscale(digits[:3], 4, upsample="bicubic").numpy()
    assert restored.shape == (3, 28, 28, 1) and restored.min() >= -1.0 and restored.max() <= 1.0
    with pytest.raises(ValueError, match="Received: factor=3"):
        transforms.downscale(digits[:1], 3)


def test_sobel_edges_outline_a_square_in_one_channel():
    edges = transforms.sobel_edges(_square(channels=3)).numpy()[0, :, :, 0]
    assert edges.shape == (8, 8) and set(np.unique(edges)) == {-1.0, 1.0}
    # The pixels on both sides of the square's border are edges; its inside and the far background are not.
    assert edges[1, 3] == edges[2, 3] == edges[5, 4] == edges[6, 4] == 1.0
    assert edges[3, 3] == edges[4, 4] == -1.0
    assert np.all(edges[:, 0] == -1.0)


def test_dilation_thickens_and_erosion_thins_strokes():
    digits, _ = data.load_arrays("mnist8k:test")
    ink = np.sum(digits[:20] > 0)
    assert np.sum(transforms.dilate(digits[:20], 3).numpy() > 0) > 1.5 * ink
    assert np.sum(transforms.erode(digits[:20], 2).numpy() > 0) < 0.7 * ink
    point = -np.ones((1, 7, 7, 1), np.float32)
    point[0, 3, 3] = 1.0
    np.testing.assert_array_equal(transforms.dilate(point, 3).numpy()[0, :, :, 0] > 0, _square(7, 2, 5)[0, :, :, 0] > 0)
    np.testing.assert_array_equal(transforms.erode(_square(), 3).numpy() > 0, _square(8, 3, 5) > 0)


def test_task_specs_name_their_transforms_and_shapes():
    assert transforms.parse_task("downscale").name == "downscale:4"
    assert transforms.parse_task("downscale:2").source_shape((28, 28, 1)) == (14, 14, 1)
    assert transforms.parse_task("downscale_up:4").source_shape((28, 28, 1)) == (28, 28, 1)
    assert transforms.parse_task("edges").source_shape((32, 32, 3)) == (32, 32, 1)
    assert transforms.parse_task("thicken").target_shape((32, 32, 3)) == (32, 32, 3)
    for bad in ("blur", "edges:2", "thin:x", "identity:1"):
        with pytest.raises(ValueError, match=f"Received: task='{bad}'"):
            transforms.parse_task(bad)
    with pytest.raises(ValueError, match="Received: size=0"):
        transforms.parse_task("thicken:0")


# === Paired batches ===
def test_paired_batches_come_from_one_image_with_its_label():
    pairs = paired.load_paired("mnist8k:train", "edges", 16, seed=3, labels=True)
    source, target, labels = next(iter(pairs))
    images, expected_labels = next(iter(data.load("mnist8k:train", 16, seed=3)))
    assert source.shape == target.shape == (16, 28, 28, 1) and labels.dtype == tf.int32
    np.testing.assert_array_equal(target, images)
    np.testing.assert_array_equal(labels, expected_labels)
    np.testing.assert_array_equal(source, transforms.sobel_edges(images))


def test_paired_order_is_seeded_and_resumes_with_skip():
    def sources(dataset, count):
        return [batch[0].numpy() for batch in dataset.take(count)]

    first = sources(paired.load_paired("gen:shapes:64", "thicken:3", 8, seed=1), 4)
    np.testing.assert_array_equal(first, sources(paired.load_paired("gen:shapes:64", "thicken:3", 8, seed=1), 4))
    np.testing.assert_array_equal(
        first[2:], sources(paired.load_paired("gen:shapes:64", "thicken:3", 8, seed=1).skip(2), 2)
    )
    assert np.abs(first[0] - sources(paired.load_paired("gen:shapes:64", "thicken:3", 8, seed=2), 1)[0]).max() > 0


def test_labels_of_an_unlabelled_dataset_are_refused(tmp_path):
    np.savez(tmp_path / "images.npz", x=np.zeros((8, 8, 8), np.uint8))
    with pytest.raises(ValueError, match="has no labels"):
        paired.load_paired(f"npz:{tmp_path / 'images.npz'}", "edges", 4, labels=True)
    assert len(next(iter(paired.load_paired(f"npz:{tmp_path / 'images.npz'}", "edges", 4)))) == 2


def test_paired_batches_of_a_tfds_dataset():
    with tfds.testing.mock_data(num_examples=16):
        source, target, labels = next(iter(paired.load_paired("tfds:cifar10", "edges", 4, labels=True)))
        assert source.shape == (4, 32, 32, 1) and target.shape == (4, 32, 32, 3) and labels.shape == (4,)
        sources, targets, heldout_labels = paired.heldout_pairs("tfds:cifar10:train", "downscale:2", 3)
        assert sources.shape == (3, 16, 16, 3) and targets.shape == (3, 32, 32, 3) and heldout_labels.shape == (3,)


# === Unpaired batches ===
def _keys(images):
    return {image.tobytes() for image in np.asarray(images)}


def test_unpaired_domains_come_from_disjoint_halves():
    images, _ = data.load_arrays("gen:shapes:64")
    half_a, half_b = np.array_split(np.random.default_rng(paired.HALVES_SEED).permutation(64), 2)
    thick_b = transforms.dilate(images[half_b], 3).numpy()
    batches = list(paired.load_unpaired("gen:shapes:64", "thicken:3", 8, seed=5, labels=True).take(8))
    domain_a, domain_b = np.concatenate([b[0] for b in batches]), np.concatenate([b[1] for b in batches])
    assert _keys(domain_a) <= _keys(images[half_a]) and not _keys(domain_a) & _keys(images[half_b])
    assert _keys(domain_b) <= _keys(thick_b)
    # Each half is read in its own order: one pass over half A (32 images) shows each once.
    assert len(_keys(domain_a[:32])) == 32
    assert batches[0][2].shape == batches[0][3].shape == (8,)


def test_unpaired_domains_from_two_datasets_and_halves_of_tfds_refused():
    a, b = next(iter(paired.load_unpaired("mnist8k:train", "identity", 4, spec_b="mnist8k:test")))
    assert a.shape == b.shape == (4, 28, 28, 1)
    with pytest.raises(ValueError, match="spec_b"):
        paired.load_unpaired("tfds:cycle_gan/horse2zebra:trainA", "identity", 4)


# === Held-out pairs ===
def test_heldout_spec_swaps_the_training_split():
    assert paired.heldout_spec("mnist8k:train") == "mnist8k:test"
    assert paired.heldout_spec("tfds:cycle_gan/horse2zebra:trainA") == "tfds:cycle_gan/horse2zebra:testA"
    assert paired.heldout_spec("idx:/data/mnist:train") == "idx:/data/mnist:test"
    for unchanged in ("gen:shapes:64", "mnist8k", "mnist8k:test", "tfds:cifar10"):
        assert paired.heldout_spec(unchanged) == unchanged


def test_heldout_pairs_are_a_seeded_choice_of_the_test_split():
    sources, targets, labels = paired.heldout_pairs("mnist8k:train", "downscale:4", 10, seed=1)
    test_images, test_labels = data.load_arrays("mnist8k:test")
    chosen = np.random.default_rng(1).permutation(len(test_images))[:10]
    np.testing.assert_array_equal(targets, test_images[chosen])
    np.testing.assert_array_equal(labels, test_labels[chosen])
    assert sources.shape == (10, 7, 7, 1)
    assert np.abs(paired.heldout_pairs("mnist8k:train", "downscale:4", 10, seed=2)[1] - targets).max() > 0
    with pytest.raises(ValueError, match="Received: num=2001"):
        paired.heldout_pairs("mnist8k:train", "edges", 2001)
