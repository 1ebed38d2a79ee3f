"""DAGAN's networks: an image-conditioned generator and a discriminator of image pairs.

- `image_conditioned_generator`: `[latent, image]` -> a variation of the
  image: a DCGAN encoder compresses the image to a code, which the latent
  joins before a DCGAN generator decodes them.
- `pair_discriminator`: `[image, other]` -> one score, a DCGAN discriminator
  on the two images stacked along the channels.

Simplified from the paper's UNet/ResNet generator and DenseNet
discriminator to the zoo's DCGAN building blocks (no skip connections).

Reference: Antoniou et al., "Data Augmentation Generative Adversarial
Networks", 2017.
"""

import keras

from tfgan_zoo.networks import conditioning
from tfgan_zoo.networks.dcgan import dcgan_discriminator, dcgan_generator
from tfgan_zoo.networks.encoders import dcgan_encoder


def image_conditioned_generator(image_shape, latent_dim, *, code_dim=64, base_filters=32, name="generator"):
    """`[latent, image]` -> image in [-1, 1]: decoder(concat(latent, encoder(image))).

    Args:
        image_shape: `(size, size, channels)`, size 4 or 7 times a power of 2.
        latent_dim: size of the noise input (named `latent`, the first input).
        code_dim: size of the image's code.
        base_filters: filters of the encoder's first and the decoder's last layer.
        name: name of the returned model.
    """
    latent, image = conditioning.latent_input(latent_dim), conditioning.sample_input(image_shape)
    encoder = dcgan_encoder(tuple(image_shape), code_dim, base_filters=base_filters, name="image_encoder")
    decoder = dcgan_generator(tuple(image_shape), latent_dim + code_dim, base_filters=base_filters, name="decoder")
    joined = keras.layers.Concatenate(name="latent_and_code")([latent, encoder(image)])
    return keras.Model([latent, image], decoder(joined), name=name)


def pair_discriminator(image_shape, *, base_filters=32, normalization="layer", name="discriminator"):
    """`[image, other]` -> one score: do the two images belong together?

    Args:
        image_shape: `(size, size, channels)` of each image.
        base_filters: filters of the first convolution.
        normalization: as in `dcgan_discriminator` (layer normalization by
            default: the pair is judged on its own, not with the batch).
        name: name of the returned model.
    """
    height, width, channels = image_shape
    image = keras.Input(tuple(image_shape), name="image")
    other = keras.Input(tuple(image_shape), name="other")
    trunk = dcgan_discriminator((height, width, 2 * channels), base_filters=base_filters,
                                normalization=normalization, name="pair_trunk")
    stacked = keras.layers.Concatenate(axis=-1, name="pair")([image, other])
    return keras.Model([image, other], trunk(stacked), name=name)
