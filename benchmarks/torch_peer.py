"""The zoo's `fit` against PyTorch training the same DCGAN networks, in alternating rounds in one process.

    pip install -e ".[bench]"          # PyTorch, for this script only
    cd benchmarks && python torch_peer.py                          # batch 64, 2 threads
    python torch_peer.py --batch_size=256 --threads=1 --rounds=7
    TF_ENABLE_ONEDNN_OPTS=0 python torch_peer.py                   # TensorFlow without oneDNN

The networks are the TensorFlow DCGAN tutorial's (`tfgan_zoo.networks.tutorial`,
recipe `dcgan_tutorial_mnist8k`: 5x5 (transposed) convolutions, BatchNorm in G,
dropout in D, LeakyReLU 0.3, Adam 1e-4, non-saturating loss), rebuilt in
PyTorch layer for layer: 28x28 images, 'same' padding (PyTorch pads stride-2
layers symmetrically where TensorFlow pads one more pixel at the end: the
same arithmetic). One step is the tutorial's: a D update on a real batch and
a generated one, then a G update on fresh noise. Both train on one batch of
mnist8k repeated from memory, so the input pipeline is not measured.

PyTorch runs in a worker process (`torch_peer_worker.py`: PyTorch and
TensorFlow crashed in one process here), driven round by round from this
one, so the paths still alternate; its CPU time is the worker's.

Paths (each `run(steps) -> (wall, CPU seconds)`, `benchmarks/timing.py`):
- `zoo_fit`: `model.fit` of the recipe, as a user trains;
- `zoo_plain`: the same model's `train_step` in a plain `tf.function` loop;
- `zoo_fit_xla` (`--xla`): `fit` with `jit_compile=True` (XLA on the CPU);
- `torch`: eager PyTorch, NCHW (its default layout);
- `torch_channels_last` (`--channels_last`): tensors and weights in NHWC;
- `torch_compile` (`--torch_compile`): the step's networks under `torch.compile`.

Threads: `--threads` sets TensorFlow's intra-op and inter-op pools and
PyTorch's intra-op pool (`torch.set_num_threads`), before either runs.
Reports images per second (median of rounds, wall and this process's CPU
time) and each path's ratio to `torch`. Without PyTorch the script says how
to install it and exits 0. Writes benchmarks/results/torch_peer.json.
"""

import importlib.metadata
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile

from absl import app, flags

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import common  # noqa: E402
import speed  # noqa: E402  (its flags: --batch_size, --steps, --rounds, --min_round_seconds)
import timing  # noqa: E402

flags.DEFINE_integer("threads", 2, "Intra-op threads of TensorFlow and PyTorch (and TF's inter-op pool).")
flags.DEFINE_bool("xla", True, "Also time the zoo's fit with jit_compile=True.")
flags.DEFINE_bool("channels_last", True, "Also time PyTorch with channels_last (NHWC) tensors.")
flags.DEFINE_bool("torch_compile", False, "Also time PyTorch under torch.compile (needs a C++ compiler).")
flags.DEFINE_string("torch_output", "torch_peer.json", "File name of the results, under benchmarks/results.")
FLAGS = flags.FLAGS
RECIPE = "dcgan_tutorial_mnist8k"
WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_peer_worker.py")


class TorchWorker:
    """`torch_peer_worker.py` in a subprocess; `path(name)` is a `run(steps) -> (wall, CPU seconds)` for timing."""

    def __init__(self, images, threads, paths):
        self.folder = tempfile.mkdtemp(prefix="torch_peer_")
        images_path = os.path.join(self.folder, "images.npy")
        np.save(images_path, images)
        self.process = subprocess.Popen(
            [sys.executable, WORKER, images_path, str(threads), ",".join(paths)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError(f"{WORKER} did not start (exit code {self.process.poll()})")

    def path(self, name):
        def run(steps):
            self.process.stdin.write(f"{name} {steps}\n")
            self.process.stdin.flush()
            wall, cpu = self.process.stdout.readline().split()
            return float(wall), float(cpu)

        return run

    def close(self):
        self.process.communicate("quit\n", timeout=60)
        shutil.rmtree(self.folder, ignore_errors=True)


def main(_):
    if importlib.util.find_spec("torch") is None:
        print("PyTorch is not installed: `pip install -e \".[bench]\"` (or `pip install torch`) to run this "
              "comparison. Nothing measured.")
        return
    tf.config.threading.set_intra_op_parallelism_threads(FLAGS.threads)
    tf.config.threading.set_inter_op_parallelism_threads(FLAGS.threads)

    recipe, dataset, examples = speed.recipe_and_batches(RECIPE, FLAGS.batch_size)
    images = next(iter(dataset))
    images = (images[0] if isinstance(images, tuple) else images).numpy()
    torch_paths = ["torch", *(["torch_channels_last"] if FLAGS.channels_last else []),
                   *(["torch_compile"] if FLAGS.torch_compile else [])]
    worker = TorchWorker(images, FLAGS.threads, torch_paths)
    paths = {
        "zoo_fit": timing.fit_path(speed.built_model(recipe, dataset), dataset),
        "zoo_plain": timing.loop_path(speed.plain_step(speed.built_model(recipe, dataset)), dataset),
        **{name: worker.path(name) for name in torch_paths},
    }
    if FLAGS.xla:
        xla_recipe = recipe.with_overrides({"jit_compile": "true"})
        paths["zoo_fit_xla"] = timing.fit_path(speed.built_model(xla_recipe, dataset), dataset)

    load_before = timing.load_average()
    try:
        round_steps, seconds, cpu_seconds = timing.alternate(
            paths, FLAGS.steps, FLAGS.rounds, FLAGS.min_round_seconds)
    finally:
        worker.close()
    row = {"recipe": recipe.name, "batch_size": FLAGS.batch_size, "threads": FLAGS.threads,
           "onednn": os.environ.get("TF_ENABLE_ONEDNN_OPTS", "default (on)"),
           "torch": importlib.metadata.version("torch"),
           "examples_per_step": examples, "steps_per_round": round_steps,
           "load_average_before": load_before, "load_average_after": timing.load_average(),
           **speed.rate_fields(examples * round_steps, seconds, cpu_seconds, "images")}
    for path in paths:
        if path != "torch":
            row.update(speed.ratio_fields(row, seconds, cpu_seconds, path, "torch", "images"))
    for path in paths:
        ratio = "" if path == "torch" else (
            f", x{row[f'ratio_{path}_over_torch']:.2f} torch (CPU time x{row[f'cpu_ratio_{path}_over_torch']:.2f})")
        print(f"{path}: {row[f'{path}_images_per_second']:.0f} img/s{ratio}", flush=True)
    common.write_json(FLAGS.torch_output, {"machine": common.machine(), **row})


if __name__ == "__main__":
    sys.exit(app.run(main))
