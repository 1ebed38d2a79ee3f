"""Build functions of the variants whose generator is a stack of networks: LAPGAN's levels, StackGAN's stages."""

from tfgan_zoo import networks
from tfgan_zoo.builders import common
from tfgan_zoo.data import captions
from tfgan_zoo.networks import lapgan as lapgan_networks
from tfgan_zoo.networks import stackgan as stackgan_networks
from tfgan_zoo.networks import text_encoder as text_encoder_lib


def build_lapgan(model_class, recipe, sample_shape, num_classes):
    """Level 0 from `recipe.networks` and its options; the finer levels from `model_options`.

    `model_options`: `levels` (residual levels, default 2), `noise_channels`
    (default 1), `residual_generator_options` and
    `residual_discriminator_options` (keyword arguments of
    `residual_generator` and `residual_discriminator`); the rest are
    `LAPGAN` arguments.
    """
    options = dict(recipe.model_options)
    shapes = lapgan_networks.pyramid_shapes(tuple(sample_shape), options.pop("levels", 2))
    noise_channels = options.pop("noise_channels", 1)
    generator_options = options.pop("residual_generator_options", {})
    discriminator_options = options.pop("residual_discriminator_options", {})
    coarsest_generator, coarsest_discriminator = networks.build_networks(
        recipe.networks, shapes[0], recipe.latent_dim,
        generator_kwargs={**recipe.generator_options, "name": "level_0_generator"},
        discriminator_kwargs={**recipe.discriminator_options, "name": "level_0_discriminator"},
    )
    generators, discriminators = [coarsest_generator], [coarsest_discriminator]
    for level, shape in enumerate(shapes[1:], start=1):
        generators.append(lapgan_networks.residual_generator(
            shape, noise_channels=noise_channels, name=f"level_{level}_generator", **generator_options
        ))
        discriminators.append(lapgan_networks.residual_discriminator(
            shape, name=f"level_{level}_discriminator", **discriminator_options
        ))
    return model_class(generators, discriminators, loss=recipe.loss, **options,
                       **common.latent_model_kwargs(recipe, num_classes))


def build_stackgan(model_class, recipe, sample_shape, num_classes):
    """StackGAN's networks; the text encoder is built and pre-trained here, from `recipe.seed`.

    `recipe.latent_dim` is the width of z and of each condition;
    `generator_options` and `discriminator_options` apply to both stages
    (`residual_blocks` to Stage-II only). `model_options`: `stage1_steps`
    (required), `kl_weight`, `stage2_scale` (2 or 4), `text_encoder`
    (options of `networks.text_encoder.text_encoder`, plus `pretrain_steps`),
    `compressed_dim` (D's compressed embedding). The captions are the
    condition, so the model takes no classes.
    """
    options = dict(recipe.model_options)
    text_options = dict(options.pop("text_encoder", {}))
    pretrain_steps = text_options.pop("pretrain_steps", 300)
    scale = options.pop("stage2_scale", 2)
    compressed_dim = options.pop("compressed_dim", 32)
    size, channels = sample_shape[0], sample_shape[-1]

    text_encoder = text_encoder_lib.text_encoder(**text_options)
    text_encoder_lib.pretrain_text_encoder(text_encoder, steps=pretrain_steps, seed=recipe.seed)
    embedding_dim = int(text_encoder.output.shape[-1])
    dims = dict(condition_dim=recipe.latent_dim, embedding_dim=embedding_dim, channels=channels)
    generator_options = dict(recipe.generator_options)
    residual_blocks = generator_options.pop("residual_blocks", 2)
    stage1_generator = stackgan_networks.stage1_generator(
        size // scale, noise_dim=recipe.latent_dim, **dims, **generator_options)
    stage2_generator = stackgan_networks.stage2_generator(
        size, scale=scale, residual_blocks=residual_blocks, **dims, **generator_options)
    discriminators = [
        stackgan_networks.stage_discriminator(
            (side, side, channels), embedding_dim=embedding_dim, compressed_dim=compressed_dim,
            name=f"stage{stage}_discriminator", **recipe.discriminator_options)
        for stage, side in ((1, size // scale), (2, size))
    ]
    return model_class(text_encoder, stage1_generator, discriminators[0], stage2_generator, discriminators[1],
                       loss=recipe.loss, **options, **common.latent_model_kwargs(recipe, None))


def captioned_batches(recipe, replicas=1):
    """Endless `(images, caption token ids)` batches; held-out caption combinations never appear."""
    return captions.load_captioned(recipe.dataset, recipe.global_batch(replicas),
                                   image_size=recipe.image_size or None, seed=recipe.seed)
