"""Projecting real images into a generator's latent space: by optimising the latent, or through an encoder."""

import dataclasses

import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo import losses
from tfgan_zoo.metrics import image_quality
from tfgan_zoo.models.encoder_model import EncoderAdversarialModel
from tfgan_zoo.models.vae import EncodingMixin
from tfgan_zoo.utils import validation

METHODS = ("optimisation", "encoder")
PIXEL_NORMS = ("l2", "l1")
DEFAULT_ITERATIONS = 300
DEFAULT_RESTARTS = 4
DEFAULT_LEARNING_RATE = 0.05
# Weight of the discriminator-feature distance (relative to the target's
# feature energy, so scale-free) against the pixel mean squared error.
DEFAULT_FEATURE_WEIGHT = 0.1
# Draws of N(0, I_d) have norms near sqrt(d), with a standard deviation of
# about 1/sqrt(2); a latent drifting farther out than this many of those is
# pulled back onto that radius, where the generator was trained.
_NORM_SLACK = 4.0 / np.sqrt(2.0)
_FEATURE_EPSILON = 1e-8


@dataclasses.dataclass(frozen=True)
class Projection:
    """Latents found for target images, their samples and the reconstruction errors.

    Attributes:
        method: `"optimisation"` or `"encoder"`.
        latents: float32 `[N, latent_dim]`.
        soft_labels: float32 `[N, num_classes]` (the targets' one-hot labels), or `None`.
        reconstructions: float32 samples of the latents, `[N, *sample_shape]`.
        mse: float64 `[N]`, mean squared error per image, on [-1, 1] values.
        psnr: float64 `[N]`, in dB for a range of 2.
        objectives: float64 `[restarts, N]`, each restart's final objective
            (optimisation only, else `None`).
        settings: the optimisation's settings, with the feature weight used
            (empty for the encoder).
        initial_objectives: float64 `[restarts, N]`, each restart's objective
            at its starting latent (optimisation only, else `None`).
    """

    method: str
    latents: np.ndarray
    soft_labels: np.ndarray | None
    reconstructions: np.ndarray
    mse: np.ndarray
    psnr: np.ndarray
    objectives: np.ndarray | None = None
    settings: dict = dataclasses.field(default_factory=dict)
    initial_objectives: np.ndarray | None = None


def has_encoder(model):
    """Whether the model maps samples to latents: BiGAN, the adversarial autoencoder, VAE, VAE-GAN."""
    return isinstance(model, (EncoderAdversarialModel, EncodingMixin))


def project_by_encoder(space, images, labels=None):
    """The encoder's latents of the images: BiGAN's and the adversarial autoencoder's codes, a VAE's posterior mean.

    Decoded with `space`'s generator (the EMA one when the model has one and
    `space` was made with `use_ema=True`).
    """
    model = space.model
    if not has_encoder(model):
        raise ValueError(
            f"{type(model).__name__} has no encoder; project by optimisation (BiGAN, AAE, VAE and VAE-GAN have "
            "one). Received: method='encoder'"
        )
    images = check_targets(space, images)
    soft_labels = _target_labels(space, images, labels)
    latents = model.codes(images, None if labels is None else np.asarray(labels, np.int32))
    return _projection("encoder", space, images, latents, soft_labels)


def project_by_optimisation(
    space, images, labels=None, *, iterations=DEFAULT_ITERATIONS, restarts=DEFAULT_RESTARTS,
    feature_weight=None, learning_rate=DEFAULT_LEARNING_RATE, seed=0, pixel_weights=None, pixel_norm="l2",
    adversarial_weight=0.0,
):
    """Latents whose samples match the images, found by gradient descent from several starts.

    For each image, `restarts` latents drawn from the prior (a pure function
    of `seed`) are moved by Adam for `iterations` steps, all in one batch, to
    minimise

        mean((G(z) - x)^2) + feature_weight * |D_f(G(z)) - D_f(x)|^2 / |D_f(x)|^2
                           + adversarial_weight * L_G(D(G(z)))

    with `D_f` the discriminator's `"features"` layer (a perceptual term in
    the spirit of Zhu et al. 2016 and Larsen et al. 2016) and `L_G` the
    model's generator loss on D's score (Yeh et al.'s perceptual loss: how
    unlike a real sample `G(z)` looks to D). With `pixel_weights` `w` the pixel
    term is the weighted mean `sum(w * |G(z) - x|^p) / sum(w)` (p = 2, or 1
    with `pixel_norm="l1"`): weights 0 on unknown pixels make it the
    contextual loss of semantic inpainting (`tfgan_zoo.latent.inpainting`).
    After each step a
    uniform prior's latent is clipped into [0, 1] and a normal prior's latent
    is pulled back when its norm exceeds `sqrt(d) + 2.8`, far beyond its
    draws. The restart with the lowest final objective is kept.

    Args:
        space: a `LatentSpace`.
        images: targets `[N, *sample_shape]` in [-1, 1].
        labels: integer labels `[N]`, required by conditional models.
        iterations: Adam steps.
        restarts: starting latents per image.
        feature_weight: weight of the feature term; `None`: `DEFAULT_FEATURE_WEIGHT`
            where the discriminator scores samples, 0 for models whose
            discriminator does not (VAE, BiGAN, adversarial autoencoder).
        learning_rate: Adam's learning rate.
        seed: seed of the starting latents.
        pixel_weights: non-negative weights of the pixel term, broadcastable
            to `images` (e.g. `[N, H, W, 1]`), each image's summing to more
            than 0; `None`: every pixel alike.
        pixel_norm: `"l2"` (squared error) or `"l1"` (absolute error).
        adversarial_weight: weight of the generator loss on D's score, >= 0.

    Reference: Zhu et al., "Generative Visual Manipulation on the Natural
    Image Manifold", ECCV 2016; Lipton & Tripathi, "Precise Recovery of
    Latent Vectors from Generative Adversarial Networks", ICLR 2017 workshop;
    Yeh et al., "Semantic Image Inpainting with Deep Generative Models",
    CVPR 2017.
    """
    validation.check_int("iterations", iterations)
    validation.check_int("restarts", restarts)
    validation.check_choice("pixel_norm", pixel_norm, PIXEL_NORMS)
    images = check_targets(space, images)
    soft_labels = _target_labels(space, images, labels)
    features, feature_weight = _feature_term(space, feature_weight)
    scores, adversarial_weight = _adversarial_term(space, adversarial_weight)
    count = len(images)
    repeat = [restarts] + [1] * (images.ndim - 1)
    targets = np.tile(images, repeat)
    weights = None if pixel_weights is None else np.tile(_check_pixel_weights(pixel_weights, images), repeat)
    target_labels = None if soft_labels is None else np.tile(soft_labels, [restarts, 1])
    integer_labels = None if labels is None else np.tile(np.asarray(labels, np.int32), restarts)
    objective = _objective(space, targets, target_labels, integer_labels, features, feature_weight,
                           pixel=_PixelTerm(weights, pixel_norm), scores=scores, adversarial_weight=adversarial_weight)

    latent = tf.Variable(space.model.latent_for_seed(restarts * count, seed), name="projected_latent")
    initial = objective(latent).numpy().astype(np.float64).reshape([restarts, count])
    optimizer = keras.optimizers.Adam(learning_rate)
    optimizer.build([latent])
    constrain = _constraint(space)

    @tf.function(jit_compile=True)
    def step():
        with tf.GradientTape() as tape:
            # Each row's loss depends on its own latent only (networks in
            # inference mode; a minibatch-discrimination layer in D is the
            # exception), so the sum's gradient moves each latent by its own objective.
            loss = tf.reduce_sum(objective(latent))
        optimizer.apply(tape.gradient(loss, [latent]), [latent])
        latent.assign(constrain(latent))

    for _ in range(iterations):
        step()
    final = objective(latent).numpy().astype(np.float64).reshape([restarts, count])
    best = np.argmin(final, axis=0)
    latents = latent.numpy().reshape([restarts, count, space.latent_dim])[best, np.arange(count)]
    settings = dict(iterations=int(iterations), restarts=int(restarts), feature_weight=feature_weight,
                    learning_rate=float(learning_rate), seed=int(seed), pixel_norm=pixel_norm,
                    pixel_weights=pixel_weights is not None, adversarial_weight=adversarial_weight)
    return _projection("optimisation", space, images, latents, soft_labels, objectives=final, settings=settings,
                       initial_objectives=initial)


def check_targets(space, images):
    """The images as float32, checked to be a batch of the model's samples in [-1, 1]."""
    images = np.asarray(images, np.float32)
    if images.ndim < 2 or len(images) == 0 or images.shape[1:] != space.sample_shape:
        raise ValueError(
            f"Images to project must have shape [N >= 1, *{space.sample_shape}]. Received: shape={images.shape}"
        )
    if images.min() < -1.0 or images.max() > 1.0:
        raise ValueError(
            f"Images to project must lie in [-1, 1]. Received: values in [{images.min():.3g}, {images.max():.3g}]"
        )
    return images


def _target_labels(space, images, labels):
    """The soft labels of the targets: one-hot of `labels` (one per image) for conditional models, else `None`."""
    soft_labels = space.soft_labels(labels)
    if soft_labels is not None and len(soft_labels) != len(images):
        raise ValueError(f"Give one label per image ({len(images)}). Received: {len(soft_labels)} labels")
    return soft_labels


def _feature_term(space, feature_weight):
    """`(feature network or None, weight)`, refusing a positive weight where D gives no sample features."""
    features = space.feature_network()
    if feature_weight is None:
        return (features, DEFAULT_FEATURE_WEIGHT) if features is not None else (None, 0.0)
    validation.check_number("feature_weight", feature_weight, "[0, inf)")
    if feature_weight > 0 and features is None:
        raise ValueError(
            f"{type(space.model).__name__}'s discriminator does not score samples, so there are no features to "
            f"match; use feature_weight=0. Received: feature_weight={feature_weight!r}"
        )
    return (features if feature_weight > 0 else None), float(feature_weight)


def _adversarial_term(space, adversarial_weight):
    """`(network returning [features, score] or None, weight)`, refusing a positive weight where D scores no samples."""
    validation.check_number("adversarial_weight", adversarial_weight, "[0, inf)")
    if adversarial_weight == 0:
        return None, 0.0
    network = space.feature_network()
    if network is None:
        raise ValueError(
            f"{type(space.model).__name__}'s discriminator does not score samples, so there is no perceptual loss; "
            f"use adversarial_weight=0. Received: adversarial_weight={adversarial_weight!r}"
        )
    return network, float(adversarial_weight)


def _generator_loss(model):
    """The model's generator loss on D's scores: its loss family's (`model.loss`), else the non-saturating one."""
    family = getattr(model, "loss", None)
    return losses.get_loss_family(family if family in losses.LOSS_FAMILIES else "non_saturating")[0]


def _check_pixel_weights(pixel_weights, images):
    """The weights as float32, broadcast to the images' shape, checked non-negative with a positive sum per image."""
    weights = np.asarray(pixel_weights, np.float32)
    try:
        weights = np.broadcast_to(weights, images.shape).astype(np.float32)
    except ValueError:
        raise ValueError(f"pixel_weights must broadcast to the images' shape {list(images.shape)}. "
                         f"Received: shape={list(np.shape(pixel_weights))}") from None
    totals = weights.reshape([len(images), -1]).sum(axis=1)
    if weights.min() < 0 or not np.all(totals > 0):
        raise ValueError("pixel_weights must be >= 0 with a positive sum for every image. Received: "
                         f"min {weights.min():.3g}, smallest image sum {totals.min():.3g}")
    return weights


@dataclasses.dataclass(frozen=True)
class _PixelTerm:
    """The pixel term: `|G(z) - x|^p` (p from `norm`) averaged over each image, weighted by `weights` when given."""

    weights: np.ndarray | None
    norm: str

    def __call__(self, samples, targets):
        difference = samples - targets
        errors = tf.square(difference) if self.norm == "l2" else tf.abs(difference)
        if self.weights is None:
            return tf.reduce_mean(_flat(errors), axis=1)
        weights = _flat(tf.constant(self.weights))
        return tf.reduce_sum(weights * _flat(errors), axis=1) / tf.reduce_sum(weights, axis=1)


def _objective(space, targets, soft_labels, labels, features, feature_weight, *, pixel, scores=None,
               adversarial_weight=0.0):
    """A function of the latent batch: each row's pixel term, its weighted relative feature distance and its weighted
    generator loss on D's score."""
    targets = tf.constant(targets)
    soft_labels = None if soft_labels is None else tf.constant(soft_labels)
    labels = None if labels is None else tf.constant(labels)
    generator_loss = _generator_loss(space.model) if scores is not None else None

    def feature_inputs(samples):
        return samples if labels is None else [samples, labels]

    if features is not None:
        target_features = _flat(features(feature_inputs(targets), training=False)[0])
        target_energy = tf.reduce_mean(tf.square(target_features), axis=1) + _FEATURE_EPSILON

    def objective(latent):
        samples = tf.cast(space.call(latent, soft_labels), tf.float32)
        total = pixel(samples, targets)
        if features is not None:
            sample_features = _flat(features(feature_inputs(samples), training=False)[0])
            distance = tf.reduce_mean(tf.square(sample_features - target_features), axis=1) / target_energy
            total += feature_weight * distance
        if scores is not None:
            total += adversarial_weight * generator_loss(scores(feature_inputs(samples), training=False)[1])
        return total

    return objective


def _flat(values):
    values = tf.cast(values, tf.float32)
    return tf.reshape(values, [tf.shape(values)[0], -1])


def _constraint(space):
    """What keeps the optimised latents where the prior puts them (see `project_by_optimisation`)."""
    if space.prior == "uniform":
        return lambda latent: tf.clip_by_value(latent, 0.0, 1.0)
    max_norm = float(np.sqrt(space.latent_dim) + _NORM_SLACK)
    return lambda latent: tf.clip_by_norm(latent, max_norm, axes=[1])


def _projection(method, space, images, latents, soft_labels, objectives=None, settings=None, initial_objectives=None):
    latents = np.asarray(latents, np.float32)
    reconstructions = space.render(latents, soft_labels)
    squared = np.square(reconstructions.astype(np.float64) - images)
    return Projection(
        method=method, latents=latents, soft_labels=soft_labels, reconstructions=reconstructions,
        mse=squared.reshape([len(images), -1]).mean(axis=1), psnr=_psnr(reconstructions, images),
        objectives=objectives, settings=settings or {}, initial_objectives=initial_objectives,
    )


def _psnr(reconstructions, images):
    # The image-quality PSNR takes image batches; flat samples are one-pixel images.
    if reconstructions.ndim != 4:
        shape = [len(images), 1, -1, 1]
        reconstructions, images = reconstructions.reshape(shape), images.reshape(shape)
    return image_quality.psnr(reconstructions, images)
