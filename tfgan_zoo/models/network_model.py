"""The base every tfgan_zoo variant extends: named networks and optimizers, updates, noise, EMA, config."""

import types

import keras
import tensorflow as tf

from tfgan_zoo.models.named_optimizers import NamedOptimizers, optimizer_attribute
from tfgan_zoo.models.noise_streams import MAX_PARTS, NoiseStreams
from tfgan_zoo.models.replicas import ReplicaArithmetic, reducible_logs
from tfgan_zoo.models.sampling import ClassLabels, NetworkConfig
from tfgan_zoo.models.train_function import PhasedTrainFunction


class NetworkModel(
    ClassLabels, NetworkConfig, NamedOptimizers, ReplicaArithmetic, NoiseStreams, PhasedTrainFunction, keras.Model
):
    """Named networks, named optimizers, and everything an adversarial step needs around them.

    The base owns what every variant shares: its networks by name
    (`networks`), one optimizer per entry of `OPTIMIZERS` (`optimizers`), a
    serializable `compile` for any number of optimizers, one update helper
    (`update`: tape, loss scaling, apply, after-update hook), the loss
    reduction that stays right under `tf.distribute`, trackers, reproducible
    noise whose state is saved with the model, an optional generator EMA
    (`sampling_generator`) and `get_config()`. A variant declares its
    networks (`NETWORKS`) and optimizers (`OPTIMIZERS`), implements two
    hooks, `discriminator_step` and `generator_step`, and lists the terms it
    logs in `loss_names`. What the generator takes is the variant family's:
    `AdversarialModel` adds the latent (prior, training draws, `generate()`),
    `ImageToImageModel` translates source images.

    Four concerns live in mixins, one module each: `NamedOptimizers`
    (resolving, building and serialising the optimizers),
    `ReplicaArithmetic` (loss reductions and one-time assignments under
    `tf.distribute`), `NoiseStreams` (noise keyed by `(seed, step, stream)`,
    replayed exactly after a reload) and `PhasedTrainFunction` (how `fit`
    calls the step).

    Each incoming batch is split into `d_steps` equal parts: the discriminator
    is updated once per part, then the generator once (Algorithm 1 of
    Goodfellow et al. 2014, with a fresh real minibatch for every
    discriminator update). Feed batches of `d_steps * minibatch` examples.

    Args:
        networks: `{name: built keras.Model}` (or a list of them, one per
            level), one entry per name of the class's `NETWORKS`, plus any
            network composed of them that the steps call by name (LAPGAN's
            cascade is its `generator`); those are not serialised. Every
            variant has a `generator`: what it samples and exports with.
        num_classes: number of classes for conditional models, else `None`.
        d_steps: discriminator updates per generator update.
        ema_decay: decay of an exponential moving average of the generator's
            weights (its BatchNorm statistics are copied), or `None`. The
            decay at step t is `min(ema_decay, (1 + t) / (10 + t))`.
        seed: seed of all noise drawn during training.
    """

    # The networks a variant holds: constructor arguments and model
    # attributes of these names; `get_config` serialises them and
    # `from_config` rebuilds them.
    NETWORKS = ("generator", "discriminator")
    # The optimizers a variant holds, by name -> the optimizer whose settings
    # (not state) an omitted one copies, or None for Adam's defaults. The
    # first two are also `compile`'s positional arguments (a recipe's `g_*`
    # and `d_*` settings). Optimizer `name` is the attribute `<name>_optimizer`
    # and moves `variables_of(name)`.
    OPTIMIZERS = {"generator": None, "discriminator": None}
    # Network names of models written before networks were named:
    # `{old name: name now}`. Their configs, compile configs and weight files
    # still load.
    LEGACY_NAMES = {}

    def __init__(
        self,
        networks,
        *,
        num_classes=None,
        d_steps=1,
        ema_decay=None,
        seed=0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if not set(self.NETWORKS) <= set(networks):
            raise ValueError(f"{type(self).__name__} takes the networks {list(self.NETWORKS)}. "
                             f"Received: networks={sorted(networks)}")
        for name, network in networks.items():
            for part in network if isinstance(network, (list, tuple)) else [network]:
                _check_network(name, part)
        if num_classes is not None and (not isinstance(num_classes, int) or num_classes < 2):
            raise ValueError(f"num_classes must be None or an int >= 2. Received: num_classes={num_classes!r}")
        if not isinstance(d_steps, int) or not 1 <= d_steps < MAX_PARTS:
            raise ValueError(f"d_steps must be an int in [1, {MAX_PARTS}). Received: d_steps={d_steps!r}")
        if ema_decay is not None and not 0.0 < ema_decay < 1.0:
            raise ValueError(f"ema_decay must be None or in (0, 1). Received: ema_decay={ema_decay!r}")

        # === Networks ===
        for name, network in networks.items():
            setattr(self, name, network)
        if not isinstance(getattr(self, "generator", None), keras.Model):
            raise ValueError(f"{type(self).__name__} samples with a network it calls `generator`. "
                             f"Received: networks={sorted(networks)}")
        self.ema_generator = None
        if ema_decay is not None:
            self.ema_generator = keras.models.clone_model(self.generator)
            self.ema_generator.set_weights(self.generator.get_weights())

        # === Config ===
        self.num_classes = num_classes
        self.d_steps = d_steps
        self.ema_decay = ema_decay
        self.seed = int(seed)

        # === State saved with the model ===
        self.step_counter = self.add_weight(
            shape=(),
            dtype="int64",
            initializer="zeros",
            trainable=False,
            name="step_counter",
            aggregation="only_first_replica",
        )
        for name in self.OPTIMIZERS:
            setattr(self, optimizer_attribute(name), None)
        self._trackers = {}
        # Every network is built at construction, so the model is too: its
        # variables exist before `compile` builds the optimizers on them.
        self.built = True

    # === Named networks and optimizers ===
    @property
    def networks(self):
        """`{name: network}` in `NETWORKS` order (read-only)."""
        return types.MappingProxyType({name: getattr(self, name) for name in self.NETWORKS})

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

    # === Compile ===
    def compile(
        self,
        *optimizers,
        jit_compile="auto",
        steps_per_execution=1,
        run_eagerly=False,
        **named_optimizers,
    ):
        """Configures every optimizer of `OPTIMIZERS` and builds each on `variables_of(name)`.

        Args:
            *optimizers: optimizers of the first entries of `OPTIMIZERS`
                (generator's, discriminator's), in order.
            jit_compile: as in `keras.Model.compile`; note that `"auto"` means
                no XLA on CPU.
            steps_per_execution: as in `keras.Model.compile`.
            run_eagerly: as in `keras.Model.compile`.
            **named_optimizers: `<name>_optimizer=` for any optimizer (an
                instance, name or config dict). One left out copies the
                settings, not the state, of the optimizer `OPTIMIZERS` names
                for it, or is Adam.
        """
        requested = self.requested_optimizers(optimizers, named_optimizers)
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
        self.build_optimizers(requested)
        self._trackers = {name: keras.metrics.Mean(name=name) for name in self.loss_names}
        self.check_compiled()

    def check_compiled(self):
        """A hook run at the end of `compile`: a variant refuses optimizers it cannot train with."""

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
        return reducible_logs({name: tracker.result() for name, tracker in self._trackers.items()})

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

    def loss_scale(self, optimizer):
        """The factor `optimizer.scale_loss` applies (1 except under mixed float16)."""
        return optimizer.scale_loss(tf.constant(1.0))

    def update(self, name, loss_fn, variables=None):
        """One update of optimizer `name`: `loss_fn()` under a tape, scaled, applied, then `after_update`.

        Args:
            name: the optimizer (an entry of `OPTIMIZERS`).
            loss_fn: returns `(loss, logged terms)`, the loss reduced for
                gradients (`reduce_loss`, `replica_share`).
            variables: what moves; default `variables_of(name)`.

        Returns:
            The logged terms.
        """
        def named_loss_fn():
            loss, terms = loss_fn()
            return {name: loss}, terms

        return self._apply_updates({name: variables}, named_loss_fn)

    def update_jointly(self, names, loss_fn):
        """One update of each optimizer of `names` from one forward pass.

        Every gradient is taken before any variable moves, so each network
        is updated from the same forward pass (the VAE's encoder and
        decoder, as in Algorithm 1 of Larsen et al. 2016).

        Args:
            names: the optimizers (entries of `OPTIMIZERS`); each moves `variables_of(name)`.
            loss_fn: returns `({name: loss}, logged terms)`, each loss reduced for gradients.

        Returns:
            The logged terms.
        """
        return self._apply_updates(dict.fromkeys(names), loss_fn)

    def _apply_updates(self, variables, loss_fn):
        variables = {name: self.variables_of(name) if moved is None else moved for name, moved in variables.items()}
        with tf.GradientTape(persistent=len(variables) > 1) as tape:
            named_losses, terms = loss_fn()
            # A no-op except under a `LossScaleOptimizer`, whose `apply` unscales the gradients again.
            scaled = {name: self.optimizers[name].scale_loss(named_losses[name]) for name in variables}
        gradients = {name: tape.gradient(scaled[name], moved) for name, moved in variables.items()}
        for name, moved in variables.items():
            self.optimizers[name].apply(gradients[name], moved)
            self.after_update(name, self.optimizers[name])
        return terms

    def after_update(self, name, optimizer):
        """A hook run after each update of optimizer `name` (weight clipping, historical averages)."""

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

    # === Networks as functions ===
    @property
    def has_discriminator(self):
        """Whether the model has a discriminator that scores samples (`discriminate`)."""
        return "discriminator" in self.NETWORKS

    def discriminate(self, samples, labels=None, training=True, weights=None):
        """Runs the discriminator on samples (and labels for conditional models).

        `weights` replaces the discriminator's trainable variables by these
        tensors for this call (a stateless call, as unrolled GANs need); its
        non-trainable state (BatchNorm statistics) is read, not updated.
        """
        if "discriminator" not in self.NETWORKS:
            raise ValueError(f"{type(self).__name__} has no discriminator to score samples with. "
                             f"Received: a call to discriminate on {self.name!r}")
        inputs = samples if self.num_classes is None else [samples, labels]
        if weights is None:
            return self.discriminator(inputs, training=training)
        non_trainable = [tf.convert_to_tensor(v) for v in self.discriminator.non_trainable_variables]
        outputs, _ = self.discriminator.stateless_call(list(weights), non_trainable, inputs, training=training)
        return outputs

    @property
    def sampling_generator(self):
        """The generator to sample and export from: the EMA one when present."""
        return self.ema_generator if self.ema_generator is not None else self.generator

    def call(self, inputs, training=False):
        return self.generator(inputs, training=training)

    # === Config ===
    def get_config(self):
        config = super().get_config()
        config.update(
            {
                **self.networks_config(),
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


def _check_network(name, network):
    if not isinstance(network, keras.Model) or not network.built:
        raise ValueError(f"{name} must be a built keras.Model. Received: {name}={network!r}")


def batch_means(**values):
    """`{name: float32 mean}` of each logged batch of values (scores, per-example losses)."""
    return {name: tf.reduce_mean(tf.cast(value, tf.float32)) for name, value in values.items()}
