"""Generators and discriminators, and the registry recipes pick them from."""

from tfgan_zoo.networks.dcgan import dcgan_discriminator, dcgan_generator
from tfgan_zoo.networks.features import FEATURES_LAYER, features_and_scores
from tfgan_zoo.networks.mlp import mlp_discriminator, mlp_generator
from tfgan_zoo.networks.tutorial import tutorial_discriminator, tutorial_generator

# name -> (generator builder, discriminator builder). Builders take the sample
# shape first, then keyword arguments.
NETWORKS = {
    "mlp": (mlp_generator, mlp_discriminator),
    "dcgan": (dcgan_generator, dcgan_discriminator),
    "tutorial": (tutorial_generator, tutorial_discriminator),
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
