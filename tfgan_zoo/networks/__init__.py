"""Generators and discriminators, and the registry recipes pick them from."""

from tfgan_zoo.networks.biggan import biggan_discriminator, biggan_generator
from tfgan_zoo.networks.dcgan import dcgan_discriminator, dcgan_generator
from tfgan_zoo.networks.features import FEATURES_LAYER, features_and_scores
from tfgan_zoo.networks.gran import gran_generator
from tfgan_zoo.networks.inpainting import inpainting_unet_generator
from tfgan_zoo.networks.mlp import mlp_discriminator, mlp_generator
from tfgan_zoo.networks.patchgan import patchgan_discriminator
from tfgan_zoo.networks.progan import progan_discriminator, progan_generator
from tfgan_zoo.networks.rebuild import rebuild
from tfgan_zoo.networks.resnet_generator import resnet_generator
from tfgan_zoo.networks.sagan import sagan_discriminator, sagan_generator
from tfgan_zoo.networks.srresnet import srgan_discriminator, srresnet_generator
from tfgan_zoo.networks.stylegan import stylegan_discriminator, stylegan_generator
from tfgan_zoo.networks.tutorial import tutorial_discriminator, tutorial_generator
from tfgan_zoo.networks.unet import unet_generator

# name -> (generator builder, discriminator builder). Builders take the sample
# shape first, then keyword arguments.
NETWORKS = {
    "mlp": (mlp_generator, mlp_discriminator),
    "dcgan": (dcgan_generator, dcgan_discriminator),
    "tutorial": (tutorial_generator, tutorial_discriminator),
    "sagan": (sagan_generator, sagan_discriminator),
    "biggan": (biggan_generator, biggan_discriminator),
    "gran": (gran_generator, dcgan_discriminator),
    "progan": (progan_generator, progan_discriminator),
    "stylegan": (stylegan_generator, stylegan_discriminator),
}


def build_networks(
    name, sample_shape, latent_dim, *, num_classes=None, generator_kwargs=None, discriminator_kwargs=None,
    discriminator_shape=None,
):
    """Builds the `(generator, discriminator)` pair registered under `name`.

    `discriminator_shape` is the discriminator's per-input shape when it
    differs from the samples' (PacGAN's packed inputs); default `sample_shape`.
    """
    if name not in NETWORKS:
        raise ValueError(f"Unknown networks. Expected one of {sorted(NETWORKS)}. Received: networks={name!r}")
    build_generator, build_discriminator = NETWORKS[name]
    generator = build_generator(tuple(sample_shape), latent_dim, num_classes=num_classes, **(generator_kwargs or {}))
    discriminator = build_discriminator(
        tuple(discriminator_shape or sample_shape), num_classes=num_classes, **(discriminator_kwargs or {})
    )
    return generator, discriminator


# Image-to-image networks: name -> (generator builder, discriminator builder).
# Generators take `(source_shape, output_channels)`, discriminators
# `(source_shape, target_shape)`, then keyword arguments.
IMAGE_TO_IMAGE_NETWORKS = {"unet_patchgan": (unet_generator, patchgan_discriminator),
                           "resnet_patchgan": (resnet_generator, patchgan_discriminator),
                           "srresnet_srgan": (srresnet_generator, srgan_discriminator)}


def build_image_to_image_networks(
    name, source_shape, target_shape, *, generator_kwargs=None, discriminator_kwargs=None
):
    """Builds the `(generator, discriminator)` pair registered under `name` in `IMAGE_TO_IMAGE_NETWORKS`."""
    if name not in IMAGE_TO_IMAGE_NETWORKS:
        raise ValueError(
            f"Unknown image-to-image networks. Expected one of {sorted(IMAGE_TO_IMAGE_NETWORKS)}. "
            f"Received: networks={name!r}"
        )
    build_generator, build_discriminator = IMAGE_TO_IMAGE_NETWORKS[name]
    generator = build_generator(tuple(source_shape), target_shape[-1], **(generator_kwargs or {}))
    discriminator = build_discriminator(tuple(source_shape), tuple(target_shape), **(discriminator_kwargs or {}))
    return generator, discriminator


# Inpainting networks: name -> (generator builder, discriminator builder). Generators take the image shape
# and return `[image, mask] -> image`; discriminators `(mask_shape, image_shape)`: D judges an image given its mask.
INPAINTING_NETWORKS = {"unet_patchgan": (inpainting_unet_generator, patchgan_discriminator)}


def build_inpainting_networks(name, image_shape, *, generator_kwargs=None, discriminator_kwargs=None):
    """Builds the `(generator, discriminator)` pair registered under `name` in `INPAINTING_NETWORKS`."""
    if name not in INPAINTING_NETWORKS:
        raise ValueError(
            f"Unknown inpainting networks. Expected one of {sorted(INPAINTING_NETWORKS)}. Received: networks={name!r}"
        )
    build_generator, build_discriminator = INPAINTING_NETWORKS[name]
    generator = build_generator(tuple(image_shape), **(generator_kwargs or {}))
    discriminator = build_discriminator(
        (*tuple(image_shape)[:2], 1), tuple(image_shape), **(discriminator_kwargs or {})
    )
    return generator, discriminator
