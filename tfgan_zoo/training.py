"""From a recipe to a trained, checkpointed, resumable run."""

import contextlib
import dataclasses
import math
import os

import keras

from tfgan_zoo import builders, callbacks, data, distribution, run_dir, saved_runs, two_stage_training
from tfgan_zoo.reliability import checkpoints, divergence, files, fingerprint, lock, recipe_checks
from tfgan_zoo.run_dir import RunDir
from tfgan_zoo.utils import validation

_JIT = {"auto": "auto", "true": True, "false": False}


def make_optimizer(kind, learning_rate, beta1, beta2):
    """Adam, SGD (momentum = beta1) or RMSprop (rho = beta2), by name."""
    if kind == "adam":
        return keras.optimizers.Adam(learning_rate, beta_1=beta1, beta_2=beta2)
    if kind == "sgd":
        return keras.optimizers.SGD(learning_rate, momentum=beta1)
    if kind == "rmsprop":
        return keras.optimizers.RMSprop(learning_rate, rho=beta2)
    raise ValueError(f"Unknown optimizer. Expected adam, sgd or rmsprop. Received: optimizer={kind!r}")


def build_model(recipe, info=None, *, steps_per_execution=1):
    """Builds and compiles the model a recipe describes (untrained).

    Initial weights are a function of `recipe.seed` (this seeds Python, numpy
    and TensorFlow's global generators, as `keras.utils.set_random_seed` does).
    Networks are built under the recipe's `precision` policy; call inside a
    strategy's `scope()` to place the variables for that strategy.
    """
    if two_stage_training.is_two_stage(recipe):
        raise ValueError(
            f"{recipe.name} is a two-stage pipeline: it trains two runs and composes them, so it has no single model "
            f"to build; train it with training.train (tfgan_zoo.two_stage_training). Received: model={recipe.model!r}"
        )
    with distribution.precision_policy(recipe.precision):
        return _build_model(recipe, info or data.recipe_info(recipe), steps_per_execution)


def _build_model(recipe, info, steps_per_execution):
    builder = builders.get_builder(recipe.model)
    recipe_checks.check_recipe(recipe)
    keras.utils.set_random_seed(recipe.seed)
    num_classes = None
    if recipe.conditional:
        if not info.num_classes:
            raise ValueError(f"A conditional recipe needs a labelled dataset. Received: dataset={recipe.dataset!r}")
        num_classes = info.num_classes
    try:
        model = builder.build(recipe, tuple(info.shape), num_classes)
    except TypeError as error:  # a network builder got an option it does not take
        unknown_option = recipe_checks.unknown_option_error(recipe, error)
        if unknown_option is None:
            raise
        raise unknown_option from error
    if recipe.sync_batchnorm:
        distribution.synchronize_batchnorm(model)
    # The recipe's g_* and d_* settings are the model's first two optimizers (see AdversarialModel.OPTIMIZERS).
    model.compile(
        make_optimizer(recipe.g_optimizer, recipe.g_lr, recipe.g_beta1, recipe.g_beta2),
        make_optimizer(recipe.d_optimizer, recipe.d_lr, recipe.d_beta1, recipe.d_beta2),
        jit_compile=_JIT[recipe.jit_compile],
        steps_per_execution=steps_per_execution,
    )
    return model


def make_dataset(recipe, start_step=0, replicas=1):
    """The recipe's training batches, positioned at `start_step`.

    Each batch holds `d_steps` discriminator minibatches for each of
    `replicas` replicas (the global batch; `fit` splits it across them). The
    order is a pure function of the recipe's seed, so skipping the consumed
    batches puts a resumed run exactly where the interrupted one stopped.
    """
    custom = builders.get_builder(recipe.model).dataset_fn
    if custom is not None:
        # A variant that reads its data its own way (the semi-supervised GAN's few labels).
        dataset = custom(recipe, replicas)
        return dataset.skip(start_step) if start_step else dataset
    dataset = data.load(
        recipe.dataset,
        recipe.global_batch(replicas),
        image_size=recipe.image_size or None,
        resize=recipe.resize,
        seed=recipe.seed,
        labels=recipe.conditional,
    )
    return dataset.skip(start_step) if start_step else dataset


def budget_spent(recipe, step, state):
    """Whether a run at `step` with bookkeeping `state` (its state.json) has spent any of its budgets."""
    wall, cpu = float(state.get("elapsed_seconds", 0.0)), float(state.get("cpu_seconds", 0.0))
    return (step >= recipe.steps or (recipe.minutes > 0 and wall >= recipe.minutes * 60.0)
            or (recipe.cpu_minutes > 0 and cpu >= recipe.cpu_minutes * 60.0))


def train(recipe, out_dir, *, verbose="auto", extra_callbacks=(), strategy=None, steps_per_execution=1,
          on_divergence="stop", max_rollbacks=3, rollback_factor=0.5, keep_checkpoints=2):
    """Trains `recipe` in `out_dir`, resuming exactly when the directory holds a run.

    Only one process trains in a run folder at a time (an OS lock on
    `out_dir/.lock`, released when the process dies). A checkpoint that is
    damaged is skipped, with a warning, for the good one before it. Losses
    and weights are checked for NaN/Inf: a non-finite checkpoint is never
    written (see `on_divergence`).

    Args:
        recipe: the `Recipe` (its `batch_size` is per replica).
        out_dir: the run directory.
        verbose: progress output: `"auto"` (Keras's bar on a terminal, else
            a line per epoch or per minute, `callbacks.ProgressLog`) or
            Keras's 0, 1, 2.
        extra_callbacks: more callbacks for `fit`.
        strategy: a `tf.distribute.Strategy`, one of
            `distribution.STRATEGIES` by name, or `None` for the default.
        steps_per_execution: training steps per compiled call (fewer
            Python round trips; callbacks then see every N-th step).
        on_divergence: when a loss or weight becomes NaN/Inf, `"stop"`
            raises `reliability.divergence.DivergenceError` (the last good
            checkpoint is kept); `"rollback"` reloads the last good
            checkpoint, multiplies every learning rate by `rollback_factor`
            (recorded in `state.json` under `rollbacks`) and trains on, at
            most `max_rollbacks` times in the run's life.
        max_rollbacks: see `on_divergence`.
        rollback_factor: see `on_divergence`, in (0, 1).
        keep_checkpoints: how many good checkpoints to keep (>= 1).

    Returns:
        `(model, history)`; history is `None` when the run had already spent
        its budget (its steps, or its minutes or CPU minutes when set), and
        nothing trains. A two-stage recipe (`model="two_stage"`) trains its
        two stages in sub-folders and returns the composed `models.TwoStage`
        and `{"stage1": history, "stage2": history}` (`tfgan_zoo.two_stage_training`).
    """
    options = _RunOptions(on_divergence, max_rollbacks, rollback_factor, keep_checkpoints)
    if two_stage_training.is_two_stage(recipe):
        return two_stage_training.train_two_stage(
            recipe,
            out_dir,
            train,
            verbose=verbose,
            extra_callbacks=extra_callbacks,
            strategy=strategy,
            steps_per_execution=steps_per_execution,
            **dataclasses.asdict(options),
        )
    validation.check_int("steps_per_execution", steps_per_execution)
    recipe_checks.check_recipe(recipe)  # before the run folder is created
    strategy = distribution.resolve_strategy(strategy)
    run = RunDir(os.fspath(out_dir))
    chief = distribution.is_chief(strategy)
    # Only the chief writes, so only it locks: the workers of a multi-worker run share the folder.
    with lock.run_lock(run.root) if chief else contextlib.nullcontext():
        with files.clear_os_errors(f"train in {run.root}"):
            return _train_locked(recipe, run, strategy, chief, verbose, extra_callbacks, steps_per_execution, options)


@dataclasses.dataclass(frozen=True)
class _RunOptions:
    on_divergence: str
    max_rollbacks: int
    rollback_factor: float
    keep_checkpoints: int

    def __post_init__(self):
        validation.check_choice("on_divergence", self.on_divergence, divergence.ON_DIVERGENCE)
        validation.check_int("max_rollbacks", self.max_rollbacks, minimum=0)
        validation.check_number("rollback_factor", self.rollback_factor, "(0, 1)")
        validation.check_int("keep_checkpoints", self.keep_checkpoints)


def _train_locked(recipe, run, strategy, chief, verbose, extra_callbacks, steps_per_execution, options):
    if chief:
        # The lock is ours: every temporary file here belongs to a dead writer.
        files.remove_stale_temporaries(run.root)
        files.remove_stale_temporaries(os.path.dirname(run.checkpoint))
    recipe = run_dir.resolve_recipe(run, recipe)
    state = run.read_state()
    replicas = strategy.num_replicas_in_sync
    if state.get("replicas", replicas) != replicas:
        raise ValueError(
            f"{run.root} was trained with {state['replicas']} replicas (a global batch of "
            f"{state['replicas']} x {recipe.batch_size}); resume it with as many. Received: {replicas} replicas"
        )
    extra_state = {"replicas": replicas, "rollbacks": list(state.get("rollbacks", []))}
    data_print = fingerprint.check_unchanged(recipe.dataset, state.get(fingerprint.STATE_KEY), run.state)
    if data_print is not None:
        extra_state[fingerprint.STATE_KEY] = data_print
    model = _load_or_build(run, recipe, strategy, chief, steps_per_execution)
    if chief:
        run.write_recipe(recipe)
    while True:
        try:
            return model, _fit(model, recipe, run, chief, verbose, extra_callbacks, extra_state, options)
        except divergence.TrainingDiverged as stop:
            diverged = stop.divergence
        good_step = int(run.read_state().get("step", 0))
        if options.on_divergence == "stop" or len(extra_state["rollbacks"]) >= options.max_rollbacks:
            raise divergence.DivergenceError(divergence.divergence_message(diverged, run.root, good_step))
        rates = [rate * options.rollback_factor for rate in divergence.learning_rates(model)]
        model = _load_or_build(run, recipe, strategy, chief, steps_per_execution)
        divergence.set_learning_rates(model, rates)
        extra_state["rollbacks"].append({"diverged_at": diverged.step, "loss": diverged.name,
                                         "resumed_from": good_step, "learning_rates": rates})
        if chief:
            files.write_json_atomically(run.state, {**run.read_state(), **extra_state})


def _load_or_build(run, recipe, strategy, chief, steps_per_execution):
    """The newest good checkpoint of `run` (bad newer ones renamed `.corrupt`), or a new model."""
    with strategy.scope():
        if not run.has_checkpoint():
            return build_model(recipe, steps_per_execution=steps_per_execution)
        with distribution.precision_policy(recipe.precision):
            model, _, bad = saved_runs.load_checkpoint(run)
    if chief:
        checkpoints.quarantine(path for path, _ in bad)
    model.steps_per_execution = steps_per_execution
    return model


def _fit(model, recipe, run, chief, verbose, extra_callbacks, extra_state, options):
    """One `fit` from the model's step to the budget; `None` when the budget is already spent.

    Raises `divergence.TrainingDiverged` at the first NaN/Inf loss or weight.
    """
    start_step = int(model.step_counter.numpy())
    state = run.read_state()
    elapsed = float(state.get("elapsed_seconds", 0.0))
    cpu = float(state.get("cpu_seconds", 0.0))
    if budget_spent(recipe, start_step, state):
        return None
    guard = divergence.DivergenceGuard()
    per_epoch = recipe.steps_per_epoch
    initial_epoch = start_step // per_epoch
    epochs = initial_epoch + math.ceil((recipe.steps - start_step) / per_epoch) + (1 if start_step % per_epoch else 0)
    # Only the chief writes; other workers of a multi-worker run train alongside.
    writers = [
        callbacks.RunCheckpoint(run.checkpoint, run.state, elapsed, extra_state=extra_state, cpu_before=cpu,
                                keep=options.keep_checkpoints, guard=guard, recipe=recipe.to_dict()),
        callbacks.SampleGrid(run.samples, num=recipe.sample_count, log_dir=f"{run.logs}/samples"),
        keras.callbacks.TensorBoard(log_dir=run.logs),
    ]
    keras_verbose, progress = callbacks.progress_output(verbose if chief else 0)
    return model.fit(
        make_dataset(recipe, start_step, extra_state["replicas"]),
        epochs=epochs,
        initial_epoch=initial_epoch,
        steps_per_epoch=per_epoch,
        shuffle=False,  # the dataset is shuffled, reproducibly, by `make_dataset`
        verbose=keras_verbose,
        callbacks=[
            callbacks.Budget(recipe.steps, recipe.minutes * 60.0, elapsed,
                             max_cpu_seconds=recipe.cpu_minutes * 60.0, cpu_before=cpu),
            guard,
            *(writers if chief else []),
            *progress,
            *extra_callbacks,
        ],
    )
