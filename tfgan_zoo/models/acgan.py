"""ACGAN: a conditional generator and a discriminator that also predicts the class."""

import keras
import tensorflow as tf

from tfgan_zoo import losses
from tfgan_zoo.models.gan import GAN
from tfgan_zoo.networks import class_heads
from tfgan_zoo.utils import validation


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class ACGAN(GAN):
    """GAN whose discriminator also classifies, real and generated samples alike.

    The generator takes `(latent, label)`. The discriminator does not take the
    label: it returns `[score, class_logits]` from one shared trunk (build it
    with `tfgan_zoo.networks.class_heads.auxiliary_classifier_discriminator`).
    With `L_S` the loss family's adversarial loss and `L_C` the class
    cross-entropy, the updates are (Odena et al. 2017, eqs. 2-3, as losses):

    - discriminator: `L_S + class_weight * (L_C(real) + L_C(generated))`
    - generator: `L_S^G + class_weight * L_C(generated)`

    Generated samples are drawn for the labels of the real minibatch (the
    data's class distribution). Every `GAN` switch that needs no label input
    on D composes: loss family, penalties (on the score), weight clipping,
    label smoothing, instance noise, DiffAugment, historical averaging,
    feature matching (then the generator's adversarial term is the feature
    distance), EMA. PacGAN (`pack > 1`) is refused, as for any conditional
    model.

    Args:
        generator: a conditional generator (`latent`, `label`) -> samples.
        discriminator: samples -> `[score, class_logits]`, no label input.
        num_classes: K, the number of classes (required).
        class_weight: weight of the class cross-entropy terms, >= 0.
        **kwargs: the `GAN` and `AdversarialModel` arguments.

    Example:

    ```python
    generator, discriminator = class_heads.build_class_head_networks(
        "dcgan", (32, 32, 3), 100, 3, head="auxiliary", conditional_generator=True)
    model = ACGAN(generator, discriminator, num_classes=3)
    model.compile(generator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                  discriminator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    model.fit(tfgan_zoo.data.load("gen:shapes", batch_size=64), steps_per_epoch=100)
    model.predict_classes(images)
    ```

    Reference: Odena et al., "Conditional Image Synthesis with Auxiliary
    Classifier GANs", ICML 2017.
    """

    def __init__(self, generator, discriminator, *, class_weight=1.0, **kwargs):
        num_classes = kwargs.get("num_classes")
        if num_classes is None:
            raise ValueError("ACGAN's generator is conditional: num_classes is required. Received: num_classes=None")
        _check_auxiliary_discriminator(discriminator, num_classes)
        validation.check_number("class_weight", class_weight, "[0, inf)")
        super().__init__(generator, discriminator, **kwargs)
        self.class_weight = float(class_weight)

    @property
    def loss_names(self):
        return super().loss_names + ("d_class_real", "d_class_fake", "g_class", "real_class_accuracy")

    # === The discriminator's two outputs ===
    def score_and_logits(self, samples, training=True, weights=None):
        """`(score [B, 1], class_logits [B, K])` of the discriminator on samples.

        `weights` replaces the trainable variables for this call, as in
        `AdversarialModel.discriminate`.
        """
        if weights is None:
            score, logits = self.discriminator(samples, training=training)
        else:
            non_trainable = [tf.convert_to_tensor(v) for v in self.discriminator.non_trainable_variables]
            (score, logits), _ = self.discriminator.stateless_call(
                list(weights), non_trainable, samples, training=training
            )
        return score, tf.cast(logits, tf.float32)

    def discriminate(self, samples, labels=None, training=True, weights=None):
        """The real/fake score only; the label is not an input of ACGAN's discriminator."""
        return self.score_and_logits(samples, training, weights)[0]

    def class_loss(self, logits, labels):
        """Per-example cross-entropy of the class logits against integer labels."""
        return losses.classification_loss(logits, labels)

    # === Terms of the class head ===
    def critic_outputs(self, samples, labels, kind):
        return self.score_and_logits(samples)

    def critic_features(self, samples, labels, kind):
        features, _, logits = self._trunk_outputs(samples)
        return features, logits

    def extra_discriminator_terms(self, real_logits, fake_logits, labels, latent):
        """The weighted class loss of real and generated samples, and the real accuracy for the log."""
        class_real, class_fake = self.class_loss(real_logits, labels), self.class_loss(fake_logits, labels)
        correct = tf.cast(tf.equal(tf.argmax(real_logits, axis=-1, output_type=tf.int32), labels), tf.float32)
        return self.class_weight * self.reduce_loss(class_real + class_fake), {
            "d_class_real": tf.reduce_mean(class_real), "d_class_fake": tf.reduce_mean(class_fake),
            "real_class_accuracy": tf.reduce_mean(correct)}

    def extra_generator_terms(self, fake_logits, labels, latent):
        """The weighted class loss of the generated samples."""
        class_fake = self.class_loss(fake_logits, labels)
        return self.class_weight * self.reduce_loss(class_fake), {"g_class": tf.reduce_mean(class_fake)}

    def _trunk_outputs(self, samples):
        """`(features, score, class_logits)` of one discriminator call (for feature matching)."""
        trunk_features, (score, logits) = self.feature_network(samples, training=True)
        return tf.cast(trunk_features, tf.float32), score, tf.cast(logits, tf.float32)

    # === The classifier ===
    @property
    def classifier(self):
        """`sample -> class_logits`: the auxiliary classifier, sharing D's layers."""
        return class_heads.class_logits_network(self.discriminator)

    def predict_classes(self, samples, batch_size=256):
        """The classifier's most likely class of each sample (`training=False`), as int32 numpy."""
        return class_heads.predict_classes(self.classifier, samples, batch_size)

    def export_signatures(self):
        """The `classify` signature: samples -> class logits."""
        classifier = self.classifier
        return {"classify": (classifier, [tensor.name for tensor in classifier.inputs])}

    def get_config(self):
        config = super().get_config()
        config["class_weight"] = self.class_weight
        return config


def _check_auxiliary_discriminator(discriminator, num_classes):
    outputs = getattr(discriminator, "outputs", None) or []
    inputs = getattr(discriminator, "inputs", None) or []
    if len(inputs) != 1 or len(outputs) != 2 or outputs[1].shape[-1] != num_classes:
        raise ValueError(
            f"ACGAN's discriminator takes samples only and returns [score, class_logits of {num_classes} classes] "
            "(see tfgan_zoo.networks.class_heads.auxiliary_classifier_discriminator). "
            f"Received: discriminator with inputs {[t.name for t in inputs]} and output shapes "
            f"{[tuple(t.shape) for t in outputs]}"
        )

