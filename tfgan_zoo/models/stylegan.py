"""StyleGAN (small): style mixing, fresh noise and the tracked average w in training; truncation and mixing grids."""

import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo.models.gan import GAN
from tfgan_zoo.networks.stylegan import MAPPING, SYNTHESIS, TRUNCATION
from tfgan_zoo.utils import images, validation

# Draw purposes within one update (see `AdversarialModel.substream`); `GAN` uses 0-6.
_MIXING_LATENT, _MIXING_CUT, _NOISE = 8, 9, 10


def combine_styles(first, second, use_second):
    """Per-layer styles `[B, L, w_dim]`: `second` `[B, w_dim]` where `use_second` `[B, L]` is true, else `first`."""
    return tf.where(use_second[:, :, None], second[:, None, :], first[:, None, :])


def broadcast_styles(w, num_layers):
    """The same w `[B, w_dim]` for every synthesis layer: `[B, num_layers, w_dim]`."""
    return tf.tile(w[:, None, :], [1, num_layers, 1])


def style_ranges(num_layers):
    """`{"coarse": (start, stop), "middle": ..., "fine": ...}` of synthesis layers, as in the paper's Figure 3.

    Coarse: the 4x4 and 8x8 levels; middle: 16x16 and 32x32; fine: the rest
    (at 32 px the 32x32 level is fine, so middle is 16x16 alone). Empty
    ranges are left out.
    """
    levels = num_layers // 2
    coarse = min(2, levels - 1)
    middle = max(coarse, min(4, levels - 1))
    bounds = {"coarse": (0, coarse), "middle": (coarse, middle), "fine": (middle, levels)}
    return {name: (2 * start, 2 * stop) for name, (start, stop) in bounds.items() if stop > start}


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class StyleGAN(GAN):
    """The `GAN` update on a style-based generator (`tfgan_zoo.networks.stylegan`).

    In every training update the generator's samples are made from the
    mapping and synthesis networks directly: each example's w is broadcast
    to all synthesis layers, except that with probability `style_mixing` a
    second latent's w takes over from a crossover layer drawn uniformly in
    `[1, num_layers)` (style mixing regularisation, drawn per example); each
    noise input gets fresh N(0, 1) noise. Every such call also moves the
    generator's tracked average `w_avg` (`w_avg_decay`, over the global
    batch), which truncation pulls towards. All draws are keyed by the step
    counter, so resume is exact.

    Sampling and export run the generator model: one w per example,
    truncated by the generator's `psi` (1 until `set_truncation`), and the
    generator's fixed noise images.

    The paper's loss is the non-saturating one with R1 (gamma 10, i.e.
    `r1_weight=5`), as the recipes set.

    Args:
        generator, discriminator: from `tfgan_zoo.networks.stylegan`.
        style_mixing: probability that an example mixes two latents' styles.
        w_avg_decay: decay of the running mean of w.
        **kwargs: the `GAN` arguments.

    Reference: Karras et al., "A Style-Based Generator Architecture for
    Generative Adversarial Networks", CVPR 2019.
    """

    def __init__(self, generator, discriminator, *, style_mixing=0.9, w_avg_decay=0.995, **kwargs):
        validation.check_number("style_mixing", style_mixing, "[0, 1]")
        validation.check_number("w_avg_decay", w_avg_decay, "[0, 1)")
        names = [layer.name for layer in generator.layers]
        if not {MAPPING, SYNTHESIS, TRUNCATION} <= set(names):
            raise ValueError(f"StyleGAN needs a generator from tfgan_zoo.networks.stylegan (layers {MAPPING!r}, "
                             f"{SYNTHESIS!r}, {TRUNCATION!r}). Received: generator layers {names}")
        super().__init__(generator, discriminator, **kwargs)
        self.style_mixing = float(style_mixing)
        self.w_avg_decay = float(w_avg_decay)
        self.mapping = generator.get_layer(MAPPING)
        self.synthesis = generator.get_layer(SYNTHESIS)
        self.truncation = generator.get_layer(TRUNCATION)
        self.num_style_layers = int(self.synthesis.inputs[0].shape[1])
        self.noise_sizes = [int(tensor.shape[1]) for tensor in self.synthesis.inputs[1:]]

    # === Training ===
    def training_samples(self, latent, labels, stream):
        batch_size = tf.shape(latent)[0]
        w = self.mapping(latent, training=True)
        self.truncation.track(self.global_mean(w), self.w_avg_decay)
        styles = self.mixed_styles(w, stream, batch_size)
        return self.synthesis([styles, *self.training_noise(stream, batch_size)], training=True)

    def mixed_styles(self, w, stream, batch_size):
        """Each example's styles: `w` for every layer, or `w` then another latent's w from a random crossover."""
        layers = self.num_style_layers
        if not self.style_mixing:
            return broadcast_styles(w, layers)
        other = self.mapping(self.sample_latent(self.substream(stream, _MIXING_LATENT), batch_size), training=True)
        draws = self.random_uniform(self.substream(stream, _MIXING_CUT), batch_size, [2])
        crossover = 1 + tf.minimum(tf.cast(draws[:, 1] * (layers - 1), tf.int32), layers - 2)
        crossover = tf.where(draws[:, 0] < self.style_mixing, crossover, layers)
        return combine_styles(w, other, tf.range(layers)[None, :] >= crossover[:, None])

    def training_noise(self, stream, batch_size):
        """Fresh N(0, 1) noise for every noise input, `[B, size, size, 1]` each, from one draw."""
        pixels = [size * size for size in self.noise_sizes]
        noise = self.random_normal(self.substream(stream, _NOISE), batch_size, [sum(pixels)])
        return [tf.reshape(part, [-1, size, size, 1])
                for part, size in zip(tf.split(noise, pixels, axis=1), self.noise_sizes)]

    # === Sampling ===
    def set_truncation(self, psi):
        """Sets the truncation `psi` of the live and the EMA generator (what sampling and export use)."""
        for generator in (self.generator, self.ema_generator):
            if generator is not None:
                generator.get_layer(TRUNCATION).psi.assign(float(psi))

    def sampling_w(self, latent, use_ema=True):
        """The truncated w `[N, w_dim]` that sampling feeds every synthesis layer."""
        generator = self.sampling_generator if use_ema else self.generator
        w = generator.get_layer(MAPPING)(np.asarray(latent, np.float32), training=False)
        return generator.get_layer(TRUNCATION)(w)

    def synthesize(self, styles, use_ema=True):
        """Images from per-layer styles `[N, num_layers, w_dim]`, with the generator's fixed noise."""
        generator = self.sampling_generator if use_ema else self.generator
        styles = tf.convert_to_tensor(styles, tf.float32)
        noise = [generator.get_layer(f"constant_noise_{index}")(styles) for index in range(self.num_style_layers)]
        return np.asarray(generator.get_layer(SYNTHESIS)([styles, *noise], training=False))

    def get_config(self):
        return {**super().get_config(), "style_mixing": self.style_mixing, "w_avg_decay": self.w_avg_decay}


def style_mixing_grid(model, row_seed=1, column_seed=2, rows=4, columns=6, ranges=None):
    """The paper's style-mixing figure as a uint8 picture, and the layer ranges it used.

    The top row holds the images of source B (`columns` latents of
    `column_seed`), the left column those of source A (`rows` latents of
    `row_seed`), repeated for each range. Each other cell is source A's
    image with the styles of one range of synthesis layers (coarse, middle,
    fine; see `style_ranges`) copied from source B.

    Returns:
        `(picture [H, W, C] uint8, {name: (start, stop)} in row order)`.
    """
    ranges = ranges or style_ranges(model.num_style_layers)
    source_a = model.sampling_w(model.latent_for_seed(rows, row_seed))
    source_b = model.sampling_w(model.latent_for_seed(columns, column_seed))
    a_images = model.synthesize(broadcast_styles(source_a, model.num_style_layers))
    b_images = model.synthesize(broadcast_styles(source_b, model.num_style_layers))
    layers = tf.range(model.num_style_layers)
    cells = [np.full_like(b_images[:1], -1.0), b_images]
    for start, stop in ranges.values():
        from_b = tf.tile(((layers >= start) & (layers < stop))[None], [columns, 1])
        for row in range(rows):
            mixed = combine_styles(tf.tile(source_a[row : row + 1], [columns, 1]), source_b, from_b)
            cells += [a_images[row : row + 1], model.synthesize(mixed)]
    return images.make_grid(images.to_uint8(np.concatenate(cells)), columns=columns + 1), dict(ranges)
