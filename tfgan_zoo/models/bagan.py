"""BAGAN: a class-conditional GAN started from an autoencoder, to top up the minority classes of a dataset."""

import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo import losses
from tfgan_zoo.models.adversarial_model import AdversarialModel
from tfgan_zoo.models.encoder_model import check_encoder, reconstruction_update
from tfgan_zoo.models.network_model import batch_means
from tfgan_zoo.networks import bagan as bagan_networks
from tfgan_zoo.utils import validation

# The phases of a run, in order; the step counter says which one a step is in.
AUTOENCODER, STATISTICS, ADVERSARIAL = "autoencoder", "statistics", "adversarial"
# Draw purpose of the classes of generated samples (see `AdversarialModel.substream`).
_LABELS = 1


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class BAGAN(AdversarialModel):
    """Balancing GAN: autoencoder, class-conditional latent, then a GAN with a K+1-class discriminator.

    A run goes through three phases, by step:

    1. autoencoder (`autoencoder_steps` steps): the encoder E and the decoder
       (the generator's network) minimise the reconstruction error of every
       real minibatch (generator optimizer), on all classes alike;
    2. statistics (`statistics_steps` steps): E's codes of the real
       minibatches (`training=False`) are summed per class; then each
       class's Gaussian `N(mu_c, Sigma_c)` of codes is stored in the
       generator's `ClassConditionalLatent` layer and E's weights are
       copied into the discriminator's trunk (built like E);
    3. adversarial: D maps a sample to K+1 logits, the last one for
       "generated", and minimises the cross-entropy of real samples against
       their class and of generated ones against class K; G draws
       `z ~ N(mu_c, Sigma_c)` for classes c drawn uniformly (so minority
       classes get as many updates as the others) and minimises the
       cross-entropy of D's logits on G(z) against c.

    The generator takes `[latent, label]` with standard normal `latent`, so
    `generate(num, labels=...)` and exports sample class c. Each phase has
    its own compiled train function (`phase_at`; the base's
    `make_train_function` dispatches on the step counter before each call),
    so no phase branch runs inside a step
    and the model trains under `tf.distribute` and XLA like the others; with
    `steps_per_execution > 1` phases change at execution boundaries. Terms
    not trained in a phase are not logged (their trackers read 0).

    Simplified from the paper: the codes' Gaussians are estimated from one
    pass of `statistics_steps` minibatches rather than the whole training
    set at once (set it to an epoch); a class seen fewer than 2 times in that
    pass takes the pooled Gaussian of all codes; a ridge of
    `covariance_ridge` times the mean pooled variance keeps every covariance
    positive definite (minority classes have fewer codes than dimensions).

    Args:
        generator: `[latent, label] -> sample`, from
            `tfgan_zoo.networks.bagan.class_latent_generator`.
        discriminator: `sample -> K+1 logits`, from
            `tfgan_zoo.networks.bagan.encoder_discriminator` with a trunk
            built like `encoder`.
        encoder: `sample -> code` of the generator's latent size.
        autoencoder_steps: steps of phase 1, >= 1.
        statistics_steps: steps of phase 2, >= 1.
        reconstruction_loss: `"mse"` or `"l1"`.
        covariance_ridge: relative ridge added to every class covariance, >= 0.
        **kwargs: the `AdversarialModel` arguments; `num_classes` is
            required and `latent_prior` must be `"normal"`.

    Example:

    ```python
    recipe = tfgan_zoo.recipes.get_recipe("bagan_imbalanced_mnist8k")
    model, _ = tfgan_zoo.training.train(recipe, "runs/bagan")
    minority = model.generate(100, labels=np.full(100, 2))
    ```

    Reference: Mariani et al., "BAGAN: Data Augmentation with Balancing
    GAN", 2018.
    """

    NETWORKS = ("generator", "discriminator", "encoder")

    def __init__(self, generator, discriminator, encoder, *, autoencoder_steps=1000, statistics_steps=100,
                 reconstruction_loss="mse", covariance_ridge=1e-3, **kwargs):
        num_classes = kwargs.get("num_classes")
        if num_classes is None:
            raise ValueError("BAGAN's latent is class-conditional: num_classes is required. Received: num_classes=None")
        if kwargs.get("latent_prior", "normal") != "normal":
            raise ValueError(f"BAGAN's latent is Gaussian. Received: latent_prior={kwargs['latent_prior']!r}")
        validation.check_int("autoencoder_steps", autoencoder_steps)
        validation.check_int("statistics_steps", statistics_steps)
        losses.check_reconstruction_loss(reconstruction_loss)
        validation.check_number("covariance_ridge", covariance_ridge, "[0, inf)")
        super().__init__({"generator": generator, "discriminator": discriminator, "encoder": encoder}, **kwargs)
        check_encoder(encoder, generator, self.latent_dim)
        _check_generator(generator, num_classes)
        _check_discriminator(discriminator, num_classes)
        trunk_pairs(encoder, discriminator)
        self.autoencoder_steps = autoencoder_steps
        self.statistics_steps = statistics_steps
        self.reconstruction_loss = reconstruction_loss
        self.covariance_ridge = float(covariance_ridge)

        # === State saved with the model ===
        def state(name, shape, dtype="float32"):
            return self.add_weight(shape=shape, dtype=dtype, initializer="zeros", trainable=False, name=name,
                                   aggregation="only_first_replica")

        self.code_counts = state("code_counts", (num_classes,))
        self.code_sums = state("code_sums", (num_classes, self.latent_dim))
        self.code_products = state("code_products", (num_classes, self.latent_dim, self.latent_dim))
        self.statistics_ready = state("statistics_ready", (), "int64")

    @property
    def loss_names(self):
        return ("reconstruction_loss", "d_loss", "g_loss", "real_class_accuracy", "fake_detected")

    @property
    def decoder(self):
        """The generator's decoder network, `code -> sample` (what the autoencoder phase trains)."""
        return self.generator.get_layer(bagan_networks.DECODER)

    @property
    def generator_variables(self):
        """What the generator optimizer moves: the decoder's and the encoder's trainable variables."""
        return [*self.generator.trainable_variables, *self.encoder.trainable_variables]

    # === Phases ===
    def phase_at(self, step):
        """The phase of training step `step` (0-based)."""
        if step < self.autoencoder_steps:
            return AUTOENCODER
        if step < self.autoencoder_steps + self.statistics_steps:
            return STATISTICS
        return ADVERSARIAL

    def prepare_phase(self):
        """Sets the phase of the next step; entering the adversarial phase, finishes the autoencoder first.

        Runs eagerly, between train function calls. Returns the phase.
        """
        phase = super().prepare_phase()
        if phase == ADVERSARIAL and not int(self.statistics_ready.numpy()):
            self.finish_autoencoder()
        return phase

    def finish_autoencoder(self):
        """Stores each class's Gaussian of codes in the generator and copies E's weights into D's trunk."""
        means, scales = class_gaussians(
            self.code_counts.numpy(), self.code_sums.numpy(), self.code_products.numpy(), self.covariance_ridge
        )
        generators = [self.generator] + ([self.ema_generator] if self.ema_generator is not None else [])
        for generator in generators:
            generator.get_layer(bagan_networks.CLASS_LATENT).set_statistics(means, scales)
        for target, source in trunk_pairs(self.encoder, self.discriminator):
            target.assign(source)
        self.statistics_ready.assign(1)

    # === Updates ===
    def discriminator_step(self, real, labels, stream):
        """Per real minibatch: a reconstruction update, a statistics pass or a D update, by phase."""
        phase = self.current_phase()
        if phase == AUTOENCODER:
            return self.reconstruction_step(real)
        if phase == STATISTICS:
            return self.accumulate_statistics(real, labels)
        return self.adversarial_discriminator_step(real, labels, stream)

    def generator_step(self, real, labels, stream):
        """The generator update of the adversarial phase (nothing before it)."""
        if self.current_phase() != ADVERSARIAL:
            return {}
        batch_size = tf.shape(real)[0]
        latent, classes = self.sample_latent(stream, batch_size), self.sample_classes(stream, batch_size)

        def loss_fn():
            logits = self.class_logits(self.generate_from(latent, classes, training=True))
            per_example = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=classes, logits=logits)
            return self.reduce_loss(per_example), batch_means(g_loss=per_example)

        return self.update("generator", loss_fn, self.generator.trainable_variables)

    def reconstruction_step(self, real):
        """Phase 1: E and the decoder minimise the reconstruction error of the minibatch."""
        return reconstruction_update(self, self.encoder, self.decoder, real, self.reconstruction_loss)

    def accumulate_statistics(self, real, labels):
        """Phase 2: adds the count, sum and sum of outer products of each class's codes (global batch)."""
        codes = tf.cast(self.encoder(real, training=False), tf.float32)
        one_hot = tf.one_hot(labels, self.num_classes, dtype=tf.float32)
        increments = [
            tf.reduce_sum(one_hot, axis=0),
            tf.einsum("bk,bi->ki", one_hot, codes),
            tf.einsum("bk,bi,bj->kij", one_hot, codes, codes),
        ]
        context = tf.distribute.get_replica_context()
        if context.num_replicas_in_sync > 1:
            increments = [context.all_reduce("sum", value) for value in increments]
        totals = (self.code_counts, self.code_sums, self.code_products)
        self.assign_once(lambda: [total.assign_add(value) for total, value in zip(totals, increments)])
        return {}

    def adversarial_discriminator_step(self, real, labels, stream):
        """Phase 3: D learns real samples' classes and calls generated ones class K."""
        batch_size = tf.shape(real)[0]
        classes = self.sample_classes(stream, batch_size)
        fake = self.generate_from(self.sample_latent(stream, batch_size), classes, training=True)
        fake_class = tf.fill([batch_size], self.num_classes)

        def loss_fn():
            real_logits, fake_logits = self.class_logits(real), self.class_logits(fake)
            per_example = (tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=real_logits)
                           + tf.nn.sparse_softmax_cross_entropy_with_logits(labels=fake_class, logits=fake_logits))
            return self.reduce_loss(per_example), {
                "d_loss": tf.reduce_mean(per_example),
                "real_class_accuracy": _accuracy(real_logits, labels),
                "fake_detected": _accuracy(fake_logits, fake_class),
            }

        return self.update("discriminator", loss_fn, self.discriminator.trainable_variables)

    # === Networks as functions ===
    def sample_classes(self, stream, batch_size):
        """Classes of generated samples, uniform over the K classes, replayable like the latent."""
        uniform = self.random_uniform(self.substream(stream, _LABELS), batch_size, [])
        return tf.minimum(tf.cast(uniform * self.num_classes, tf.int32), self.num_classes - 1)

    def class_logits(self, samples, training=True):
        """D's K+1 logits, float32."""
        return tf.cast(self.discriminator(samples, training=training), tf.float32)

    def discriminate(self, samples, labels=None, training=True, weights=None):
        """The logit of "real": `logsumexp` of the K class logits minus the "generated" logit, `[B, 1]`.

        `labels` is not a D input; `weights` (stateless calls) is not supported.
        """
        if weights is not None:
            raise ValueError("BAGAN has no stateless discriminator call. Received: weights (not None)")
        logits = self.class_logits(samples, training)
        real = tf.reduce_logsumexp(logits[:, : self.num_classes], axis=1, keepdims=True)
        return real - logits[:, self.num_classes :]

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "autoencoder_steps": self.autoencoder_steps,
                "statistics_steps": self.statistics_steps,
                "reconstruction_loss": self.reconstruction_loss,
                "covariance_ridge": self.covariance_ridge,
            }
        )
        return config


def class_gaussians(counts, sums, products, ridge):
    """Per-class means `[K, d]` and Cholesky factors `[K, d, d]` of codes, from their sufficient statistics.

    Args:
        counts: codes seen per class `[K]`.
        sums: per-class sum of codes `[K, d]`.
        products: per-class sum of outer products `[K, d, d]`.
        ridge: added to each covariance, times the mean pooled variance.

    A class seen fewer than twice takes the pooled mean and covariance.
    """
    counts, sums, products = (np.asarray(value, np.float64) for value in (counts, sums, products))
    if counts.sum() < 2:
        raise ValueError(f"The statistics phase saw {int(counts.sum())} codes; it needs at least 2.")
    pooled_mean = sums.sum(0) / counts.sum()
    pooled_covariance = products.sum(0) / counts.sum() - np.outer(pooled_mean, pooled_mean)
    seen = counts >= 2
    divisor = np.where(seen, counts, 1.0)
    means = np.where(seen[:, None], sums / divisor[:, None], pooled_mean)
    covariances = products / divisor[:, None, None] - np.einsum("ki,kj->kij", means, means)
    covariances = np.where(seen[:, None, None], covariances, pooled_covariance)
    dim = sums.shape[1]
    jitter = ridge * np.trace(pooled_covariance) / dim + 1e-8
    covariances = 0.5 * (covariances + np.swapaxes(covariances, 1, 2)) + jitter * np.eye(dim)
    return means.astype(np.float32), np.linalg.cholesky(covariances).astype(np.float32)


def trunk_pairs(encoder, discriminator):
    """`[(D's variable, E's variable)]` for every weighted layer of E, paired by layer name.

    Raises:
        ValueError: if D lacks one of E's layers or their weights differ in shape.
    """
    pairs = []
    names = {layer.name for layer in discriminator.layers}
    for layer in encoder.layers:
        if not layer.weights:
            continue
        if layer.name not in names:
            raise ValueError(
                f"BAGAN's discriminator must be built like its encoder; it has no layer {layer.name!r}. "
                f"Received: discriminator layers {sorted(names)}"
            )
        target = discriminator.get_layer(layer.name)
        shapes = [tuple(v.shape) for v in target.weights], [tuple(v.shape) for v in layer.weights]
        if shapes[0] != shapes[1]:
            raise ValueError(
                f"Layer {layer.name!r} of the discriminator has weights of shapes {shapes[0]}, the encoder's "
                f"{shapes[1]}. Received: a discriminator built differently from the encoder"
            )
        pairs.extend(zip(target.weights, layer.weights))
    return pairs


def _accuracy(logits, labels):
    return tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, axis=-1, output_type=tf.int32), labels), tf.float32))


def _check_generator(generator, num_classes):
    names = [layer.name for layer in generator.layers]
    if bagan_networks.CLASS_LATENT not in names or bagan_networks.DECODER not in names:
        raise ValueError(
            "BAGAN's generator feeds a ClassConditionalLatent layer into its decoder (see "
            f"tfgan_zoo.networks.bagan.class_latent_generator). Received: generator layers {names}"
        )
    if generator.get_layer(bagan_networks.CLASS_LATENT).num_classes != num_classes:
        raise ValueError(f"The generator's class latent is not of num_classes={num_classes} classes.")


def _check_discriminator(discriminator, num_classes):
    shapes = [tuple(tensor.shape[1:]) for tensor in discriminator.outputs]
    if len(discriminator.inputs) != 1 or shapes != [(num_classes + 1,)]:
        raise ValueError(
            f"BAGAN's discriminator takes samples only and returns {num_classes + 1} logits (K classes and "
            f"'generated'). Received: {len(discriminator.inputs)} inputs, output shapes {shapes}"
        )
