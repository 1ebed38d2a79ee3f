"""The held-out images that models of given images (image-to-image models, DAGAN) are sampled and measured on.

Such a model keeps `source_data`, the data it was trained on, in its config
but reads no files: its `generate` takes `sources`. Sampling it by number
and seed (`generate`, what sample grids, `tfgan-zoo sample` and the
evaluation callback call), measuring and calibrating its exports
(`example_source_inputs`) and evaluating its translations
(`heldout_examples`) read the held-out part of that data here.
"""

import math

import numpy as np

from tfgan_zoo import models
from tfgan_zoo.data import paired
from tfgan_zoo.utils import validation


def takes_sources(model):
    """Whether `model` samples from given images (it has `source_data`) rather than from a latent alone."""
    return hasattr(model, "source_data")


def generate(model, num, *, labels=None, seed=0, **kwargs):
    """`num` samples of any model, a pure function of `seed`, as a float32 numpy array.

    A latent model draws them (`model.generate(num, labels=..., seed=...)`);
    an image-to-image model translates `num` held-out sources chosen by
    `seed`; DAGAN varies `ceil(sqrt(num))` held-out images, each filling one
    row of a square grid, so a sample grid shows what the noise changes.
    `kwargs` are `model.generate`'s (`batch_size`, `use_ema`, ...).
    """
    if not takes_sources(model):
        return model.generate(num, labels=labels, seed=seed, **kwargs)
    validation.check_int("num", num)
    return model.generate(sources=sampling_sources(model, num, seed), labels=labels, seed=seed, **kwargs)


def sampling_sources(model, num, seed=0):
    """The sources `generate` gives `model` for `num` samples (see there)."""
    if isinstance(model, models.ImageToImageModel):
        return heldout_examples(model, num, seed)[0]
    columns = math.ceil(math.sqrt(num))
    images = heldout_images(model, math.ceil(num / columns), seed)
    return np.repeat(images, columns, axis=0)[:num]


def heldout_examples(model, num, seed=0):
    """`(sources, targets, labels)` of `num` held-out images of an image-to-image model's task
    (see `paired.heldout_pairs`), numpy."""
    data = _source_data(model)
    return paired.heldout_pairs(data["dataset"], data["task"], num, seed=seed, image_size=data["image_size"],
                                resize=data["resize"])


def heldout_images(model, num, seed=0):
    """`num` held-out images of the dataset of `model.source_data` chosen by `seed` (DAGAN's sources), numpy."""
    data = _source_data(model)
    return paired.heldout_images(data["dataset"], num, seed=seed, image_size=data["image_size"],
                                 resize=data["resize"])[0]


def example_sources(model, num, seed=0):
    """Sources to measure and calibrate exports on: held-out ones, or, for an image-to-image model built
    without `source_data`, its `noise_sources`."""
    if isinstance(model, models.ImageToImageModel):
        if model.source_data is None:
            return model.noise_sources(num, seed)
        return heldout_examples(model, num, seed)[0]
    return heldout_images(model, num, seed)


def example_source_inputs(model, num, seed=0):
    """`example_sources` by generator input name (what an export's evaluation and calibration feed)."""
    return model.source_inputs(example_sources(model, num, seed))


def _source_data(model):
    if model.source_data is None:
        raise ValueError(
            f"{model.name} was built without source_data, so it has no held-out images; pass sources. "
            "Received: source_data=None"
        )
    return model.source_data
