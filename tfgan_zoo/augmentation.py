"""Differentiable augmentation (DiffAugment) of real and generated images.

The same random transformations are applied to real and generated images
before the discriminator sees them, in both networks' updates; since they are
differentiable, the generator is trained through them. This keeps a data-poor
discriminator from memorising the training set.

The functions are pure: the randomness comes in as a `noise` tensor of
uniforms in [0, 1), one row of `NOISE_DIM` per example, so the caller can
draw it with stateless ops (e.g. `stateless_noise`) and resumed or
distributed training replays the same augmentations. Translation and cutout
are built from comparisons and matrix products (no gather), so they compile
with XLA and pass gradients to the images.

Reference: Zhao et al., "Differentiable Augmentation for Data-Efficient GAN
Training", NeurIPS 2020.
"""

from collections.abc import Sequence

import tensorflow as tf

from tfgan_zoo.utils import validation

# Columns of the noise tensor.
BRIGHTNESS, SATURATION, CONTRAST, TRANSLATION_Y, TRANSLATION_X, CUTOUT_Y, CUTOUT_X = range(7)
NOISE_DIM = 7

# Augmentation names, in the order they are applied.
POLICIES = ("color", "translation", "cutout")


def parse_policy(policy):
    """The augmentations named by `policy`, in canonical (application) order.

    Args:
        policy: a comma-separated string such as `"color,translation,cutout"`,
            or a sequence of names; `""`, `None` or an empty sequence mean no
            augmentation.

    Returns:
        A tuple of names from `POLICIES`, without repeats.

    Raises:
        ValueError: for an unknown name or a value of another type.
    """
    if policy is None:
        names = []
    elif isinstance(policy, str):
        names = [name.strip() for name in policy.split(",") if name.strip()]
    elif isinstance(policy, Sequence) and all(isinstance(name, str) for name in policy):
        names = [name.strip() for name in policy]
    else:
        raise ValueError(f"policy must be a comma-separated string or a sequence of names. Received: policy={policy!r}")
    unknown = [name for name in names if name not in POLICIES]
    if unknown:
        raise ValueError(
            f"Unknown augmentation {unknown[0]!r} in policy; known ones are {POLICIES}. Received: policy={policy!r}"
        )
    return tuple(name for name in POLICIES if name in names)


def stateless_noise(batch_size, seed, dtype=tf.float32):
    """Uniform noise `[batch_size, NOISE_DIM]` in [0, 1) from a stateless seed.

    The same seed gives the same noise on the same device with the same
    compilation; XLA (`jit_compile=True`) draws different numbers than
    eager or graph execution for the same seed.

    Args:
        batch_size: examples in the batch (int or scalar tensor).
        seed: shape `[2]` integer seed of `tf.random.stateless_uniform`.
        dtype: float dtype of the noise.
    """
    return tf.random.stateless_uniform(tf.stack([batch_size, NOISE_DIM]), seed=seed, dtype=dtype)


def _column(noise, index, dtype):
    """Noise column `index` as `[B, 1, 1, 1]`, ready to broadcast over images."""
    return tf.reshape(tf.cast(noise[:, index], dtype), [-1, 1, 1, 1])


def adjust_color(images, noise):
    """Random brightness, saturation and contrast (DiffAugment's `color`).

    With `u` the example's uniform: brightness adds `u - 0.5`; saturation
    scales the deviation from the per-pixel channel mean by `2u`; contrast
    scales the deviation from the image mean by `u + 0.5`. `u = 0.5` leaves
    the image unchanged.
    """
    dtype = images.dtype
    images = images + (_column(noise, BRIGHTNESS, dtype) - 0.5)
    channel_mean = tf.reduce_mean(images, axis=3, keepdims=True)
    images = channel_mean + (images - channel_mean) * (2.0 * _column(noise, SATURATION, dtype))
    image_mean = tf.reduce_mean(images, axis=(1, 2, 3), keepdims=True)
    return image_mean + (images - image_mean) * (_column(noise, CONTRAST, dtype) + 0.5)


def _shift_matrices(uniforms, size, max_shift, dtype):
    """`[B, size, size]` one-hot matrices `S[b, out, in] = [out == in + shift_b]`.

    `shift_b = floor(u_b * (2 max_shift + 1)) - max_shift`, uniform over
    `[-max_shift, max_shift]`; `u = 0.5` gives no shift.
    """
    steps = tf.floor(tf.cast(uniforms, tf.float32) * (2 * max_shift + 1))
    shift = tf.clip_by_value(tf.cast(steps, tf.int32) - max_shift, -max_shift, max_shift)
    positions = tf.range(size)
    offsets = positions[None, :, None] - positions[None, None, :]
    return tf.cast(tf.equal(offsets, shift[:, None, None]), dtype)


def translate(images, noise, ratio=0.125):
    """Moves each image by a random integer offset, filling with zeros.

    Per example and axis, the shift is uniform over `[-r, r]` pixels with
    `r = int(size * ratio + 0.5)`: `floor(u * (2r + 1)) - r`. A pixel at
    `(y, x)` moves to `(y + shift_y, x + shift_x)`; pixels shifted out are
    dropped and uncovered ones are zero. Implemented as products with one-hot
    shift matrices.
    """
    height, width = images.shape[1], images.shape[2]
    rows = _shift_matrices(noise[:, TRANSLATION_Y], height, int(height * ratio + 0.5), images.dtype)
    cols = _shift_matrices(noise[:, TRANSLATION_X], width, int(width * ratio + 0.5), images.dtype)
    images = tf.einsum("bij,bjwc->biwc", rows, images)
    return tf.einsum("bij,bhjc->bhic", cols, images)


def _cutout_band(uniforms, size, side):
    """`[B, size]` booleans: the rows (or columns) the cut-out square covers.

    As in the paper's code, the square's centre is uniform over the integers
    `[0, size - side % 2]`, i.e. `floor(u * (size + 1 - side % 2))`, and it
    covers `[centre - side // 2, centre - side // 2 + side)` clipped to the
    image, so it lies fully or partly inside.
    """
    centre = tf.cast(tf.floor(tf.cast(uniforms, tf.float32) * (size + 1 - side % 2)), tf.int32)
    centre = tf.minimum(centre, size - side % 2)
    start = centre - side // 2
    positions = tf.range(size)[None, :]
    return (positions >= start[:, None]) & (positions < start[:, None] + side)


def cutout(images, noise, ratio=0.5):
    """Zeroes a random square of side `int(size * ratio + 0.5)` in each image.

    See `_cutout_band` for where the square goes; the same square is cut
    from every channel.
    """
    height, width = images.shape[1], images.shape[2]
    rows = _cutout_band(noise[:, CUTOUT_Y], height, int(height * ratio + 0.5))
    cols = _cutout_band(noise[:, CUTOUT_X], width, int(width * ratio + 0.5))
    inside = rows[:, :, None, None] & cols[:, None, :, None]
    return images * tf.cast(tf.logical_not(inside), images.dtype)


def _check_images(images, noise):
    if images.shape.rank != 4:
        raise ValueError(
            f"images must have rank 4, [batch, height, width, channels]. Received: images.shape={images.shape}"
        )
    if images.shape[1] is None or images.shape[2] is None:
        raise ValueError(f"images must have a static height and width. Received: images.shape={images.shape}")
    if not images.dtype.is_floating:
        raise ValueError(f"images must be floating point. Received: images.dtype={images.dtype.name}")
    if noise.shape.rank != 2 or noise.shape[-1] not in (None, NOISE_DIM):
        raise ValueError(f"noise must have shape [batch, {NOISE_DIM}]. Received: noise.shape={noise.shape}")


def diff_augment(images, noise, policy, translation_ratio=0.125, cutout_ratio=0.5):
    """Applies the augmentations of `policy` with the randomness in `noise`.

    Args:
        images: float tensor `[B, H, W, C]` with static `H` and `W`; any float
            dtype, which the result keeps.
        noise: `[B, NOISE_DIM]` uniforms in [0, 1), columns brightness,
            saturation, contrast, translation y, translation x, cutout y,
            cutout x (`0.5` everywhere is neutral for color and translation).
        policy: names from `POLICIES`, as accepted by `parse_policy`; they are
            applied in the order of `POLICIES`.
        translation_ratio: largest translation as a fraction of the size.
        cutout_ratio: side of the cut-out square as a fraction of the size.

    Returns:
        The augmented images, same shape and dtype.

    Reference: Zhao et al., "Differentiable Augmentation for Data-Efficient
    GAN Training", NeurIPS 2020.
    """
    policy = parse_policy(policy)
    validation.check_number("translation_ratio", translation_ratio, "[0, 1]")
    validation.check_number("cutout_ratio", cutout_ratio, "[0, 1]")
    images = tf.convert_to_tensor(images)
    noise = tf.convert_to_tensor(noise)
    _check_images(images, noise)
    if "color" in policy:
        images = adjust_color(images, noise)
    if "translation" in policy:
        images = translate(images, noise, translation_ratio)
    if "cutout" in policy:
        images = cutout(images, noise, cutout_ratio)
    return images
