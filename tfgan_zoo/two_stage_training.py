"""Two-stage recipes: a low-resolution GAN, then a super-resolution upscaler, as one run and one generator.

A two-stage recipe (`model="two_stage"`) names two catalog recipes in its
`model_options`; `train_two_stage` (what `training.train` and `tfgan-zoo
train` call for it) trains them one after the other as two ordinary runs,
then composes their sampling generators into one `models.TwoStage`, which
samples and exports like any generator (latent in, upscaled image out):

```
OUT/recipe.json               the two-stage recipe
OUT/stage1/                   an ordinary run of stage 1's recipe (checkpoints, samples, logs)
OUT/stage2/                   an ordinary run of stage 2's recipe
OUT/checkpoints/model.keras   the composed TwoStage (written once both stages have trained)
OUT/samples/stages.png        stage 1's samples above their bicubic and upscaled versions
```

The two stages train independently (the upscaler learns from real
low/high-resolution pairs, not from stage 1's samples), so each keeps the
exact resume of an ordinary run, and an interrupted pipeline resumes in the
stage it stopped in: a stage whose budget is spent is not trained again.

`model_options`:

- `stage1`: a catalog recipe of a latent generator (a GAN), e.g. `"gan_mnist8k"`;
- `stage2`: a catalog recipe of an image-to-image model that enlarges
  stage 1's images, e.g. `"srgan_mnist8k"`; a fully convolutional upscaler
  trained at another input size (7 -> 28) is rebuilt for stage 1's (28 -> 112);
- `stage1_set`, `stage2_set`: overrides of those recipes (as `--set`), e.g.
  `{"image_size": 112}`;
- `stage1_share`: the share of the budget (`steps` and `minutes`) stage 1
  gets, in (0, 1) (default 0.5); stage 2 gets the rest;
- `smoke`: shrink both stages to their smoke sizes (what the recipe's
  `smoke` sets, so `--smoke` works).

The pipeline's own fields are the run's: its budget (split), `seed`,
`precision`, `jit_compile`, `sync_batchnorm` and `steps_per_epoch` (given to
both stages), `sample_count` (the stage grid). Every other field belongs to a
stage and must stay at its default here (set it in `stage1_set` /
`stage2_set`).
"""

import contextlib
import dataclasses
import os

import numpy as np
import tensorflow as tf

from tfgan_zoo import data, distribution, models, recipes, run_dir
from tfgan_zoo.builders import image_to_image as image_to_image_builders
from tfgan_zoo.callbacks.checkpoint import save_atomically
from tfgan_zoo.reliability import lock
from tfgan_zoo.run_dir import RunDir
from tfgan_zoo.saved_runs import load_run
from tfgan_zoo.utils import images

# The `model` of two-stage recipes: no model class, two runs trained and composed here.
TWO_STAGE = "two_stage"
STAGES = ("stage1", "stage2")
OPTION_DEFAULTS = {"stage1": None, "stage2": None, "stage1_set": {}, "stage2_set": {}, "stage1_share": 0.5,
                   "smoke": False}
# The pipeline's fields given to both stages, and its budget (split between them).
RUN_FIELDS = ("seed", "precision", "jit_compile", "sync_batchnorm", "steps_per_epoch")
BUDGET_FIELDS = run_dir.BUDGET_FIELDS
# The pipeline's own fields; any other must keep its `Recipe` default.
OWN_FIELDS = ("name", "description", "model", "model_options", "sample_count", "smoke", "expect", *RUN_FIELDS,
              *BUDGET_FIELDS)
GRID_NAME = "stages.png"
GRID_SEED = 1234


def is_two_stage(recipe):
    """Whether `recipe` is a two-stage pipeline."""
    return recipe.model == TWO_STAGE


# === Recipes ===
def stage_recipes(recipe):
    """`(stage1, stage2)`: the recipes the two stages train, with their overrides, budgets and run fields.

    Raises:
        ValueError: on unknown or missing options, a stage recipe that is not
            of the right kind, overrides of the pipeline's own fields in a
            stage, or pipeline fields that belong to a stage.
    """
    options = _options(recipe)
    _reject_stage_fields(recipe)
    budgets = _split_budget(recipe, options["stage1_share"])
    stages = []
    for stage, budget in zip(STAGES, budgets):
        name = options[stage]
        if not isinstance(name, str) or name not in recipes.RECIPES:
            raise ValueError(
                f"model_options.{stage} must name a catalog recipe (`tfgan-zoo list`). Received: {stage}={name!r}"
            )
        stage_recipe = recipes.get_recipe(name)
        _check_stage_kind(stage, stage_recipe)
        if options["smoke"]:
            stage_recipe = stage_recipe.smoke_sized()
        overrides = options[f"{stage}_set"]
        if not isinstance(overrides, dict):
            raise ValueError(f"model_options.{stage}_set must be a dict of recipe overrides. Received: {overrides!r}")
        owned = sorted({key.partition(".")[0] for key in overrides} & {*RUN_FIELDS, *BUDGET_FIELDS})
        if owned:
            raise ValueError(
                f"{owned} are the pipeline's fields, given to both stages; set them on the two-stage recipe, not in "
                f"model_options.{stage}_set. Received: {stage}_set={overrides!r}"
            )
        stage_recipe = stage_recipe.with_overrides(overrides)
        stages.append(
            stage_recipe.with_overrides({**{field: getattr(recipe, field) for field in RUN_FIELDS}, **budget})
        )
    return tuple(stages)


def _options(recipe):
    if not is_two_stage(recipe):
        raise ValueError(f"Not a two-stage recipe. Received: model={recipe.model!r}")
    unknown = sorted(set(recipe.model_options) - set(OPTION_DEFAULTS))
    if unknown:
        raise ValueError(
            f"Unknown two-stage options {unknown}. Expected some of {sorted(OPTION_DEFAULTS)}. "
            f"Received: model_options={recipe.model_options!r}"
        )
    options = {**OPTION_DEFAULTS, **recipe.model_options}
    share = options["stage1_share"]
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0.0 < share < 1.0:
        raise ValueError(f"model_options.stage1_share must be in (0, 1). Received: stage1_share={share!r}")
    if not isinstance(options["smoke"], bool):
        raise ValueError(f"model_options.smoke must be true or false. Received: smoke={options['smoke']!r}")
    return options


def _reject_stage_fields(recipe):
    defaults = recipes.Recipe()
    changed = [field.name for field in dataclasses.fields(recipe)
               if field.name not in OWN_FIELDS and getattr(recipe, field.name) != getattr(defaults, field.name)]
    if changed:
        received = ", ".join(f"{name}={getattr(recipe, name)!r}" for name in changed)
        raise ValueError(
            f"A two-stage recipe takes {changed} from its stages' recipes; set them in model_options.stage1_set or "
            f"stage2_set (e.g. --set=model_options.stage1_set='{{\"dataset\": \"mnist8k\"}}'). Received: {received}"
        )


def _split_budget(recipe, share):
    """`[{steps, minutes, cpu_minutes} of stage 1, of stage 2]`: `share` of the budget, then the rest."""
    if recipe.steps < 2:
        raise ValueError(
            f"A two-stage recipe needs steps >= 2 (one per stage at least). Received: steps={recipe.steps}"
        )
    first = min(recipe.steps - 1, max(1, round(recipe.steps * share)))
    return [{"steps": first, "minutes": recipe.minutes * share, "cpu_minutes": recipe.cpu_minutes * share},
            {"steps": recipe.steps - first, "minutes": recipe.minutes * (1.0 - share),
             "cpu_minutes": recipe.cpu_minutes * (1.0 - share)}]


def _check_stage_kind(stage, recipe):
    if is_two_stage(recipe):
        raise ValueError(f"A stage cannot be another two-stage recipe. Received: {stage}={recipe.name!r}")
    image_to_image = issubclass(models.get_model_class(recipe.model), models.ImageToImageModel)
    if image_to_image != (stage == "stage2"):
        kind = "a latent generator (a GAN)" if stage == "stage1" else "an image-to-image upscaler (SRGAN)"
        raise ValueError(f"{stage} must be {kind}. Received: {stage}={recipe.name!r} (model {recipe.model!r})")


def check_stage_shapes(stage1, stage2):
    """Raises unless stage 2's sources have the channels of stage 1's images (reads both datasets' shapes)."""
    sample_shape = tuple(data.recipe_info(stage1).shape)
    source_shape = image_to_image_builders.recipe_task(stage2).source_shape(tuple(data.recipe_info(stage2).shape))
    if len(sample_shape) != 3 or sample_shape[-1] != source_shape[-1]:
        raise ValueError(
            f"Stage 2 ({stage2.name}) must take stage 1's images: stage 1 ({stage1.name}) makes {sample_shape}, "
            f"stage 2 takes {source_shape}. "
            f"Received: stage1 dataset {stage1.dataset!r}, stage2 dataset {stage2.dataset!r}"
        )


# === Training ===
def train_two_stage(recipe, out_dir, train_stage, *, verbose="auto", extra_callbacks=(), strategy=None,
                    steps_per_execution=1, **run_options):
    """Trains both stages of a two-stage recipe in `out_dir` (resuming), then composes and saves them.

    `train_stage` trains one ordinary run: `training.train` passes itself
    when it is given a two-stage recipe (so this module needs no import of
    `training`). Other arguments as in `training.train`; `extra_callbacks` are
    given to each stage's `fit` (a fresh budget per stage for a CPU-time
    callback); `run_options` (`on_divergence`, ...) to each stage's `train_stage`.

    Returns:
        `(model, histories)`: the composed `models.TwoStage` and
        `{"stage1": History or None, "stage2": ...}` (None for a stage that
        had already spent its budget).
    """
    strategy = distribution.resolve_strategy(strategy)
    run = RunDir(os.fspath(out_dir))
    chief = distribution.is_chief(strategy)
    with lock.run_lock(run.root) if chief else contextlib.nullcontext():
        return _train_stages(recipe, run, chief, train_stage, verbose=verbose, extra_callbacks=extra_callbacks,
                             strategy=strategy, steps_per_execution=steps_per_execution, **run_options)


def _train_stages(recipe, run, chief, train_stage, **train_options):
    recipe = run_dir.resolve_recipe(run, recipe)
    stages = stage_recipes(recipe)
    check_stage_shapes(*stages)
    if chief:
        run.write_recipe(recipe)
    histories = {}
    for stage, stage_recipe in zip(STAGES, stages):
        # A stage that has spent its budget returns at once (`training.train`): a resume goes on where it stopped.
        _, histories[stage] = train_stage(stage_recipe, os.path.join(run.root, stage), **train_options)
    model = compose_runs(*(os.path.join(run.root, stage) for stage in STAGES), name=recipe.model)
    if chief:
        save_atomically(model, run.checkpoint, recipe=recipe.to_dict())
        write_stage_grid(model, os.path.join(run.samples, GRID_NAME), recipe.sample_count)
    return model, histories


def compose_runs(stage1_dir, stage2_dir, *, name="two_stage"):
    """The `models.TwoStage` of two trained runs' latest checkpoints (`TwoStage.from_models`).

    Composes runs trained separately too, e.g. `tfgan-zoo train --recipe=gan_mnist8k` and
    `--recipe=srgan_mnist8k`; export the result with `tfgan_zoo.export.export_model`.
    """
    stage1, _ = load_run(stage1_dir)
    stage2, _ = load_run(stage2_dir)
    return models.TwoStage.from_models(stage1, stage2, name=name)


# === Stage grid ===
def stage_grid(model, num, *, seed=GRID_SEED, columns=8):
    """A uint8 picture: per group of `columns` samples, stage 1's images (nearest-neighbour enlarged), their
    bicubic enlargement, and the upscaler's output, one row each."""
    low, high = model.generate_stages(num, seed=seed)
    size = list(high.shape[1:3])
    nearest = tf.image.resize(low, size, method="nearest").numpy()
    bicubic = tf.clip_by_value(tf.image.resize(low, size, method="bicubic"), -1.0, 1.0).numpy()
    if low.shape[-1] != high.shape[-1]:
        nearest, bicubic = (np.repeat(part, high.shape[-1], axis=-1) for part in (nearest, bicubic))
    columns = min(columns, num)
    padding = -num % columns  # blank (-1) images complete the last group
    blocks = [
        np.concatenate([part, -np.ones((padding, *part.shape[1:]), np.float32)]) for part in (nearest, bicubic, high)
    ]
    rows = [block[start : start + columns] for start in range(0, num + padding, columns) for block in blocks]
    return images.make_grid(images.to_uint8(np.concatenate(rows)), columns)


def write_stage_grid(model, path, num, *, seed=GRID_SEED, columns=8):
    """Writes `stage_grid` as a PNG."""
    images.write_png(path, stage_grid(model, num, seed=seed, columns=columns))
