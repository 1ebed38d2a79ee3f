"""Semi-supervised GAN: the discriminator is a K-class classifier with an implicit fake class."""

import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo.models.gan import GAN
from tfgan_zoo.networks import class_heads
from tfgan_zoo.utils import validation

# The loss families whose discriminator is a sigmoid of a logit, as D(x) = Z / (Z + 1) is.
SIGMOID_LOSSES = ("non_saturating", "minimax")
# Label of an example without one.
UNLABELLED = -1


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class SemiSupervisedGAN(GAN):
    """A GAN whose discriminator is a classifier trained on a few labels and many unlabelled images.

    The discriminator maps a sample to K class logits `l`. Generated samples
    form an implicit (K+1)-th class with logit 0, so the probability that a
    sample is real is `D(x) = Z / (Z + 1)` with `Z = sum_k exp(l_k)`, i.e.
    `D(x) = sigmoid(logsumexp(l))`: `discriminate` returns that logit. The
    discriminator minimises (Salimans et al. 2016, section 5)

    `L = supervised_weight * L_supervised + L_unsupervised`

    - `L_supervised`: softmax cross-entropy of the K logits on the labelled
      real examples only (label >= 0), averaged over the labelled examples of
      the global batch (0 when a batch has none);
    - `L_unsupervised`: `-log D(x) - log(1 - D(G(z)))` on every real example,
      labelled or not, and on the generated ones (the loss family's
      discriminator loss on the logsumexp score).

    The generator is unconditional. Its loss is feature matching on the
    discriminator's `"features"` layer (`feature_matching=True`, the default
    and the paper's choice) or, with `feature_matching=False`, the loss
    family's generator loss on the score (`"non_saturating"`: `-log D(G(z))`).

    Batches are `(samples, labels)` with `labels = -1` for unlabelled examples
    (see `tfgan_zoo.data.semi_supervised`) or bare samples (all unlabelled).
    The `GAN` switches compose except PacGAN; the loss family must be a
    sigmoid one (`"non_saturating"` or `"minimax"`).

    Args:
        generator: an unconditional generator, `latent` -> samples.
        discriminator: samples -> class logits `[B, K]` (see
            `tfgan_zoo.networks.class_heads.classifier_discriminator`).
        supervised_weight: weight of the supervised cross-entropy, >= 0.
        feature_matching: the generator's loss (see above).
        **kwargs: the `GAN` and `AdversarialModel` arguments (`num_classes`
            must stay None: it means a conditional generator).

    Example:

    ```python
    generator, discriminator = class_heads.build_class_head_networks(
        "dcgan", (28, 28, 1), 100, 10, head="classifier", conditional_generator=False)
    model = SemiSupervisedGAN(generator, discriminator)
    model.compile(generator_optimizer="adam", discriminator_optimizer="adam")
    model.fit(tfgan_zoo.data.semi_supervised.load("mnist8k:train", 64, num_labelled=100), steps_per_epoch=100)
    classifier_accuracy(model, x_test, y_test)
    ```

    References: Salimans et al., "Improved Techniques for Training GANs",
    NeurIPS 2016; Odena, "Semi-Supervised Learning with Generative Adversarial
    Networks", 2016.
    """

    def __init__(self, generator, discriminator, *, supervised_weight=1.0, feature_matching=True, **kwargs):
        if kwargs.get("num_classes") is not None:
            raise ValueError(
                "SemiSupervisedGAN's generator is unconditional; the class count is the discriminator's "
                f"output size. Received: num_classes={kwargs['num_classes']!r}"
            )
        loss = kwargs.get("loss", "non_saturating")
        if loss not in SIGMOID_LOSSES:
            raise ValueError(
                f"SemiSupervisedGAN reads D(x) = Z / (Z + 1) as a sigmoid, so loss must be one of {SIGMOID_LOSSES}. "
                f"Received: loss={loss!r}"
            )
        if kwargs.get("pack", 1) != 1:
            raise ValueError(
                f"SemiSupervisedGAN classifies single samples; pack must be 1. Received: pack={kwargs['pack']!r}"
            )
        validation.check_number("supervised_weight", supervised_weight, "[0, inf)")
        self.num_labels = _classifier_classes(discriminator)
        super().__init__(generator, discriminator, feature_matching=feature_matching, **kwargs)
        self.supervised_weight = float(supervised_weight)

    @property
    def loss_names(self):
        return super().loss_names + ("d_supervised", "real_class_accuracy")

    # === Batches with some labels ===
    def unpack_batch(self, data):
        """`(samples, labels)`, labels -1 where unlabelled; bare samples are all unlabelled."""
        samples, labels = data, None
        if isinstance(data, (tuple, list)):
            samples, labels = data[0], data[1] if len(data) > 1 else None
        if labels is None:
            return samples, tf.fill([tf.shape(samples)[0]], UNLABELLED)
        return samples, tf.cast(tf.reshape(labels, [-1]), tf.int32)

    # === The classifier as a discriminator ===
    def class_logits(self, samples, training=True, weights=None):
        """The discriminator's K class logits, float32."""
        if weights is None:
            return tf.cast(self.discriminator(samples, training=training), tf.float32)
        non_trainable = [tf.convert_to_tensor(v) for v in self.discriminator.non_trainable_variables]
        logits, _ = self.discriminator.stateless_call(list(weights), non_trainable, samples, training=training)
        return tf.cast(logits, tf.float32)

    def discriminate(self, samples, labels=None, training=True, weights=None):
        """The real/fake logit `log Z = logsumexp(l)`: `sigmoid(log Z) = Z / (Z + 1)`."""
        return real_fake_logit(self.class_logits(samples, training, weights))

    def supervised_loss(self, logits, labels):
        """`(loss share for gradients, global mean)` of the cross-entropy over labelled examples.

        Examples labelled -1 contribute nothing. The mean is over the labelled
        examples of the global batch: each replica divides its own sum by the
        global count, so the summed gradients are those of the global mean.
        """
        labelled = labels >= 0
        per_example = tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=tf.where(labelled, labels, tf.zeros_like(labels)), logits=logits
        )
        local_sum = tf.reduce_sum(tf.where(labelled, per_example, tf.zeros_like(per_example)))
        count = tf.reduce_sum(tf.cast(labelled, tf.float32))
        context = tf.distribute.get_replica_context()
        global_sum = tf.stop_gradient(local_sum)
        if context.num_replicas_in_sync > 1:
            count = context.all_reduce("sum", count)
            global_sum = context.all_reduce("sum", global_sum)
        count = tf.maximum(count, 1.0)
        return local_sum / count, global_sum / count

    # === The supervised term ===
    def critic_outputs(self, samples, labels, kind):
        logits = self.class_logits(samples)
        return real_fake_logit(logits), logits

    def extra_discriminator_terms(self, real_logits, fake_logits, labels, latent):
        """The weighted cross-entropy over the labelled real examples, and their accuracy for the log."""
        supervised_share, supervised = self.supervised_loss(real_logits, labels)
        return self.supervised_weight * supervised_share, {
            "d_supervised": supervised, "real_class_accuracy": self._labelled_accuracy(real_logits, labels)}

    def _labelled_accuracy(self, logits, labels):
        """Share of the global batch's labelled examples the classifier gets right (for the log)."""
        labelled = tf.cast(labels >= 0, tf.float32)
        correct = tf.cast(tf.equal(tf.argmax(logits, axis=-1, output_type=tf.int32), labels), tf.float32)
        hits, count = tf.reduce_sum(correct * labelled), tf.reduce_sum(labelled)
        context = tf.distribute.get_replica_context()
        if context.num_replicas_in_sync > 1:
            hits, count = context.all_reduce("sum", hits), context.all_reduce("sum", count)
        return hits / tf.maximum(count, 1.0)

    # === The classifier ===
    @property
    def classifier(self):
        """`sample -> class_logits`: the discriminator itself."""
        return self.discriminator

    def predict_classes(self, samples, batch_size=256):
        """The classifier's most likely class of each sample (`training=False`), as int32 numpy."""
        return class_heads.predict_classes(self.classifier, samples, batch_size)

    def export_signatures(self):
        """The `classify` signature: samples -> class logits."""
        return {"classify": (self.discriminator, [tensor.name for tensor in self.discriminator.inputs])}

    def get_config(self):
        config = super().get_config()
        config["supervised_weight"] = self.supervised_weight
        return config


def real_fake_logit(logits):
    """`logsumexp` of K class logits: the logit of `D = Z / (Z + 1)` with the fake class's logit fixed at 0."""
    return tf.reduce_logsumexp(tf.cast(logits, tf.float32), axis=-1, keepdims=True)


def classifier_accuracy(model, samples, labels, batch_size=256):
    """Share of `samples` whose predicted class (`model.predict_classes`) equals `labels`.

    Args:
        model: a `SemiSupervisedGAN`, an `ACGAN`, or anything with `predict_classes`.
        samples: samples `[N, ...]` as the discriminator takes them.
        labels: integer labels `[N]`.
        batch_size: samples per classifier call.

    Returns:
        The accuracy, a float in [0, 1] (the test error is `1 - accuracy`).
    """
    labels = np.asarray(labels).reshape(-1)
    if len(labels) != len(samples) or not len(labels):
        raise ValueError(
            f"samples and labels must be equally many, at least one. "
            f"Received: {len(samples)} samples and {len(labels)} labels"
        )
    return float(np.mean(model.predict_classes(samples, batch_size) == labels))


def train_plain_classifier(model, samples, labels, *, epochs=100, batch_size=32, learning_rate=1e-3, seed=0):
    """The baseline: the same classifier architecture trained on the labelled examples alone.

    A fresh copy of `model.classifier` (new weights from `seed`) is trained
    with Adam on softmax cross-entropy, without the generator or any
    unlabelled data, so its error beside the semi-supervised model's shows
    what the unlabelled images bought.

    Args:
        model: the `SemiSupervisedGAN` (or `ACGAN`) whose classifier architecture to copy.
        samples: the labelled samples `[N, ...]`.
        labels: their integer labels `[N]`.
        epochs: passes over the labelled examples.
        batch_size: examples per update.
        learning_rate: Adam's learning rate.
        seed: seed of the fresh weights and the example order.

    Returns:
        A `PlainClassifier`: the trained network (`.network`, samples -> class
        logits) with `predict_classes`, so `classifier_accuracy` measures it
        as it measures the model.
    """
    keras.utils.set_random_seed(seed)
    network = keras.models.clone_model(model.classifier)
    network.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    network.fit(np.asarray(samples, np.float32), np.asarray(labels, np.int32), batch_size=batch_size, epochs=epochs,
                shuffle=True, verbose=0)
    return PlainClassifier(network)


class PlainClassifier:
    """A trained classifier network with the `predict_classes` of the zoo's classifying models."""

    def __init__(self, network):
        self.network = network

    def predict_classes(self, samples, batch_size=256):
        return class_heads.predict_classes(self.network, samples, batch_size)


def _classifier_classes(discriminator):
    outputs = getattr(discriminator, "outputs", None) or []
    if len(outputs) != 1 or len(outputs[0].shape) != 2 or (outputs[0].shape[-1] or 0) < 2:
        raise ValueError(
            "SemiSupervisedGAN's discriminator returns K >= 2 class logits [B, K] (see "
            "tfgan_zoo.networks.class_heads.classifier_discriminator). "
            f"Received: output shapes {[tuple(t.shape) for t in outputs]}"
        )
    return int(outputs[0].shape[-1])
