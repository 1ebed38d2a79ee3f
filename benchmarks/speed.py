"""Training speed: `model.fit` against a plain `@tf.function` loop (BENCHMARK_PROTOCOL.md).

    python benchmarks/speed.py --batch_size=256 --steps=40 --rounds=5

Both paths train the TensorFlow DCGAN tutorial's MNIST networks with the same
loss (non-saturating), optimizers (Adam 1e-4) and batch, one D and one G update
per batch, from an in-memory batch so the input pipeline is not measured. They
alternate in rounds inside one process (the machine is shared and noisy); the
first round of each is warm-up. The figure is the ratio of median images/sec.
"""

import os
import time

from absl import app, flags

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

import common  # noqa: E402
from tfgan_zoo import data, losses, models, networks  # noqa: E402

flags.DEFINE_integer("batch_size", 256, "Images per step (the tutorial uses 256).")
flags.DEFINE_integer("steps", 40, "Steps per timed round.")
flags.DEFINE_integer("rounds", 5, "Timed rounds per path (after one warm-up round).")
FLAGS = flags.FLAGS
LATENT = 100


def build_pair():
    return networks.build_networks("tutorial", (28, 28, 1), LATENT)


def plain_loop(generator, discriminator, batch_size):
    """The tutorial's hand-written step, compiled with `tf.function`."""
    g_opt, d_opt = keras.optimizers.Adam(1e-4), keras.optimizers.Adam(1e-4)
    g_opt.build(generator.trainable_variables)
    d_opt.build(discriminator.trainable_variables)

    @tf.function
    def step(images):
        noise = tf.random.normal([batch_size, LATENT])
        with tf.GradientTape() as d_tape:
            fake = generator(noise, training=True)
            d_loss = tf.reduce_mean(losses.non_saturating_discriminator_loss(
                discriminator(images, training=True), discriminator(fake, training=True)))
        d_opt.apply(d_tape.gradient(d_loss, discriminator.trainable_variables), discriminator.trainable_variables)
        noise = tf.random.normal([batch_size, LATENT])
        with tf.GradientTape() as g_tape:
            g_loss = tf.reduce_mean(losses.non_saturating_generator_loss(
                discriminator(generator(noise, training=True), training=True)))
        g_opt.apply(g_tape.gradient(g_loss, generator.trainable_variables), generator.trainable_variables)
        return d_loss, g_loss

    return step


class EpochTimer(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.started = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds = time.perf_counter() - self.started


def main(_):
    batch_size, steps = FLAGS.batch_size, FLAGS.steps
    images = next(iter(data.load("mnist8k", batch_size, labels=False)))
    dataset = tf.data.Dataset.from_tensors(images).repeat()

    model = models.GAN(*build_pair(), loss="non_saturating")
    model.compile(keras.optimizers.Adam(1e-4), keras.optimizers.Adam(1e-4))
    timer = EpochTimer()
    iterator = iter(dataset)
    step = plain_loop(*build_pair(), batch_size)

    fit_rates, plain_rates = [], []
    for round_index in range(FLAGS.rounds + 1):
        model.fit(dataset, epochs=1, steps_per_epoch=steps, verbose=0, callbacks=[timer])
        started = time.perf_counter()
        for _ in range(steps):
            outputs = step(next(iterator))
        float(outputs[0])  # wait for the last step
        plain_seconds = time.perf_counter() - started
        if round_index:  # round 0 is warm-up (tracing)
            fit_rates.append(batch_size * steps / timer.seconds)
            plain_rates.append(batch_size * steps / plain_seconds)
        print(f"round {round_index}: fit {batch_size * steps / timer.seconds:.1f} img/s, plain {batch_size * steps / plain_seconds:.1f} img/s")

    fit_rate, plain_rate = float(np.median(fit_rates)), float(np.median(plain_rates))
    common.write_json("speed.json", {
        "machine": common.machine(), "batch_size": batch_size, "steps_per_round": steps, "rounds": FLAGS.rounds,
        "fit_images_per_second": fit_rate, "plain_images_per_second": plain_rate, "ratio_fit_over_plain": fit_rate / plain_rate,
        "fit_rounds": fit_rates, "plain_rounds": plain_rates,
    })


if __name__ == "__main__":
    app.run(main)
