"""Progressive GAN: networks that grow from 4x4 to the full size, each new level faded in on a step schedule."""

import keras
import tensorflow as tf

from tfgan_zoo import losses, pyramid
from tfgan_zoo.layers import GrowthProgress
from tfgan_zoo.models.gan import GAN, REAL
from tfgan_zoo.networks.progan import PROGRESS_LAYER
from tfgan_zoo.utils import validation


def growth_progress(step, stabilise_steps, fade_steps, num_levels):
    """The progress (level + fade-in alpha) at `step`: a pure function of the step, so resume continues exactly.

    Level 0 (4x4) trains alone for `stabilise_steps`; then each further
    level fades in over `fade_steps` (progress rises linearly from `l - 1` to
    `l`) and is stabilised for `stabilise_steps`; after the last level the
    progress stays at `num_levels - 1`. Works on Python ints and on tensors.
    """
    step = tf.cast(step, tf.float32)
    cycle = float(fade_steps + stabilise_steps)
    since_first = tf.maximum(step - stabilise_steps, 0.0)
    completed = tf.floor(since_first / cycle)
    fading = tf.minimum((since_first - completed * cycle) / fade_steps, 1.0)
    return tf.minimum(completed + fading, float(num_levels - 1))


def progressive_view(images, progress, num_levels):
    """Real images as the networks at `progress` see them, at full size.

    At level `l` (`4 * 2**l` pixels) the images are 2x2-average-pooled to
    that size; while level `l` fades in with weight `alpha` they are
    `(1 - alpha) * upsample(level l - 1) + alpha * level l`; nearest
    upsampling brings them back to full size. This is the blend
    `FadeIn` applies to the generator's levels, so real and generated images
    reach the discriminator alike.
    """
    levels = pyramid.gaussian_pyramid(images, num_levels - 1)
    progress = tf.cast(progress, images.dtype)
    view = levels[0]
    for level in range(1, num_levels):
        weight = tf.clip_by_value(progress - (level - 1), 0.0, 1.0)
        view = (1.0 - weight) * pyramid.upsample(view) + weight * levels[level]
    return view


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class ProGAN(GAN):
    """Progressive growing of GANs: the `GAN` update on networks whose resolution grows during training.

    The networks (`tfgan_zoo.networks.progan`) are built at full size; a
    `GrowthProgress` layer named `"progress"` in each holds how far they have
    grown. Before every step the progress is set from the step counter by
    `growth_progress` (stabilise level 0, then fade in and stabilise each
    further level), and real images are shown to the discriminator at the
    same level (`progressive_view`). The schedule is a function of the saved
    step counter, so a run resumed in the middle of a fade-in continues it
    exactly, and `fit` never retraces.

    Sampling and export use the progress the generator holds: the full
    size once the schedule has ended, the current level (upsampled) before.

    The paper's loss is WGAN-GP with one critic step and a drift term
    `drift_weight * D(x)^2` on real scores (0.001), which keeps the critic's
    outputs near zero. The drift is part of the logged `d_loss`.

    Deviations: one batch size for every level (the paper shrinks it at high
    resolutions) and no optimizer reset when a level starts fading in.

    Args:
        generator, discriminator: progressive networks with a `"progress"`
            layer of the same number of levels.
        stabilise_steps: steps of level 0, and of each level after its fade-in.
        fade_steps: steps of each fade-in.
        drift_weight: weight of the drift term (0 disables it).
        **kwargs: the `GAN` arguments.

    Reference: Karras et al., "Progressive Growing of GANs for Improved
    Quality, Stability, and Variation", ICLR 2018.
    """

    def __init__(self, generator, discriminator, *, stabilise_steps=1000, fade_steps=1000, drift_weight=0.0,
                 **kwargs):
        validation.check_int("stabilise_steps", stabilise_steps)
        validation.check_int("fade_steps", fade_steps)
        validation.check_number("drift_weight", drift_weight, "[0, inf)")
        if kwargs.get("pack", 1) != 1:
            raise ValueError(f"ProGAN's discriminator scores single images. Received: pack={kwargs['pack']!r}")
        super().__init__(generator, discriminator, **kwargs)
        self.stabilise_steps = stabilise_steps
        self.fade_steps = fade_steps
        self.drift_weight = float(drift_weight)
        levels = {name: _progress_layer(network, name).num_levels
                  for name, network in (("generator", generator), ("discriminator", discriminator))}
        if levels["generator"] != levels["discriminator"]:
            raise ValueError(f"Generator and discriminator must have the same number of levels. Received: {levels}")
        self.num_levels = levels["generator"]

    # === Growth ===
    def _progress_layers(self):
        networks = [self.generator, self.discriminator, self.ema_generator]
        return [network.get_layer(PROGRESS_LAYER) for network in networks if network is not None]

    @property
    def progress(self):
        """How far the networks have grown: the level, plus the fade-in alpha while a level fades in."""
        return float(self.discriminator.get_layer(PROGRESS_LAYER).progress.numpy())

    def progress_at(self, step):
        """The scheduled progress at `step` (see `growth_progress`)."""
        return growth_progress(step, self.stabilise_steps, self.fade_steps, self.num_levels)

    def set_progress(self, value):
        """Sets the progress of every network (the live and EMA generators and the discriminator)."""
        for layer in self._progress_layers():
            layer.set_progress(value)

    def train_step(self, data):
        self.set_progress(self.progress_at(self.step_counter))
        return super().train_step(data)

    # === What the discriminator sees ===
    def critic_inputs(self, samples, part, kind):
        if kind == REAL:
            progress = self.discriminator.get_layer(PROGRESS_LAYER).progress
            samples = progressive_view(samples, progress, self.num_levels)
        return super().critic_inputs(samples, part, kind)

    def discriminator_loss(self, real_scores, fake_scores):
        loss = super().discriminator_loss(real_scores, fake_scores)
        if not self.drift_weight:
            return loss
        return loss + self.drift_weight * losses.drift_penalty(real_scores)

    def get_config(self):
        return {**super().get_config(), "stabilise_steps": self.stabilise_steps, "fade_steps": self.fade_steps,
                "drift_weight": self.drift_weight}


def _progress_layer(network, name):
    try:
        layer = network.get_layer(PROGRESS_LAYER)
    except ValueError:
        layer = None
    if not isinstance(layer, GrowthProgress):
        raise ValueError(f"ProGAN needs progressive networks (tfgan_zoo.networks.progan) with a {PROGRESS_LAYER!r} "
                         f"GrowthProgress layer. Received: {name}={network.name!r}")
    return layer
