"""`tfgan-zoo inpaint`: fill a hole in a picture with a trained run.

    tfgan-zoo inpaint --run=DIR --image=digit.png --mask=rect:0.25 [--seed=0] --out=DIR
    tfgan-zoo inpaint --run=DIR --image=digit.png --mask=hole.png [--blend=paste] [--window=0] --out=DIR

An inpainting run (`inpainting_*` recipes) fills the hole with its context
encoder; any other run with an unconditional (or, with `--label`, a
conditional) generator fills it by semantic inpainting: the latent is
optimised for the known pixels (`--iterations`, `--restarts`, `--window`,
`--perceptual_weight`) and the sample blended in (`--blend`).
"""

import json
import os

from absl import flags

from tfgan_zoo.cli import latent_commands  # noqa: F401 (defines --image, --iterations and --restarts)
from tfgan_zoo.cli.flags import FLAGS, command, require

flags.DEFINE_string(
    "mask", None, "inpaint: the hole, KIND[:SHARE] with KIND rect, free or mixed (drawn with --seed, e.g. "
    "rect:0.25), or a PNG whose light pixels are missing.",
)
flags.DEFINE_float(
    "perceptual_weight", None, "inpaint (semantic): weight of the generator loss on D's score (default 0.003).",
)
flags.DEFINE_integer(
    "window", None, "inpaint (semantic): side of the window that weighs known pixels near the hole (default 7); "
    "0 weighs every known pixel alike.",
)
flags.DEFINE_string("blend", "poisson", "inpaint (semantic): poisson or paste.")


def _read_mask(spec, sample_shape):
    from tfgan_zoo.data import masks as masks_lib
    from tfgan_zoo.latent.image_file import read_mask

    height, width = sample_shape[:2]
    if spec.lower().endswith(".png"):
        return read_mask(spec, (height, width))
    return masks_lib.masks_for_seed(spec, 1, height, width, FLAGS.seed or 0)[0]


def _semantic(model, image, mask):
    """`(completed, generated, report entries)` by semantic inpainting with the run's generator."""
    from tfgan_zoo.latent import LatentSpace, inpainting, projection

    space = LatentSpace(model)
    if space.num_classes is not None and FLAGS.label is None:
        raise ValueError("The model is conditional: give the image's class with --label. Received: --label=None")
    if space.num_classes is None and FLAGS.label is not None:
        raise ValueError(f"The model is unconditional and takes no label. Received: --label={FLAGS.label}")
    window = inpainting.DEFAULT_WINDOW if FLAGS.window is None else (FLAGS.window or None)
    result = inpainting.semantic_inpainting(
        space, image[None], mask[None], None if FLAGS.label is None else [FLAGS.label], window=window,
        perceptual_weight=(inpainting.DEFAULT_PERCEPTUAL_WEIGHT if FLAGS.perceptual_weight is None
                           else FLAGS.perceptual_weight),
        blend=FLAGS.blend, seed=FLAGS.seed or 0,
        iterations=projection.DEFAULT_ITERATIONS if FLAGS.iterations is None else FLAGS.iterations,
        restarts=projection.DEFAULT_RESTARTS if FLAGS.restarts is None else FLAGS.restarts,
    )
    entries = {"method": "semantic", "contextual_loss": float(result.contextual_loss[0]),
               "restart_objectives": result.projection.objectives[:, 0].tolist(),
               "latent": result.latents[0].tolist(), **result.settings}
    return result.completed[0], result.generated[0], entries


@command("run", "image", "mask", "out", "seed", "label", "iterations", "restarts", "window", "perceptual_weight",
         "blend")
def command_inpaint():
    """Fill a hole in a picture with an inpainting run, or with any generator by semantic inpainting.

    Examples:
      tfgan-zoo inpaint --run=runs/dcgan_shapes --image=picture.png --mask=rect:0.25 --out=filled/
      tfgan-zoo inpaint --run=runs/dcgan_shapes --image=picture.png --mask=hole.png --blend=paste --out=filled/
    """
    from tfgan_zoo import saved_runs
    from tfgan_zoo.data import masks as masks_lib
    from tfgan_zoo.latent import read_image, rows_picture
    from tfgan_zoo.models import InpaintingGAN
    from tfgan_zoo.utils import images

    require(run=FLAGS.run, image=FLAGS.image, mask=FLAGS.mask, out=FLAGS.out)
    model, _ = saved_runs.load_run(FLAGS.run)
    sample_shape = tuple(model.sampling_generator.outputs[0].shape[1:])
    image = read_image(FLAGS.image, sample_shape)
    mask = _read_mask(FLAGS.mask, sample_shape)
    if isinstance(model, InpaintingGAN):
        completed, generated = model.inpaint(image[None], mask[None])[0], None
        entries = {"method": "context_encoder"}
    else:
        completed, generated, entries = _semantic(model, image, mask)
    masked = masks_lib.apply_masks(image, mask).numpy()
    row = [masked, completed, *([] if generated is None else [generated]), image]
    for name, picture in (("masked", masked), ("completed", completed), ("generated", generated)):
        if picture is not None:
            images.write_png(os.path.join(FLAGS.out, f"{name}.png"), images.to_uint8(picture))
    images.write_png(os.path.join(FLAGS.out, "comparison.png"), rows_picture([row]))
    report = {"run": FLAGS.run, "image": FLAGS.image, "mask": FLAGS.mask, "missing_share": float(mask.mean()),
              **entries}
    with open(os.path.join(FLAGS.out, "inpainting.json"), "w") as handle:
        json.dump(report, handle, indent=2)
    columns = "masked, completed, generated, original" if generated is not None else "masked, completed, original"
    print(f"Wrote {FLAGS.out}: masked.png, completed.png, comparison.png ({columns}), inpainting.json "
          f"({entries['method']}, {100 * report['missing_share']:.1f}% missing)")


COMMANDS = {"inpaint": command_inpaint}
