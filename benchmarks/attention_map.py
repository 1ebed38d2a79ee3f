"""Where SAGAN's generator attends: attention-map PNGs of a trained run, for a few samples.

    cd benchmarks
    OPENBLAS_NUM_THREADS=1 python mnist8k_quality.py --cpu_minutes=5 --recipes=sagan_mnist8k
    OPENBLAS_NUM_THREADS=1 python attention_map.py --run=results/runs/sagan_mnist8k --seeds=0,1,2

Each PNG (`results/<output>_seed<s>.png`) shows one generated sample and, for
four query pixels, the generator's attention row laid over it
(`tfgan_zoo.attention_maps.write_attention_png`). The JSON records, per
sample, the learned `gamma` of each attention layer and how far each query
reads: the attention-weighted mean distance to the query, in feature-map
positions, against the same mean for uniform attention.
"""

import os

from absl import app, flags

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

import common  # noqa: E402
from tfgan_zoo import attention_maps, saved_runs  # noqa: E402

flags.DEFINE_string("run", os.path.join(common.RESULTS, "runs", "sagan_mnist8k"), "A trained run with attention.")
flags.DEFINE_list("seeds", ["0", "1", "2"], "Seeds of the samples drawn.")
flags.DEFINE_string("output", "issue7_sagan_attention", "Stem of the files written in benchmarks/results/.")
FLAGS = flags.FLAGS


def mean_distance(rows, positions, resolution):
    """Attention-weighted mean distance from each query position, in positions; and uniform attention's."""
    grid = np.stack(np.meshgrid(np.arange(resolution), np.arange(resolution), indexing="ij"), -1).reshape(-1, 2)
    measured, uniform = [], []
    for row, position in zip(rows, positions):
        distance = np.linalg.norm(grid - grid[position], axis=1)
        measured.append(float(np.sum(row * distance)))
        uniform.append(float(distance.mean()))
    return measured, uniform


def main(_):
    common.single_threaded()
    model, recipe = saved_runs.load_run(FLAGS.run)
    generator = model.sampling_generator
    results = {
        "run": FLAGS.run,
        "recipe": recipe.name,
        "steps": int(model.step_counter.numpy()),
        "gamma": {layer.name: float(layer.gamma.numpy()) for layer in attention_maps.attention_layers(generator)},
        "samples": [],
    }
    for seed in FLAGS.seeds:
        path = os.path.join(common.RESULTS, f"{FLAGS.output}_seed{seed}.png")
        sample, _ = attention_maps.write_attention_png(model, path, seed=int(seed))
        image_size = sample.shape[0]
        queries = attention_maps.default_queries(image_size)
        inputs = model.latent_for_seed(1, int(seed))
        if model.num_classes is not None:
            inputs = [inputs, model.balanced_labels(1, 0)]
        attention = attention_maps.attention_map(generator, inputs)[0]
        resolution = int(round(np.sqrt(attention.shape[0])))
        positions = attention_maps.query_positions(resolution, image_size, queries)
        measured, uniform = mean_distance(attention[positions], positions, resolution)
        results["samples"].append({"seed": int(seed), "png": path, "queries": queries,
                                   "mean_distance": measured, "uniform_mean_distance": uniform})
    common.write_json(f"{FLAGS.output}.json", results)


if __name__ == "__main__":
    app.run(main)
