"""Custom Keras layers for discriminators, registered for `.keras` saving.

Importing this package registers the layers under the `tfgan_zoo` package
name, so saved networks that use them load with `keras.models.load_model`.
"""

from tfgan_zoo.layers.minibatch import MinibatchDiscrimination, MinibatchStdDev

__all__ = ["MinibatchDiscrimination", "MinibatchStdDev"]
