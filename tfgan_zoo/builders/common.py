"""What the build functions of several families read from a recipe in the same way."""

from tfgan_zoo import networks
from tfgan_zoo.models.gan import SWITCH_ARGUMENTS


def model_kwargs(recipe, num_classes):
    """The `models.NetworkModel` arguments a recipe sets (`num_classes` is what the data says, or None)."""
    return dict(
        num_classes=num_classes,
        d_steps=recipe.d_steps,
        ema_decay=recipe.ema_decay or None,
        seed=recipe.seed,
        name=recipe.model,
    )


def latent_model_kwargs(recipe, num_classes):
    """The `models.AdversarialModel` arguments a recipe sets: `model_kwargs` and the latent prior."""
    return dict(model_kwargs(recipe, num_classes), latent_prior=recipe.latent_prior)


def switch_kwargs(recipe):
    """The loss family, penalties and stabilisation switches of `models.GAN` a recipe sets."""
    return {name: getattr(recipe, name) for name in ("loss", *SWITCH_ARGUMENTS)}


def network_pair(name):
    """`(generator builder, discriminator builder)` of `networks.NETWORKS[name]` (a recipe's `networks`)."""
    if name not in networks.NETWORKS:
        raise ValueError(f"Unknown networks. Expected one of {sorted(networks.NETWORKS)}. Received: networks={name!r}")
    return networks.NETWORKS[name]


def require_labels(variant, recipe, num_classes, why="needs labels"):
    """Raises unless the recipe is conditional on a labelled dataset (`num_classes` is set)."""
    if num_classes is None:
        raise ValueError(
            f"{variant} {why}: set conditional=True on a labelled dataset. "
            f"Received: conditional={recipe.conditional!r}, dataset={recipe.dataset!r}"
        )


def split_encoder_options(recipe):
    """`(encoder options, other model_options)`: a third network's builder options travel in
    `model_options["encoder_options"]` (the recipe has no field of its own for it)."""
    options = dict(recipe.model_options)
    encoder_options = options.pop("encoder_options", None) or {}
    if not isinstance(encoder_options, dict):
        raise ValueError(f"model_options.encoder_options must be a dict. Received: encoder_options={encoder_options!r}")
    return dict(encoder_options), options


def without_keys(options, keys):
    """`options` without `keys`: the `model_options` left for the model once the data's keys are taken out."""
    return {key: value for key, value in options.items() if key not in keys}
