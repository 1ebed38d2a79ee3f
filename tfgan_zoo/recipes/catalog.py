"""Named recipes, gathered from one module per family.

Each recipe lists only what differs from the `Recipe` defaults. Budgets are for
the reference machine (2 CPU cores); `steps` is an upper bound and `minutes` a
wall-clock budget (0: none). A new family adds its module to `_FAMILIES`.
"""

from tfgan_zoo.recipes import (
    codes,
    foundation,
    image_to_image,
    inpainting,
    stabilisers,
    stacked,
    staged,
    style,
    synthetic,
    two_stage,
)

DEFAULT_RECIPE = "dcgan_shapes"

_FAMILIES = (foundation, stabilisers, stacked, codes, image_to_image, inpainting, synthetic, staged, style, two_stage)


def _gather(families):
    recipes = {}
    for family in families:
        for recipe in family.RECIPES:
            if recipe.name in recipes:
                raise ValueError(f"Recipe {recipe.name!r} is defined twice (again in {family.__name__}).")
            recipes[recipe.name] = recipe
    return recipes


RECIPES = _gather(_FAMILIES)
