"""BigGAN networks (Brock et al. 2019), small: residual blocks, conditional BatchNorm, projection D.

Generator: the latent is split into one chunk for the projected stem and one
per residual block (the hierarchical latent); each block's BatchNorm layers
take their gain and bias from that block's chunk concatenated with a class
embedding shared by all blocks. Discriminator: residual blocks down to a
sum-pooled feature vector `phi(x)`, scored by a linear layer plus the
projection `<embed(y), phi(x)>` (Miyato & Koyama 2018). Both networks
carry spectral normalization on every weight layer and a `SelfAttention`
block at one resolution, as in the paper.
"""

import keras

from tfgan_zoo.layers import Chunks
from tfgan_zoo.networks import conditioning, features
from tfgan_zoo.networks.dcgan import check_image_shape, num_upsamplings, stem_size
from tfgan_zoo.networks.sagan import check_attention_resolution, maybe_attention

LINEAR_SCORE, CLASS_EMBEDDING = features.LINEAR_SCORE, features.CLASS_EMBEDDING
SHARED_EMBEDDING = "shared_embedding"


def conditional_batch_norm(x, condition, name, spectral_norm=True):
    """BatchNorm whose gain and bias are linear functions of `condition`, per example.

    The normalization is a stock `BatchNormalization` without its own affine
    (so `training=False` uses its moving statistics and
    `distribution.synchronize_batchnorm` reaches it); the output is
    `normalized * gain(c) + bias(c)`, with `gain` initialised around 1.

    Args:
        x: feature map `[B, H, W, C]`.
        condition: `[B, D]`, here the class embedding and a latent chunk.
        name: prefix of the layer names.
        spectral_norm: spectral normalization on the two linear maps.
    """
    channels = x.shape[-1]
    normalized = keras.layers.BatchNormalization(center=False, scale=False, name=f"{name}_bn")(x)
    gain = keras.layers.Dense(channels, bias_initializer="ones", name=f"{name}_gain")
    bias = keras.layers.Dense(channels, name=f"{name}_bias")
    gain = keras.layers.Reshape((1, 1, channels), name=f"{name}_gain_map")(
        features.maybe_spectral_norm(gain, spectral_norm)(condition))
    bias = keras.layers.Reshape((1, 1, channels), name=f"{name}_bias_map")(
        features.maybe_spectral_norm(bias, spectral_norm)(condition))
    scaled = keras.layers.Multiply(name=f"{name}_scaled")([normalized, gain])
    return keras.layers.Add(name=name)([scaled, bias])


def _conv(filters, kernel_size, name, spectral_norm):
    layer = keras.layers.Conv2D(filters, kernel_size, padding="same", name=name)
    return features.maybe_spectral_norm(layer, spectral_norm)


def _generator_block(x, condition, filters, name, spectral_norm):
    """Conditional BN, ReLU, 2x nearest upsampling, 3x3 conv, twice; a 1x1 conv on the upsampled shortcut."""
    h = conditional_batch_norm(x, condition, f"{name}_cbn1", spectral_norm)
    h = keras.layers.ReLU(name=f"{name}_relu1")(h)
    h = keras.layers.UpSampling2D(name=f"{name}_up")(h)
    h = _conv(filters, 3, f"{name}_conv1", spectral_norm)(h)
    h = conditional_batch_norm(h, condition, f"{name}_cbn2", spectral_norm)
    h = keras.layers.ReLU(name=f"{name}_relu2")(h)
    h = _conv(filters, 3, f"{name}_conv2", spectral_norm)(h)
    shortcut = keras.layers.UpSampling2D(name=f"{name}_shortcut_up")(x)
    shortcut = _conv(filters, 1, f"{name}_shortcut", spectral_norm)(shortcut)
    return keras.layers.Add(name=name)([h, shortcut])


def biggan_generator(
    output_shape, latent_dim, *, num_classes=None, base_filters=32, embedding_dim=32, attention_resolution=16,
    spectral_norm=True, name="generator",
):
    """Latent vector (and label) -> image in [-1, 1] through conditional residual blocks.

    The latent is cut into `blocks + 1` equal chunks (`blocks` residual
    upsamplings from the 4x4 or 7x7 stem): the first is projected to the
    stem, block `i` is conditioned on chunk `i + 1` (with the shared class
    embedding). The stem and the first block have `base_filters *
    2**(blocks - 1)` filters and each later block halves them; the output
    layer is BatchNorm, ReLU, a 3x3 convolution and tanh.

    Args:
        output_shape: `(size, size, channels)`, size 4 or 7 times a power of 2.
        latent_dim: size of the latent; a multiple of `blocks + 1`.
        num_classes: when set, the generator takes a `label` and embeds it.
        base_filters: width scale (see above).
        embedding_dim: size of the shared class embedding.
        attention_resolution: block output size followed by self-attention; 0 for none.
        spectral_norm: spectral normalization on every weight layer (not the embedding).
        name: name of the returned model.
    """
    check_image_shape("output_shape", output_shape)
    size, channels = output_shape[0], output_shape[2]
    stem, blocks = stem_size(size), num_upsamplings(size)
    check_attention_resolution(attention_resolution, [stem * 2 ** (index + 1) for index in range(blocks)])
    if latent_dim % (blocks + 1):
        raise ValueError(
            f"The hierarchical latent gives one equal chunk to the stem and to each of the {blocks} blocks, so "
            f"latent_dim must be a multiple of {blocks + 1}. Received: latent_dim={latent_dim}"
        )
    latent = conditioning.latent_input(latent_dim)
    chunks = Chunks(blocks + 1, name="latent_chunks")(latent)
    inputs, shared = latent, None
    if num_classes is not None:
        label = conditioning.label_input()
        inputs = [latent, label]
        shared = keras.layers.Embedding(num_classes, embedding_dim, name=SHARED_EMBEDDING)(label)
    filters = base_filters * 2 ** (blocks - 1)
    x = features.maybe_spectral_norm(keras.layers.Dense(stem * stem * filters, name="project"), spectral_norm)(
        chunks[0]
    )
    x = keras.layers.Reshape((stem, stem, filters), name="reshape")(x)
    for index in range(blocks):
        condition = chunks[index + 1]
        if shared is not None:
            condition = keras.layers.Concatenate(name=f"block_{index}_condition")([shared, condition])
        filters = max(filters // 2, 1) if index else filters
        x = _generator_block(x, condition, filters, f"block_{index}", spectral_norm)
        x = maybe_attention(x, attention_resolution, spectral_norm)
    x = keras.layers.BatchNormalization(name="output_bn")(x)
    x = keras.layers.ReLU(name="output_relu")(x)
    x = _conv(channels, 3, "to_image", spectral_norm)(x)
    return keras.Model(inputs, conditioning.output_activation(x, "tanh"), name=name)


def _discriminator_block(x, filters, name, spectral_norm, preactivation):
    """(ReLU,) 3x3 conv, ReLU, 3x3 conv, 2x average pooling; a 1x1-conv shortcut, pooled.

    The first block sees the image itself: no ReLU before its first
    convolution, and its shortcut pools before the 1x1 convolution.
    """
    h = keras.layers.ReLU(name=f"{name}_relu1")(x) if preactivation else x
    h = _conv(filters, 3, f"{name}_conv1", spectral_norm)(h)
    h = keras.layers.ReLU(name=f"{name}_relu2")(h)
    h = _conv(filters, 3, f"{name}_conv2", spectral_norm)(h)
    h = keras.layers.AveragePooling2D(2, name=f"{name}_pool")(h)
    shortcut_conv = _conv(filters, 1, f"{name}_shortcut", spectral_norm)
    shortcut_pool = keras.layers.AveragePooling2D(2, name=f"{name}_shortcut_pool")
    shortcut = shortcut_pool(shortcut_conv(x)) if preactivation else shortcut_conv(shortcut_pool(x))
    return keras.layers.Add(name=name)([h, shortcut])


def biggan_discriminator(
    input_shape, *, num_classes=None, base_filters=32, attention_resolution=16, spectral_norm=True,
    name="discriminator",
):
    """Image (and label) -> one score: residual blocks and a projection head.

    One downsampling residual block per generator block, the filters
    doubling from `base_filters`; then ReLU and a sum over positions give
    `phi(x)` (the `"features"` layer). The score is `linear_score(phi)`, plus
    `<class_embedding(y), phi>` for conditional models, where
    `class_embedding` is a bias-free dense layer on the one-hot label (an
    embedding matrix that spectral normalization can wrap).

    Args:
        input_shape: `(size, size, channels)`.
        num_classes: when set, the discriminator takes a `label` and projects it.
        base_filters: filters of the first block.
        attention_resolution: block output size followed by self-attention; 0 for none.
        spectral_norm: spectral normalization on every weight layer.
        name: name of the returned model.
    """
    check_image_shape("input_shape", input_shape)
    size, blocks = input_shape[0], num_upsamplings(input_shape[0])
    check_attention_resolution(attention_resolution, [size // 2 ** (index + 1) for index in range(blocks)])
    image = conditioning.sample_input(input_shape)
    x, filters = image, base_filters
    for index in range(blocks):
        x = _discriminator_block(x, filters, f"block_{index}", spectral_norm, preactivation=index > 0)
        x = maybe_attention(x, attention_resolution, spectral_norm)
        filters *= 2
    x = keras.layers.ReLU(name="output_relu")(x)
    positions = x.shape[1] * x.shape[2]
    x = keras.layers.GlobalAveragePooling2D(name="mean_pool")(x)
    # A sum over positions, as in BigGAN, is the mean times their number.
    x = keras.layers.Rescaling(float(positions), name="sum_pool")(x)
    label = None if num_classes is None else conditioning.label_input()
    score = features.discriminator_head(x, spectral_norm=spectral_norm, label=label, num_classes=num_classes)
    return keras.Model(image if label is None else [image, label], score, name=name)
