"""StackGAN networks (Zhang et al. 2017), sized for 16 -> 32 px (or 8 -> 32 px).

- `stage1_generator`: `(noise, condition_noise, text_embedding)` -> a low
  resolution image, with its own Conditioning Augmentation; upsampling
  blocks are upsampling + 3x3 convolution + BatchNorm + ReLU, as in the
  paper (bilinear rather than nearest-neighbour upsampling, see `_upsample`).
- `stage2_generator`: `(Stage-I image, condition_noise, text_embedding)` ->
  an image `scale` times larger: the Stage-I image is encoded down once,
  joined with the spatially replicated condition, refined by residual
  blocks and upsampled; its Conditioning Augmentation has its own weights.
- `stage_discriminator`: `(image, text_embedding)` -> one score: strided
  convolutions down to 4x4, the compressed embedding replicated over that
  map, a 1x1 convolution on both, a dense score (both stages).
- `stackgan_generator`: the exported generator, `(latent, caption)` -> the
  Stage-II image, through the frozen text encoder and both stages. Its
  `latent` is `[z, Stage-I condition noise, Stage-II condition noise]`,
  three equal parts: all noise is an input, none is drawn inside.
"""

import math

import keras

from tfgan_zoo.layers.chunks import Chunks
from tfgan_zoo.layers.conditioning_augmentation import ConditioningAugmentation
from tfgan_zoo.networks import conditioning

# Latent parts of `stackgan_generator`, in order.
LATENT_PARTS = ("noise", "stage1_condition_noise", "stage2_condition_noise")


def _doublings(name, small, large):
    count = math.log2(large / small)
    if count < 1 or count != int(count):
        raise ValueError(f"{name} must be a power of two times {small}, at least {2 * small}. Received: {name}={large}")
    return int(count)


def _upsampling_block(x, filters, name):
    x = _upsample(x, 2, f"{name}_upsample")
    x = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"{name}_conv")(x)
    x = keras.layers.BatchNormalization(name=f"{name}_bn")(x)
    return keras.layers.ReLU(name=f"{name}_relu")(x)


def _to_image(x, channels):
    x = keras.layers.Conv2D(channels, 3, padding="same", name="to_image")(x)
    return conditioning.output_activation(x, "tanh", name="image")


def _replicate(vector, size, name):
    """`[B, D]` -> `[B, size, size, D]`, the vector at every position."""
    planes = keras.layers.Reshape((1, 1, vector.shape[-1]), name=f"{name}_pixel")(vector)
    return _upsample(planes, size, f"{name}_planes")


def _upsample(x, factor, name):
    """Bilinear upsampling by `factor` (of a 1x1 map: the value repeated).

    The paper upsamples by nearest neighbour; neither way to write that
    serves here: `UpSampling2D`'s `repeat` reaches the LiteRT converter with
    unknown spatial sizes (the convolutions after it then need Select TF
    ops), and XLA has no gradient of `ResizeNearestNeighbor`. Bilinear
    resizing has both (`RESIZE_BILINEAR`, `ResizeBilinearGrad`).
    """
    return keras.layers.UpSampling2D(factor, interpolation="bilinear", name=name)(x)


def stage1_generator(image_size, *, noise_dim, condition_dim, embedding_dim, channels=3, base_filters=64,
                     name="stage1_generator"):
    """`[noise, condition_noise, text_embedding]` -> `[image, condition mean, condition log-variance]`.

    Args:
        image_size: side of the Stage-I image, 4 times a power of two (8, 16, ...).
        noise_dim: width of `noise` (z).
        condition_dim: width of the condition (and of `condition_noise`).
        embedding_dim: width of the text embedding.
        channels: image channels.
        base_filters: filters of the last block; each coarser block doubles them.
        name: name of the returned model.
    """
    upsamplings = _doublings("image_size", 4, image_size)
    noise = keras.Input(shape=(noise_dim,), name="noise")
    condition_noise = keras.Input(shape=(condition_dim,), name="condition_noise")
    embedding = keras.Input(shape=(embedding_dim,), name="text_embedding")
    condition, mean, log_variance = ConditioningAugmentation(condition_dim, name="conditioning_augmentation")(
        [embedding, condition_noise])
    filters = base_filters * 2**upsamplings
    x = keras.layers.Concatenate(name="noise_and_condition")([noise, condition])
    x = keras.layers.Dense(4 * 4 * filters, use_bias=False, name="project")(x)
    x = keras.layers.Reshape((4, 4, filters), name="reshape")(x)
    x = keras.layers.BatchNormalization(name="project_bn")(x)
    x = keras.layers.ReLU(name="project_relu")(x)
    for index in range(upsamplings):
        filters //= 2
        x = _upsampling_block(x, filters, f"up_{index}")
    return keras.Model([noise, condition_noise, embedding], [_to_image(x, channels), mean, log_variance], name=name)


def _residual_block(x, name):
    filters = x.shape[-1]
    y = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"{name}_conv_0")(x)
    y = keras.layers.BatchNormalization(name=f"{name}_bn_0")(y)
    y = keras.layers.ReLU(name=f"{name}_relu_0")(y)
    y = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"{name}_conv_1")(y)
    y = keras.layers.BatchNormalization(name=f"{name}_bn_1")(y)
    x = keras.layers.Add(name=f"{name}_add")([x, y])
    return keras.layers.ReLU(name=f"{name}_relu")(x)


def stage2_generator(image_size, *, scale=2, condition_dim, embedding_dim, channels=3, base_filters=64,
                     residual_blocks=2, name="stage2_generator"):
    """`[Stage-I image, condition_noise, text_embedding]` -> `[image, condition mean, condition log-variance]`.

    Args:
        image_size: side of the output image; the Stage-I image is `image_size // scale`.
        scale: 2 or 4, the refinement factor.
        condition_dim: width of the condition (and of `condition_noise`).
        embedding_dim: width of the text embedding.
        channels: image channels.
        base_filters: filters of the encoder's first convolution and of the last upsampling block.
        residual_blocks: residual blocks on the joint features (the paper uses 4 at 256 px).
        name: name of the returned model.
    """
    if scale not in (2, 4) or image_size % (2 * scale):
        raise ValueError(f"scale must be 2 or 4 and divide image_size / 2. Received: scale={scale!r}, "
                         f"image_size={image_size!r}")
    low_size = image_size // scale
    low = keras.Input(shape=(low_size, low_size, channels), name="stage1_image")
    condition_noise = keras.Input(shape=(condition_dim,), name="condition_noise")
    embedding = keras.Input(shape=(embedding_dim,), name="text_embedding")
    condition, mean, log_variance = ConditioningAugmentation(condition_dim, name="conditioning_augmentation")(
        [embedding, condition_noise])
    x = keras.layers.Conv2D(base_filters, 3, padding="same", name="encode_conv")(low)
    x = keras.layers.ReLU(name="encode_relu")(x)
    filters = 2 * base_filters
    x = keras.layers.Conv2D(filters, 4, strides=2, padding="same", use_bias=False, name="encode_down")(x)
    x = keras.layers.BatchNormalization(name="encode_down_bn")(x)
    x = keras.layers.ReLU(name="encode_down_relu")(x)
    x = keras.layers.Concatenate(name="image_and_condition")([x, _replicate(condition, low_size // 2, "condition")])
    x = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False, name="joint_conv")(x)
    x = keras.layers.BatchNormalization(name="joint_bn")(x)
    x = keras.layers.ReLU(name="joint_relu")(x)
    for index in range(residual_blocks):
        x = _residual_block(x, f"residual_{index}")
    upsamplings = _doublings("2 * scale", 1, 2 * scale)
    for index in range(upsamplings):
        filters = max(filters // 2, base_filters)
        x = _upsampling_block(x, filters, f"up_{index}")
    return keras.Model([low, condition_noise, embedding], [_to_image(x, channels), mean, log_variance], name=name)


def stage_discriminator(image_shape, *, embedding_dim, base_filters=64, compressed_dim=32, leaky_slope=0.2,
                        name="discriminator"):
    """`[image, text_embedding]` -> one score (a logit), matching-aware as in the paper.

    Args:
        image_shape: `(size, size, channels)`, size 4 times a power of two.
        embedding_dim: width of the text embedding.
        base_filters: filters of the first convolution; each later one doubles them.
        compressed_dim: width of the compressed embedding (the paper's N_d = 128).
        leaky_slope: negative slope of the LeakyReLU activations.
        name: name of the returned model.
    """
    downsamplings = _doublings("image size", 4, image_shape[0])
    image = keras.Input(shape=tuple(image_shape), name="image")
    embedding = keras.Input(shape=(embedding_dim,), name="text_embedding")
    x, filters = image, base_filters
    for index in range(downsamplings):
        x = keras.layers.Conv2D(filters, 4, strides=2, padding="same", use_bias=index == 0, name=f"down_{index}")(x)
        if index > 0:
            x = keras.layers.BatchNormalization(name=f"down_{index}_bn")(x)
        x = keras.layers.LeakyReLU(negative_slope=leaky_slope, name=f"down_{index}_leaky")(x)
        filters *= 2
    text = keras.layers.Dense(compressed_dim, name="compress")(embedding)
    text = keras.layers.LeakyReLU(negative_slope=leaky_slope, name="compress_leaky")(text)
    x = keras.layers.Concatenate(name="image_and_text")([x, _replicate(text, 4, "text")])
    x = keras.layers.Conv2D(filters // 2, 1, use_bias=False, name="joint_conv")(x)
    x = keras.layers.BatchNormalization(name="joint_bn")(x)
    x = keras.layers.LeakyReLU(negative_slope=leaky_slope, name="joint_leaky")(x)
    x = keras.layers.Flatten(name="flatten")(x)
    score = keras.layers.Dense(1, dtype="float32", name="score")(x)
    return keras.Model([image, embedding], score, name=name)


def stackgan_generator(text_encoder, stage1, stage2, name="generator"):
    """`[latent, caption]` -> the Stage-II image, through the text encoder and both stages (shared weights).

    `latent` is the three `LATENT_PARTS` side by side, each as wide as
    Stage-I's `noise` input, which must equal the condition's width.
    """
    width = stage1.get_layer("noise").output.shape[-1]
    latent = keras.Input(shape=(len(LATENT_PARTS) * width,), name="latent")
    caption = keras.Input(shape=text_encoder.input.shape[1:], dtype="int32", name="caption")
    noise, stage1_condition_noise, stage2_condition_noise = Chunks(len(LATENT_PARTS), name="latent_parts")(latent)
    embedding = text_encoder(caption)
    low, _, _ = stage1([noise, stage1_condition_noise, embedding])
    image, _, _ = stage2([low, stage2_condition_noise, embedding])
    return keras.Model([latent, caption], image, name=name)
