"""Build functions of the variants with an encoder beside the generator: BiGAN, the adversarial autoencoder,
the VAE and VAE-GAN. The encoder's builder options travel in `model_options["encoder_options"]`."""

from tfgan_zoo.builders import common
from tfgan_zoo.networks import encoders, vae_encoders


def build_bigan(model_class, recipe, sample_shape, num_classes):
    """BiGAN: the encoder and generator of `recipe.networks` and the joint discriminator D(x, z)."""
    return _build_encoder_model(model_class, recipe, sample_shape, num_classes, _joint_discriminator)


def build_adversarial_autoencoder(model_class, recipe, sample_shape, num_classes):
    """The adversarial autoencoder: the encoder and generator of `recipe.networks` and a code discriminator D(z)."""
    return _build_encoder_model(model_class, recipe, sample_shape, num_classes, _code_discriminator)


def _joint_discriminator(recipe, sample_shape):
    return encoders.build_joint_discriminator(
        recipe.networks, sample_shape, recipe.latent_dim, **recipe.discriminator_options
    )


def _code_discriminator(recipe, sample_shape):
    return encoders.code_discriminator(recipe.latent_dim, **recipe.discriminator_options)


def _build_encoder_model(model_class, recipe, sample_shape, num_classes, build_discriminator):
    """A `models.EncoderAdversarialModel`: its encoder, the generator of `recipe.networks`, then
    `build_discriminator(recipe, sample_shape)`."""
    encoder_options, options = common.split_encoder_options(recipe)
    encoder = encoders.build_encoder(recipe.networks, sample_shape, recipe.latent_dim, **encoder_options)
    build_generator, _ = common.network_pair(recipe.networks)
    generator = build_generator(tuple(sample_shape), recipe.latent_dim, **recipe.generator_options)
    discriminator = build_discriminator(recipe, sample_shape)
    return model_class(generator, discriminator, encoder, loss=recipe.loss, **options,
                       **common.latent_model_kwargs(recipe, num_classes))


def build_vae(model_class, recipe, sample_shape, num_classes):
    """The VAE: the decoder of `recipe.networks` and `generator_options`, the encoder of
    `model_options["encoder_options"]`; the other `model_options` are `VAE` arguments."""
    decoder = _build_decoder(recipe, sample_shape, num_classes)
    encoder, options = _build_vae_encoder(recipe, sample_shape, num_classes)
    return model_class(encoder, decoder, **options, **common.latent_model_kwargs(recipe, num_classes))


def build_vae_gan(model_class, recipe, sample_shape, num_classes):
    """VAE-GAN: decoder and discriminator of `recipe.networks` and their options, the encoder of
    `model_options["encoder_options"]`; the other `model_options` are `VAEGAN` arguments."""
    generator = _build_decoder(recipe, sample_shape, num_classes)
    _, build_discriminator = common.network_pair(recipe.networks)
    discriminator = build_discriminator(tuple(sample_shape), num_classes=num_classes, **recipe.discriminator_options)
    encoder, options = _build_vae_encoder(recipe, sample_shape, num_classes)
    return model_class(encoder, generator, discriminator, loss=recipe.loss, **options,
                       **common.latent_model_kwargs(recipe, num_classes))


def _build_decoder(recipe, sample_shape, num_classes):
    """The generator of `recipe.networks`, with `recipe.generator_options`."""
    build_generator, _ = common.network_pair(recipe.networks)
    return build_generator(tuple(sample_shape), recipe.latent_dim, num_classes=num_classes, **recipe.generator_options)


def _build_vae_encoder(recipe, sample_shape, num_classes):
    """`(encoder, the other model_options)`: the Gaussian encoder of `model_options["encoder_options"]`."""
    encoder_options, options = common.split_encoder_options(recipe)
    encoder = vae_encoders.build_encoder(
        recipe.networks, sample_shape, recipe.latent_dim, num_classes=num_classes, **encoder_options
    )
    return encoder, options
