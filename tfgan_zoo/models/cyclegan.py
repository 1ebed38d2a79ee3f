"""CycleGAN: unpaired image-to-image translation with cycle consistency (Zhu et al. 2017)."""

import keras
import tensorflow as tf

from tfgan_zoo import losses
from tfgan_zoo.models.image_to_image import ImageToImageModel
from tfgan_zoo.models.network_model import batch_means
from tfgan_zoo.utils import validation

# The SavedModel signature of the inverse generator F (B -> A); `serving_default` is G (A -> B).
INVERSE_SIGNATURE = "translate_b_to_a"
# Purposes of the image pool's random draws (`AdversarialModel.substream`): per domain, whether a
# returned image is a past fake, and the order in which past fakes are picked.
_POOL_PURPOSES = {"a": (1, 2), "b": (3, 4)}


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class CycleGAN(ImageToImageModel):
    """Two generators `G: A -> B`, `F: B -> A` and two discriminators `D_A`, `D_B`, trained on unpaired batches.

    Batches are `(a, b)`: images of the two domains, not pairs. Per example
    (PatchGAN scores averaged over the patches), with least-squares
    adversarial losses:

    - the discriminators minimise `0.5 * [(D_B(b) - 1)^2 + D_B(pool_B(G(a)))^2]`
      plus the same for `D_A` with `a` and `pool_A(F(b))`;
    - the generators (one optimizer over G and F) minimise
      `(D_B(G(a)) - 1)^2 + (D_A(F(b)) - 1)^2
      + cycle_weight * (|F(G(a)) - a| + |G(F(b)) - b|)
      + identity_weight * cycle_weight * (|G(b) - b| + |F(a) - a|)`,
      the distances being per-pixel means.

    The pools hold `pool_size` past fakes per domain (Shrivastava et al.
    2017): while a pool fills, the discriminator sees the current fakes and
    they are stored; once full, each fake is, with probability 1/2, swapped
    for a random stored one (which the discriminator sees instead). The pools
    are model variables updated inside the step with the base's stateless
    draws, so a saved model resumes exactly and the step compiles with XLA.

    Under `tf.distribute` the pool is per replica: each replica queries the
    pool with its own slice of the batch, and of the replicas' writes only
    the first replica's are kept (the pool variables aggregate
    `only_first_replica`). Why: the pool is a heuristic that shows D a
    history of G's outputs, not a term of the objective; a pool shared
    exactly would need every replica to gather all replicas' fakes in every
    discriminator update and draw the swaps of the whole global batch. What
    it changes: with N replicas the pool takes in `batch / N` fakes per step,
    so its history reaches N times as many steps back, and once the pool is
    full a mirrored step is not the single-device one. While the pool fills
    (D sees the current fakes) it is (tested), as with `pool_size=0`.

    `generator` and `discriminator` are G and `D_B` (so `translate`,
    `generate` and the export's `serving_default` run G); the export adds F
    as the signature `translate_b_to_a` (`export_signatures`).

    Args:
        generator: G, domain A (input `image`) -> domain B, e.g.
            `tfgan_zoo.networks.resnet_generator`.
        discriminator: `D_B`, images of domain B (input `image`) -> patch
            scores, e.g. `patchgan_discriminator(..., conditional=False)`.
        inverse_generator: F, domain B (input `image`) -> domain A.
        inverse_discriminator: `D_A`, images of domain A -> patch scores.
        cycle_weight: lambda, the weight of the cycle losses (10 in the paper).
        identity_weight: weight of the identity losses relative to
            `cycle_weight` (0.5 in the paper); must be 0 when the domains'
            shapes differ.
        pool_size: past fakes kept per domain (50 in the paper), 0 for no
            pool; at least the batch size.
        **kwargs: the `ImageToImageModel` arguments (`source_data`,
            `d_steps`, `ema_decay` of G, `seed`, `name`).

    Example:

    ```python
    g, d_b = tfgan_zoo.networks.build_image_to_image_networks(
        "resnet_patchgan", (28, 28, 1), (28, 28, 1), generator_kwargs={"residual_blocks": 3},
        discriminator_kwargs={"downsamplings": 1, "conditional": False, "normalization": "instance"})
    f, d_a = ...  # the same the other way round
    model = CycleGAN(g, d_b, inverse_generator=f, inverse_discriminator=d_a)
    model.compile(generator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                  discriminator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    model.fit(tfgan_zoo.data.paired.load_unpaired("mnist8k:train", "thicken:3", 32), steps_per_epoch=100)
    ```

    Reference: Zhu et al., "Unpaired Image-to-Image Translation using
    Cycle-Consistent Adversarial Networks", ICCV 2017.
    """

    NETWORKS = ("generator", "discriminator", "inverse_generator", "inverse_discriminator")

    def __init__(self, generator, discriminator, *, inverse_generator, inverse_discriminator, cycle_weight=10.0,
                 identity_weight=0.5, pool_size=50, **kwargs):
        validation.check_number("cycle_weight", cycle_weight, "[0, inf)")
        validation.check_number("identity_weight", identity_weight, "[0, inf)")
        validation.check_int("pool_size", pool_size, minimum=0)
        super().__init__(generator, discriminator, more_networks={
            "inverse_generator": inverse_generator, "inverse_discriminator": inverse_discriminator}, **kwargs)
        shape_a, shape_b = tuple(generator.inputs[0].shape[1:]), tuple(generator.outputs[0].shape[1:])
        inverse_shapes = (tuple(inverse_generator.inputs[0].shape[1:]), tuple(inverse_generator.outputs[0].shape[1:]))
        if inverse_shapes != (shape_b, shape_a):
            raise ValueError(
                f"inverse_generator must map {shape_b} back to {shape_a}. "
                f"Received: {inverse_shapes[0]} -> {inverse_shapes[1]}"
            )
        if identity_weight > 0 and shape_a != shape_b:
            raise ValueError(
                f"Identity losses need domains of one shape; set identity_weight=0. Received: {shape_a} and {shape_b}"
            )

        # === Config ===
        self.cycle_weight = float(cycle_weight)
        self.identity_weight = float(identity_weight)
        self.pool_size = pool_size

        # === Image pools, saved with the model ===
        self.pools = {domain: self._pool_variables(domain, shape) for domain, shape in (("a", shape_a), ("b", shape_b))}

    def _pool_variables(self, domain, shape):
        if not self.pool_size:
            return None
        images = self.add_weight(shape=(self.pool_size, *shape), initializer="zeros", trainable=False,
                                 name=f"pool_{domain}", aggregation="only_first_replica")
        count = self.add_weight(shape=(), dtype="int32", initializer="zeros", trainable=False,
                                name=f"pool_{domain}_count", aggregation="only_first_replica")
        return images, count

    # === Variables ===
    @property
    def generator_variables(self):
        return self.generator.trainable_variables + self.inverse_generator.trainable_variables

    @property
    def discriminator_variables(self):
        return self.discriminator.trainable_variables + self.inverse_discriminator.trainable_variables

    @property
    def loss_names(self):
        return ("d_loss", "g_loss", "d_a", "d_b", "g_adversarial", "g_cycle", "g_identity")

    # === Updates ===
    def discriminator_step(self, real, labels, stream):
        real_a, real_b = real
        fake_b = self.query_pool("b", self.generator(real_a, training=True), stream)
        fake_a = self.query_pool("a", self.inverse_generator(real_b, training=True), stream)

        def loss_fn():
            # The library's least-squares loss is 0.5 * [(D(x) - 1)^2 + D(fake)^2], the paper's halved D objective.
            loss_b = losses.least_squares_discriminator_loss(self.discriminator(real_b, training=True),
                                                             self.discriminator(fake_b, training=True))
            loss_a = losses.least_squares_discriminator_loss(self.inverse_discriminator(real_a, training=True),
                                                             self.inverse_discriminator(fake_a, training=True))
            per_example = loss_a + loss_b
            return self.reduce_loss(per_example), batch_means(d_loss=per_example, d_a=loss_a, d_b=loss_b)

        return self.update("discriminator", loss_fn)

    def generator_step(self, real, labels, stream):
        real_a, real_b = real

        def loss_fn():
            fake_b = self.generator(real_a, training=True)
            fake_a = self.inverse_generator(real_b, training=True)
            # (D(G(a)) - 1)^2, as in the authors' code: twice the library's 0.5 * (D - 1)^2.
            fools_b = losses.least_squares_generator_loss(self.discriminator(fake_b, training=True))
            fools_a = losses.least_squares_generator_loss(self.inverse_discriminator(fake_a, training=True))
            adversarial = 2.0 * (fools_b + fools_a)
            cycle = (losses.cycle_consistency_loss(real_a, self.inverse_generator(fake_b, training=True))
                     + losses.cycle_consistency_loss(real_b, self.generator(fake_a, training=True)))
            per_example = adversarial + self.cycle_weight * cycle
            identity = tf.zeros_like(cycle)
            if self.identity_weight > 0:
                identity = (losses.identity_loss(real_b, self.generator(real_b, training=True))
                            + losses.identity_loss(real_a, self.inverse_generator(real_a, training=True)))
                per_example += self.identity_weight * self.cycle_weight * identity
            return self.reduce_loss(per_example), batch_means(
                g_loss=per_example, g_adversarial=adversarial, g_cycle=cycle, g_identity=identity)

        return self.update("generator", loss_fn)

    # === Image pool ===
    def query_pool(self, domain, fakes, stream):
        """The fakes the discriminator of `domain` sees: `fakes` with some swapped for past ones; updates the pool.

        Vectorised over the batch: the fakes that still fit are stored in the
        free slots (and returned as they are); each other one is, with
        probability 1/2, written over a distinct slot filled before this
        batch, whose old image it returns. Distinct slots keep the scatter
        deterministic; the batch must not exceed `pool_size`.
        """
        if not self.pool_size:
            return fakes
        batch = fakes.shape[0]
        if batch is not None and batch > self.pool_size:
            raise ValueError(f"pool_size must be at least the batch size. Received: pool_size={self.pool_size}, "
                             f"batch size {batch}")
        pool, count = self.pools[domain]
        take_purpose, order_purpose = _POOL_PURPOSES[domain]
        batch = tf.shape(fakes)[0]
        positions = tf.range(batch)
        stored = count + positions < self.pool_size
        stored_count = tf.reduce_sum(tf.cast(stored, tf.int32))
        take = self.random_uniform(self.substream(stream, take_purpose), batch, []) < 0.5
        # A random order of the slots filled before this batch (the free ones sort last).
        noise = self.random_uniform(self.substream(stream, order_purpose), 1, [self.pool_size])[0]
        order = tf.argsort(tf.where(tf.range(self.pool_size) < count, noise, 2.0))
        slots = tf.where(stored, count + positions, tf.gather(order, tf.maximum(positions - stored_count, 0)))
        swapped = tf.logical_and(tf.logical_not(stored), take)
        past = tf.gather(tf.convert_to_tensor(pool), slots)
        fakes = tf.cast(fakes, pool.dtype)
        written = tf.logical_or(stored, swapped)[:, None, None, None]
        pool.assign(tf.tensor_scatter_nd_update(pool, slots[:, None], tf.where(written, fakes, past)))
        count.assign(tf.minimum(count + batch, self.pool_size))
        return tf.where(swapped[:, None, None, None], past, fakes)

    # === Delivery ===
    def export_signatures(self):
        """F (B -> A) as the signature `translate_b_to_a`: input `image`, output `output` (F's output layer)."""
        return {INVERSE_SIGNATURE: (self.inverse_generator, ["image"])}

    def get_config(self):
        config = super().get_config()
        config.update(cycle_weight=self.cycle_weight, identity_weight=self.identity_weight, pool_size=self.pool_size)
        return config
