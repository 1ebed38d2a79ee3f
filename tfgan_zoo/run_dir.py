"""The layout of a run directory, in one place."""

import dataclasses
import json
import os

from tfgan_zoo.recipes import Recipe
from tfgan_zoo.reliability import checkpoints, files

# Fields a resumed run may change: its budget. Anything else must match.
BUDGET_FIELDS = ("steps", "minutes", "cpu_minutes")
# Fields that say what a run is for, not how it trains: a resumed run may differ in them.
DESCRIPTIVE_FIELDS = ("description", "expect")


@dataclasses.dataclass(frozen=True)
class RunDir:
    """Paths inside a run directory.

    ```
    DIR/recipe.json                        the resolved recipe (also stored inside each checkpoint)
    DIR/.lock                              held by the process training in DIR (reliability.lock)
    DIR/checkpoints/model.keras            the latest model (weights, optimizers, step)
    DIR/checkpoints/model.prev-<N>.keras   the good checkpoints before it (reliability.checkpoints)
    DIR/checkpoints/state.json             bookkeeping (step, elapsed seconds, data fingerprint, rollbacks)
    DIR/samples/step_<N>.png               sample grids
    DIR/logs/                              TensorBoard (train/, samples/)
    ```
    """

    root: str

    @property
    def recipe(self):
        return os.path.join(self.root, "recipe.json")

    @property
    def checkpoint(self):
        """Where the newest checkpoint is written; `load_checkpoint` falls back to older good ones."""
        return os.path.join(self.root, "checkpoints", "model.keras")

    @property
    def state(self):
        return os.path.join(self.root, "checkpoints", "state.json")

    @property
    def samples(self):
        return os.path.join(self.root, "samples")

    @property
    def logs(self):
        return os.path.join(self.root, "logs")

    def has_run(self):
        return os.path.exists(self.recipe) or self.has_checkpoint()

    def has_checkpoint(self):
        return bool(checkpoints.candidates(self.checkpoint))

    def checkpoint_recipe(self):
        """The recipe inside the newest readable checkpoint, or None (none, or written before checkpoints held it)."""
        for path in checkpoints.candidates(self.checkpoint):
            stored = checkpoints.stored_recipe(path)
            if stored is not None:
                return Recipe.from_dict(stored)
        return None

    def read_recipe(self):
        """The run's recipe: the one stored inside its newest checkpoint, else `recipe.json`.

        The checkpoint's copy is the run's identity (a lost or rewritten
        `recipe.json` cannot change it); `recipe.json` is read for runs
        without a checkpoint yet and for checkpoints written before recipes were stored in them.
        """
        stored = self.checkpoint_recipe()
        if stored is not None:
            return stored
        if not os.path.exists(self.recipe):
            raise ValueError(
                f"{self.recipe} is missing and no checkpoint holds the recipe. Received: run={self.root!r}")
        values = _read_json(self.recipe, "the run's recipe")
        try:
            return Recipe.from_dict(values)
        except TypeError as error:
            raise ValueError(f"{self.recipe} does not hold a recipe ({error}). Received: run={self.root!r}") from None

    def write_recipe(self, recipe):
        # Atomic (temporary file, then rename): the other workers of a
        # multi-worker run read this file while the chief rewrites it.
        with files.clear_os_errors("write the run's recipe"):
            os.makedirs(self.root, exist_ok=True)
            files.write_json_atomically(self.recipe, recipe.to_dict())

    def read_state(self):
        if not os.path.exists(self.state):
            return {}
        return _read_json(self.state, "the run's bookkeeping (step, elapsed time)")


def _read_json(path, what):
    try:
        with open(path) as handle:
            values = json.load(handle)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError(
            f"{path} ({what}) is corrupt: {error}. Restore it from a backup, or delete it "
            f"(the checkpoint holds the recipe and the step). Received: path={path!r}"
        ) from None
    if not isinstance(values, dict):
        raise ValueError(f"{path} ({what}) is corrupt: it holds no JSON object. Received: path={path!r}")
    return values


def resolve_recipe(run, recipe):
    """The recipe to train in `run`: the stored one (with a new budget) if it exists.

    The run's identity is the recipe stored inside its checkpoint (from
    `recipe.json` only for checkpoints written before recipes were stored in
    them, or before the first checkpoint), so a lost `recipe.json` cannot let another recipe take
    the run over.
    """
    if not run.has_run():
        return recipe
    if run.has_checkpoint() and not os.path.exists(run.recipe) and run.checkpoint_recipe() is None:
        raise ValueError(
            f"{run.root} holds a checkpoint without its recipe ({run.recipe} is missing and the checkpoint "
            f"predates stored recipes), so which recipe it trains cannot be checked; restore {run.recipe} or "
            f"choose another --out. Received: recipe={recipe.name!r}"
        )
    stored = run.read_recipe()
    differing = [
        field.name
        for field in dataclasses.fields(recipe)
        if field.name not in BUDGET_FIELDS + DESCRIPTIVE_FIELDS
        and getattr(stored, field.name) != getattr(recipe, field.name)
    ]
    if differing:
        raise ValueError(
            f"{run.root} holds a run of recipe {stored.name!r} that differs in {differing}; resume it with the "
            f"same recipe and flags (only {list(BUDGET_FIELDS)} may change) or choose another --out. "
            f"Received: recipe={recipe.name!r}"
        )
    return dataclasses.replace(stored, **{name: getattr(recipe, name) for name in BUDGET_FIELDS + DESCRIPTIVE_FIELDS})
