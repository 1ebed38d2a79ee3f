"""InceptionV3 pool features for standard FID, from a local weights file.

Nothing is downloaded: the weights must already be on disk (for example
`inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5`, or a
`.weights.h5` written by `model.save_weights`). Samples are prepared the
standard way: grayscale is repeated to RGB and images are resized
bilinearly to 299x299; they stay in [-1, 1], the range InceptionV3 takes.
"""

import os

import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo.metrics import features as features_lib

INCEPTION_SIZE = 299
INCEPTION_FEATURES = 2048


def preprocess_for_inception(images):
    """Float32 images in [-1, 1] `[N, H, W, 1 or 3]` -> `[N, 299, 299, 3]`.

    Raises:
        ValueError: If the images are not 1- or 3-channel batches.
    """
    images = np.asarray(images, dtype=np.float32)
    if images.ndim != 4 or images.shape[-1] not in (1, 3):
        raise ValueError(
            "InceptionV3 takes image batches [N, H, W, 1 or 3]. "
            f"Received: images.shape={images.shape}"
        )
    images = tf.convert_to_tensor(images)
    if images.shape[-1] == 1:
        images = tf.tile(images, [1, 1, 1, 3])
    return tf.image.resize(images, [INCEPTION_SIZE, INCEPTION_SIZE], method="bilinear")


def load_inception(weights_path):
    """InceptionV3 without its top, average-pooled to 2048 features.

    Args:
        weights_path: Path of a local weights file for
            `keras.applications.InceptionV3(include_top=False)`.

    Returns:
        The `keras.Model`.

    Raises:
        ValueError: If the file does not exist.
    """
    if not isinstance(weights_path, (str, os.PathLike)) or not os.path.isfile(weights_path):
        raise ValueError(
            "`weights_path` must name an existing InceptionV3 weights file (nothing is "
            f"downloaded). Received: weights_path={weights_path!r}"
        )
    return keras.applications.InceptionV3(
        include_top=False,
        weights=os.fspath(weights_path),
        input_shape=(INCEPTION_SIZE, INCEPTION_SIZE, 3),
        pooling="avg",
    )


def inception_network(weights_path, batch_size=32):
    """InceptionV3 pool features as a `FeatureNetwork` (no class probabilities).

    Args:
        weights_path: Local weights file, see `load_inception`.
        batch_size: Images per forward pass (299x299 activations are large).

    Returns:
        A `features.FeatureNetwork` for images of any size with 1 or 3
        channels.
    """
    model = load_inception(weights_path)

    def function(batch):
        return model.predict_on_batch(preprocess_for_inception(batch))

    return features_lib.FeatureNetwork(function, name="inception_v3", batch_size=batch_size)
