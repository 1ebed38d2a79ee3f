"""`tfgan-zoo verify`: train a recipe on several seeds at its budget and check its `expect` bounds.

A recipe's claim (`recipes.expectations.Expect`) becomes a checked, seeded,
regenerable fact: each seed trains single-threaded for the claim's CPU
minutes in `OUT/seed_<k>/` (an ordinary, resumable run), every bound's
metric is measured on its samples (`verification.measure`), and a bound is
met when every seed meets it. The report (`verify.json`) keeps the recipe
as trained, the per-seed values, the mean and worst seed of each bound, the
date, commit and machine; `verification.tables` (run by `benchmarks/verify_table.py`) turns
reports into the tables of BENCHMARKS.md.

Example:
    >>> report = verify(recipes.get_recipe("cgan_mnist8k"), "runs/verify/cgan_mnist8k")
    >>> print(format_table(report)); report["passed"]
"""

import dataclasses
import datetime
import json
import os
import platform
import subprocess

import numpy as np

from tfgan_zoo.recipes import expectations
from tfgan_zoo.reliability import files
from tfgan_zoo.utils import validation
from tfgan_zoo.verification.measure import Scorer, check_bounds

REPORT_NAME = "verify.json"
# Training runs on the CPU-minute budget alone: no step or wall-clock cap.
_UNBOUNDED_STEPS = 10**12
# Fields verify sets itself on every seed's recipe; a difference in them is not a change.
_VERIFY_FIELDS = ("seed", "steps", "minutes", "cpu_minutes")
_SMOKE_SAMPLES = 128


def changed_fields(recipe, catalog_recipe):
    """`{field: value}` where `recipe` differs from the catalog's (budget and seed fields aside)."""
    return {
        field.name: getattr(recipe, field.name)
        for field in dataclasses.fields(recipe)
        if field.name not in _VERIFY_FIELDS and getattr(recipe, field.name) != getattr(catalog_recipe, field.name)
    }


def require_expect(recipe):
    """The recipe's `Expect`; a ValueError naming the recipe when it declares none."""
    if recipe.expect is None:
        raise ValueError(
            f"Recipe {recipe.name!r} declares no expect bounds, so there is nothing to verify; "
            f"`tfgan-zoo list --verified` names the recipes that do. Received: recipe={recipe.name!r}"
        )
    return recipe.expect


def seed_recipe(recipe, seed, smoke=False):
    """The recipe one seed trains: its budget is the claim's (smoke: the smoke size)."""
    if smoke:
        return recipe.smoke_sized().with_overrides({"seed": seed})
    expect = recipe.expect
    steps = expect.steps or _UNBOUNDED_STEPS
    return recipe.with_overrides(
        {"seed": seed, "cpu_minutes": float(expect.cpu_minutes), "minutes": 0.0, "steps": steps}
    )


def single_threaded():
    """Pins TensorFlow to one op thread, so CPU-minute budgets mean the same on any machine load.

    Returns False when TensorFlow had already started (threads cannot change then).
    """
    import tensorflow as tf

    try:
        tf.config.threading.set_intra_op_parallelism_threads(1)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    except RuntimeError:
        return (tf.config.threading.get_intra_op_parallelism_threads() == 1
                and tf.config.threading.get_inter_op_parallelism_threads() == 1)
    return True


def verify(recipe, out_dir, *, seeds=None, reuse=False, smoke=False, changed=None, verbose=0, log=print):
    """Trains `recipe` on its seeds, measures its bounds and returns the report (also written to `verify.json`).

    Args:
        recipe: a recipe with `expect`.
        out_dir: the verification folder; seed `k` trains in `out_dir/seed_<k>`.
        seeds: number of seeds (default: the claim's); seeds are `recipe.seed`, `recipe.seed + 1`, ...
        reuse: reuse the runs already in `out_dir` (finished runs are not
            trained again; interrupted ones resume). Without it, an existing
            seed folder is an error, so that no earlier run is mixed in unasked.
        smoke: train each seed at the recipe's smoke size and score few
            samples with briefly trained classifiers (for tests; the
            verdict means nothing at this size).
        changed: `{field: value}` the caller changed from the catalog
            recipe; recorded in the report (None: unchanged).
        verbose: Keras progress output of training.
        log: where progress lines go.

    Returns:
        The report dict; `report["passed"]` is whether every bound was met on every seed.
    """
    from tfgan_zoo import training

    expect = require_expect(recipe)
    check_bounds(recipe, expect.bounds)
    seeds = expect.seeds if seeds is None else seeds
    validation.check_int("seeds", seeds)
    threads_pinned = single_threaded()
    # The code that trains is the code of this moment, whatever is committed while the seeds run.
    commit = _commit()
    os.makedirs(out_dir, exist_ok=True)
    scorer = Scorer(recipe, out_dir, num_samples=_SMOKE_SAMPLES if smoke else expect.num_samples, smoke=smoke)
    runs = []
    for offset in range(seeds):
        seed = recipe.seed + offset
        run_dir = os.path.join(out_dir, f"seed_{seed}")
        if os.path.exists(run_dir) and not reuse:
            raise ValueError(
                f"{run_dir} already holds a run; pass --reuse to reuse (or resume) it, or choose another --out. "
                f"Received: out={out_dir!r}"
            )
        trained = seed_recipe(recipe, seed, smoke)
        action = "training or resuming" if os.path.exists(run_dir) else "training"
        log(f"seed {seed}: {action} in {run_dir}" + ("" if smoke else f" for {expect.budget_text()}"))
        model, history = training.train(trained, run_dir, verbose=verbose)
        state = _read_state(run_dir)
        values = scorer.measure(model, list(expect.bounds))
        reused = " (its run had finished: reused, not trained)" if history is None else ""
        log(f"seed {seed}{reused}: " + ", ".join(f"{name} {format_value(value)}" for name, value in values.items()))
        runs.append({
            "seed": seed, "run": run_dir, "trained_now": history is not None,
            "steps": int(model.step_counter.numpy()), "cpu_seconds": state.get("cpu_seconds"),
            "wall_seconds": state.get("elapsed_seconds"), "values": values,
        })
    report = {
        "recipe": recipe.name,
        "passed": None,
        "bounds": summarise(expect, runs),
        "seeds": runs,
        "expect": dataclasses.asdict(expect),
        "recipe_config": {key: value for key, value in recipe.to_dict().items() if key != "expect"},
        "changed": changed or {},
        "smoke": smoke,
        "single_threaded": threads_pinned,
        "facts": scorer.facts,
        "date": datetime.date.today().isoformat(),
        "commit": commit,
        "machine": machine(),
    }
    report["passed"] = all(bound["met"] for bound in report["bounds"])
    write_report(report, os.path.join(out_dir, REPORT_NAME))
    return report


def summarise(expect, runs):
    """One row per bound: limit, mean, worst value and seed, and whether every seed met it."""
    rows = []
    for name, limit in expect.bounds.items():
        values = [run["values"][name] for run in runs]
        worst = expectations.worst(name, values)
        rows.append({
            "bound": name, "direction": expectations.BOUND_KINDS[name].direction, "limit": limit,
            "mean": float(np.mean(values)), "worst": worst, "worst_seed": runs[values.index(worst)]["seed"],
            "values": values, "met": all(expectations.is_met(name, value, limit) for value in values),
        })
    return rows


def missed_messages(report):
    """One line per missed bound, naming the bound, the worst value and its seed."""
    return [
        f"{report['recipe']}: bound {row['bound']} {row['direction']} {row['limit']:g} missed: "
        f"seed {row['worst_seed']} has {format_value(row['worst'])} "
        f"(mean {format_value(row['mean'])} over {len(row['values'])} seeds)"
        for row in report["bounds"]
        if not row["met"]
    ]


def format_table(report):
    """The report as a text table: bound, mean, worst seed and verdict."""
    title = f"verify {report['recipe']}: {len(report['seeds'])} seeds"
    if not report["smoke"]:
        budget = report["expect"]
        title += (
            f" at {budget['cpu_minutes']:g} CPU-minutes" if budget["cpu_minutes"] else f" at {budget['steps']} steps"
        )
    if report["smoke"]:
        title += ", SMOKE size (the verdict says nothing about quality)"
    if report["changed"]:
        title += f", CHANGED recipe ({', '.join(f'{key}={value!r}' for key, value in report['changed'].items())})"
    rows = [("bound", "limit", "mean", "worst (seed)", "verdict")]
    for row in report["bounds"]:
        limit = f"{'<=' if row['direction'] == expectations.AT_MOST else '>='} {row['limit']:g}"
        rows.append(
            (
                row["bound"],
                limit,
                format_value(row["mean"]),
                f"{format_value(row['worst'])} ({row['worst_seed']})",
                "met" if row["met"] else "MISSED",
            )
        )
    widths = [max(len(line[column]) for line in rows) for column in range(len(rows[0]))]
    lines = [title] + ["  ".join(cell.ljust(width) for cell, width in zip(line, widths)).rstrip() for line in rows]
    floor = report["facts"].get("real_vs_real_floor")
    if floor is not None:
        lines.append(f"domain FID real-vs-real floor: {floor:.3g}")
    return "\n".join(lines)


def read_report(path):
    with open(path) as handle:
        return json.load(handle)


def write_report(report, path):
    files.write_json_atomically(path, report)


def machine():
    """Where a report was measured: the CPU matters, since a CPU-minute budget buys fewer steps on a slower one."""
    import keras
    import tensorflow as tf

    return (f"{platform.machine()}, {cpu_model()}, {os.cpu_count()} CPU cores, "
            f"TF {tf.__version__}, Keras {keras.__version__}")


def cpu_model(cpuinfo="/proc/cpuinfo"):
    """`"AMD EPYC (family 25, AVX2)"`: the CPU's model, family and widest vector extension, from `cpuinfo`.

    Falls back to `platform.processor()` where the file cannot be read (not Linux).
    """
    try:
        with open(cpuinfo) as handle:
            first = handle.read().split("\n\n", 1)[0]
    except OSError:
        return platform.processor() or "unknown CPU"
    fields = dict(line.split(":", 1) for line in first.splitlines() if ":" in line)
    fields = {key.strip(): value.strip() for key, value in fields.items()}
    flags = set(fields.get("flags", "").split())
    vector = next((name for flag, name in (("avx512f", "AVX-512"), ("avx2", "AVX2"), ("avx", "AVX")) if flag in flags),
                  "no AVX")
    family = f"family {fields['cpu family']}, " if "cpu family" in fields else ""
    return f"{fields.get('model name', 'unknown CPU')} ({family}{vector})"


def _commit():
    """The project's git commit (with `-dirty` for uncommitted changes), or None outside a checkout."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    try:
        commit = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", root, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return commit + ("-dirty" if dirty else "")


def _read_state(run_dir):
    from tfgan_zoo.run_dir import RunDir

    return RunDir(run_dir).read_state()


def format_value(value):
    """A bound's value as reports print it: integers as they are, other numbers to 4 significant digits."""
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    return f"{value:.4g}"


