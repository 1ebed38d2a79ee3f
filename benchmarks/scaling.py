"""Data-parallel scaling of the DCGAN tutorial step: measured on 1 and 2 logical CPU devices, projected on paper.

    cd benchmarks && python scaling.py [--batch_size=64] [--steps=10] [--rounds=5]

Measured here. The CPU is split into logical devices (before TensorFlow
initialises them) and the same step, `tfgan_zoo.models.GAN` on the tutorial
networks (`dcgan_tutorial_mnist8k`), trains through `fit` under a
`tf.distribute.MirroredStrategy` over 1 and over 2 of them, with the same
per-replica batch; the configurations alternate in rounds inside one
process. Both logical devices share the same 2 physical cores, so this
simulates the distributed program (replicas, per-replica batches, the
all-reduces) rather than adding compute: 2 replicas can at best keep the
total rate, i.e. half the rate per replica.

The communication volume is measured twice: as the bytes of the trainable
variables the two optimizers update (G's and D's gradients are the all-reduce
payload), and from the traced 2-replica step, as the input bytes of every
collective reduction op of one replica. The time of all-reducing that payload
alone on the 2 logical devices is measured too.

Projected on paper (every assumption is in `LINKS` and `GPU_FLOPS`): a ring
all-reduce of P bytes over N replicas sends, and receives, 2 (N - 1) / N * P
per replica, at the slowest link's bandwidth, plus a fixed latency per
all-reduce. A step holds two all-reduces (D's gradients, then G's) that wait
for the backward pass and block the next update, so the communication adds to
the compute time instead of hiding behind it. Compute per step is given
twice: on an assumed GPU (`GPU_FLOPS` and the FLOP count of flops.py), and on
this CPU (the best 1-replica round, the least disturbed by other work).
Writes benchmarks/results/scaling.json.
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

flags.DEFINE_integer("batch_size", 64, "Examples per replica per step.")
flags.DEFINE_integer("steps", 10, "Training steps per timed round.")
flags.DEFINE_integer("rounds", 5, "Timed rounds (after warm-up).")
flags.DEFINE_list("replicas", ["1", "2"], "Replica counts to measure (logical CPU devices).")
flags.DEFINE_integer("allreduce_repeats", 10, "All-reduces of the payload per training step of a round.")
FLAGS = flags.FLAGS
RECIPE = "dcgan_tutorial_mnist8k"

# Assumptions of the projection: per-replica bandwidth of the slowest link, one direction, and a fixed
# latency per all-reduce (NCCL-like small-message latency in one host, TCP round trips between hosts).
LINKS = {
    "8 GPUs, one host, NVLink (A100-class, 300 GB/s per GPU per direction)":
        {"replicas": 8, "bytes_per_second": 300e9, "latency_seconds": 30e-6},
    "8 GPUs, one host, PCIe 4.0 x16 only (16 GB/s per GPU per direction, effective)":
        {"replicas": 8, "bytes_per_second": 16e9, "latency_seconds": 30e-6},
    "4 hosts, 1 replica each, 25 Gb/s Ethernet (3.125 GB/s per host per direction)":
        {"replicas": 4, "bytes_per_second": 25e9 / 8, "latency_seconds": 300e-6},
    "4 hosts x 8 GPUs (32 replicas), NVLink in the host, 25 Gb/s Ethernet between hosts (hierarchical)":
        {"replicas": 32, "hosts": 4, "bytes_per_second": 25e9 / 8, "intra_bytes_per_second": 300e9,
         "latency_seconds": 330e-6},
}
# Assumed effective fp32 rate of one GPU on this step: half an A100's 19.5 TFLOP/s fp32 peak (no TF32).
GPU_FLOPS = 10e12


def split_cpu(count):
    """Makes `count` logical CPU devices; must run before TensorFlow initialises its devices."""
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * count)
    return [device.name for device in tf.config.list_logical_devices("CPU")]


def replica_path(strategy):
    """`run(steps)` of `fit` under `strategy`, with the model and the global batch it needs."""
    recipe = recipes.get_recipe(RECIPE).with_overrides({"batch_size": FLAGS.batch_size})
    with strategy.scope():
        model = training.build_model(recipe)
    batch = next(iter(training.make_dataset(recipe, replicas=strategy.num_replicas_in_sync)))
    return timing.fit_path(model, tf.data.Dataset.from_tensors(batch).repeat()), model, batch


def collective_bytes(strategy, model, batch):
    """Input bytes of each collective reduction in one replica's traced step: `{op name: bytes}`."""
    distributed = next(iter(strategy.experimental_distribute_dataset(tf.data.Dataset.from_tensors(batch))))
    graph = tf.function(lambda data: strategy.run(model.train_step, args=(data,))).get_concrete_function(
        distributed).graph
    first_device = strategy.extended.worker_devices[0]
    return {op.name: op.inputs[0].shape.num_elements() * op.inputs[0].dtype.size for op in graph.get_operations()
            if op.type.startswith("Collective") and op.device == first_device}


def allreduce_path(strategy, variables):
    """`run(steps)`: `steps x --allreduce_repeats` all-reduces of tensors shaped like `variables`, alone."""
    shapes = [variable.shape for variable in variables]
    values = strategy.experimental_distribute_values_from_function(
        lambda context: [tf.fill(shape, tf.cast(context.replica_id_in_sync_group + 1, tf.float32)) for shape in shapes])

    def reduce(tensors):
        reduced = tf.distribute.get_replica_context().all_reduce("sum", tensors)
        return tf.add_n([tf.reshape(tensor, [-1])[0] for tensor in reduced])  # every reduction is used

    @tf.function
    def allreduce(count):
        total = tf.constant(0.0)
        for _ in tf.range(count):
            total += strategy.experimental_local_results(strategy.run(reduce, args=(values,)))[0]
        return total

    stopwatch = timing.Stopwatch()

    def run(steps):
        stopwatch.start()
        float(allreduce(tf.constant(steps * FLAGS.allreduce_repeats)))
        return tuple(seconds / FLAGS.allreduce_repeats for seconds in stopwatch.stop())

    return run


def ring_seconds(link, payload):
    """Communication seconds per step: bandwidth term of the ring all-reduce(s), plus two latencies."""
    replicas = link["replicas"]
    if "hosts" in link:
        # Reduce-scatter and all-gather inside each host; the shards cross hosts in a ring, all
        # through the host's one network interface (which thus carries 2 (H - 1) / H * P).
        hosts, per_host = link["hosts"], replicas // link["hosts"]
        intra = 2 * (per_host - 1) / per_host * payload / link["intra_bytes_per_second"]
        inter_bytes = 2 * (hosts - 1) / hosts * payload
        return inter_bytes, intra + inter_bytes / link["bytes_per_second"] + 2 * link["latency_seconds"]
    sent = 2 * (replicas - 1) / replicas * payload
    return sent, sent / link["bytes_per_second"] + 2 * link["latency_seconds"]


def projections(payload, flops_per_step, cpu_step_seconds):
    """Communication against compute per step for each assumed cluster (`LINKS`)."""
    gpu_step_seconds = flops_per_step / GPU_FLOPS
    rows = []
    for name, link in LINKS.items():
        sent, seconds = ring_seconds(link, payload)
        rows.append({
            "cluster": name, **link, "bytes_sent_per_replica_or_host": sent, "communication_seconds": seconds,
            "gpu_compute_seconds": gpu_step_seconds, "gpu_communication_over_compute": seconds / gpu_step_seconds,
            "gpu_scaling_efficiency": gpu_step_seconds / (gpu_step_seconds + seconds),
            "break_even_flops_per_second": flops_per_step / seconds,
            "cpu_compute_seconds": cpu_step_seconds,
            "cpu_scaling_efficiency": cpu_step_seconds / (cpu_step_seconds + seconds),
        })
        print(f"{name}: {1e3 * seconds:.2f} ms communication vs {1e3 * gpu_step_seconds:.2f} ms GPU compute "
              f"(efficiency {100 * rows[-1]['gpu_scaling_efficiency']:.0f}%)", flush=True)
    return rows


def measure(devices):
    """Alternating rounds of `fit` on each replica count, and of the payload's all-reduce alone."""
    counts = [int(value) for value in FLAGS.replicas]
    strategies = {count: tf.distribute.MirroredStrategy(devices[:count]) for count in counts}
    paths, fitted = {}, {}
    for count, strategy in strategies.items():
        paths[f"replicas_{count}"], model, batch = replica_path(strategy)
        fitted[count] = (model, batch)
    widest = max(counts)
    model, batch = fitted[widest]
    variables = model.generator_variables + model.discriminator_variables
    if widest > 1:
        paths[f"allreduce_{widest}"] = allreduce_path(strategies[widest], variables)
    _, wall, cpu = timing.alternate(paths, FLAGS.steps, FLAGS.rounds)
    collectives = collective_bytes(strategies[widest], model, batch) if widest > 1 else {}
    return counts, wall, cpu, variables, collectives


def replica_rates(count, wall, cpu):
    """Images/s of `count` replicas, in all and per replica; per CPU second of this process too."""
    images = count * FLAGS.batch_size * FLAGS.steps
    rate, per_round = timing.rates(images, wall)
    per_cpu_second, _ = timing.rates(images, cpu)
    print(f"{count} replica(s): {rate:.1f} img/s, {rate / count:.1f} per replica; "
          f"{per_cpu_second:.1f} img per CPU second", flush=True)
    return {"images_per_second": rate, "images_per_second_per_replica": rate / count,
            "rounds_images_per_second": per_round, "images_per_cpu_second": per_cpu_second,
            "seconds_per_step": float(np.median(wall)) / FLAGS.steps, "best_round_seconds_per_step":
            float(np.min(wall)) / FLAGS.steps}


def main(_):
    tf.get_logger().setLevel("ERROR")  # MirroredStrategy logs every all-reduce it builds
    devices = split_cpu(max(int(value) for value in FLAGS.replicas))
    load_before = timing.load_average()
    counts, wall, cpu, variables, collectives = measure(devices)
    payload = sum(int(np.prod(variable.shape)) * np.dtype(variable.dtype).itemsize for variable in variables)
    measured = {count: replica_rates(count, wall[f"replicas_{count}"], cpu[f"replicas_{count}"]) for count in counts}
    allreduce = {name: {"seconds_per_step": float(np.median(wall[name])) / FLAGS.steps,
                        "cpu_seconds_per_step": float(np.median(cpu[name])) / FLAGS.steps}
                 for name in wall if name.startswith("allreduce")}
    flops_per_step = flops.tutorial_step_count()["step_flops_per_image"] * FLAGS.batch_size
    common.write_json("scaling.json", {
        "machine": common.machine(), "load_average_1min": [load_before, timing.load_average()],
        "recipe": RECIPE, "batch_size_per_replica": FLAGS.batch_size, "steps_per_round": FLAGS.steps,
        "rounds": FLAGS.rounds, "measured": measured,
        "payload_bytes": payload, "payload_variables": len(variables),
        "collective_input_bytes_per_replica": collectives, "collective_bytes_total": sum(collectives.values()),
        "allreduce_seconds_per_step_here": allreduce, "flops_per_step_per_replica": flops_per_step,
        "assumed_gpu_flops_per_second": GPU_FLOPS,
        "projections": projections(payload, flops_per_step, measured[min(counts)]["best_round_seconds_per_step"]),
    })


if __name__ == "__main__":
    app.run(main)
