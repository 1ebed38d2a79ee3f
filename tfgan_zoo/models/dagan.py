"""DAGAN: a generator of variations of a given image, for data augmentation."""


import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo import losses
from tfgan_zoo.models.adversarial_model import AdversarialModel
from tfgan_zoo.models.network_model import batch_means
from tfgan_zoo.utils import batching, validation

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
    the same minibatch (the global one under `tf.distribute`; itself when it
    is alone in its class there), so the
    generator never needs the label and can vary images of classes it has
    barely seen (Antoniou et al. 2017, section 3).

    Batches are `(images, labels)`. `generate(sources=images)` returns one
    variation per source; `augment(images, labels, per_image)` a labelled
    set of variations; `tfgan_zoo.synthesis.augment` (and `tfgan-zoo
    synthesize --mode=augment`) per-class counts of variations, optionally
    filtered by a classifier. A recipe (`dagan_imbalanced_mnist8k`) builds it
    from `networks.dagan` and keeps where its held-out images are
    (`source_data`), so `tfgan_zoo.held_out.generate(model, num, seed=...)`,
    the training sample grids and `tfgan-zoo sample` vary held-out images.

    Args:
        generator: `[latent, image] -> image`, e.g.
            `tfgan_zoo.networks.dagan.image_conditioned_generator`.
        discriminator: `[image, other] -> score`, e.g.
            `tfgan_zoo.networks.dagan.pair_discriminator`.
        loss: loss family name, one of `tfgan_zoo.losses.LOSS_FAMILIES`.
        source_data: where the held-out images to vary come from
            (`tfgan_zoo.held_out`): a dict with `dataset` (a spec whose
            held-out part is read, see `tfgan_zoo.data.paired.heldout_spec`),
            `image_size` and `resize`; or None.
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

    def __init__(self, generator, discriminator, *, loss="non_saturating", source_data=None, **kwargs):
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
        super().__init__({"generator": generator, "discriminator": discriminator}, **kwargs)
        self.loss = loss
        self.generator_loss_fn = generator_loss_fn
        self.discriminator_loss_fn = discriminator_loss_fn
        self.source_data = _check_source_data(source_data)

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
        # Partners come from the global minibatch, so a step under MirroredStrategy pairs as one device does.
        partners = self.on_global_batch(
            lambda images, classes, keys: tf.gather(images, same_class_partners(classes, keys)), real, labels, order)
        fake = self.vary(real, self.sample_latent(stream, batch_size), training=True)

        def loss_fn():
            real_scores = self.discriminator([real, partners], training=True)
            fake_scores = self.discriminator([real, fake], training=True)
            per_example = self.discriminator_loss_fn(real_scores, fake_scores)
            return self.reduce_loss(per_example), batch_means(d_loss=per_example, d_real=real_scores,
                                                              d_fake=fake_scores)

        return self.update("discriminator", loss_fn, self.discriminator.trainable_variables)

    def generator_step(self, real, labels, stream):
        latent = self.sample_latent(stream, tf.shape(real)[0])

        def loss_fn():
            fake = self.vary(real, latent, training=True)
            per_example = self.generator_loss_fn(self.discriminator([real, fake], training=True))
            return self.reduce_loss(per_example), batch_means(g_loss=per_example)

        return self.update("generator", loss_fn, self.generator.trainable_variables)

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

        The model reads no files: `tfgan_zoo.held_out.generate(model, num,
        seed=...)` varies held-out images of its `source_data`.

        Args:
            num: not used: the number of variations is the number of sources.
            sources: the images to vary `[N, H, W, C]` in [-1, 1].
            latent: explicit latent vectors `[N, latent_dim]`; default drawn from `seed`.
            labels: must be None (the generator takes no label).
            seed: seed of the latent vectors.
            batch_size: images per generator call.
            use_ema: vary with the EMA generator when the model has one.
        """
        if labels is not None:
            raise ValueError(
                "DAGAN makes variations of given images and takes no labels: pass sources=images. "
                f"Received: labels={labels!r}"
            )
        if sources is None:
            raise ValueError(
                "DAGAN makes variations of given images: pass sources=images (tfgan_zoo.held_out.generate varies "
                f"held-out ones). Received: sources=None, num={num!r}"
            )
        sources = np.asarray(sources, np.float32)
        expected = tuple(self.generator.inputs[1].shape[1:])
        if sources.ndim != 4 or sources.shape[1:] != expected:
            raise ValueError(f"sources must have shape [N, {', '.join(map(str, expected))}]. Received: {sources.shape}")
        latent = self.latent_for_seed(len(sources), seed) if latent is None else np.asarray(latent, np.float32)
        if latent.shape != (len(sources), self.latent_dim):
            raise ValueError(
                f"latent must have shape [{len(sources)}, {self.latent_dim}] (one row per source). "
                f"Received: shape={latent.shape}"
            )
        generator = self.sampling_generator if use_ema else self.generator
        def vary(batch, batch_latent):
            return self.vary(batch, batch_latent, generator=generator)

        outputs = batching.map_in_batches(vary, (sources, latent), batch_size)
        return outputs.astype(np.float32)

    def source_inputs(self, sources):
        """`{input name: array}` of images to vary (what an export's evaluation and calibration feed)."""
        return {"image": np.asarray(sources, np.float32)}

    def augment(self, images, labels, per_image, *, seed=0, batch_size=256):
        """`per_image` variations of each image, with the image's label: a labelled synthetic set.

        Returns:
            `(x, y)`: float32 images `[N * per_image, H, W, C]` in [-1, 1] and
            int32 labels, variation j of image i at row `j * N + i`.
        """
        validation.check_int("per_image", per_image)
        images, labels = np.asarray(images, np.float32), np.asarray(labels, np.int32).reshape(-1)
        if len(images) != len(labels):
            raise ValueError(
                f"images and labels differ in length. Received: {len(images)} images, {len(labels)} labels"
            )
        sources = np.concatenate([images] * per_image)
        return self.generate(sources=sources, seed=seed, batch_size=batch_size), np.concatenate([labels] * per_image)

    def get_config(self):
        config = super().get_config()
        config.update({"loss": self.loss, "source_data": self.source_data})
        return config


def _check_source_data(source_data):
    if source_data is None:
        return None
    keys = ("dataset", "image_size", "resize")
    if not isinstance(source_data, dict) or set(source_data) != set(keys):
        raise ValueError(f"source_data must be None or a dict with keys {keys}. Received: source_data={source_data!r}")
    return dict(source_data)


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
