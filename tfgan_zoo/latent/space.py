"""A generator's input space: latent vectors, soft labels for conditional models, and rendering from them."""

import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo.networks.features import features_and_scores

# The layer every conditional zoo generator one-hot encodes its label with
# (`tfgan_zoo.networks.conditioning.one_hot`); its output is the soft label input.
ONE_HOT_LAYER = "label_one_hot"
# The range of U[0, 1), the uniform prior: uniform latents are clipped into it.
UNIFORM_RANGE = (0.0, 1.0)


class LatentSpace:
    """The inputs of a model's sampling generator, as points that can be averaged and interpolated.

    A point is a latent vector and, for conditional models, a *soft label*:
    a vector of class weights that the generator reads where it would read
    the one-hot encoding of an integer label. A one-hot soft label renders
    exactly what the integer label renders, and blends of two one-hots render
    the classes in between, so every operation of `tfgan_zoo.latent` (means,
    interpolation, arithmetic, edits) acts on the latent and the soft label
    alike. Unconditional models have no soft labels (`None`).

    Blends need a generator that one-hot encodes its label in a layer named
    `"label_one_hot"` (the zoo's DCGAN and MLP generators do); one that
    embeds it instead (BigGAN's) renders one-hot soft labels only
    (`blends_labels` is False).

    Args:
        model: an `AdversarialModel`.
        use_ema: render with the EMA generator when the model has one (the
            generator `model.generate` samples from).

    Example:

    ```python
    space = LatentSpace(model)
    latents, soft_labels = space.seed_grid(64, seed=0)   # what `tfgan-zoo sample --num=64` draws
    images = space.render(latents, soft_labels)          # equal to model.generate(64)
    ```
    """

    def __init__(self, model, use_ema=True):
        self.model = model
        self.generator = model.sampling_generator if use_ema else model.generator
        if len(self.generator.inputs[0].shape) != 2:
            raise ValueError(
                "The latent tools need a generator whose first input is a latent vector [batch, latent_dim]. "
                f"Received: {model.name!r} with first input shape {tuple(self.generator.inputs[0].shape)}"
            )
        self.num_classes = model.num_classes
        self.latent_dim = model.latent_dim
        self.prior = model.latent_prior
        self.sample_shape = tuple(self.generator.outputs[0].shape[1:])
        conditional = self.num_classes is not None
        self._soft_label_network = _soft_label_network(self.generator) if conditional else None
        self.blends_labels = not conditional or self._soft_label_network is not None

    # === Points ===
    def seed_grid(self, num, seed=0, label=None):
        """`(latents, soft_labels)` of the samples `model.generate(num, seed=seed)` draws (at `label` if given).

        Sample `i` of `tfgan-zoo sample --num=NUM --seed=SEED [--label=K]` is
        row `i` here, so a user picks points from a printed grid by index.
        """
        if label is not None and self.num_classes is None:
            raise ValueError(
                f"label is only for conditional models; this one is unconditional. Received: label={label!r}"
            )
        return self.model.latent_for_seed(num, seed), self.soft_labels(self.model.balanced_labels(num, label))

    def soft_labels(self, labels):
        """One-hot float32 soft labels `[N, num_classes]` of integer labels; `None` for unconditional models."""
        if self.num_classes is None:
            if labels is not None:
                raise ValueError(f"The model is unconditional and takes no labels. Received: labels={labels!r}")
            return None
        if labels is None:
            raise ValueError(
                f"A conditional model (num_classes={self.num_classes}) needs labels. Received: labels=None"
            )
        labels = np.asarray(labels, np.int64).reshape([-1])
        if labels.size and (labels.min() < 0 or labels.max() >= self.num_classes):
            raise ValueError(f"Labels must lie in [0, {self.num_classes}). Received: labels={labels.tolist()}")
        return np.eye(self.num_classes, dtype=np.float32)[labels]

    def to_support(self, latents):
        """Latents moved into the prior's support: clipped to [0, 1] for the uniform prior, unchanged for the normal."""
        if self.prior == "uniform":
            return np.clip(latents, *UNIFORM_RANGE).astype(np.float32)
        return np.asarray(latents, np.float32)

    # === Rendering ===
    def call(self, latents, soft_labels=None):
        """Samples of a batch of points with `training=False`, as a tensor differentiable in the latents."""
        if self.num_classes is None:
            if soft_labels is not None:
                raise ValueError(
                    "The model is unconditional and takes no soft labels. Received: soft_labels (not None)"
                )
            return self.generator(latents, training=False)
        if soft_labels is None:
            raise ValueError(f"A conditional model (num_classes={self.num_classes}) needs soft labels. Received: None")
        if self._soft_label_network is not None:
            return self._soft_label_network([latents, soft_labels], training=False)
        labels = tf.argmax(soft_labels, axis=-1, output_type=tf.int32)
        return self.generator([tf.convert_to_tensor(latents), labels], training=False)

    def render(self, latents, soft_labels=None, batch_size=256):
        """Samples of the points, with `training=False`, in batches, as float32 numpy."""
        latents = np.asarray(latents, np.float32)
        if latents.ndim != 2 or latents.shape[1] != self.latent_dim:
            raise ValueError(f"latents must have shape [num, {self.latent_dim}]. Received: shape={latents.shape}")
        if soft_labels is not None:
            soft_labels = np.asarray(soft_labels, np.float32)
            self._check_blends(soft_labels)
        outputs = []
        for start in range(0, len(latents), batch_size):
            stop = start + batch_size
            weights = None if soft_labels is None else soft_labels[start:stop]
            outputs.append(np.asarray(self.call(latents[start:stop], weights)))
        return np.concatenate(outputs).astype(np.float32)

    def _check_blends(self, soft_labels):
        if self.blends_labels:
            return
        one_hot = np.all((soft_labels == 0) | (soft_labels == 1), axis=-1) & (soft_labels.sum(axis=-1) == 1)
        if not np.all(one_hot):
            raise ValueError(
                f"The generator {self.generator.name!r} embeds its label (it has no {ONE_HOT_LAYER!r} layer), so "
                "it draws whole classes only. Received: blended soft labels"
            )

    # === The discriminator's view ===
    def feature_network(self):
        """A model from samples (and integer labels) to `[features, score]` of the discriminator, or `None`.

        `None` where the model's discriminator does not score samples: a VAE
        (no discriminator), BiGAN (D scores pairs) and
        the adversarial autoencoder (D scores codes).
        """
        if not getattr(self.model, "has_discriminator", True):
            return None
        discriminator = self.model.discriminator
        expected = [self.sample_shape] + ([()] if self.num_classes is not None else [])
        shapes = [tuple(tensor.shape[1:]) for tensor in discriminator.inputs]
        if shapes != expected:
            return None
        return features_and_scores(discriminator)


def _soft_label_network(generator):
    """The generator with its one-hot layer's output as an input, `[latent, soft_label] -> sample`, or `None`."""
    if ONE_HOT_LAYER not in [layer.name for layer in generator.layers]:
        return None
    return keras.Model([generator.inputs[0], generator.get_layer(ONE_HOT_LAYER).output], generator.output)
