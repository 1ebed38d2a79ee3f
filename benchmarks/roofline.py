"""Roofline of the DCGAN tutorial step: its effective FLOP/s as a share of this machine's fp32 GEMM rate.

    cd benchmarks && python roofline.py [--batch_sizes=64,256] [--steps=10] [--rounds=5] [--gemm_sizes=2048,4096]

The count. Only the products of weights and activations are counted: for one
example, a Dense layer does `inputs x units` multiply-adds (MACs), a Conv2D
`H_out x W_out x K_h x K_w x C_in x C_out` and a Conv2DTranspose
`H_in x W_in x K_h x K_w x C_in x C_out` (every input pixel meets the whole
kernel; the equivalent convolution's work). A MAC is 2 FLOPs. BatchNorm,
activations, dropout, biases, losses and the Adam updates are left out.
Backward is 2x forward: the gradient with respect to a layer's input and the
one with respect to its weights each cost one forward (a slight overcount
where no input gradient is needed: D's first layer in the D update, G's first
in the G update). With G and D the forward MACs of one example through each
network, one adversarial step per example costs:

    D update: G forward (fakes), D forward on real and fake (2D), D backward (2 x 2D)  = G + 6D
    G update: G forward, D forward, backward through D and G (2G + 2D)                = 3G + 3D
    step:                                                                               4G + 9D MACs

The tutorial networks (latent 100, 28x28x1) give G = 51.75 M and D = 10.36 M
MACs, so about 600 MFLOP per training image; G's stride-1 Conv2DTranspose
(7x7x256 -> 7x7x128, 5x5) is two thirds of it. As a check, TensorFlow's own
profiler counts the FLOPs of every op it has a rule for (elementwise ops and
Adam included) in the traced `train_step` graph at the measured batch size;
both are reported. The counting code is benchmarks/flops.py.

The rate. The step is `tfgan_zoo.models.GAN` built from the
`dcgan_tutorial_mnist8k` recipe, trained through `fit` on an in-memory batch.
The machine's fp32 GEMM rate is the best of: a chain of square
`tf.linalg.matmul`s (`2 n^3` FLOPs each) inside one `tf.function`, on
TensorFlow's default threads, and the same chain through numpy's BLAS. Step
rounds and GEMM rounds alternate in one process (the machine is shared); the
figures are medians, and the share is also given round by round. Writes benchmarks/results/roofline.json.
"""

import os

from absl import app, flags

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import common  # noqa: E402
import flops  # noqa: E402
import timing  # noqa: E402
from tfgan_zoo import recipes, training  # noqa: E402

flags.DEFINE_list("batch_sizes", ["64", "256"], "Batch sizes of the timed step (the tutorial uses 256).")
flags.DEFINE_integer("steps", 10, "Training steps per timed round.")
flags.DEFINE_integer("rounds", 5, "Timed rounds (after warm-up).")
flags.DEFINE_list("gemm_sizes", ["2048", "4096"], "Sizes n of the n x n fp32 matrix products.")
flags.DEFINE_float("gemm_gflop", 100.0, "GFLOP of matrix products per GEMM round.")
FLAGS = flags.FLAGS
RECIPE = "dcgan_tutorial_mnist8k"


def gemm_path(size, products):
    """`run(_)`: `products` chained n x n fp32 products (a chain, so none can be merged or skipped)."""
    generator = tf.random.Generator.from_seed(size)
    # Scaled so that values keep their magnitude along the chain (no overflow, no denormals).
    right = generator.normal([size, size]) / np.sqrt(size)
    start = generator.normal([size, size])

    @tf.function
    def chain():
        product = start
        for _ in tf.range(products):
            product = tf.linalg.matmul(product, right)
        return product[0, 0]

    stopwatch = timing.Stopwatch()

    def run(_):
        stopwatch.start()
        float(chain())
        return stopwatch.stop()

    return run


def numpy_gemm_path(size, products):
    """`run(_)`: the same chain through numpy's BLAS, a second opinion on the machine's GEMM rate."""
    rng = np.random.default_rng(size)
    right = (rng.standard_normal((size, size)) / np.sqrt(size)).astype(np.float32)
    start = rng.standard_normal((size, size)).astype(np.float32)

    stopwatch = timing.Stopwatch()

    def run(_):
        stopwatch.start()
        product = start
        for _ in range(products):
            product = product @ right
        return stopwatch.stop()

    return run


def step_path(batch_size):
    recipe = recipes.get_recipe(RECIPE).with_overrides({"batch_size": batch_size})
    batch = next(iter(training.make_dataset(recipe)))
    model = training.build_model(recipe)
    profiled = flops.profiler_count(training.build_model(recipe), batch)
    return timing.fit_path(model, tf.data.Dataset.from_tensors(batch).repeat()), profiled


def summary(units_per_round, wall, cpu):
    """Units per wall second (median and best round) and per CPU second of this process (median).

    On a loaded machine the best round is closest to what the machine can do
    alone, and units per CPU second ignore the time other processes take.
    """
    per_round = [units_per_round / seconds for seconds in wall]
    return {"median": float(np.median(per_round)), "best": max(per_round),
            "per_cpu_second": float(np.median([units_per_round / seconds for seconds in cpu])), "rounds": per_round}


def shares(step, gemm, flops_per_image):
    """The step's effective FLOP/s over the GEMM rate: of medians, best rounds, CPU seconds, round by round."""
    paired = [rate * flops_per_image / rate_gemm for rate, rate_gemm in zip(step["rounds"], gemm["rounds"])]
    return {key: step[key] * flops_per_image / gemm[key] for key in ("median", "best", "per_cpu_second")} | {
        "paired_median": float(np.median(paired)), "paired_min": min(paired), "paired_max": max(paired)}


def main(_):
    count = flops.tutorial_step_count()
    batch_sizes = [int(value) for value in FLAGS.batch_sizes]
    gemm_sizes = [int(value) for value in FLAGS.gemm_sizes]
    paths, profiled = {}, {}
    for batch_size in batch_sizes:
        paths[f"step_{batch_size}"], profiled[batch_size] = step_path(batch_size)
    products = {size: max(1, round(FLAGS.gemm_gflop * 1e9 / (2 * size**3))) for size in gemm_sizes}
    for size in gemm_sizes:
        paths[f"gemm_{size}"] = gemm_path(size, products[size])
        paths[f"numpy_gemm_{size}"] = numpy_gemm_path(size, products[size])
    load_before = timing.load_average()
    _, wall, cpu = timing.alternate(paths, FLAGS.steps, FLAGS.rounds)
    gemm = {name: summary(2 * int(name.rsplit("_", 1)[1]) ** 3 * products[int(name.rsplit("_", 1)[1])],
                          wall[name], cpu[name]) for name in paths if "gemm" in name}
    best = max(gemm, key=lambda name: gemm[name]["median"])
    steps = {}
    for size in batch_sizes:
        step = summary(size * FLAGS.steps, wall[f"step_{size}"], cpu[f"step_{size}"])
        steps[size] = {"images_per_second": step, "flops_per_image_profiler": profiled[size] / size,
                       "share_of_gemm_rate": shares(step, gemm[best], count["step_flops_per_image"])}
        share = steps[size]["share_of_gemm_rate"]
        print(f"batch {size}: {step['median']:.1f} img/s (best round {step['best']:.1f}), "
              f"{step['median'] * count['step_flops_per_image'] / 1e9:.1f} GFLOP/s effective; share of the GEMM "
              f"rate {share['median']:.1%} (best rounds {share['best']:.1%}, CPU time {share['per_cpu_second']:.1%})",
              flush=True)
    common.write_json("roofline.json", {
        "machine": common.machine(), "load_average_1min": [load_before, timing.load_average()],
        "recipe": RECIPE, "steps_per_round": FLAGS.steps, "rounds": FLAGS.rounds, "count": count,
        "gemm_flops_per_second": gemm, "gemm_reference": best, "step": steps,
    })


if __name__ == "__main__":
    app.run(main)
