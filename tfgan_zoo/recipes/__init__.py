"""Named, overridable training recipes."""

from tfgan_zoo.recipes.catalog import DEFAULT_RECIPE, RECIPES
from tfgan_zoo.recipes.recipe import Recipe, parse_assignments


def get_recipe(name):
    """Returns the recipe registered under `name`."""
    if name not in RECIPES:
        raise ValueError(f"Unknown recipe. Run `tfgan-zoo list` for the names. Received: recipe={name!r}")
    return RECIPES[name]
