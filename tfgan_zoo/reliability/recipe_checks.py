"""Recipe values refused before anything is built, each with the field and the value received.

Which fields a variant reads is declared by its builder (`tfgan_zoo.builders`).
"""

import dataclasses
import inspect
import math
import re

from tfgan_zoo import builders, networks

# Optimizer hyperparameters in [0, 1): Adam's betas, SGD's momentum (beta1), RMSprop's rho (beta2).
_BETAS = {"adam": ("beta1", "beta2"), "sgd": ("beta1",), "rmsprop": ("beta2",)}
_UNEXPECTED_KEYWORD = re.compile(r"unexpected keyword argument '(\w+)'")


def check_recipe(recipe):
    """Raises ValueError for a recipe that could not train soundly.

    Checks: every float field finite; learning rates > 0; betas, momentum and
    rho in [0, 1); `batch_size` divisible by `pack`; no field set that the
    recipe's variant does not read (`builders.Builder.check_fields`); network
    options of the right type.
    """
    for field in dataclasses.fields(recipe):
        value = getattr(recipe, field.name)
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"Recipe field {field.name} must be a finite number. Received: {field.name}={value!r}")
    _check_optimizers(recipe)
    if recipe.batch_size % recipe.pack:
        raise ValueError(
            f"pack={recipe.pack} packs that many samples into one discriminator input, so batch_size must be a "
            f"multiple of it. Received: batch_size={recipe.batch_size}, pack={recipe.pack}"
        )
    builders.get_builder(recipe.model).check_fields(recipe)
    _check_network_options(recipe)


def _check_optimizers(recipe):
    for network in ("g", "d"):
        learning_rate = getattr(recipe, f"{network}_lr")
        if not learning_rate > 0:
            raise ValueError(f"Learning rates must be > 0. Received: {network}_lr={learning_rate!r}")
        kind = getattr(recipe, f"{network}_optimizer")
        for beta in _BETAS.get(kind, ()):
            name = f"{network}_{beta}"
            value = getattr(recipe, name)
            if not 0.0 <= value < 1.0:
                raise ValueError(f"{name} of the {kind} optimizer must be in [0, 1). Received: {name}={value!r}")


def _check_network_options(recipe):
    """Refuses a network option whose value is not of the type of the builder's default (e.g. base_filters="abc")."""
    builders = networks.NETWORKS.get(recipe.networks) or networks.IMAGE_TO_IMAGE_NETWORKS.get(recipe.networks)
    if builders is None:
        return  # networks a variant builds itself: its builders check their options
    for field, builder in zip(("generator_options", "discriminator_options"), builders, strict=True):
        parameters = inspect.signature(builder).parameters
        for key, value in getattr(recipe, field).items():
            if key in parameters and not _same_kind(parameters[key].default, value):
                default = parameters[key].default
                raise ValueError(
                    f"{field}.{key} must be of type {type(default).__name__} (default {default!r}) for "
                    f"{recipe.networks} networks. Received: {field}.{key}={value!r}"
                )


def _same_kind(default, value):
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return True  # None or structured defaults: the builder checks


def unknown_option_error(recipe, error):
    """The ValueError for a builder's "unexpected keyword argument" TypeError, or None for other TypeErrors."""
    match = _UNEXPECTED_KEYWORD.search(str(error))
    if match is None:
        return None
    key = match.group(1)
    fields = [f"{field}.{key}" for field in ("generator_options", "discriminator_options", "model_options")
              if key in getattr(recipe, field)]
    where = " or ".join(fields) or key
    return ValueError(
        f"Unknown option {where} for model {recipe.model!r} with {recipe.networks!r} networks ({error}). "
        f"Received: {where}={_option_value(recipe, fields)!r}"
    )


def _option_value(recipe, fields):
    if not fields:
        return None
    field, _, key = fields[0].partition(".")
    return getattr(recipe, field)[key]
