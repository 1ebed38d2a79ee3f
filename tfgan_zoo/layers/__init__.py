"""Custom Keras layers for the networks, registered for `.keras` saving.

Importing this package registers the layers under the `tfgan_zoo` package
name, so saved networks that use them load with `keras.models.load_model`.
"""

from tfgan_zoo.layers.attention import SelfAttention
from tfgan_zoo.layers.chunks import Chunks
from tfgan_zoo.layers.class_latent import ClassConditionalLatent
from tfgan_zoo.layers.equalized import EqualizedConv2D, EqualizedDense, PixelNorm
from tfgan_zoo.layers.growth import FadeIn, GrowthProgress, NearestUpsample
from tfgan_zoo.layers.minibatch import MinibatchDiscrimination, MinibatchStdDev
from tfgan_zoo.layers.style import AdaptiveInstanceNorm, ConstantNoise, LearnedConstant, NoiseInput, Truncation

__all__ = [
    "AdaptiveInstanceNorm",
    "Chunks",
    "ClassConditionalLatent",
    "ConstantNoise",
    "EqualizedConv2D",
    "EqualizedDense",
    "FadeIn",
    "GrowthProgress",
    "LearnedConstant",
    "MinibatchDiscrimination",
    "MinibatchStdDev",
    "NearestUpsample",
    "NoiseInput",
    "PixelNorm",
    "SelfAttention",
    "Truncation",
]
