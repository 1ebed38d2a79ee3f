"""Build functions of `models.GAN` and the variants that add a network or codes to its update rule."""

from tfgan_zoo import networks
from tfgan_zoo.builders import common
from tfgan_zoo.models import infogan, stabilisers
from tfgan_zoo.networks import classifiers, info_heads


def build_gan(model_class, recipe, sample_shape, num_classes):
    """`recipe.networks`' pair (D built for packed inputs when `pack` > 1), the switches and `model_options`.

    Builds `models.GAN` and the subclasses that take the same arguments
    (BigGAN, ProGAN, StyleGAN, the unrolled GAN).
    """
    generator, discriminator = networks.build_networks(
        recipe.networks,
        sample_shape,
        recipe.latent_dim,
        num_classes=num_classes,
        generator_kwargs=recipe.generator_options,
        discriminator_kwargs=recipe.discriminator_options,
        discriminator_shape=stabilisers.packed_shape(sample_shape, recipe.pack),
    )
    return model_class(generator, discriminator, **common.switch_kwargs(recipe), **recipe.model_options,
                       **common.latent_model_kwargs(recipe, num_classes))


def build_infogan(model_class, recipe, sample_shape, num_classes):
    """InfoGAN, whose recipe's `latent_dim` is the size of the noise `z`.

    The generator's latent input is `recipe.latent_dim` plus the code values
    set in `model_options` (`categorical_codes`, `continuous_codes`; the
    paper's by default).
    """
    options = dict(recipe.model_options)
    categorical, continuous = info_heads.check_codes(
        options.get("categorical_codes", infogan.DEFAULT_CATEGORICAL_CODES),
        options.get("continuous_codes", infogan.DEFAULT_CONTINUOUS_CODES),
    )
    generator, discriminator = networks.build_networks(
        recipe.networks,
        sample_shape,
        recipe.latent_dim + sum(categorical) + continuous,
        num_classes=num_classes,
        generator_kwargs=recipe.generator_options,
        discriminator_kwargs=recipe.discriminator_options,
    )
    return model_class(generator, discriminator, **common.switch_kwargs(recipe), **options,
                       **common.latent_model_kwargs(recipe, num_classes))


def build_controlgan(model_class, recipe, sample_shape, num_classes):
    """ControlGAN: a conditional generator, an unconditional discriminator, and a classifier.

    `model_options` may hold `classifier_network` (a kind of
    `classifiers.CLASSIFIERS`; default by sample shape) and
    `classifier_options` (its builder's keyword arguments); the other entries
    are `ControlGAN` arguments.
    """
    common.require_labels("ControlGAN", recipe, num_classes)
    build_generator, build_discriminator = common.network_pair(recipe.networks)
    options = dict(recipe.model_options)
    shape = tuple(sample_shape)
    generator = build_generator(shape, recipe.latent_dim, num_classes=num_classes, **recipe.generator_options)
    discriminator = build_discriminator(shape, **recipe.discriminator_options)
    classifier = classifiers.build_classifier(
        options.pop("classifier_network", None), shape, num_classes, **options.pop("classifier_options", {})
    )
    return model_class(generator, discriminator, classifier, **common.switch_kwargs(recipe), **options,
                       **common.latent_model_kwargs(recipe, num_classes))
