"""DiffAugment: neutral noise, exact translation and cutout, gradients, XLA, policy parsing."""

import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo import augmentation
from tfgan_zoo.augmentation import NOISE_DIM, diff_augment, parse_policy

ALL = "color,translation,cutout"


def images(batch=3, size=8, channels=3, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (batch, size, size, channels)).astype("float32")


def noise(batch=3, **columns):
    """Neutral noise (0.5 everywhere) with the given columns overridden."""
    values = np.full((batch, NOISE_DIM), 0.5, np.float32)
    names = ("brightness", "saturation", "contrast", "translation_y", "translation_x", "cutout_y", "cutout_x")
    for name, value in columns.items():
        values[:, names.index(name)] = value
    return values


def test_neutral_noise_and_empty_policy_return_the_input():
    x = images()
    np.testing.assert_array_equal(diff_augment(x, noise(), ""), x)
    np.testing.assert_allclose(diff_augment(x, noise(), "color,translation"), x, atol=1e-6)


@pytest.mark.parametrize("dtype", [tf.float16, tf.bfloat16, tf.float64])
def test_keeps_dtype(dtype):
    x = tf.constant(images(), dtype)
    assert diff_augment(x, noise(), ALL).dtype == dtype


def test_color_matches_formulas():
    x = images(batch=1)
    y = diff_augment(x, noise(batch=1, brightness=0.75, saturation=0.25, contrast=0.0), "color").numpy()
    expected = x + 0.25
    channel_mean = expected.mean(axis=3, keepdims=True)
    expected = channel_mean + (expected - channel_mean) * 0.5
    image_mean = expected.mean()
    expected = image_mean + (expected - image_mean) * 0.5
    np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("u_y, u_x, shift_y, shift_x", [(0.0, 0.99, -1, 1), (0.99, 0.4, 1, 0), (0.5, 0.0, 0, -1)])
def test_translation_moves_a_pixel_and_pads_with_zero(u_y, u_x, shift_y, shift_x):
    # 8 px and ratio 0.125: shifts in [-1, 1]; floor(u * 3) - 1.
    x = np.zeros((1, 8, 8, 1), np.float32)
    x[0, 3, 4, 0] = 1.0
    y = diff_augment(x, noise(batch=1, translation_y=u_y, translation_x=u_x), "translation").numpy()
    expected = np.zeros_like(x)
    expected[0, 3 + shift_y, 4 + shift_x, 0] = 1.0
    np.testing.assert_array_equal(y, expected)


def test_translation_drops_pixels_and_fills_zeros_at_the_border():
    x = np.ones((1, 8, 8, 1), np.float32)
    y = diff_augment(x, noise(batch=1, translation_y=0.99, translation_x=0.0), "translation").numpy()[0, :, :, 0]
    # Moved down one row and left one column: row 0 and column 7 are uncovered.
    assert np.all(y[0] == 0) and np.all(y[:, 7] == 0)
    assert np.all(y[1:, :7] == 1)


def test_translation_is_per_example():
    x = np.zeros((2, 8, 8, 1), np.float32)
    x[:, 4, 4, 0] = 1.0
    u = noise(batch=2)
    u[:, 3] = [0.0, 0.99]  # translation y: -1 and +1
    y = diff_augment(x, u, "translation").numpy()
    assert y[0, 3, 4, 0] == 1.0 and y[1, 5, 4, 0] == 1.0


def test_cutout_zeroes_a_side_by_side_square_inside():
    x = np.ones((1, 8, 8, 2), np.float32)
    # side 4; centre floor(u * 9) = 4 rows / 3 columns -> rows 2..5, columns 1..4.
    y = diff_augment(x, noise(batch=1, cutout_y=0.5, cutout_x=0.4), "cutout").numpy()
    assert np.sum(y == 0) == 4 * 4 * 2
    assert np.all(y[0, 2:6, 1:5] == 0)


def test_cutout_at_the_border_is_clipped():
    x = np.ones((1, 8, 8, 1), np.float32)
    # Centre (0, 8): rows -2..1 and columns 6..9 -> a 2x2 corner.
    y = diff_augment(x, noise(batch=1, cutout_y=0.0, cutout_x=0.999), "cutout").numpy()
    assert np.sum(y == 0) == 4
    assert np.all(y[0, :2, 6:] == 0)


def test_gradients_reach_the_images():
    x = tf.Variable(images())
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.square(diff_augment(x, noise(translation_y=0.9, cutout_x=0.1), ALL)))
    gradient = tape.gradient(loss, x).numpy()
    assert np.all(np.isfinite(gradient)) and np.any(gradient != 0)


def test_runs_under_xla_with_stateless_noise():
    @tf.function(jit_compile=True)
    def augment(x, seed):
        return diff_augment(x, augmentation.stateless_noise(tf.shape(x)[0], seed), ALL)

    x = tf.constant(images(batch=4))
    seed = tf.constant([1, 2])
    first = augment(x, seed).numpy()
    assert first.shape == x.shape
    np.testing.assert_array_equal(augment(x, seed).numpy(), first)  # same seed, same noise
    assert not np.allclose(augment(x, tf.constant([3, 4])).numpy(), first)


def test_xla_matches_eager_for_the_same_noise():
    # (Stateless random numbers themselves differ between XLA and eager.)
    x = tf.constant(images(batch=4))
    u = augmentation.stateless_noise(4, tf.constant([5, 6]))
    compiled = tf.function(lambda x, u: diff_augment(x, u, ALL), jit_compile=True)
    np.testing.assert_allclose(compiled(x, u).numpy(), diff_augment(x, u, ALL).numpy(), rtol=1e-5, atol=1e-6)


def test_parse_policy():
    assert parse_policy("") == ()
    assert parse_policy(None) == ()
    assert parse_policy("cutout, color") == ("color", "cutout")
    assert parse_policy(["translation", "color", "color"]) == ("color", "translation")
    with pytest.raises(ValueError, match=r"policy='color,flip'") as error:
        parse_policy("color,flip")
    assert "cutout" in str(error.value)
    with pytest.raises(ValueError, match="policy=3"):
        parse_policy(3)


def test_rejects_bad_images_and_arguments():
    with pytest.raises(ValueError, match="images"):
        diff_augment(np.zeros((8, 8, 3), np.float32), noise(), ALL)
    with pytest.raises(ValueError, match="noise"):
        diff_augment(images(), np.zeros((3, 5), np.float32), ALL)
    with pytest.raises(ValueError, match="cutout_ratio=1.5"):
        diff_augment(images(), noise(), ALL, cutout_ratio=1.5)
