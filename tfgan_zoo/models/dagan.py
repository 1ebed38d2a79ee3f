"""DAGAN: a generator of variations of a given image, for data augmentation."""

import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo import losses
from tfgan_zoo.models.adversarial_model import AdversarialModel

# Draw purpose of the order in which same-class partners are chosen (see `AdversarialModel.substream`).
_PARTNERS = 1


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class DAGAN(AdversarialModel):
    """Data augmentation GAN: G(z, x) is another image of x's class, D judges pairs.

    The generator takes `[latent, image]` and returns a variation of the
    image. The discriminator takes a pair `[image, other]`: it learns to
    call `(x, x')` real when `x'` is another real image of x's class, and
    `(x, G(z, x))` generated; the generator learns to make its pairs pass
    (the loss family's losses on the pair scores). Class labels only pick
    the partners: each real image is paired with another of its class in
    the same minibatch (itself when it is alone in its class there), so the
    generator never needs the label and can vary images of classes it has
    barely seen (Antoniou et al. 2017, section 3).

    Batches are `(images, labels)`. `generate(sources=images)` returns one
    variation per source; `augment(images, labels, per_image)` a labelled
    set of variations. The model has no recipe: it is built and trained
    through this API.

    Args:
        generator: `[latent, image] -> image`, e.g.
            `tfgan_zoo.networks.dagan.image_conditioned_generator`.
        discriminator: `[image, other] -> score`, e.g.
            `tfgan_zoo.networks.dagan.pair_discriminator`.
        loss: loss family name, one of `tfgan_zoo.losses.LOSS_FAMILIES`.
        **kwargs: the `AdversarialModel` arguments; `num_classes` must stay
            None (the generator takes no label).

    Example:

    ```python
    generator = tfgan_zoo.networks.dagan.image_conditioned_generator((28, 28, 1), 32)
    discriminator = tfgan_zoo.networks.dagan.pair_discriminator((28, 28, 1))
    model = DAGAN(generator, discriminator)
    model.compile(generator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                  discriminator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    model.fit(tfgan_zoo.data.load("mnist8k:train", 64), steps_per_epoch=100)
    x_more, y_more = model.augment(x_minority, y_minority, per_image=10)
    ```

    Reference: Antoniou et al., "Data Augmentation Generative Adversarial
    Networks", 2017.
    """

    def __init__(self, generator, discriminator, *, loss="non_saturating", **kwargs):
        generator_loss_fn, discriminator_loss_fn = losses.get_loss_family(loss)
        if kwargs.get("num_classes") is not None:
            raise ValueError(
                f"DAGAN's generator takes an image, not a label. Received: num_classes={kwargs['num_classes']!r}"
            )
        names = [tensor.name for tensor in getattr(generator, "inputs", None) or []]
        if names != ["latent", "image"]:
            raise ValueError(f"DAGAN's generator takes [latent, image]. Received: generator inputs {names}")
        if len(getattr(discriminator, "inputs", None) or []) != 2:
            raise ValueError(
                f"DAGAN's discriminator takes a pair [image, other]. Received: {len(discriminator.inputs)} inputs"
            )
        super().__init__(generator, discriminator, **kwargs)
        self.loss = loss
        self.generator_loss_fn = generator_loss_fn
        self.discriminator_loss_fn = discriminator_loss_fn

    @property
    def loss_names(self):
        return ("d_loss", "g_loss", "d_real", "d_fake")

    def unpack_batch(self, data):
        """`(images, labels)`; the labels pick same-class partners, so they are required."""
        if not isinstance(data, (tuple, list)) or len(data) < 2:
            raise ValueError("DAGAN pairs images of the same class and needs (images, labels) batches. "
                             "Received: batches without labels")
        return data[0], tf.cast(tf.reshape(data[1], [-1]), tf.int32)

    # === Updates ===
    def discriminator_step(self, real, labels, stream):
        batch_size = tf.shape(real)[0]
        order = self.random_uniform(self.substream(stream, _PARTNERS), batch_size, [])
        partners = tf.gather(real, same_class_partners(labels, order))
        fake = self.vary(real, self.sample_latent(stream, batch_size), training=True)
        optimizer = self.discriminator_optimizer
        with tf.GradientTape() as tape:
            real_scores = self.discriminator([real, partners], training=True)
            fake_scores = self.discriminator([real, fake], training=True)
            per_example = self.discriminator_loss_fn(real_scores, fake_scores)
            scaled_loss = optimizer.scale_loss(self.reduce_loss(per_example))
        self.apply_gradients(optimizer, tape, scaled_loss, self.discriminator.trainable_variables)
        return {
            "d_loss": tf.reduce_mean(per_example),
            "d_real": tf.reduce_mean(tf.cast(real_scores, tf.float32)),
            "d_fake": tf.reduce_mean(tf.cast(fake_scores, tf.float32)),
        }

    def generator_step(self, real, labels, stream):
        latent = self.sample_latent(stream, tf.shape(real)[0])
        optimizer = self.generator_optimizer
        with tf.GradientTape() as tape:
            fake = self.vary(real, latent, training=True)
            per_example = self.generator_loss_fn(self.discriminator([real, fake], training=True))
            scaled_loss = optimizer.scale_loss(self.reduce_loss(per_example))
        self.apply_gradients(optimizer, tape, scaled_loss, self.generator.trainable_variables)
        return {"g_loss": tf.reduce_mean(per_example)}

    # === Variations ===
    def vary(self, images, latent, training=False, generator=None):
        """Runs a generator (default: the live one) on source images and latent vectors."""
        return (generator or self.generator)([latent, images], training=training)

    def discriminate(self, samples, labels=None, training=True, weights=None):
        """D's score of each sample paired with itself (`labels` and `weights` are not used)."""
        return self.discriminator([samples, samples], training=training)

    def call(self, inputs, training=False):
        latent, images = inputs
        return self.vary(images, latent, training=training)

    def generate(self, num=None, *, sources=None, latent=None, labels=None, seed=0, batch_size=256, use_ema=True):
        """One variation of each source image (`training=False`), float32 numpy.

        Args:
            num: ignored (one variation per source); accepted so callers of the base work.
            sources: the images to vary `[N, H, W, C]` in [-1, 1] (required).
            latent: explicit latent vectors `[N, latent_dim]`; default drawn from `seed`.
            labels: must be None (the generator takes no label).
            seed: seed of the latent vectors.
            batch_size: images per generator call.
            use_ema: vary with the EMA generator when the model has one.
        """
        if sources is None or labels is not None:
            raise ValueError(
                "DAGAN makes variations of given images: pass sources=images (and no labels). "
                f"Received: sources={'None' if sources is None else 'images'}, labels={labels!r}"
            )
        sources = np.asarray(sources, np.float32)
        expected = tuple(self.generator.inputs[1].shape[1:])
        if sources.ndim != 4 or sources.shape[1:] != expected:
            raise ValueError(f"sources must have shape [N, {', '.join(map(str, expected))}]. Received: {sources.shape}")
        latent = self.latent_for_seed(len(sources), seed) if latent is None else np.asarray(latent, np.float32)
        generator = self.sampling_generator if use_ema else self.generator
        outputs = [
            np.asarray(self.vary(sources[start : start + batch_size], latent[start : start + batch_size],
                                 generator=generator))
            for start in range(0, len(sources), batch_size)
        ]
        return np.concatenate(outputs).astype(np.float32)

    def augment(self, images, labels, per_image, *, seed=0, batch_size=256):
        """`per_image` variations of each image, with the image's label: a labelled synthetic set.

        Returns:
            `(x, y)`: float32 images `[N * per_image, H, W, C]` in [-1, 1] and
            int32 labels, variation j of image i at row `j * N + i`.
        """
        if isinstance(per_image, bool) or not isinstance(per_image, int) or per_image < 1:
            raise ValueError(f"per_image must be a positive int. Received: per_image={per_image!r}")
        images, labels = np.asarray(images, np.float32), np.asarray(labels, np.int32).reshape(-1)
        if len(images) != len(labels):
            raise ValueError(
                f"images and labels differ in length. Received: {len(images)} images, {len(labels)} labels"
            )
        sources = np.concatenate([images] * per_image)
        return self.generate(sources=sources, seed=seed, batch_size=batch_size), np.concatenate([labels] * per_image)

    def get_config(self):
        config = super().get_config()
        config["loss"] = self.loss
        return config


def same_class_partners(labels, order):
    """For each row, the index of another row of its class (itself when its class has one row here).

    Rows are sorted by class, ties broken by `order` (uniform in [0, 1)), and
    each row's partner is the next row of its class in that order, the last
    one wrapping to the first: a random cycle through each class.

    Args:
        labels: int32 labels `[B]`, >= 0.
        order: float `[B]` in [0, 1), the random order within a class.

    Returns:
        int32 indices `[B]` into the batch.
    """
    batch_size = tf.shape(labels)[0]
    keys = 2.0 * tf.cast(labels, tf.float64) + tf.cast(order, tf.float64)
    sorted_rows = tf.argsort(keys, stable=True)
    sorted_labels = tf.gather(labels, sorted_rows)
    positions = tf.range(batch_size)
    starts = tf.concat([[True], tf.not_equal(sorted_labels[1:], sorted_labels[:-1])], axis=0)
    group = tf.cumsum(tf.cast(starts, tf.int32)) - 1
    group_start = tf.gather(tf.math.unsorted_segment_min(positions, group, batch_size), group)
    next_in_class = tf.concat([tf.equal(sorted_labels[1:], sorted_labels[:-1]), [False]], axis=0)
    partner_position = tf.where(next_in_class, positions + 1, group_start)
    partners = tf.gather(sorted_rows, partner_position)
    return tf.scatter_nd(sorted_rows[:, None], partners, [batch_size])
