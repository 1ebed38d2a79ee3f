"""A class-conditional Gaussian latent: standard normal noise moved to the Gaussian of a class."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class ClassConditionalLatent(keras.layers.Layer):
    """`[noise, label] -> mean[label] + scale[label] @ noise`.

    With standard normal `noise`, the output is distributed as
    `N(mean[label], scale[label] @ scale[label]^T)`: BAGAN's class-conditional
    latent (Mariani et al. 2018), whose per-class means and covariances are
    those of the autoencoder's codes of each class. The means `[K, d]` and
    the lower-triangular scales `[K, d, d]` (Cholesky factors of the
    covariances) are non-trainable weights, set with `set_statistics`; they
    start at `N(0, I)` for every class.

    Args:
        num_classes: K, the number of classes.
        **kwargs: `keras.layers.Layer` arguments.
    """

    def __init__(self, num_classes, **kwargs):
        super().__init__(**kwargs)
        if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 2:
            raise ValueError(f"num_classes must be an int >= 2. Received: num_classes={num_classes!r}")
        self.num_classes = num_classes

    def build(self, input_shape):
        latent_dim = int(input_shape[0][-1])
        self.means = self.add_weight(
            shape=(self.num_classes, latent_dim), initializer="zeros", trainable=False, name="means"
        )
        self.scales = self.add_weight(
            shape=(self.num_classes, latent_dim, latent_dim),
            initializer=lambda shape, dtype=None: ops.broadcast_to(ops.eye(shape[-1], dtype=dtype), shape),
            trainable=False,
            name="scales",
        )

    def call(self, inputs):
        noise, label = inputs
        label = ops.cast(label, "int32")
        mean = ops.take(self.means, label, axis=0)
        scale = ops.take(self.scales, label, axis=0)
        return mean + ops.einsum("bij,bj->bi", scale, ops.cast(noise, mean.dtype))

    def set_statistics(self, means, scales):
        """Assigns the per-class means `[K, d]` and Cholesky factors `[K, d, d]`."""
        self.means.assign(means)
        self.scales.assign(scales)

    def compute_output_shape(self, input_shape):
        return input_shape[0]

    def get_config(self):
        config = super().get_config()
        config["num_classes"] = self.num_classes
        return config
