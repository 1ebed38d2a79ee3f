"""The PatchGAN discriminator of pix2pix (Isola et al. 2017), conditioned on the source image.

It scores every overlapping patch of the target as real or fake instead of
the whole image: `downsamplings` stride-2 convolutions, one stride-1
convolution with twice the last filters, and a stride-1 convolution to one
logit per position. The paper's 70x70 discriminator (C64-C128-C256-C512) is
`downsamplings=3` with 4x4 kernels; `downsamplings=1` gives 16x16 patches,
about the same share of a 28-32 px image as 70x70 is of 256 px.
"""

import keras

from tfgan_zoo.networks.unet import check_normalization, conv_block


def receptive_field(downsamplings, kernel_size=4):
    """The side in pixels of the input patch each output score sees.

    Walking back from one output: a stride-1 convolution widens the field by
    `kernel_size - 1`, a stride-2 one maps `r` to `2 r + kernel_size - 2`.
    `receptive_field(3) == 70`.
    """
    field = 1 + 2 * (kernel_size - 1)
    for _ in range(downsamplings):
        field = 2 * field + kernel_size - 2
    return field


def patchgan_discriminator(
    source_shape, target_shape, *, base_filters=64, downsamplings=3, max_filters=512, kernel_size=4, leaky_slope=0.2,
    normalization="batch", conditional=True, name="discriminator",
):
    """`[source, target]` -> patch logits `[B, H / 2^downsamplings, W / 2^downsamplings, 1]` (float32).

    The inputs `source` and `target` are concatenated along the channels, so
    the discriminator judges whether the target fits its source (a
    conditional GAN), not only whether it looks real.

    Args:
        source_shape: `(height, width, channels)` of the source images.
        target_shape: the same for targets; height and width must equal the source's.
        base_filters: filters of the first convolution (64 in the paper).
        downsamplings: stride-2 convolutions (3 in the paper; see `receptive_field`).
        max_filters: cap on the filters of any convolution (512 in the paper).
        kernel_size: kernel of every convolution.
        leaky_slope: negative slope of the LeakyReLU activations.
        normalization: after every convolution but the first and the last:
            `"batch"` (the paper), `"instance"` or `"none"`.
        conditional: judge `[source, target]` (pix2pix); False: judge one
            input `image` of `target_shape` alone (CycleGAN's unpaired domains).
        name: name of the returned model.
    """
    if conditional and tuple(source_shape[:2]) != tuple(target_shape[:2]):
        raise ValueError(
            "A conditional PatchGAN needs sources and targets of one size. "
            f"Received: source_shape={tuple(source_shape)}, target_shape={tuple(target_shape)}"
        )
    if isinstance(downsamplings, bool) or not isinstance(downsamplings, int) or downsamplings < 0:
        raise ValueError(f"downsamplings must be an int >= 0. Received: downsamplings={downsamplings!r}")
    check_normalization(normalization)
    norm = None if normalization == "none" else normalization
    if conditional:
        inputs = [keras.Input(shape=tuple(source_shape), name="source"),
                  keras.Input(shape=tuple(target_shape), name="target")]
        x = keras.layers.Concatenate(name="source_and_target")(inputs)
    else:
        inputs = x = keras.Input(shape=tuple(target_shape), name="image")
    filters = base_filters
    for index in range(downsamplings):
        x = conv_block(
            x,
            filters,
            strides=2,
            kernel_size=kernel_size,
            normalization=norm if index > 0 else None,
            name=f"down_{index}",
            activation=keras.layers.LeakyReLU(negative_slope=leaky_slope, name=f"down_{index}_leaky"),
        )
        filters = min(2 * filters, max_filters)
    x = conv_block(
        x,
        filters,
        strides=1,
        kernel_size=kernel_size,
        normalization=norm if downsamplings > 0 else None,
        name="patch_features",
        activation=keras.layers.LeakyReLU(negative_slope=leaky_slope, name="patch_features_leaky"),
    )
    scores = keras.layers.Conv2D(1, kernel_size, padding="same", dtype="float32", name="patch_scores")(x)
    return keras.Model(inputs, scores, name=name)
