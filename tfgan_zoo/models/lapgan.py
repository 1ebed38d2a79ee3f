"""LAPGAN (Denton et al. 2015): a Laplacian pyramid of GANs, one per level, sampled as a cascade."""

import keras
import tensorflow as tf

from tfgan_zoo import losses, pyramid
from tfgan_zoo.models.adversarial_model import AdversarialModel
from tfgan_zoo.networks import lapgan as lapgan_networks
from tfgan_zoo.networks import stages

# GAN switches LAPGAN does not implement (its loss family is `loss`).


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class LAPGAN(AdversarialModel):
    """One GAN per level of a Laplacian pyramid, trained independently, sampled coarse to fine.

    Each real batch is decomposed (`tfgan_zoo.pyramid`, levels coarse to
    fine) into level 0's image `I_0` and residuals `h_k = I_k - l_k`, where
    `l_k = upsample(I_(k-1))` is level k's coarse condition. Level 0 is an
    unconditional GAN on `I_0`; level k's generator maps `[l_k, z_k]` to a
    residual and its discriminator scores `h_k` or the generated residual
    given `l_k`. Every level is conditioned on the *real* coarse image, so
    the levels are independent problems (the paper trains them separately):
    no gradient crosses levels.

    One step updates every level's discriminator, then every level's
    generator, all from the same real batch: the loss of each player is the
    sum of the level losses, and each level's variables receive only their
    own level's gradient. With per-variable update rules (Adam, SGD,
    RMSprop; no global gradient clipping) this is exactly independent
    training of the levels with one optimizer each.

    Sampling runs the cascade: `I~_0 = G_0(z_0)`, then
    `I~_k = l~_k + G_k([l~_k, z_k])` with `l~_k = upsample(I~_(k-1))`. The
    cascade is the model's `generator` (`latent -> image`, see
    `tfgan_zoo.networks.lapgan.cascade_generator`): its latent is `z_0`
    followed by each level's noise plane, so `generate`, the sample grids
    and the exporters treat it like any generator. `discriminator` bundles
    the level discriminators (`level_discriminators`).

    Args:
        level_generators: level 0's `latent -> image` generator, then per
            finer level a `[coarse, noise] -> residual` generator twice the
            size of the previous level.
        level_discriminators: level 0's `image -> score` discriminator, then
            per finer level a `[residual, coarse] -> score` discriminator.
        loss: loss family name, one of `tfgan_zoo.losses.LOSS_FAMILIES`, used at every level.
        **kwargs: the `AdversarialModel` arguments (`latent_prior`,
            `d_steps`, `ema_decay`, `seed`, `name`); unconditional only.

    Example:

    ```python
    from tfgan_zoo.networks import lapgan, mlp_discriminator, mlp_generator

    shapes = lapgan.pyramid_shapes((32, 32, 1), levels=2)   # 8, 16, 32
    generators = [mlp_generator(shapes[0], 64, name="level_0_generator")] + [
        lapgan.residual_generator(shape, name=f"level_{k}_generator") for k, shape in enumerate(shapes[1:], 1)]
    discriminators = [mlp_discriminator(shapes[0], name="level_0_discriminator")] + [
        lapgan.residual_discriminator(shape, name=f"level_{k}_discriminator") for k, shape in enumerate(shapes[1:], 1)]
    model = tfgan_zoo.models.LAPGAN(generators, discriminators)
    model.compile(keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5))
    model.fit(images_32x32, batch_size=64, epochs=10)
    levels = model.level_images(model.latent_for_seed(8))   # 8x8, 16x16, 32x32 images
    ```

    Reference: Denton, Chintala, Szlam & Fergus, "Deep Generative Image
    Models using a Laplacian Pyramid of Adversarial Networks", NeurIPS 2015.
    """

    NETWORKS = ("level_generators", "level_discriminators")

    def __init__(self, level_generators, level_discriminators, *, loss="non_saturating", **kwargs):
        generator_loss_fn, discriminator_loss_fn = losses.get_loss_family(loss)
        if kwargs.get("num_classes") is not None:
            raise ValueError(f"LAPGAN is unconditional. Received: num_classes={kwargs['num_classes']!r}")
        _check_levels(list(level_generators), list(level_discriminators))
        super().__init__(
            {"level_generators": list(level_generators), "level_discriminators": list(level_discriminators),
             "generator": lapgan_networks.cascade_generator(level_generators),
             "discriminator": lapgan_networks.level_discriminators(level_discriminators)},
            **kwargs,
        )
        self.loss = loss
        self.generator_loss_fn = generator_loss_fn
        self.discriminator_loss_fn = discriminator_loss_fn

    @property
    def levels(self):
        """Number of pyramid levels, the coarsest included."""
        return len(self.level_generators)

    @property
    def loss_names(self):
        per_level = tuple(f"{player}_{level}" for level in range(self.levels) for player in ("d_loss", "g_loss"))
        return ("d_loss", "g_loss", *per_level)

    # === The pyramid of a batch ===
    def decompose(self, images):
        """`(targets, conditions)` of real `images` `[B, H, W, C]`.

        `targets` is the Laplacian pyramid `[I_0, h_1, ..., h_n]` (what each
        level's generator learns to produce); `conditions` is
        `[l_1, ..., l_n]`, each level's upsampled coarser image.
        """
        return pyramid.laplacian_levels(tf.cast(images, tf.float32), self.levels - 1)

    def level_noise(self, stream, batch_size):
        """Each level's noise for one training draw: level 0's latent vector, then a noise plane per level."""
        draw = self.random_normal if self.latent_prior == "normal" else self.random_uniform
        shapes = [generator.inputs[0].shape[1:] for generator in self.level_generators[:1]]
        shapes += [generator.inputs[1].shape[1:] for generator in self.level_generators[1:]]
        return [draw(self.substream(stream, level), batch_size, list(shape)) for level, shape in enumerate(shapes)]

    def generate_levels(self, conditions, noise, training=True):
        """Each level's generated target given the real conditions: `[G_0(z_0), G_1([l_1, z_1]), ...]`."""
        outputs = [self.level_generators[0](noise[0], training=training)]
        for generator, condition, level_noise in zip(self.level_generators[1:], conditions, noise[1:]):
            outputs.append(generator([condition, level_noise], training=training))
        return outputs

    def score_levels(self, targets, conditions, training=True):
        """Each level's discriminator score of its target (image or residual) given its condition."""
        inputs = [targets[0]]
        for target, condition in zip(targets[1:], conditions):
            inputs += [target, condition]
        return self.discriminator(inputs, training=training)

    def discriminate(self, samples, labels=None, training=True, weights=None):
        """The sum over levels of each discriminator's score of the samples' own pyramid.

        For the sigmoid loss families each optimal level logit is the log
        density ratio of its conditional, so the sum estimates the log
        density ratio of the whole image. `labels` and `weights` are not used.
        """
        if weights is not None:
            raise ValueError("LAPGAN has no stateless discriminator call. Received: weights (not None)")
        targets, conditions = self.decompose(tf.convert_to_tensor(samples))
        return tf.add_n([tf.cast(score, tf.float32) for score in self.score_levels(targets, conditions, training)])

    # === Updates ===
    def discriminator_losses(self, targets, fakes, conditions):
        """Per-example discriminator loss of each level, real targets against generated ones."""
        real_scores = self.score_levels(targets, conditions)
        fake_scores = self.score_levels(fakes, conditions)
        return [self.discriminator_loss_fn(real, fake) for real, fake in zip(real_scores, fake_scores)]

    def generator_losses(self, fakes, conditions):
        """Per-example generator loss of each level."""
        return [self.generator_loss_fn(scores) for scores in self.score_levels(fakes, conditions)]

    def discriminator_step(self, real, labels, stream):
        targets, conditions = self.decompose(real)
        fakes = self.generate_levels(conditions, self.level_noise(stream, tf.shape(real)[0]))

        def loss_fn():
            per_level = self.discriminator_losses(targets, fakes, conditions)
            return self.reduce_levels(per_level), _level_terms("d_loss", per_level)

        return self.update("discriminator", loss_fn)

    def generator_step(self, real, labels, stream):
        _, conditions = self.decompose(real)
        noise = self.level_noise(stream, tf.shape(real)[0])

        def loss_fn():
            per_level = self.generator_losses(self.generate_levels(conditions, noise), conditions)
            return self.reduce_levels(per_level), _level_terms("g_loss", per_level)

        return self.update("generator", loss_fn)

    def reduce_levels(self, per_level):
        """The loss for gradients of per-example losses, one per level: the sum of their reductions."""
        return tf.add_n([self.reduce_loss(loss) for loss in per_level])

    # === Sampling ===
    def level_images(self, latent, use_ema=True):
        """The cascade's image at every level for `latent`: a list of numpy batches, coarse to fine."""
        generator = self.sampling_generator if use_ema else self.generator
        outputs = stages.stage_outputs(generator, lapgan_networks.LEVEL_IMAGE_PREFIX)(latent, training=False)
        return [keras.ops.convert_to_numpy(output) for output in outputs]

    # === Config ===
    def get_config(self):
        config = super().get_config()
        config["loss"] = self.loss
        return config


def _level_terms(name, per_level):
    """`{name: sum of the level means, name_k: level k's mean}` to log."""
    means = [tf.reduce_mean(loss) for loss in per_level]
    return {name: tf.add_n(means), **{f"{name}_{level}": mean for level, mean in enumerate(means)}}


def _check_levels(generators, discriminators):
    """Raises unless the networks form a pyramid: each level twice the size of the previous one."""
    if not generators or len(generators) != len(discriminators):
        raise ValueError(
            "LAPGAN needs one generator and one discriminator per level, at least one level. "
            f"Received: {len(generators)} generators, {len(discriminators)} discriminators"
        )
    shape = tuple(generators[0].outputs[0].shape[1:])
    if len(generators[0].inputs) != 1 or len(shape) != 3:
        raise ValueError(f"Level 0's generator maps one latent input to images. Received: output shape {shape}")
    _check_inputs("level_discriminators[0]", discriminators[0], [shape])
    for level in range(1, len(generators)):
        shape = (2 * shape[0], 2 * shape[1], shape[2])
        noise = tuple(generators[level].inputs[-1].shape[1:])
        _check_inputs(f"level_generators[{level}]", generators[level], [shape, (*shape[:2], noise[-1])])
        if tuple(generators[level].outputs[0].shape[1:]) != shape:
            raise ValueError(
                f"level_generators[{level}] must output residuals of shape {shape}. "
                f"Received: {tuple(generators[level].outputs[0].shape[1:])}"
            )
        _check_inputs(f"level_discriminators[{level}]", discriminators[level], [shape, shape])


def _check_inputs(name, network, shapes):
    received = [tuple(tensor.shape[1:]) for tensor in network.inputs]
    if received != [tuple(shape) for shape in shapes]:
        raise ValueError(f"{name} must take inputs of shapes {shapes}. Received: input shapes {received}")
