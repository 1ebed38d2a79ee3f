"""Does data ever starve the step? The input pipeline alone, against training, per recipe.

    python benchmarks/input_pipeline.py --recipes=dcgan_shapes,dcgan_mnist8k,cgan_mnist8k --batches=200

For each recipe, the dataset `training.train` feeds (`training.make_dataset`)
is drained without a model (images/sec the pipeline can deliver), then the
recipe trains `--train_steps` steps on that same dataset (images/sec `fit`
consumes, after one warm-up epoch). The pipeline starves the step when its
rate is not well above the training rate.
"""

import os
import time

from absl import app, flags

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import common  # noqa: E402
from tfgan_zoo import recipes, training  # noqa: E402

flags.DEFINE_list("recipes", ["dcgan_shapes", "dcgan_mnist8k", "cgan_mnist8k", "gan_ring8"], "Catalog recipes.")
flags.DEFINE_integer("batches", 200, "Batches drawn from the pipeline alone.")
flags.DEFINE_integer("train_steps", 30, "Timed training steps.")
FLAGS = flags.FLAGS


def pipeline_rate(recipe, batches):
    """Images/sec of the training dataset drained on its own (after 5 warm-up batches)."""
    iterator = iter(training.make_dataset(recipe))
    for _ in range(5):
        next(iterator)
    started = time.perf_counter()
    for _ in range(batches):
        next(iterator)
    return batches * recipe.batch_size * recipe.d_steps / (time.perf_counter() - started)


def training_rate(recipe, steps):
    """Images/sec `fit` consumes from the same dataset (second epoch timed)."""
    model = training.build_model(recipe)
    dataset = training.make_dataset(recipe)
    model.fit(dataset, epochs=1, steps_per_epoch=3, verbose=0)
    started = time.perf_counter()
    model.fit(dataset, epochs=1, steps_per_epoch=steps, verbose=0)
    return steps * recipe.batch_size * recipe.d_steps / (time.perf_counter() - started)


def main(_):
    rows = []
    for name in FLAGS.recipes:
        recipe = recipes.get_recipe(name)
        supply, demand = pipeline_rate(recipe, FLAGS.batches), training_rate(recipe, FLAGS.train_steps)
        rows.append({"recipe": name, "batch_size": recipe.batch_size, "pipeline_images_per_second": supply,
                     "training_images_per_second": demand, "headroom": supply / demand})
        print(f"{name}: pipeline {supply:,.0f} img/s, training {demand:,.0f} img/s, headroom x{supply / demand:.1f}")
    common.write_json("input_pipeline.json", {"machine": common.machine(), "rows": rows})


if __name__ == "__main__":
    app.run(main)
