"""ControlGAN: a conditional generator steered by a classifier trained apart from the discriminator."""

import keras
import tensorflow as tf

from tfgan_zoo import augmentation
from tfgan_zoo.models.gan import FAKE, GAN
from tfgan_zoo.utils import validation

# Draw purpose of the classifier's augmentation noise (GAN's draws use 1-6).
_CLASSIFIER_AUGMENT = 8
CLASSIFY_SIGNATURE = "classify"


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class ControlGAN(GAN):
    """Three networks: a conditional generator, an unconditional discriminator, a classifier.

    Unlike ACGAN, the class is not a second head of the discriminator: a
    separate classifier C is trained by cross-entropy on *real* labelled data
    only, and the discriminator never sees labels. The generator, given a
    requested label l, is trained to fool D and to be classified as l by C:

        L_G = L_adv(D(G(z, l))) + gamma_t * CE(C(G(z, l)), l)

    The balance gamma_t is adapted once per training step, as a controller
    that drives the classification loss of generated samples towards `ratio`
    times that of real ones:

        gamma_{t+1} = max(0, gamma_t + r * (CE(C(G(z, l)), l) - ratio * CE(C(x), l)))

    (then clipped to `max_gamma` when set). When generated samples are
    classified worse than `ratio` times the real ones, gamma grows and the
    generator attends more to its labels; when they are classified better,
    gamma shrinks and realism takes over. This is the sign of the public
    ControlGAN reference code (`gamma + 0.001 * (L_fake - 1.0 * L_real)`,
    clipped to [0, 2]); the opposite sign would push gamma away from that
    balance, to 0. gamma is a model variable: saved, restored on resume, and
    identical on every replica (the two losses are global-batch means).

    Each discriminator update of a step (`d_steps` of them) is followed by a
    classifier update on the same real minibatch; the generator update comes
    last, with gamma_t, and then gamma is updated from the generated batch's
    classification loss (as the generator saw it) and the last real
    minibatch's (with the classifier just trained). The classifier has its own
    optimizer (`compile(classifier_optimizer=...)`, by default a copy of the
    discriminator optimizer's configuration).

    Every `GAN` switch (loss family, penalties, DiffAugment, EMA, ...) applies
    to the adversarial part; packing is not available (conditional model).

    Args:
        generator: a conditional generator (inputs `latent` and `label`).
        discriminator: an unconditional discriminator (one sample input).
        classifier: a network mapping samples to `num_classes` logits, e.g.
            from `tfgan_zoo.networks.classifiers`.
        initial_gamma: gamma_0 (reference code: 0).
        gamma_learning_rate: r, the step size of gamma (reference code: 1e-3).
        gamma_ratio: alpha, the target ratio of the generated to the real
            classification loss (reference code: 1.0).
        max_gamma: upper bound of gamma, or `None` for none (the reference
            CIFAR-10 code clips at 2).
        classifier_augment: DiffAugment policy applied to the real images
            the classifier trains on (the paper trains it with data
            augmentation); `""` disables it. Images only.
        **kwargs: the `GAN` arguments; `num_classes` is required.

    Reference: Lee & Seok, "Controllable Generative Adversarial Network",
    IEEE Access 7, 2019 (arXiv:1708.00598).
    """

    NETWORKS = ("generator", "discriminator", "classifier")
    # The classifier's optimizer, when not given, copies the discriminator's settings.
    OPTIMIZERS = {"generator": None, "discriminator": None, "classifier": "discriminator"}

    def __init__(
        self,
        generator,
        discriminator,
        classifier,
        *,
        initial_gamma=0.0,
        gamma_learning_rate=1e-3,
        gamma_ratio=1.0,
        max_gamma=None,
        classifier_augment="",
        **kwargs,
    ):
        num_classes = kwargs.get("num_classes")
        _check_networks(generator, discriminator, classifier, num_classes)
        _check_gamma_options(initial_gamma, gamma_learning_rate, gamma_ratio, max_gamma)
        self.classifier_augment_policy = augmentation.parse_policy(classifier_augment)
        if self.classifier_augment_policy and len(classifier.inputs[0].shape) != 4:
            raise ValueError(
                f"classifier_augment augments images; the classifier takes {classifier.inputs[0].shape[1:]} "
                f"samples. Received: classifier_augment={classifier_augment!r}"
            )
        super().__init__(generator, discriminator, more_networks={"classifier": classifier}, **kwargs)
        # === Config ===
        self.initial_gamma = float(initial_gamma)
        self.gamma_learning_rate = float(gamma_learning_rate)
        self.gamma_ratio = float(gamma_ratio)
        self.max_gamma = None if max_gamma is None else float(max_gamma)
        self.classifier_augment = ",".join(self.classifier_augment_policy)
        # === State saved with the model ===
        self.gamma = self.add_weight(
            shape=(),
            dtype="float32",
            initializer=keras.initializers.Constant(self.initial_gamma),
            trainable=False,
            name="gamma",
            aggregation="only_first_replica",
        )

    @property
    def loss_names(self):
        return super().loss_names + ("c_loss", "class_loss_real", "class_loss_fake", "gamma")

    # === The discriminator does not see labels ===
    def discriminate(self, samples, labels=None, training=True, weights=None):
        """D's scores of `samples`; `labels` are ignored (ControlGAN's D is unconditional)."""
        if weights is None:
            return self.discriminator(samples, training=training)
        non_trainable = [tf.convert_to_tensor(v) for v in self.discriminator.non_trainable_variables]
        outputs, _ = self.discriminator.stateless_call(list(weights), non_trainable, samples, training=training)
        return outputs

    def _features(self, samples, labels):
        # Feature matching reads D's features of the samples alone, like `discriminate`.
        features, _ = self.feature_network(samples, training=True)
        return tf.cast(features, tf.float32)

    # === Updates ===
    def discriminator_step(self, real, labels, stream):
        terms = super().discriminator_step(real, labels, stream)
        terms.update(self.classifier_step(real, labels, stream))
        return terms

    def classifier_step(self, real, labels, stream):
        """One classifier update by cross-entropy on a real labelled minibatch.

        Generated samples never reach this update: the classifier learns the
        classes of the data only, never those of the generator.
        """
        inputs = self.classifier_inputs(real, stream)

        def loss_fn():
            per_example = self.classification_loss(inputs, labels, training=True)
            return self.reduce_loss(per_example), {"c_loss": tf.reduce_mean(per_example)}

        return self.update("classifier", loss_fn)

    def generator_step(self, real, labels, stream):
        latent = self.sample_latent(stream, tf.shape(real)[0])
        gamma = tf.convert_to_tensor(self.gamma)  # gamma_t; updated after G's step

        def loss_fn():
            fake = self.training_samples(latent, labels, stream)
            loss, terms = self.generator_objective(real, self.critic_inputs(fake, stream, FAKE), labels, stream, latent)
            loss += self.history_term("generator", "g_history_penalty", terms)
            # The classifier judges the generated samples as they are (D may see them augmented).
            terms["fake_class"] = self.classification_loss(fake, labels, training=False)
            return loss + gamma * self.reduce_loss(terms["fake_class"]), terms

        terms = self.update("generator", loss_fn)
        fake_class = terms.pop("fake_class")
        real_class = self.classification_loss(real, labels, training=False)
        terms.update(self.update_gamma(self.global_mean(real_class), self.global_mean(fake_class)))
        return terms

    def classification_loss(self, samples, labels, training):
        """Per-example cross-entropy of the classifier's logits against `labels`."""
        logits = tf.cast(self.classifier(samples, training=training), tf.float32)
        return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)

    def classifier_inputs(self, real, stream):
        """The real minibatch as the classifier trains on it: augmented when `classifier_augment` is set."""
        if not self.classifier_augment_policy:
            return real
        noise = self.random_uniform(
            self.substream(stream, _CLASSIFIER_AUGMENT), tf.shape(real)[0], [augmentation.NOISE_DIM]
        )
        return augmentation.diff_augment(real, noise, self.classifier_augment_policy)

    def update_gamma(self, real_class_loss, fake_class_loss):
        """`gamma <- clip(gamma + r * (fake_class_loss - ratio * real_class_loss), 0, max_gamma)`.

        Args:
            real_class_loss: the classifier's mean cross-entropy on real data,
                the same on every replica.
            fake_class_loss: its mean cross-entropy on generated samples and
                their requested labels, the same on every replica.

        Returns:
            The logged terms: both losses and the new gamma.
        """
        real_class_loss = tf.cast(real_class_loss, tf.float32)
        fake_class_loss = tf.cast(fake_class_loss, tf.float32)
        error = fake_class_loss - self.gamma_ratio * real_class_loss
        new_gamma = tf.maximum(tf.convert_to_tensor(self.gamma) + self.gamma_learning_rate * error, 0.0)
        if self.max_gamma is not None:
            new_gamma = tf.minimum(new_gamma, self.max_gamma)
        self.assign_once(lambda: self.gamma.assign(new_gamma))
        return {"class_loss_real": real_class_loss, "class_loss_fake": fake_class_loss, "gamma": new_gamma}

    # === Export ===
    def export_signatures(self):
        """`classify`: samples -> `logits` and `probabilities` of the classifier."""
        logits = self.classifier.outputs[0]
        probabilities = keras.layers.Softmax(dtype="float32", name="probabilities")(logits)
        network = keras.Model(self.classifier.inputs, [logits, probabilities], name=CLASSIFY_SIGNATURE)
        return {CLASSIFY_SIGNATURE: (network, [self.classifier.inputs[0].name])}

    # === Config ===
    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "initial_gamma": self.initial_gamma,
                "gamma_learning_rate": self.gamma_learning_rate,
                "gamma_ratio": self.gamma_ratio,
                "max_gamma": self.max_gamma,
                "classifier_augment": self.classifier_augment,
            }
        )
        return config


def _check_networks(generator, discriminator, classifier, num_classes):
    if num_classes is None:
        raise ValueError("ControlGAN's generator takes labels: set num_classes. Received: num_classes=None")
    if not isinstance(classifier, keras.Model) or not classifier.built:
        raise ValueError(f"classifier must be a built keras.Model. Received: classifier={classifier!r}")
    if len(classifier.inputs) != 1 or classifier.outputs[0].shape[-1] != num_classes:
        raise ValueError(
            f"classifier must map one sample input to {num_classes} logits. Received: classifier with inputs "
            f"{[tuple(t.shape) for t in classifier.inputs]} and outputs {[tuple(t.shape) for t in classifier.outputs]}"
        )
    if isinstance(discriminator, keras.Model) and len(discriminator.inputs) != 1:
        raise ValueError(
            "ControlGAN's discriminator does not see labels: build it with num_classes=None. Received: "
            f"discriminator inputs {[t.name for t in discriminator.inputs]}"
        )
    if isinstance(generator, keras.Model) and "label" not in [t.name for t in generator.inputs]:
        raise ValueError(
            "ControlGAN's generator takes a `label` input: build it with num_classes. Received: generator "
            f"inputs {[t.name for t in generator.inputs]}"
        )


def _check_gamma_options(initial_gamma, gamma_learning_rate, gamma_ratio, max_gamma):
    validation.check_number("initial_gamma", initial_gamma, "[0, inf)")
    validation.check_number("gamma_learning_rate", gamma_learning_rate, "[0, inf)")
    validation.check_number("gamma_ratio", gamma_ratio, "(0, inf)")
    if max_gamma is not None and not max_gamma >= initial_gamma:
        raise ValueError(
            f"max_gamma must be None or >= initial_gamma ({initial_gamma!r}). Received: max_gamma={max_gamma!r}"
        )
