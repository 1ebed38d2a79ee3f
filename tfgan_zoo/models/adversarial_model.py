"""The shared adversarial base that every tfgan_zoo variant extends."""

import keras
import tensorflow as tf

from tfgan_zoo.models.sampling import LatentSampler, NetworkConfig
from tfgan_zoo.models.train_function import PhasedTrainFunction

LATENT_PRIORS = ("normal", "uniform")

# Each random draw inside one training step takes its own stream id, so the
# draws are independent and are replayed identically on resume. A stream id is
# `purpose * MAX_PARTS + part`: `part` is the update within the step (the
# discriminator minibatches, then the generator), `purpose` what is drawn.
MAX_PARTS = 64
_PURPOSES = 16
_STREAMS_PER_STEP = MAX_PARTS * _PURPOSES


class AdversarialModel(LatentSampler, NetworkConfig, PhasedTrainFunction, keras.Model):
    """Two networks, two optimizers, and everything a GAN step needs around them.

    The base owns what every variant shares: a serializable two-optimizer
    `compile`, the loss reduction that stays right under `tf.distribute`,
    trackers, reproducible noise whose state is saved with the model, an
    optional generator EMA, `generate()` and `get_config()`. A variant
    implements two hooks, `discriminator_step` and `generator_step`, and lists
    the terms it logs in `loss_names`.

    Noise is drawn with stateless random ops keyed by `(seed, step, stream)`,
    where `step` is a model variable: a saved and reloaded model draws exactly
    the noise the uninterrupted run would have drawn. Each replica draws the
    noise of the *global* batch and keeps its own slice, so a step under
    `MirroredStrategy` computes what the same step computes on one device.

    Each incoming batch is split into `d_steps` equal parts: the discriminator
    is updated once per part, then the generator once (Algorithm 1 of
    Goodfellow et al. 2014, with a fresh real minibatch for every
    discriminator update). Feed batches of `d_steps * minibatch` examples.

    Args:
        generator: a built `keras.Model` mapping `latent` (and `label` when
            `num_classes` is set) to samples.
        discriminator: a built `keras.Model` mapping samples (and `label`) to
            scores.
        latent_prior: `"normal"` (N(0, 1)) or `"uniform"` (U[0, 1), as in the
            original GAN paper).
        num_classes: number of classes for conditional models, else `None`.
        d_steps: discriminator updates per generator update.
        ema_decay: decay of an exponential moving average of the generator's
            weights (its BatchNorm statistics are copied), or `None`. The
            decay at step t is `min(ema_decay, (1 + t) / (10 + t))`.
        seed: seed of all noise drawn during training.
    """

    # Constructor arguments that are networks or lists of networks (model
    # attributes of the same name): `get_config` serialises them and
    # `from_config` rebuilds them.
    CONFIG_NETWORKS = ("generator", "discriminator")

    def __init__(
        self,
        generator,
        discriminator,
        *,
        latent_prior="normal",
        num_classes=None,
        d_steps=1,
        ema_decay=None,
        seed=0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        _check_network("generator", generator)
        _check_network("discriminator", discriminator)
        if latent_prior not in LATENT_PRIORS:
            raise ValueError(
                f"latent_prior must be one of {LATENT_PRIORS}. Received: latent_prior={latent_prior!r}"
            )
        if num_classes is not None and (not isinstance(num_classes, int) or num_classes < 2):
            raise ValueError(f"num_classes must be None or an int >= 2. Received: num_classes={num_classes!r}")
        if not isinstance(d_steps, int) or not 1 <= d_steps < MAX_PARTS:
            raise ValueError(f"d_steps must be an int in [1, {MAX_PARTS}). Received: d_steps={d_steps!r}")
        if ema_decay is not None and not 0.0 < ema_decay < 1.0:
            raise ValueError(f"ema_decay must be None or in (0, 1). Received: ema_decay={ema_decay!r}")

        # === Networks ===
        self.generator = generator
        self.discriminator = discriminator
        self.ema_generator = None
        if ema_decay is not None:
            self.ema_generator = keras.models.clone_model(generator)
            self.ema_generator.set_weights(generator.get_weights())

        # === Config ===
        self.latent_prior = latent_prior
        self.num_classes = num_classes
        self.d_steps = d_steps
        self.ema_decay = ema_decay
        self.seed = int(seed)
        self.latent_dim = int(_first_input(generator).shape[-1])

        # === State saved with the model ===
        self.step_counter = self.add_weight(
            shape=(),
            dtype="int64",
            initializer="zeros",
            trainable=False,
            name="step_counter",
            aggregation="only_first_replica",
        )
        self.generator_optimizer = None
        self.discriminator_optimizer = None
        self._trackers = {}
        # Every network is built at construction, so the model is too: its
        # variables exist before `compile` builds the optimizers on them.
        self.built = True

    # === Construction from a recipe ===
    @classmethod
    def from_recipe(cls, recipe, sample_shape, num_classes=None):
        """The untrained model a `Recipe` describes, for samples of `sample_shape`.

        Each variant builds its own networks (`recipe.networks` and their
        options) and passes its own options; `recipe_kwargs` gives the ones
        every variant shares. `training.build_model` seeds and compiles.
        """
        raise NotImplementedError(f"abstract: {cls.__name__} implements from_recipe")

    @staticmethod
    def recipe_kwargs(recipe, num_classes):
        """The `AdversarialModel` arguments a recipe sets."""
        return dict(
            latent_prior=recipe.latent_prior,
            num_classes=num_classes,
            d_steps=recipe.d_steps,
            ema_decay=recipe.ema_decay or None,
            seed=recipe.seed,
            name=recipe.model,
        )

    # === Hooks for variants ===
    @property
    def loss_names(self):
        """Names of the terms `train_step` logs; a variant extends the tuple."""
        return ("d_loss", "g_loss")

    def discriminator_step(self, real, labels, stream):
        """One discriminator update on a real minibatch; returns logged terms."""
        raise NotImplementedError("abstract: a variant implements discriminator_step")

    def generator_step(self, real, labels, stream):
        """One generator update; returns logged terms.

        `real` is the last real minibatch of the step: it sets the batch size
        and serves losses that compare with real data (feature matching).
        """
        raise NotImplementedError("abstract: a variant implements generator_step")

    # === Variables and optimizers ===
    @property
    def generator_variables(self):
        """What the generator optimizer moves; variants whose generator update trains more networks extend it."""
        return self.generator.trainable_variables

    @property
    def discriminator_variables(self):
        """What the discriminator optimizer moves; variants with heads on D's trunk extend it."""
        return self.discriminator.trainable_variables

    def compile(
        self,
        generator_optimizer="adam",
        discriminator_optimizer="adam",
        *,
        jit_compile="auto",
        steps_per_execution=1,
        run_eagerly=False,
    ):
        """Configures both optimizers and builds them on `generator_variables` / `discriminator_variables`.

        Args:
            generator_optimizer: optimizer instance, name or config dict.
            discriminator_optimizer: optimizer instance, name or config dict.
            jit_compile: as in `keras.Model.compile`; note that `"auto"` means
                no XLA on CPU.
            steps_per_execution: as in `keras.Model.compile`.
            run_eagerly: as in `keras.Model.compile`.
        """
        # Base compile with no optimizer: a default one would be created,
        # saved and never used.
        self._requested_jit_compile = jit_compile
        keras.Model.compile(
            self,
            optimizer=None,
            jit_compile=jit_compile,
            steps_per_execution=steps_per_execution,
            run_eagerly=run_eagerly,
        )
        self.generator_optimizer = build_optimizer("generator_optimizer", generator_optimizer, self.generator_variables)
        self.discriminator_optimizer = build_optimizer(
            "discriminator_optimizer", discriminator_optimizer, self.discriminator_variables
        )
        self._trackers = {name: keras.metrics.Mean(name=name) for name in self.loss_names}

    def get_compile_config(self):
        if self.generator_optimizer is None:
            return None
        return {
            "generator_optimizer": keras.optimizers.serialize(self.generator_optimizer),
            "discriminator_optimizer": keras.optimizers.serialize(self.discriminator_optimizer),
            "jit_compile": self._jit_compile_setting(),
            "steps_per_execution": self.steps_per_execution,
        }

    def compile_from_config(self, config):
        config = dict(config)
        config["generator_optimizer"] = keras.optimizers.deserialize(config["generator_optimizer"])
        config["discriminator_optimizer"] = keras.optimizers.deserialize(config["discriminator_optimizer"])
        self.compile(**config)

    def _jit_compile_setting(self):
        # Keras resolves "auto" to a bool when compiling; store what was asked.
        return getattr(self, "_requested_jit_compile", self.jit_compile)

    @property
    def metrics(self):
        return list(self._trackers.values())

    # === Training ===
    def train_step(self, data):
        real, labels = self.unpack_batch(data)
        real_parts = split_batch(real, self.d_steps)
        label_parts = split_batch(labels, self.d_steps) if labels is not None else [None] * self.d_steps
        terms = {}
        for index in range(self.d_steps):
            terms.update(self.discriminator_step(real_parts[index], label_parts[index], stream=index))
        terms.update(self.generator_step(real_parts[-1], label_parts[-1], stream=self.d_steps))
        self.update_ema()
        self.step_counter.assign_add(1)
        for name, value in terms.items():
            self._trackers[name].update_state(value)
        return _reducible_logs({name: tracker.result() for name, tracker in self._trackers.items()})

    def unpack_batch(self, data):
        """Splits a batch into `(samples, labels)`; labels are `None` when unconditional."""
        if isinstance(data, (tuple, list)):
            samples = data[0]
            labels = data[1] if len(data) > 1 else None
        else:
            samples, labels = data, None
        if self.num_classes is None:
            return samples, None
        if labels is None:
            raise ValueError(
                f"{type(self).__name__} is conditional (num_classes={self.num_classes}) and needs "
                "(images, labels) batches. Received: batches without labels"
            )
        return samples, tf.cast(tf.reshape(labels, [-1]), tf.int32)

    def reduce_loss(self, per_example):
        """Reduces a per-example loss for gradients: sum over the global batch size.

        Under `tf.distribute` each replica's gradients are summed, so each
        replica divides its local sum by the *global* batch size; the summed
        gradient then equals the gradient of the global mean. Use this for
        every term (adversarial, penalties, auxiliary).
        """
        per_example = tf.cast(per_example, tf.float32)
        replicas = tf.distribute.get_replica_context().num_replicas_in_sync
        global_size = tf.cast(tf.shape(per_example)[0] * replicas, tf.float32)
        return tf.reduce_sum(per_example) / global_size

    def replica_share(self, value):
        """A loss already computed over the global batch, shared out for gradients.

        Terms that are not per-example (feature matching on batch means,
        weight penalties) have the same value on every replica; the summed
        gradient of `value / replicas` is the gradient of `value`.
        """
        replicas = tf.distribute.get_replica_context().num_replicas_in_sync
        return tf.cast(value, tf.float32) / replicas

    def global_mean(self, values):
        """Mean over the *global* batch (axis 0), differentiable, equal on every replica."""
        values = tf.cast(values, tf.float32)
        context = tf.distribute.get_replica_context()
        local_sum, local_count = tf.reduce_sum(values, axis=0), tf.cast(tf.shape(values)[0], tf.float32)
        if context.num_replicas_in_sync == 1:
            return local_sum / local_count
        return context.all_reduce("sum", local_sum) / context.all_reduce("sum", local_count)

    def on_global_batch(self, fn, *local):
        """`fn` applied to the *global* batch of each tensor of `local`; returns this replica's rows of its result.

        For terms that pair examples with other examples of the batch
        (StackGAN's mismatched captions, DAGAN's same-class partners): under a
        strategy with several replicas each replica gathers the others' rows
        (in replica order, as the global batch is split), so the pairs are
        those of one device. On one replica this is `fn(*local)`. Meant for
        tensors no gradient is taken through (a frozen encoder's embeddings,
        real images).
        """
        context = tf.distribute.get_replica_context()
        if context is None or context.num_replicas_in_sync == 1:
            return fn(*local)
        batch_size = tf.shape(local[0])[0]
        start = tf.cast(context.replica_id_in_sync_group, tf.int32) * batch_size
        result = fn(*(context.all_gather(tensor, axis=0) for tensor in local))
        return result[start : start + batch_size]

    def loss_scale(self, optimizer):
        """The factor `optimizer.scale_loss` applies (1 except under mixed float16)."""
        return optimizer.scale_loss(tf.constant(1.0))

    def assign_once(self, update):
        """Runs `update()` (variable assignments) once, however many replicas run the step.

        Replicas hold identical weights after an optimizer update, so an
        assignment derived from them is made once, in cross-replica context,
        instead of racing on mirrored values.
        """
        context = tf.distribute.get_replica_context()
        if context is not None and context.num_replicas_in_sync > 1:
            context.merge_call(lambda strategy: update())
        else:
            update()

    def apply_gradients(self, optimizer, tape, scaled_loss, variables):
        """Applies the gradients of `optimizer.scale_loss(loss)` to `variables`.

        The loss is scaled inside the tape (a no-op except under a
        `LossScaleOptimizer`, whose `apply` unscales the gradients again).
        """
        gradients = tape.gradient(scaled_loss, variables)
        optimizer.apply(gradients, variables)

    def update_ema(self):
        """Moves the EMA generator towards the generator; copies BatchNorm statistics."""
        if self.ema_generator is None:
            return
        # Warm-up as in `tf.train.ExponentialMovingAverage(num_updates=...)`:
        # early averages must not keep the random initial weights around.
        step = tf.cast(self.step_counter, tf.float32)
        decay = tf.minimum(self.ema_decay, (1.0 + step) / (10.0 + step))

        def update():
            pairs = zip(self.ema_generator.trainable_variables, self.generator.trainable_variables)
            for average, live in pairs:
                average.assign(decay * average + (1.0 - decay) * tf.convert_to_tensor(live))
            pairs = zip(self.ema_generator.non_trainable_variables, self.generator.non_trainable_variables)
            for average, live in pairs:
                average.assign(tf.convert_to_tensor(live))

        self.assign_once(update)

    # === Noise ===
    def random_normal(self, stream, batch_size, tail_shape):
        """Standard normal noise of the local batch, replayable from the step counter."""
        return self._draw(tf.random.stateless_normal, stream, batch_size, tail_shape)

    def random_uniform(self, stream, batch_size, tail_shape):
        """U[0, 1) noise of the local batch, replayable from the step counter."""
        return self._draw(tf.random.stateless_uniform, stream, batch_size, tail_shape)

    def sample_latent(self, stream, batch_size):
        """Latent vectors from the configured prior for one training draw."""
        draw = self.random_normal if self.latent_prior == "normal" else self.random_uniform
        return draw(stream, batch_size, [self.latent_dim])

    @staticmethod
    def substream(part, purpose):
        """The stream id of draw `purpose` (0 is the latent) in update `part` of a step."""
        if not 0 <= purpose < _PURPOSES:
            raise ValueError(f"purpose must be in [0, {_PURPOSES}). Received: purpose={purpose!r}")
        return purpose * MAX_PARTS + part

    def _draw(self, op, stream, batch_size, tail_shape):
        context = tf.distribute.get_replica_context()
        replicas = context.num_replicas_in_sync
        replica = tf.cast(context.replica_id_in_sync_group, tf.int32)
        key = self.step_counter * _STREAMS_PER_STEP + stream
        seed = tf.stack([tf.constant(self.seed, tf.int64), tf.cast(key, tf.int64)])
        values = op([batch_size * replicas, *tail_shape], seed=seed)
        return values[replica * batch_size : (replica + 1) * batch_size]

    # === Networks as functions ===
    def discriminate(self, samples, labels=None, training=True, weights=None):
        """Runs the discriminator on samples (and labels for conditional models).

        `weights` replaces the discriminator's trainable variables by these
        tensors for this call (a stateless call, as unrolled GANs need); its
        non-trainable state (BatchNorm statistics) is read, not updated.
        """
        inputs = samples if self.num_classes is None else [samples, labels]
        if weights is None:
            return self.discriminator(inputs, training=training)
        non_trainable = [tf.convert_to_tensor(v) for v in self.discriminator.non_trainable_variables]
        outputs, _ = self.discriminator.stateless_call(list(weights), non_trainable, inputs, training=training)
        return outputs

    def call(self, inputs, training=False):
        if self.num_classes is None:
            return self.generate_from(inputs, training=training)
        latent, labels = inputs
        return self.generate_from(latent, labels, training=training)

    # === Config ===
    def get_config(self):
        config = super().get_config()
        config.update(
            {
                **self.networks_config(),
                "latent_prior": self.latent_prior,
                "num_classes": self.num_classes,
                "d_steps": self.d_steps,
                "ema_decay": self.ema_decay,
                "seed": self.seed,
            }
        )
        return config


def split_batch(batch, parts):
    """Splits every tensor of a batch (a tensor or a nest, such as `(source, target)`) into `parts` along axis 0.

    Returns a list of `parts` batches with the structure of `batch`.
    """
    pieces = [tf.split(tensor, parts, axis=0) for tensor in tf.nest.flatten(batch)]
    return [tf.nest.pack_sequence_as(batch, [split[index] for split in pieces]) for index in range(parts)]


def _first_input(network):
    inputs = network.inputs
    return inputs[0] if isinstance(inputs, (list, tuple)) else inputs


def _check_network(name, network):
    if not isinstance(network, keras.Model) or not network.built:
        raise ValueError(f"{name} must be a built keras.Model. Received: {name}={network!r}")


def build_optimizer(name, optimizer, variables):
    """Resolves an optimizer spec, wraps it for float16, builds it on `variables`."""
    try:
        optimizer = keras.optimizers.get(optimizer)
    except ValueError as error:
        raise ValueError(f"Could not interpret {name}. Received: {name}={optimizer!r}") from error
    policy = keras.config.dtype_policy()
    if policy.name == "mixed_float16" and not isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
        optimizer = keras.optimizers.LossScaleOptimizer(optimizer)
    optimizer.build(variables)
    return optimizer


def _reducible_logs(logs):
    """Step logs in a shape Keras's `fit` can reduce across the replicas.

    Under a multi-worker `MultiWorkerMirroredStrategy`, Keras 3 reduces each
    output of the step with `strategy.reduce("MEAN", value, axis=0)`, which
    fails on a scalar ("Invalid reduction dimension 0 for input with 0
    dimensions", tensorflow/tensorflow#72388). There each value gets an axis of
    length one, which that reduction removes; other strategies keep scalars.
    """
    strategy = tf.distribute.get_strategy()
    multi_worker = isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy) and getattr(
        strategy.extended, "_in_multi_worker_mode", lambda: False
    )()
    if not multi_worker:
        return logs
    return {name: tf.reshape(value, [1]) for name, value in logs.items()}
