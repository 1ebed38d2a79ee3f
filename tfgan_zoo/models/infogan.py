"""InfoGAN: part of the latent is a code the generator must keep readable from its samples."""

import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo import losses
from tfgan_zoo.models.gan import GAN, REAL
from tfgan_zoo.models.sampling import SAMPLING_SEED_SALT, int_labels
from tfgan_zoo.networks import info_heads
from tfgan_zoo.utils import batching

# The paper's MNIST codes: one 10-way categorical code and two continuous ones.
DEFAULT_CATEGORICAL_CODES = (10,)
DEFAULT_CONTINUOUS_CODES = 2
# Draw purposes of the codes within one update (see `AdversarialModel.substream`).
_CATEGORICAL, _CONTINUOUS = 8, 9
# Values a continuous code takes along a `code_grid` row: beyond the [-1, 1]
# it is trained on, as in the paper's figures.
GRID_VALUES = tuple(np.linspace(-2.0, 2.0, 9).tolist())


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class InfoGAN(GAN):
    """A GAN that maximises the mutual information between codes and samples.

    The generator's `latent` input is `[z | one-hot categorical codes |
    continuous codes]`: incompressible noise `z` from the configured prior,
    each categorical code uniform over its categories, each continuous code
    uniform in [-1, 1]. A Q head on the discriminator's trunk (the layers up
    to its `"features"` layer, shared, plus dense layers of its own; see
    `tfgan_zoo.networks.info_heads`) predicts the codes of a sample. The
    variational lower bound of the mutual information, `E[log Q(c | G(z, c))]
    + H(c)`, is maximised by both players: the per-example loss

        info_weight * sum_i CE(c_i, Q_i(x)) + continuous_weight * NLL(c_cont | N(mean(x), std(x)))

    is added to the generator's objective and to the discriminator's, and
    the discriminator's optimizer updates D's variables and Q's head together
    (on the generated samples of its step). `H(c)` is a constant and left out.

    Every `GAN` switch composes, except `pack` (Q reads one sample at a time).
    Logs `info_loss` (the generator's term) and `q_loss` (the
    discriminator's, on its own generated minibatch).

    Args:
        generator: a built generator whose `latent` input has size
            `noise_dim + sum(categorical_codes) + continuous_codes`, with
            `noise_dim >= 1`.
        discriminator: a built discriminator with a `"features"` layer.
        categorical_codes: category count of each categorical code.
        continuous_codes: number of continuous codes.
        info_weight: lambda of the categorical codes (1 in the paper).
        continuous_weight: lambda of the continuous codes; the paper uses a
            smaller one than for discrete codes so the differential-entropy
            term stays on the scale of the GAN loss.
        learn_std: Q also predicts each continuous code's log standard
            deviation (otherwise fixed at 1).
        q_hidden_units: widths of hidden dense layers of the Q head (none by
            default: one dense layer per output).
        q_batch_norm: BatchNorm after each of those layers (as in the
            paper's MNIST Q); needs `q_hidden_units`.
        **kwargs: the `GAN` arguments (loss family, penalties, switches,
            `latent_prior` of `z`, `num_classes`, `d_steps`, `ema_decay`, `seed`).

    Example:

    ```python
    model = InfoGAN(generator, discriminator, categorical_codes=[10], continuous_codes=2)
    model.compile(generator_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
                  discriminator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    model.fit(images, batch_size=64)
    digits = model.predict_codes(test_images)[:, 0]
    ```

    Reference: Chen et al., "InfoGAN: Interpretable Representation Learning
    by Information Maximizing Generative Adversarial Nets", NeurIPS 2016.
    """

    def __init__(
        self,
        generator,
        discriminator,
        *,
        categorical_codes=DEFAULT_CATEGORICAL_CODES,
        continuous_codes=DEFAULT_CONTINUOUS_CODES,
        info_weight=1.0,
        continuous_weight=0.1,
        learn_std=False,
        q_hidden_units=(),
        q_batch_norm=False,
        **kwargs,
    ):
        categorical_codes, continuous_codes = info_heads.check_codes(categorical_codes, continuous_codes)
        for name, value in (("info_weight", info_weight), ("continuous_weight", continuous_weight)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ValueError(f"{name} must be a number >= 0. Received: {name}={value!r}")
        if q_batch_norm and not q_hidden_units:
            raise ValueError(
                "q_batch_norm normalizes Q's hidden layers and needs q_hidden_units. "
                f"Received: q_batch_norm={q_batch_norm!r}, q_hidden_units={q_hidden_units!r}"
            )
        if kwargs.get("pack", 1) != 1:
            raise ValueError(
                f"InfoGAN's Q reads one sample at a time and cannot pack. Received: pack={kwargs['pack']!r}"
            )
        super().__init__(generator, discriminator, **kwargs)
        self.categorical_codes = categorical_codes
        self.continuous_codes = continuous_codes
        self.info_weight = float(info_weight)
        self.continuous_weight = float(continuous_weight)
        self.learn_std = bool(learn_std)
        self.code_dim = sum(categorical_codes) + continuous_codes
        self.noise_dim = self.latent_dim - self.code_dim
        if self.noise_dim < 1:
            raise ValueError(
                f"The generator's latent input must hold noise besides the {self.code_dim} code values "
                f"(categorical_codes={list(categorical_codes)}, continuous_codes={continuous_codes}). "
                f"Received: latent size {self.latent_dim}"
            )
        self.info_network, self.q_network = info_heads.info_networks(
            discriminator, categorical_codes, continuous_codes, hidden_units=q_hidden_units,
            batch_norm=bool(q_batch_norm), learn_std=self.learn_std,
        )
        self.q_hidden_units = tuple(q_hidden_units)
        self.q_batch_norm = bool(q_batch_norm)

    @property
    def loss_names(self):
        return (*super().loss_names, "info_loss", "q_loss")

    @property
    def q_head_variables(self):
        """The trainable variables of Q's own layers (not the shared trunk)."""
        shared = {id(variable) for variable in self.discriminator.trainable_variables}
        return [variable for variable in self.q_network.trainable_variables if id(variable) not in shared]

    @property
    def discriminator_variables(self):
        """What the discriminator's optimizer updates: D's variables, then Q's head."""
        return [*self.discriminator.trainable_variables, *self.q_head_variables]

    # === Latents ===
    def compose_latent(self, noise, categories, continuous):
        """Latent vectors `[z | one-hot codes | continuous codes]` from their parts (numpy).

        Args:
            noise: `[n, noise_dim]`.
            categories: integer `[n, len(categorical_codes)]`, column `i` in
                `[0, categorical_codes[i])`.
            continuous: `[n, continuous_codes]`.
        """
        noise = np.asarray(noise, np.float32)
        categories = np.asarray(categories, np.int64).reshape(len(noise), len(self.categorical_codes))
        continuous = np.asarray(continuous, np.float32).reshape(len(noise), self.continuous_codes)
        if noise.shape != (len(noise), self.noise_dim):
            raise ValueError(f"noise must have shape [n, {self.noise_dim}]. Received: noise.shape={noise.shape}")
        pieces = [noise]
        for index, count in enumerate(self.categorical_codes):
            column = categories[:, index]
            if column.size and (column.min() < 0 or column.max() >= count):
                raise ValueError(f"categories[:, {index}] must be in [0, {count}). Received: {column.tolist()}")
            pieces.append(np.eye(count, dtype=np.float32)[column])
        return np.concatenate([*pieces, continuous], axis=1)

    def split_latent(self, latent):
        """`(noise, [one-hot of each categorical code], continuous codes)` of latent vectors."""
        sizes = [self.noise_dim, *self.categorical_codes, self.continuous_codes]
        pieces = tf.split(latent, sizes, axis=-1)
        return pieces[0], pieces[1:-1], pieces[-1]

    def latent_from_uniform(self, noise, categorical_uniform, continuous_uniform):
        """The latent whose codes are these U[0, 1) draws: `floor(u * count)` one-hot and `2u - 1`."""
        pieces = [noise]
        for index, count in enumerate(self.categorical_codes):
            category = tf.minimum(tf.cast(categorical_uniform[..., index] * count, tf.int32), count - 1)
            pieces.append(tf.one_hot(category, count, dtype=noise.dtype))
        pieces.append(2.0 * continuous_uniform - 1.0)
        return tf.concat(pieces, axis=-1)

    def sample_latent(self, stream, batch_size):
        """Training latents: `z` from the prior, codes uniform (replayable stateless draws)."""
        draw = self.random_normal if self.latent_prior == "normal" else self.random_uniform
        noise = draw(stream, batch_size, [self.noise_dim])
        count = len(self.categorical_codes)
        categorical = self.random_uniform(self.substream(stream, _CATEGORICAL), batch_size, [count])
        continuous = self.random_uniform(self.substream(stream, _CONTINUOUS), batch_size, [self.continuous_codes])
        return self.latent_from_uniform(noise, categorical, continuous)

    def latent_for_seed(self, num, seed=0):
        """`num` latent vectors with valid codes, a pure function of `seed`."""
        return self._seeded_latent(num, int(seed)).numpy()

    def latent_from_seeds(self, seeds):
        """One latent row per int64 seed, in-graph (for a `sample` serving signature).

        Row `i` is `latent_for_seed(1, seeds[i])[0]`: it depends on its own
        seed only, like `sampling.latent_from_seeds` (the base export's), but
        its codes are valid.
        """
        return tf.map_fn(
            lambda seed: self._seeded_latent(1, seed)[0],
            tf.cast(seeds, tf.int64),
            fn_output_signature=tf.TensorSpec([self.latent_dim], tf.float32),
        )

    def _seeded_latent(self, rows, seed):
        """Latent rows from stateless draws keyed by `[seed, SAMPLING_SEED_SALT + purpose]`."""
        prior = tf.random.stateless_normal if self.latent_prior == "normal" else tf.random.stateless_uniform

        def key(purpose):
            return tf.stack([tf.cast(seed, tf.int64), tf.constant(SAMPLING_SEED_SALT + purpose, tf.int64)])

        noise = prior([rows, self.noise_dim], seed=key(0))
        categorical = tf.random.stateless_uniform([rows, len(self.categorical_codes)], seed=key(_CATEGORICAL))
        continuous = tf.random.stateless_uniform([rows, self.continuous_codes], seed=key(_CONTINUOUS))
        return self.latent_from_uniform(noise, categorical, continuous)

    def code_grid(self, continuous_index, *, values=GRID_VALUES, rows=None, seed=0):
        """Latents of a grid that varies one continuous code along each row.

        Row `r` keeps the noise and categorical codes of `latent_for_seed(rows,
        seed)[r]`, except that the first categorical code is `r % count` (so
        the rows walk through its categories); columns set continuous code
        `continuous_index` to each of `values` and the other continuous codes
        to 0. Feed the result to `generate(latent=...)`.

        Args:
            continuous_index: which continuous code varies.
            values: its values, one per column (default -2 to 2, beyond the
                training range [-1, 1], as in the paper's figures).
            rows: number of rows; default the first categorical code's count
                (or 8 without categorical codes).
            seed: seed of the noise.

        Returns:
            float32 `[rows * len(values), latent_dim]`, row-major.
        """
        if not isinstance(continuous_index, int) or not 0 <= continuous_index < self.continuous_codes:
            raise ValueError(
                f"continuous_index must be in [0, {self.continuous_codes}). "
                f"Received: continuous_index={continuous_index!r}"
            )
        values = np.asarray(values, np.float32).reshape(-1)
        rows = rows or (self.categorical_codes[0] if self.categorical_codes else 8)
        latent = self.latent_for_seed(rows, seed)
        categories = self.categories_of(latent)
        if self.categorical_codes:
            categories[:, 0] = np.arange(rows) % self.categorical_codes[0]
        continuous = np.zeros([rows, len(values), self.continuous_codes], np.float32)
        continuous[:, :, continuous_index] = values
        columns = len(values)
        return self.compose_latent(
            np.repeat(latent[:, : self.noise_dim], columns, axis=0),
            np.repeat(categories, columns, axis=0),
            continuous.reshape(rows * columns, self.continuous_codes),
        )

    def categories_of(self, latent):
        """The category of each categorical code in latent vectors: int64 `[n, len(categorical_codes)]`."""
        _, onehots, _ = self.split_latent(tf.convert_to_tensor(latent, tf.float32))
        columns = [np.argmax(np.asarray(onehot), axis=-1) for onehot in onehots]
        return np.stack(columns, axis=1) if columns else np.zeros([len(latent), 0], np.int64)

    # === Q ===
    def info_outputs(self, samples, labels=None, training=True):
        """One pass of D's trunk: Q's outputs plus `"features"` and `"score"`."""
        inputs = samples if self.num_classes is None else [samples, labels]
        return self.info_network(inputs, training=training)

    def info_loss(self, outputs, latent):
        """Per-example `-log Q(c | x)`, weighted: the negative information bound less `H(c)`.

        Args:
            outputs: Q's outputs on the samples generated from `latent`.
            latent: the latent vectors, codes included.
        """
        _, onehots, continuous = self.split_latent(tf.cast(latent, tf.float32))
        loss = 0.0
        for index, onehot in enumerate(onehots):
            logits = outputs[info_heads.code_logits_name(index)]
            loss += self.info_weight * losses.categorical_code_loss(logits, onehot)
        if self.continuous_codes:
            mean = outputs[info_heads.CONTINUOUS_MEAN]
            log_std = outputs[info_heads.CONTINUOUS_LOG_STD] if self.learn_std else tf.zeros_like(mean)
            loss += self.continuous_weight * losses.gaussian_code_loss(continuous, mean, log_std)
        return loss

    def predict_codes(self, images, labels=None, batch_size=256):
        """Q's most likely category of each categorical code: int64 `[n, len(categorical_codes)]`."""
        outputs = self._predict_q(images, labels, batch_size)
        names = [info_heads.code_logits_name(index) for index in range(len(self.categorical_codes))]
        columns = [np.argmax(outputs[name], axis=-1) for name in names]
        return np.stack(columns, axis=1) if columns else np.zeros([len(images), 0], np.int64)

    def predict_continuous(self, images, labels=None, batch_size=256):
        """Q's mean of each continuous code: float32 `[n, continuous_codes]`."""
        if not self.continuous_codes:
            return np.zeros([len(images), 0], np.float32)
        return self._predict_q(images, labels, batch_size)[info_heads.CONTINUOUS_MEAN]

    def _predict_q(self, images, labels, batch_size):
        if self.num_classes is not None and labels is None:
            raise ValueError(f"{self.name} is conditional: Q needs the images' labels. Received: labels=None")
        outputs = {}
        for batch, batch_labels in batching.batches((np.asarray(images, np.float32), int_labels(labels)), batch_size):
            inputs = batch if batch_labels is None else [batch, batch_labels]
            for name, value in self.q_network(inputs, training=False).items():
                outputs.setdefault(name, []).append(np.asarray(value))
        return {name: np.concatenate(values) for name, values in outputs.items()}

    def export_signatures(self):
        """`{"codes": (Q network, its input names)}`: images -> code logits and means."""
        return {"codes": (self.q_network, [tensor.name for tensor in self.q_network.inputs])}

    # === The information term ===
    def critic_outputs(self, samples, labels, kind):
        """Real samples: D's score; generated ones: one pass of the trunk gives the score and Q's outputs."""
        if kind == REAL:
            return self.discriminate(samples, labels), None
        outputs = self.info_outputs(samples, labels)
        return outputs["score"], outputs

    def critic_features(self, samples, labels, kind):
        features, _ = super().critic_features(samples, labels, kind)
        return features, None if kind == REAL else self.info_outputs(samples, labels)

    def extra_discriminator_terms(self, real_extra, fake_outputs, labels, latent):
        info = self.info_loss(fake_outputs, latent)
        return self.reduce_loss(info), {"q_loss": tf.reduce_mean(info)}

    def extra_generator_terms(self, fake_outputs, labels, latent):
        info = self.info_loss(fake_outputs, latent)
        return self.reduce_loss(info), {"info_loss": tf.reduce_mean(info)}

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "categorical_codes": list(self.categorical_codes),
                "continuous_codes": self.continuous_codes,
                "info_weight": self.info_weight,
                "continuous_weight": self.continuous_weight,
                "learn_std": self.learn_std,
                "q_hidden_units": list(self.q_hidden_units),
                "q_batch_norm": self.q_batch_norm,
            }
        )
        return config
