"""Inputs drawn as requests would be: to measure exported files and to calibrate int8.

The measurement batch is fixed (seed `EVALUATION_SEED`) and recorded in the
manifest, so anyone can recompute the errors it reports; calibration uses
other seeds, so int8 is never scored on the batch it was calibrated with.
"""

import numpy as np
import tensorflow as tf

from tfgan_zoo import held_out

EVALUATION_BATCH = 16
EVALUATION_SEED = 0
# Examples per signature: 800 (100 batches of 8 before batch sizes were static);
# fewer left int8 activation ranges poorly estimated.
CALIBRATION_EXAMPLES = 800
CALIBRATION_BLOCK = 64


def example_inputs(model, specs, batch, seed):
    """Numpy inputs for the named `specs`: latents from the model's prior, labels cycling over classes,
    for image-to-image generators `held_out.example_sources` (held-out source images, with their masks for
    inpainting), and for text-conditioned ones its `example_captions` (caption token ids).
    """
    inputs = {}
    for name in specs:
        if name == "latent":
            inputs[name] = model.latent_for_seed(batch, seed)
        elif name == "label":
            inputs[name] = ((np.arange(batch) + seed) % model.num_classes).astype(np.int32)
        elif name in ("image", "mask"):
            inputs[name] = held_out.example_source_inputs(model, batch, seed)[name]
        elif name == "caption":
            inputs[name] = model.example_captions(batch, seed)
        else:
            raise ValueError(f"No example values for generator input {name!r}. Received: inputs {list(specs)}")
    return inputs


def evaluation_inputs(model, specs):
    return example_inputs(model, specs, EVALUATION_BATCH, EVALUATION_SEED)


def calibration_batches(model, specs, signatures):
    """The representative dataset of int8 conversion: `(signature name, inputs)` pairs.

    Every signature of `signatures` (`{name: static batch size}`) gets at
    least `CALIBRATION_EXAMPLES` examples in batches of its size (a signature
    left out would stay float). Examples are drawn in blocks of about
    `CALIBRATION_BLOCK` rows, each block from its own seed, and split; a
    block that several signatures split alike is drawn once.
    """
    drawn = {}
    for name, size in signatures.items():
        block = size * -(-CALIBRATION_BLOCK // size)
        for index in range(-(-CALIBRATION_EXAMPLES // block)):
            if (block, index) not in drawn:
                drawn[block, index] = example_inputs(model, specs, block, EVALUATION_SEED + 1 + index)
            inputs = drawn[block, index]
            for start in range(0, block, size):
                yield name, {key: value[start : start + size] for key, value in inputs.items()}


def keras_outputs(generator, inputs):
    """The reference every export is measured against: the Keras generator, `training=False`.

    Called directly, not through the signature code, so a mistake there
    cannot hide in the reference.
    """
    tensors = [tf.constant(inputs[tensor.name]) for tensor in generator.inputs]
    return np.asarray(generator(tensors if len(tensors) > 1 else tensors[0], training=False), np.float32)


def errors(actual, expected):
    difference = np.abs(np.asarray(actual, np.float64) - np.asarray(expected, np.float64))
    return {"max_abs_error": float(difference.max()), "mean_abs_error": float(difference.mean())}
