"""The inpainting generator: a U-Net that sees the known pixels and the mask, and fills the hole only.

`[image, mask] -> image`: the missing pixels of `image` (`mask` 1) are
zeroed inside the network, so whatever the caller left there is never read;
the masked image and the mask are joined along the channels and run through
the U-Net of `tfgan_zoo.networks.unet`; the output keeps the known pixels
exactly and takes the U-Net's prediction on the hole:

    output = image * (1 - mask) + unet([image * (1 - mask), mask]) * mask

(Pathak et al.'s context encoder predicts the hole and pastes it into the
context the same way.) Stock layers only, so the network saves in safe mode
and converts to LiteRT with builtin ops.
"""

import keras

from tfgan_zoo.networks.unet import resolve_depth, unet_layers


def inpainting_unet_generator(
    image_shape, *, base_filters=64, depth=None, max_filters=512, kernel_size=4, leaky_slope=0.2,
    normalization="batch", name="generator",
):
    """`[image [B, H, W, C], mask [B, H, W, 1]]` (inputs `image`, `mask`; 1 = missing) -> completed image in [-1, 1].

    Args:
        image_shape: `(height, width, channels)` of the images.
        base_filters, depth, max_filters, kernel_size, leaky_slope,
            normalization: the U-Net's, see `tfgan_zoo.networks.unet_generator`
            (its input has `channels + 1` channels).
        name: name of the returned model.
    """
    depth = resolve_depth(image_shape, depth, normalization)
    height, width, channels = image_shape
    image = keras.Input(shape=tuple(image_shape), name="image")
    mask = keras.Input(shape=(height, width, 1), name="mask")
    known_share = keras.layers.Rescaling(-1.0, offset=1.0, name="known")(mask)  # 1 - mask
    known = keras.layers.Multiply(name="known_pixels")([image, known_share])
    x = keras.layers.Concatenate(name="known_and_mask")([known, mask])
    filled = unet_layers(x, channels, base_filters=base_filters, depth=depth, max_filters=max_filters,
                         kernel_size=kernel_size, leaky_slope=leaky_slope, normalization=normalization)
    hole = keras.layers.Multiply(name="hole_pixels")([filled, mask])
    completed = keras.layers.Add(name="completed", dtype="float32")([known, hole])
    return keras.Model([image, mask], completed, name=name)
