"""Sampling speed and file size of an exported generator: Keras, SavedModel, each LiteRT file.

    python benchmarks/export_speed.py --run=runs/dcgan_shapes --rounds=5

Exports the run's generator in every format (to a temporary folder unless
--out is given), then measures, inside one process, the latency of batch 1
and the throughput of batch 64 of: the Keras generator with
`training=False` (eager call, and inside a `tf.function`), the reloaded
SavedModel's `serving_default`, and each `.tflite` file through the
deployment kit's LiteRT sampler (export/litert/sampler.py), once per
`--threads` count (path `<format>@<threads>`), and (`--dynamic_batch`)
fp32 and dynamic-range files converted with a dynamic batch, as exports
were before their batch sizes were static. The paths
alternate in rounds (the machine is shared and noisy); the first round warms
up and the figures are medians over the others. File sizes and the errors
measured by the export (manifest.json) are reported beside them.
"""

import importlib.util
import os
import tempfile
import time

from absl import app, flags

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import common  # noqa: E402
from tfgan_zoo import export, saved_runs  # noqa: E402
from tfgan_zoo.export import conversion, signatures  # noqa: E402

flags.DEFINE_string("run", None, "The run directory to export and measure.", required=True)
flags.DEFINE_string("out", None, "Where to export (default: a temporary folder).")
flags.DEFINE_integer("rounds", 5, "Timed rounds per path (after one warm-up round).")
flags.DEFINE_integer("latency_calls", 50, "Batch-1 calls per round.")
flags.DEFINE_integer("throughput_calls", 10, "Batch-64 calls per round.")
flags.DEFINE_list("threads", ["1", "2"], "LiteRT interpreter (and XNNPACK) thread counts; each file runs with each.")
flags.DEFINE_bool("dynamic_batch", True, "Also time fp32 and dynamic-range files converted with a dynamic batch "
                  "(how exports were made before batch sizes were static): paths `<format>_dynamic_batch@<threads>`.")
FLAGS = flags.FLAGS
THROUGHPUT_BATCH = 64
SAMPLER = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "export", "litert", "sampler.py")


def load_sampler():
    spec = importlib.util.spec_from_file_location("litert_sampler", SAMPLER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def feeds_for(model, batch_size):
    feeds = {"latent": model.latent_for_seed(batch_size, seed=batch_size)}
    if model.num_classes is not None:
        feeds["label"] = (np.arange(batch_size) % model.num_classes).astype(np.int32)
    return feeds


def sampling_paths(model, out, manifest):
    """`{path name: call(feeds) -> numpy samples}` for every way of sampling the export."""
    generator = model.sampling_generator
    names = [tensor.name for tensor in generator.inputs]

    def as_call_inputs(feeds):
        tensors = [tf.constant(feeds[name]) for name in names]
        return tensors if len(tensors) > 1 else tensors[0]

    compiled = tf.function(lambda inputs: generator(inputs, training=False))
    served = tf.saved_model.load(os.path.join(out, manifest["saved_model"]["path"])).signatures["serving_default"]
    output = manifest["output"]
    paths = {
        "keras_eager": lambda feeds: generator(as_call_inputs(feeds), training=False).numpy(),
        "keras_tf_function": lambda feeds: compiled(as_call_inputs(feeds)).numpy(),
        "saved_model": lambda feeds: served(**{k: tf.constant(v) for k, v in feeds.items()})[output].numpy(),
    }
    sampler = load_sampler()
    for fmt, entry in manifest["tflite"].items():
        for threads in map(int, FLAGS.threads):
            runner = sampler.LiteRTGenerator(os.path.join(out, entry["path"]), threads)
            paths[f"{fmt}@{threads}"] = lambda feeds, runner=runner: runner(feeds["latent"], feeds.get("label"))
    if FLAGS.dynamic_batch:
        for fmt in ("tflite_fp32", "tflite_dynamic"):
            path = os.path.join(out, f"dynamic_batch_{fmt}.tflite")
            with open(path, "wb") as handle:
                handle.write(dynamic_batch_file(generator, os.path.join(out, "dynamic_batch_source"), fmt))
            for threads in map(int, FLAGS.threads):
                runner = sampler.LiteRTGenerator(path, threads)
                paths[f"{fmt}_dynamic_batch@{threads}"] = (
                    lambda feeds, runner=runner: runner(feeds["latent"], feeds.get("label")))
    return paths


def dynamic_batch_file(generator, source, fmt):
    """A LiteRT file with one `serving_default` of batch -1, converted as exports were before static batches."""
    if not os.path.exists(source):
        network = conversion.conversion_copy(generator)
        archive = keras.export.ExportArchive()
        archive.track(network)
        archive.add_endpoint(
            signatures.SERVING_SIGNATURE,
            lambda inputs: {signatures.output_kind(network): signatures.call_network(network, inputs)},
            input_signature=[signatures.generator_input_specs(network)],
        )
        archive.write_out(source, verbose=False)
    converter = tf.lite.TFLiteConverter.from_saved_model(source)
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
    if fmt == "tflite_dynamic":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    return converter.convert()


def seconds_per_call(call, feeds, calls):
    started = time.perf_counter()
    for _ in range(calls):
        call(feeds)
    return (time.perf_counter() - started) / calls


def folder_bytes(path):
    return sum(os.path.getsize(os.path.join(root, name)) for root, _, names in os.walk(path) for name in names)


def main(_):
    model, recipe = saved_runs.load_run(FLAGS.run)
    out = FLAGS.out or tempfile.mkdtemp(prefix="export_speed_")
    manifest = export.export_model(model, out, recipe.name, recipe_name=recipe.name)
    paths = sampling_paths(model, out, manifest)
    single, batch = feeds_for(model, 1), feeds_for(model, THROUGHPUT_BATCH)

    latency, throughput = {name: [] for name in paths}, {name: [] for name in paths}
    for round_index in range(FLAGS.rounds + 1):
        for name, call in paths.items():
            one = seconds_per_call(call, single, FLAGS.latency_calls)
            many = seconds_per_call(call, batch, FLAGS.throughput_calls)
            if round_index:  # round 0 warms up (tracing, allocation)
                latency[name].append(one * 1000.0)
                throughput[name].append(THROUGHPUT_BATCH / many)
        print(f"round {round_index}: " + ", ".join(f"{name} {1000 * one:.2f} ms" for name in paths))

    sizes = {"saved_model": folder_bytes(os.path.join(out, manifest["saved_model"]["path"]))}
    sizes.update({fmt: entry["bytes"] for fmt, entry in manifest["tflite"].items()})
    common.write_json("export_speed.json", {
        "machine": common.machine(),
        "run": FLAGS.run,
        "recipe": recipe.name,
        "generator": manifest["generator"],
        "sample_shape": manifest["sample_shape"],
        "litert_threads": [int(threads) for threads in FLAGS.threads],
        "litert_batch_sizes": manifest["tflite"][next(iter(manifest["tflite"]))]["batch_sizes"],
        "rounds": FLAGS.rounds,
        "file_bytes": sizes,
        "latency_ms_batch_1": {name: float(np.median(values)) for name, values in latency.items()},
        f"samples_per_second_batch_{THROUGHPUT_BATCH}": {
            name: float(np.median(values)) for name, values in throughput.items()
        },
        "error_vs_keras": {
            fmt: {key: entry[key] for key in ("max_abs_error", "mean_abs_error")}
            for fmt, entry in {"saved_model": manifest["saved_model"], **manifest["tflite"]}.items()
        },
        "latency_rounds_ms": latency,
        "throughput_rounds": throughput,
    })


if __name__ == "__main__":
    app.run(main)
