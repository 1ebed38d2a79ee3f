"""A small StyleGAN (Karras et al. 2019): mapping network, style-modulated synthesis from a learned constant.

The generator is one `latent -> image` model holding two sub-models:

- `"mapping"`: `z -> w`, pixel normalisation then `mapping_layers`
  equalised dense layers with LeakyReLU(0.2) and a learning-rate multiplier
  (0.01 in the paper);
- `"synthesis"`: `[styles, noise_0, ..., noise_{n-1}] -> image`, where
  `styles` `[B, num_layers, w_dim]` holds one w per synthesis layer. It
  starts from a learned 4x4 constant; every level has two layers (the 4x4
  level: the constant and one 3x3 convolution; above: nearest 2x upsampling
  and 3x3 convolutions), each followed by its noise input (a learned
  per-channel strength), LeakyReLU(0.2) and AdaIN with its own style; a
  1x1 to-RGB convolution and tanh end it.

Between them the generator applies `"truncation"` (`w_avg + psi * (w - w_avg)`)
and feeds every synthesis layer the same w; its noise inputs are fixed
`ConstantNoise` images, so the exported generator is deterministic and has
no random op. Training (`tfgan_zoo.models.StyleGAN`) calls mapping and
synthesis itself, with style mixing and fresh noise.

The discriminator is the progressive GAN's at full size (minibatch standard
deviation, equalised learning rate), as in the paper.

Small, and deviating from the paper: no blur filter around the up- and
downsamplings, no progressive growing, tanh output, and the constant drawn
from N(0, 1) (as in StyleGAN2) rather than ones: see `LearnedConstant`.

Reference: Karras et al., "A Style-Based Generator Architecture for
Generative Adversarial Networks", CVPR 2019, Figure 1(b) and Appendix C.
"""

import keras

from tfgan_zoo.layers import (
    AdaptiveInstanceNorm,
    ConstantNoise,
    EqualizedConv2D,
    EqualizedDense,
    LearnedConstant,
    NearestUpsample,
    NoiseInput,
    PixelNorm,
    Truncation,
)
from tfgan_zoo.networks import conditioning, progan
from tfgan_zoo.utils.validation import check_int

MAPPING, SYNTHESIS, TRUNCATION = "mapping", "synthesis", "truncation"
_LEAKY_SLOPE = 0.2


def mapping_network(latent_dim, *, w_dim=64, mapping_layers=4, lr_multiplier=0.01, name=MAPPING):
    """`latent -> w`: pixel-normalised latent, then `mapping_layers` equalised dense layers with LeakyReLU."""
    check_int("mapping_layers", mapping_layers)
    latent = conditioning.latent_input(latent_dim)
    x = PixelNorm(name="latent_norm")(latent)
    for index in range(mapping_layers):
        x = EqualizedDense(w_dim, lr_multiplier=lr_multiplier, name=f"dense_{index}")(x)
        x = keras.layers.LeakyReLU(_LEAKY_SLOPE, name=f"dense_{index}_leaky")(x)
    return keras.Model(latent, x, name=name)


def synthesis_layer_sizes(image_size):
    """The resolution of each synthesis layer, two per level: `[4, 4, 8, 8, ..., size, size]`."""
    return [4 * 2**level for level in range(progan.num_levels(image_size)) for _ in range(2)]


def _style_layer(x, noise, styles, index):
    """The epilogue of synthesis layer `index`: noise input, LeakyReLU, AdaIN with style `index`."""
    x = NoiseInput(name=f"noise_input_{index}")([x, noise])
    x = keras.layers.LeakyReLU(_LEAKY_SLOPE, name=f"layer_{index}_leaky")(x)
    return AdaptiveInstanceNorm(index, name=f"adain_{index}")([x, styles])


def synthesis_network(output_shape, *, w_dim=64, base_filters=16, max_filters=128, name=SYNTHESIS):
    """`[styles, noise_0, ...] -> image` in [-1, 1]; see the module docstring."""
    size, channels = output_shape[0], output_shape[2]
    sizes = synthesis_layer_sizes(size)
    top = len(sizes) // 2 - 1
    styles = keras.Input((len(sizes), w_dim), name="styles")
    noise = [keras.Input((side, side, 1), name=f"noise_{index}") for index, side in enumerate(sizes)]
    x = LearnedConstant(4, progan.level_filters(0, top, base_filters, max_filters), name="constant")(styles)
    x = _style_layer(x, noise[0], styles, 0)
    x = EqualizedConv2D(progan.level_filters(0, top, base_filters, max_filters), 3, name="conv_1")(x)
    x = _style_layer(x, noise[1], styles, 1)
    for index in range(2, len(sizes)):
        if index % 2 == 0:
            x = NearestUpsample(name=f"upsample_{index // 2}")(x)
        x = EqualizedConv2D(progan.level_filters(index // 2, top, base_filters, max_filters), 3, name=f"conv_{index}")(
            x
        )
        x = _style_layer(x, noise[index], styles, index)
    x = EqualizedConv2D(channels, 1, gain=1.0, name="to_rgb")(x)
    image = keras.layers.Activation("tanh", dtype="float32", name="image")(x)
    return keras.Model([styles, *noise], image, name=name)


def stylegan_generator(output_shape, latent_dim, *, num_classes=None, w_dim=64, mapping_layers=4,
                       mapping_lr_multiplier=0.01, base_filters=16, max_filters=128, noise_seed=0, name="generator"):
    """Latent -> image: mapping, truncation, the same w for every layer, synthesis with fixed noise.

    Args:
        output_shape: `(size, size, channels)`, size 4 times a power of 2.
        latent_dim: size of z.
        num_classes: must be None (unconditional).
        w_dim: size of w (and of the styles).
        mapping_layers: dense layers of the mapping network.
        mapping_lr_multiplier: learning-rate multiplier of the mapping network.
        base_filters: filters at the top level; each lower level doubles them.
        max_filters: most filters of any level.
        noise_seed: seed of the fixed noise images (layer `i` uses `noise_seed + i`).
        name: name of the returned model.
    """
    progan.check_unconditional(num_classes, "stylegan_generator")
    size = progan.square_size(output_shape, "output_shape")
    mapping = mapping_network(latent_dim, w_dim=w_dim, mapping_layers=mapping_layers,
                              lr_multiplier=mapping_lr_multiplier)
    synthesis = synthesis_network(output_shape, w_dim=w_dim, base_filters=base_filters, max_filters=max_filters)
    sizes = synthesis_layer_sizes(size)
    latent = conditioning.latent_input(latent_dim)
    w = Truncation(name=TRUNCATION)(mapping(latent))
    styles = keras.layers.RepeatVector(len(sizes), name="styles")(w)
    noise = [ConstantNoise(side, seed=noise_seed + index, name=f"constant_noise_{index}")(latent)
             for index, side in enumerate(sizes)]
    return keras.Model(latent, synthesis([styles, *noise]), name=name)


def stylegan_discriminator(input_shape, *, num_classes=None, base_filters=16, max_filters=128, minibatch_group=4,
                           name="discriminator"):
    """The progressive GAN's discriminator at full size (see `progan.progan_discriminator`)."""
    return progan.progan_discriminator(input_shape, num_classes=num_classes, base_filters=base_filters,
                                       max_filters=max_filters, minibatch_group=minibatch_group, progressive=False,
                                       name=name)
