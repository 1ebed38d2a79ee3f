"""The intermediate images of generators that build an image in stages, and their picture.

GRAN names the canvas after each step `canvas_<t>`; LAPGAN's cascade names
the image of each pyramid level `level_image_<k>`. `stage_outputs` reads
those layers of a built (or loaded) generator without rebuilding it, and
`stage_grid` lays them out: one row per sample, one column per stage.
"""

import re

import keras
import numpy as np

from tfgan_zoo.utils import images


def stage_names(network, prefix):
    """Names of `network`'s layers `<prefix><integer>`, in the integers' order."""
    pattern = re.compile(re.escape(prefix) + r"(\d+)")
    found = [(int(match.group(1)), layer.name) for layer in network.layers if (match := pattern.fullmatch(layer.name))]
    if not found:
        raise ValueError(f"{network.name} has no layer named {prefix}<number>. Received: prefix={prefix!r}")
    return [name for _, name in sorted(found)]


def stage_outputs(network, prefix):
    """A model from `network`'s inputs to the outputs of its layers `<prefix>0`, `<prefix>1`, ... in order.

    It shares `network`'s layers and weights; call it with `training=False` to sample.
    """
    outputs = [network.get_layer(name).output for name in stage_names(network, prefix)]
    return keras.Model(network.input, outputs, name=f"{network.name}_stages")


def stage_grid(stages):
    """One uint8 picture: row i holds sample i at every stage, each scaled up to the final size.

    Args:
        stages: a list of image batches `[B, h_s, w_s, C]` in [-1, 1], the
            last one the largest; smaller ones must divide its size (they
            are enlarged by pixel repetition).
    """
    final = np.asarray(stages[-1])
    height, width = final.shape[1:3]
    enlarged = []
    for stage in stages:
        stage = np.asarray(stage)
        if height % stage.shape[1] or width % stage.shape[2]:
            raise ValueError(f"Stage sizes must divide the final size {height}x{width}. Received: shape={stage.shape}")
        stage = np.repeat(np.repeat(stage, height // stage.shape[1], axis=1), width // stage.shape[2], axis=2)
        enlarged.append(stage)
    # [B, S, H, W, C] -> rows of samples, columns of stages.
    ordered = np.stack(enlarged, axis=1).reshape((-1, height, width, final.shape[3]))
    return images.make_grid(images.to_uint8(ordered), columns=len(stages))
