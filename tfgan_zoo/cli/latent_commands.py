"""`tfgan-zoo latent` and `tfgan-zoo project`: latent-space grids, and real images projected and edited.

Sample indices name the samples of `tfgan-zoo sample --run=DIR --num=NUM --seed=SEED [--label=K]`:
draw that grid first and pick from it. Examples are in the command functions' docstrings.
"""

import json
import os

from absl import flags

from tfgan_zoo.cli.flags import FLAGS, command, require
from tfgan_zoo.utils import validation

flags.DEFINE_string("op", None, "latent: interpolate, labels (conditional models), arithmetic or traverse.")
flags.DEFINE_string("pairs", None, "latent interpolate: START:END sample-index pairs, comma-separated, e.g. 3:7,12:40.")
flags.DEFINE_string(
    "indices", None, "latent labels / traverse: comma-separated sample indices (default: 0-7 / 0)."
)
flags.DEFINE_string(
    "expression", None, "latent arithmetic: groups of sample indices joined by + and -, each group averaged, "
    "e.g. 3,5-9,4+1,2 = mean(3,5) - mean(9,4) + mean(1,2).",
)
flags.DEFINE_string("dims", None, "latent traverse: comma-separated latent dimensions (default all).")
flags.DEFINE_string("span", None, "latent traverse: LOW,HIGH values swept (default -3,3; 0,1 for a uniform prior).")
flags.DEFINE_integer(
    "frames", None, "latent / project: images per path, sweep or edit strip (default 9; labels: 2 per class step)."
)
flags.DEFINE_string("method", "slerp", "latent interpolate: slerp or lerp.")
flags.DEFINE_string(
    "image", None, "project: the PNG to project (resized if square, converted to the model's channels)."
)
flags.DEFINE_string("via", "optimisation", "project: optimisation, encoder (BiGAN, AAE, VAE, VAE-GAN) or both.")
flags.DEFINE_integer("iterations", None, "project: Adam steps of the optimisation (default 300).")
flags.DEFINE_integer("restarts", None, "project: starting latents of the optimisation (default 4).")
flags.DEFINE_float(
    "feature_weight", None, "project: weight of the discriminator-feature distance (default 0.1 where D scores "
    "samples, else 0).",
)
flags.DEFINE_string(
    "direction", "dim:0", "project: the edit direction, dim:K or an arithmetic expression of sample indices "
    "(e.g. 3,5-9,4; samples of `tfgan-zoo sample --num --seed`, balanced over classes).",
)

_DEFAULT_FRAMES = 9
_DEFAULT_LABEL_ROWS = 8
_VIA = ("optimisation", "encoder", "both")


# === Parsing ===
def _parse(name, text, parse, form):
    """`parse(text)`, or a ValueError naming the flag, its form and its value."""
    try:
        value = parse(text)
    except ValueError:
        value = None
    if not value:
        raise ValueError(f"--{name} takes {form}. Received: --{name}={text!r}")
    return value


def _int_list(name, text):
    return _parse(name, text, lambda text: [int(part) for part in text.split(",")], "comma-separated integers")


def _pair(text):
    start, end = text.split(":")
    return int(start), int(end)


def _pairs(text):
    return _parse("pairs", text, lambda text: [_pair(pair) for pair in text.split(",")],
                  "START:END index pairs, comma-separated, e.g. 3:7,12:40")


def _span(text):
    def low_high(text):
        low, high = (float(value) for value in text.split(","))
        return low, high

    return _parse("span", text, low_high, "LOW,HIGH, e.g. -3,3")


def _frames():
    if FLAGS.frames is not None:
        validation.check_int("--frames", FLAGS.frames)
    return FLAGS.frames or _DEFAULT_FRAMES


def _load(path):
    from tfgan_zoo import saved_runs
    from tfgan_zoo.latent import LatentSpace

    model, _ = saved_runs.load_run(path)
    space = LatentSpace(model)
    if len(space.sample_shape) != 3:
        raise ValueError(f"The latent tools draw image grids; this run's samples have shape {space.sample_shape}. "
                         f"Received: --run={path!r}")
    return space


# === tfgan-zoo latent ===
# Each op reads its flags at once (a typo fails before the run loads) and
# returns what draws its rows from the space and the seed grid's points.
def _interpolate():
    from tfgan_zoo.latent import interpolation

    require(pairs=FLAGS.pairs)
    validation.check_choice("--method", FLAGS.method, interpolation.METHODS)
    pairs, frames = _pairs(FLAGS.pairs), _frames()
    return lambda space, latents, soft_labels: interpolation.interpolation_grid(
        space, latents, soft_labels, pairs, frames, FLAGS.method
    )


def _labels():
    from tfgan_zoo.latent import interpolation

    indices = _int_list("indices", FLAGS.indices) if FLAGS.indices else None

    def draw(space, latents, soft_labels):
        if space.num_classes is None:
            raise ValueError(
                "--op=labels needs a conditional model; this run is unconditional. Received: --op='labels'"
            )
        rows = indices or list(range(min(_DEFAULT_LABEL_ROWS, len(latents))))
        return interpolation.label_grid(space, latents, rows, 2 if FLAGS.frames is None else FLAGS.frames)

    return draw


def _arithmetic():
    from tfgan_zoo.latent import arithmetic

    require(expression=FLAGS.expression)
    terms = arithmetic.parse_expression(FLAGS.expression)
    return lambda space, latents, soft_labels: arithmetic.arithmetic_rows(
        space, latents, soft_labels, terms, seed=FLAGS.seed or 0
    )


def _traverse():
    from tfgan_zoo.latent import traverse

    indices = _int_list("indices", FLAGS.indices) if FLAGS.indices else [0]
    dims = _int_list("dims", FLAGS.dims) if FLAGS.dims else None
    span, frames = _span(FLAGS.span) if FLAGS.span else None, _frames()
    return lambda space, latents, soft_labels: traverse.traversal_grid(
        space, latents, soft_labels, indices, dims, traverse.traversal_values(space, frames, span)
    )


_OPS = {"interpolate": _interpolate, "labels": _labels, "arithmetic": _arithmetic, "traverse": _traverse}


@command("run", "op", "out", "pairs", "indices", "expression", "dims", "span", "frames", "method", "num", "seed",
         "label")
def command_latent():
    """Draw latent-space grids: interpolations, one latent in every class, arithmetic, traversals.

    Indices name the samples of `tfgan-zoo sample --run=DIR --num=NUM --seed=SEED [--label=K]`.

    Examples:
      tfgan-zoo latent --run=runs/dcgan_shapes --op=interpolate --pairs=3:7,12:40 --method=slerp --out=interp.png
      tfgan-zoo latent --run=runs/cgan --op=labels --indices=0,1,2 --frames=4 --out=classes.png
      tfgan-zoo latent --run=runs/dcgan_shapes --op=arithmetic --expression=3,5-9,4+1,2 --out=arithmetic.png
      tfgan-zoo latent --run=runs/dcgan_shapes --op=traverse --indices=3 --dims=0,1 --span=-3,3 --out=traverse.png
    """
    from tfgan_zoo.latent import write_rows

    require(run=FLAGS.run, op=FLAGS.op, out=FLAGS.out)
    validation.check_choice("--op", FLAGS.op, sorted(_OPS))
    if not FLAGS.out.lower().endswith(".png"):
        raise ValueError(f"The output must be a .png file. Received: --out={FLAGS.out!r}")
    draw = _OPS[FLAGS.op]()
    space = _load(FLAGS.run)
    latents, soft_labels = space.seed_grid(FLAGS.num, FLAGS.seed or 0, FLAGS.label)
    rows = draw(space, latents, soft_labels)
    write_rows(FLAGS.out, rows)
    print(f"Wrote {FLAGS.out}: {len(rows)} rows ({FLAGS.op})")


# === tfgan-zoo project ===
def _project(space, method, target, labels):
    from tfgan_zoo.latent import projection

    if method == "encoder":
        return projection.project_by_encoder(space, target[None], labels)
    return projection.project_by_optimisation(
        space, target[None], labels, feature_weight=FLAGS.feature_weight, seed=FLAGS.seed or 0,
        iterations=projection.DEFAULT_ITERATIONS if FLAGS.iterations is None else FLAGS.iterations,
        restarts=projection.DEFAULT_RESTARTS if FLAGS.restarts is None else FLAGS.restarts,
    )


def _check_project_flags(space):
    from tfgan_zoo.latent import has_encoder

    if FLAGS.via != "optimisation" and not has_encoder(space.model):
        raise ValueError(
            f"This run's model ({type(space.model).__name__}) has no encoder; use --via=optimisation. "
            f"Received: --via={FLAGS.via!r}"
        )
    if space.num_classes is not None and FLAGS.label is None:
        raise ValueError("The model is conditional: give the image's class with --label. Received: --label=None")
    if space.num_classes is None and FLAGS.label is not None:
        raise ValueError(f"The model is unconditional and takes no label. Received: --label={FLAGS.label}")


def _project_and_edit(space, method, target, labels, direction, amounts):
    """Projects the target by `method` and writes its reconstruction and edit strip.

    Returns `(report entry, reconstruction)`.
    """
    from tfgan_zoo.latent import editing, rows_picture
    from tfgan_zoo.utils import images

    projected = _project(space, method, target, labels)
    reconstruction = projected.reconstructions[0]
    soft_label = None if projected.soft_labels is None else projected.soft_labels[0]
    strip = editing.edit_strip(space, projected.latents[0], soft_label, direction, amounts)
    images.write_png(os.path.join(FLAGS.out, f"reconstruction_{method}.png"), images.to_uint8(reconstruction))
    images.write_png(os.path.join(FLAGS.out, f"edit_{method}.png"), rows_picture([strip]))
    entry = {"mse": float(projected.mse[0]), "psnr_db": float(projected.psnr[0]),
             "latent": projected.latents[0].tolist(), **projected.settings}
    if projected.objectives is not None:
        entry["restart_objectives"] = projected.objectives[:, 0].tolist()
    print(f"{method}: reconstruction MSE {entry['mse']:.5f}, PSNR {entry['psnr_db']:.2f} dB")
    return entry, reconstruction


@command("run", "image", "out", "via", "iterations", "restarts", "feature_weight", "direction", "frames", "num",
         "seed", "label")
def command_project():
    """Project a real image into a run's latent space, write its reconstruction and an edit strip.

    Example:
      tfgan-zoo project --run=runs/dcgan_shapes --image=picture.png --via=optimisation --out=projected/
    """
    from tfgan_zoo.latent import editing, read_image, rows_picture
    from tfgan_zoo.utils import images

    require(run=FLAGS.run, image=FLAGS.image, out=FLAGS.out)
    validation.check_choice("--via", FLAGS.via, _VIA)
    space = _load(FLAGS.run)
    _check_project_flags(space)
    target = read_image(FLAGS.image, space.sample_shape)
    labels = None if FLAGS.label is None else [FLAGS.label]
    grid_latents, grid_labels = space.seed_grid(FLAGS.num, FLAGS.seed or 0)
    direction = editing.parse_direction(space, grid_latents, grid_labels, FLAGS.direction)
    amounts = editing.strengths(direction, _frames())
    methods = ("optimisation", "encoder") if FLAGS.via == "both" else (FLAGS.via,)

    report = {"run": FLAGS.run, "image": FLAGS.image, "label": FLAGS.label, "direction": direction.name,
              "strengths": amounts.tolist(), "methods": {}}
    images.write_png(os.path.join(FLAGS.out, "target.png"), images.to_uint8(target))
    comparison = [target]
    for method in methods:
        report["methods"][method], reconstruction = _project_and_edit(
            space, method, target, labels, direction, amounts
        )
        comparison.append(reconstruction)
    images.write_png(os.path.join(FLAGS.out, "comparison.png"), rows_picture([comparison]))
    with open(os.path.join(FLAGS.out, "projection.json"), "w") as handle:
        json.dump(report, handle, indent=2)
    print(f"Wrote {FLAGS.out}: target, comparison, reconstruction and edit PNGs per method, projection.json")


COMMANDS = {"latent": command_latent, "project": command_project}
