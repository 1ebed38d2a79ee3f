"""Writes a grid of samples from a fixed latent batch after every epoch."""

import os

import keras
import tensorflow as tf

from tfgan_zoo import held_out
from tfgan_zoo.utils import images


class SampleGrid(keras.callbacks.Callback):
    """PNG (and optionally TensorBoard image) of the same latents after each epoch.

    The latents (and balanced labels for conditional models) are fixed at the
    start, so the grids show one set of samples evolving; samples come from
    the EMA generator when the model has one, with `training=False`.

    Args:
        directory: folder of the PNG files, named `step_<N>.png`.
        num: number of samples in the grid.
        seed: seed of the fixed latents.
        log_dir: when given, the grid is also written as a TensorBoard image
            summary there.
    """

    def __init__(self, directory, num=64, seed=1234, log_dir=None):
        super().__init__()
        self.directory = directory
        self.num = num
        self.seed = seed
        self.log_dir = log_dir
        self._writer = None

    def on_train_begin(self, logs=None):
        self._labels = self.model.balanced_labels(self.num)
        if self.log_dir and self._writer is None:
            self._writer = tf.summary.create_file_writer(self.log_dir)

    def on_epoch_end(self, epoch, logs=None):
        step = int(self.model.step_counter.numpy())
        # `seed` fixes the latents (the held-out sources of image-to-image models).
        samples = held_out.generate(self.model, self.num, labels=self._labels, seed=self.seed)
        picture = images.samples_to_picture(samples)
        images.write_png(os.path.join(self.directory, f"step_{step:07d}.png"), picture)
        if self._writer is not None:
            with self._writer.as_default():
                tf.summary.image("samples", picture[None], step=step)
            self._writer.flush()

    def on_train_end(self, logs=None):
        if self._writer is not None:
            self._writer.close()
            self._writer = None
