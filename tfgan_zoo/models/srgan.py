"""SRGAN and its SRResNet baseline: 4x super-resolution by content + adversarial loss (Ledig et al. 2017)."""

import keras
import tensorflow as tf

from tfgan_zoo import networks
from tfgan_zoo.models.paired_translation import PairedTranslationGAN

CONTENT_KINDS = ("pixels", "discriminator", "classifier", "vgg19")
# The layer each feature network is read at when `feature_layer` is None: the
# paper's VGG5,4 (after the last convolution before the 5th pooling) and the
# zoo's `"features"` layer (the project's domain classifier, `tfgan_zoo.metrics.classifier`).
DEFAULT_FEATURE_LAYERS = {"vgg19": "block5_conv4", "classifier": "features"}


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class SRGAN(PairedTranslationGAN):
    """A generator `G(low-res)` trained to fool a discriminator `D(image)` and to match the target's content.

    With `x` the low-resolution source, `y` its high-resolution target and
    `phi` the content feature network, per example:

    - the discriminator minimises `-log D(y) - log(1 - D(G(x)))`;
    - the generator minimises `content_weight * mean (phi(y) - phi(G(x)))^2
      + adversarial_weight * -log D(G(x))` (the paper's 1e-3 weight).

    `adversarial_weight=0` with `content_features="pixels"` is SRResNet, the
    pixel-MSE baseline: the discriminator is never called nor updated.

    `content_features` chooses `phi`:

    - `"pixels"`: the images themselves (pixel MSE);
    - `"discriminator"`: D's `"features"` layer (`networks.features_and_scores`);
    - `"classifier:PATH"`: a saved Keras classifier read at `feature_layer`
      (default `"features"`, e.g. the project's domain classifier);
    - `"vgg19:PATH"`: `keras.applications.VGG19(weights=PATH, include_top=False)`
      read at `feature_layer` (default `"block5_conv4"`, the paper's VGG5,4);
      grey images are repeated to 3 channels and mapped to VGG's caffe input.

    The loaded networks are frozen: no optimizer holds their variables. Their
    weights are saved with the model; loading it reads PATH again first.

    Args:
        generator: low-res image (input `image`) -> high-res image, e.g.
            `tfgan_zoo.networks.srresnet_generator`.
        discriminator: high-res image (input `image`) -> logit, e.g.
            `tfgan_zoo.networks.srgan_discriminator`.
        loss: loss family name (`tfgan_zoo.losses.LOSS_FAMILIES`).
        content_features: see above.
        feature_layer: the layer a classifier or VGG19 is read at; None for the default.
        content_weight: weight of the content loss, >= 0.
        adversarial_weight: weight of the adversarial term, >= 0; 0 gives SRResNet.
        **kwargs: the `ImageToImageModel` arguments (`source_data`, `d_steps`,
            `ema_decay`, `seed`, `name`).

    Example:

    ```python
    generator, discriminator = tfgan_zoo.networks.build_image_to_image_networks(
        "srresnet_srgan", (7, 7, 1), (28, 28, 1), generator_kwargs={"residual_blocks": 4})
    model = SRGAN(generator, discriminator, content_features="discriminator")
    model.compile(generator_optimizer=keras.optimizers.Adam(1e-4, beta_1=0.9),
                  discriminator_optimizer=keras.optimizers.Adam(1e-4, beta_1=0.9))
    model.fit(tfgan_zoo.data.paired.load_paired("mnist8k:train", "downscale:4", 16), steps_per_epoch=100)
    ```

    Reference: Ledig et al., "Photo-Realistic Single Image Super-Resolution
    Using a Generative Adversarial Network", CVPR 2017.
    """

    RECONSTRUCTION_TERM = "g_content"

    def __init__(self, generator, discriminator, *, loss="non_saturating", content_features="pixels",
                 feature_layer=None, content_weight=1.0, adversarial_weight=1e-3, **kwargs):
        kind, _, path = str(content_features).partition(":")
        if kind not in CONTENT_KINDS or bool(path) != (kind in DEFAULT_FEATURE_LAYERS):
            raise ValueError(
                "content_features must be 'pixels', 'discriminator', 'classifier:PATH' or 'vgg19:PATH'. "
                f"Received: content_features={content_features!r}"
            )
        super().__init__(generator, discriminator, loss=loss,
                         weights={"content_weight": content_weight, "adversarial_weight": adversarial_weight}, **kwargs)
        self.content_features = content_features
        self.feature_layer = feature_layer
        self.feature_network = self._build_feature_network(kind, path)

    def _build_feature_network(self, kind, path):
        """The frozen network `phi` (None for pixels; D's shared-weights features model for `"discriminator"`)."""
        if kind == "pixels":
            return None
        if kind == "discriminator":
            features, _ = networks.features_and_scores(self.discriminator).outputs
            return keras.Model(self.discriminator.inputs, features, name="discriminator_features")
        layer = self.feature_layer or DEFAULT_FEATURE_LAYERS[kind]
        if kind == "vgg19":
            shape = (*self.generator.outputs[0].shape[1:3], 3)
            loaded = keras.applications.VGG19(weights=path, include_top=False, input_shape=shape)
        else:
            loaded = keras.models.load_model(path, compile=False)
        loaded.trainable = False
        return keras.Model(loaded.inputs, loaded.get_layer(layer).output, name=f"{kind}_features")

    @property
    def content_weight(self):
        """Weight of the content loss."""
        return self.reconstruction_weight

    def discriminator_inputs(self, source, image):
        # As in the paper, D judges the high-resolution image alone.
        return image

    # === Content loss ===
    def reconstruction(self, target, output, source=None):
        return self.content_loss(target, output)

    def content_loss(self, target, output):
        """Per-example mean squared difference of `phi(target)` and `phi(output)`, float32 `[B]`."""
        target_features, output_features = self._features(target), self._features(output)
        difference = tf.square(tf.cast(target_features, tf.float32) - tf.cast(output_features, tf.float32))
        return tf.reduce_mean(tf.reshape(difference, [tf.shape(difference)[0], -1]), axis=1)

    def _features(self, images):
        if self.feature_network is None:
            return images
        if self.content_features.startswith("vgg19:"):
            if images.shape[-1] == 1:
                images = tf.tile(images, [1, 1, 1, 3])
            images = keras.applications.vgg19.preprocess_input((images + 1.0) * 127.5)
        # training=False: BatchNorm in D or a classifier reads its moving statistics and never updates them.
        return self.feature_network(images, training=False)

    def get_config(self):
        config = super().get_config()
        config.update(content_features=self.content_features, feature_layer=self.feature_layer,
                      content_weight=self.content_weight)
        return config
