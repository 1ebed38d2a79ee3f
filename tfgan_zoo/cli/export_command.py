"""`tfgan-zoo export`: a run's generator as a TF Serving SavedModel and LiteRT files."""

from absl import flags

from tfgan_zoo.cli import tf_logs
from tfgan_zoo.cli.flags import FLAGS, command, require, shows_tensorflow_logs

# The format names are spelled out here so that defining flags does not
# import TensorFlow; `tfgan_zoo.export.parse_formats` checks them.
flags.DEFINE_string(
    "formats", None,
    "export: comma-separated formats among saved_model, tflite_fp32, tflite_fp16, tflite_dynamic, tflite_int8 "
    "(default: all).",
)
flags.DEFINE_string(
    "name", None, "export: the export's name (SavedModel folder, file prefix); default: the recipe name."
)
flags.DEFINE_integer("version", None, "export: the SavedModel version; default: the next free integer.")
flags.DEFINE_float(
    "int8_tolerance", None,
    "export: largest mean abs error of tflite_int8 against Keras (default: export.DEFAULT_TOLERANCES).",
)
flags.DEFINE_float(
    "dynamic_tolerance", None,
    "export: largest mean abs error of tflite_dynamic against Keras (default: export.DEFAULT_TOLERANCES).",
)

flags.DEFINE_list(
    "litert_batches", None,
    "export: static batch sizes of the LiteRT files' signatures, comma-separated (default: 1,64); any number "
    "of samples is served in calls of these sizes.",
)


@command("run", "out", "formats", "name", "version", "int8_tolerance", "dynamic_tolerance", "litert_batches")
def command_export():
    """Export a run's generator: a TF Serving SavedModel and LiteRT files, described by manifest.json.

    Exporting again into the same --out replaces the previous export (earlier SavedModel versions stay).

    Examples:
      tfgan-zoo export --run=runs/dcgan_shapes --out=exports/dcgan_shapes
      tfgan-zoo export --run=runs/dcgan_shapes --out=exports/dcgan_shapes --formats=saved_model,tflite_fp32
      tfgan-zoo export --run=runs/dcgan_shapes --out=exports/dcgan_shapes --litert_batches=1,16
    """
    from tfgan_zoo import export

    require(run=FLAGS.run, out=FLAGS.out)
    formats = export.parse_formats(FLAGS.formats) if FLAGS.formats is not None else export.FORMATS
    tolerances = {}
    if FLAGS.int8_tolerance is not None:
        tolerances["tflite_int8"] = FLAGS.int8_tolerance
    if FLAGS.dynamic_tolerance is not None:
        tolerances["tflite_dynamic"] = FLAGS.dynamic_tolerance
    batch_sizes = litert_batch_sizes(FLAGS.litert_batches) if FLAGS.litert_batches else export.DEFAULT_BATCH_SIZES
    with tf_logs.stderr_hidden(not shows_tensorflow_logs()):
        manifest = export.export_run(
            FLAGS.run, FLAGS.out, formats=formats, name=FLAGS.name, version=FLAGS.version, tolerances=tolerances,
            litert_batch_sizes=batch_sizes,
        )
    if "saved_model" in manifest:
        entry = manifest["saved_model"]
        print(f"saved_model: {entry['path']} (signatures {', '.join(entry['signatures'])})")
    for fmt, entry in manifest.get("tflite", {}).items():
        print(f"{fmt}: {entry['path']} ({entry['bytes']} bytes, mean abs error {entry['mean_abs_error']:.3g})")
    print(f"Exported {manifest['name']} to {FLAGS.out} (see {export.MANIFEST_NAME})")


def litert_batch_sizes(values):
    """`--litert_batches` as positive ints; ValueError naming the flag and the value otherwise."""
    try:
        sizes = [int(value) for value in values]
    except ValueError:
        sizes = []
    if not sizes or min(sizes) < 1:
        raise ValueError(f"--litert_batches takes positive integers. Received: --litert_batches={','.join(values)}")
    return sizes


COMMANDS = {"export": command_export}
