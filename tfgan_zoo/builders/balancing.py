"""Build functions of the variants that top up the minority classes of a dataset: BAGAN and DAGAN.

Both train on labelled batches, an imbalanced view of the data when
`model_options` names one (`tfgan_zoo.data.imbalance.RECIPE_OPTIONS`, read
by `imbalance.recipe_batches`, their builders' dataset function).
"""

from tfgan_zoo.builders import common
from tfgan_zoo.data import imbalance
from tfgan_zoo.networks import bagan as bagan_networks
from tfgan_zoo.networks import dagan as dagan_networks
from tfgan_zoo.networks import encoders


def build_bagan(model_class, recipe, sample_shape, num_classes):
    """BAGAN: encoder, decoder and D's trunk from `recipe.networks` (`"dcgan"` or `"mlp"`).

    The encoder's options travel in `model_options["encoder_options"]`; D's
    trunk takes the same ones (its weights come from the encoder), so
    `discriminator_options` must stay empty.
    """
    common.require_labels("BAGAN", recipe, num_classes)
    if recipe.discriminator_options:
        raise ValueError(
            "BAGAN's discriminator is built like its encoder (model_options.encoder_options). "
            f"Received: discriminator_options={recipe.discriminator_options!r}"
        )
    encoder_options, options = common.split_encoder_options(recipe)
    options = imbalance.without_recipe_options(options)
    shape, latent_dim = tuple(sample_shape), recipe.latent_dim
    build_decoder, _ = common.network_pair(recipe.networks)
    decoder = build_decoder(shape, latent_dim, **{**recipe.generator_options, "name": bagan_networks.DECODER})
    generator = bagan_networks.class_latent_generator(decoder, num_classes)
    encoder = encoders.build_encoder(recipe.networks, shape, latent_dim, **encoder_options)
    # D's layers are a second encoder's (the model name is dropped; the layers are what D keeps).
    trunk = encoders.build_encoder(recipe.networks, shape, latent_dim, **encoder_options)
    discriminator = bagan_networks.encoder_discriminator(trunk, num_classes)
    return model_class(generator, discriminator, encoder, **options, **common.latent_model_kwargs(recipe, num_classes))


def build_dagan(model_class, recipe, sample_shape, num_classes):
    """DAGAN: `networks.dagan`'s generator (`generator_options`: `code_dim`, `base_filters`) and pair discriminator.

    The recipe must be `conditional` on a labelled dataset: the labels pick
    same-class partners (the model itself takes none). The model's
    `source_data` names the recipe's data, whose held-out part is what it
    varies when sampled without sources.
    """
    common.require_labels("DAGAN", recipe, num_classes, "pairs images of the same class")
    if recipe.networks != "dcgan":
        raise ValueError(f"DAGAN's networks are built from DCGAN blocks. Received: networks={recipe.networks!r}")
    shape = tuple(sample_shape)
    generator = dagan_networks.image_conditioned_generator(shape, recipe.latent_dim, **recipe.generator_options)
    discriminator = dagan_networks.pair_discriminator(shape, **recipe.discriminator_options)
    source_data = {"dataset": recipe.dataset, "image_size": recipe.image_size or None, "resize": recipe.resize}
    return model_class(generator, discriminator, loss=recipe.loss, source_data=source_data,
                       **imbalance.without_recipe_options(recipe.model_options),
                       **common.latent_model_kwargs(recipe, None))
