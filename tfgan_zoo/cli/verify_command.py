"""`tfgan-zoo verify`: does a recipe reach what it claims, on every seed?

    tfgan-zoo verify --recipe=cgan_mnist8k                      # 3 seeds at the recipe's CPU budget
    tfgan-zoo verify --recipe=cgan_mnist8k --seeds=1 --reuse    # reuse (or resume) runs in the folder
    tfgan-zoo verify --recipe=cgan_mnist8k --smoke --out=/tmp/v # the same path at smoke size

Exit status: 0 when every bound is met on every seed, 1 when one is missed
(each miss is printed with the bound, the value and the seed), 2 on a usage
error (a recipe without bounds, a bound its data cannot give, a recipe
changed by --set without --keep_bounds).
"""

import os
import sys

from absl import flags

from tfgan_zoo.cli.flags import FLAGS, command, require

flags.DEFINE_integer("seeds", None, "verify: number of seeds (default: the recipe's expect.seeds).")
flags.DEFINE_bool("reuse", False, "verify: reuse the runs already in --out (finished ones are not retrained).")
flags.DEFINE_bool(
    "keep_bounds", False,
    "verify: check a recipe changed by --set against the bounds made for the catalog recipe (reported as changed).",
)


def resolve_verified_recipe():
    """`(recipe, changed fields)`: the catalog recipe with --set and --seed applied."""
    from tfgan_zoo import recipes, verification

    require(recipe=FLAGS.recipe)
    catalog = recipes.get_recipe(FLAGS.recipe)
    overrides = recipes.parse_assignments(FLAGS.set)
    if FLAGS.seed is not None:
        overrides["seed"] = FLAGS.seed
    recipe = catalog.with_overrides(overrides)
    changed = verification.changed_fields(recipe, catalog)
    if changed and not FLAGS.keep_bounds:
        raise ValueError(
            f"--set changed recipe {catalog.name!r} ({', '.join(sorted(changed))}); its bounds were set for the "
            f"catalog recipe. Pass --keep_bounds to check them anyway (the report marks the recipe as changed). "
            f"Received: {', '.join(f'{key}={value!r}' for key, value in changed.items())}"
        )
    return recipe, changed


@command("recipe", "seeds", "out", "reuse", "smoke", "set", "seed", "keep_bounds", "verbose")
def command_verify():
    """Train a recipe on its seeds at its budget and check its expect bounds (exit 1 when one is missed)."""
    from tfgan_zoo import verification

    recipe, changed = resolve_verified_recipe()
    out = FLAGS.out or os.path.join("runs", "verify", recipe.name)
    verbose = FLAGS.verbose if FLAGS.verbose == "auto" else int(FLAGS.verbose)
    report = verification.verify(recipe, out, seeds=FLAGS.seeds, reuse=FLAGS.reuse, smoke=FLAGS.smoke,
                                 changed=changed, verbose=verbose)
    print(verification.format_table(report))
    print(f"Wrote {os.path.join(out, verification.REPORT_NAME)}")
    if not report["passed"]:
        for message in verification.missed_messages(report):
            print(f"tfgan-zoo verify: {message}", file=sys.stderr)
        return 1
    return 0


COMMANDS = {"verify": command_verify}
