"""The layout of a run directory, in one place."""

import dataclasses
import json
import os

import keras

from tfgan_zoo.recipes import Recipe


@dataclasses.dataclass(frozen=True)
class RunDir:
    """Paths inside a run directory.

    ```
    DIR/recipe.json                 the resolved recipe
    DIR/checkpoints/model.keras     the latest model (weights, optimizers, step)
    DIR/checkpoints/state.json      bookkeeping (step, elapsed seconds)
    DIR/samples/step_<N>.png        sample grids
    DIR/logs/                       TensorBoard (train/, samples/)
    ```
    """

    root: str

    @property
    def recipe(self):
        return os.path.join(self.root, "recipe.json")

    @property
    def checkpoint(self):
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
        return os.path.exists(self.recipe)

    def has_checkpoint(self):
        return os.path.exists(self.checkpoint)

    def read_recipe(self):
        with open(self.recipe) as handle:
            return Recipe.from_dict(json.load(handle))

    def write_recipe(self, recipe):
        # Atomic (temporary file, then rename): the other workers of a
        # multi-worker run read this file while the chief rewrites it.
        os.makedirs(self.root, exist_ok=True)
        temporary = f"{self.recipe}.tmp"
        with open(temporary, "w") as handle:
            json.dump(recipe.to_dict(), handle, indent=2)
        os.replace(temporary, self.recipe)

    def read_state(self):
        if not os.path.exists(self.state):
            return {}
        with open(self.state) as handle:
            return json.load(handle)


def load_run(path):
    """Loads `(model, recipe)` from a run directory's latest checkpoint."""
    run = RunDir(path)
    if not run.has_checkpoint():
        raise ValueError(f"No trained run found (missing {run.checkpoint}). Received: run={path!r}")
    import tfgan_zoo.models  # noqa: F401  (registers the model classes for loading)

    return keras.models.load_model(run.checkpoint), run.read_recipe()
