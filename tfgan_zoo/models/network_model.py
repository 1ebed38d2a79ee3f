"""The base every tfgan_zoo variant extends: named networks and optimizers, updates, noise, EMA, config."""

import types

import keras
import tensorflow as tf

from tfgan_zoo.models.sampling import ClassLabels, NetworkConfig
from tfgan_zoo.models.train_function import PhasedTrainFunction

# Each random draw inside one training step takes its own stream id, so the
# draws are independent and are replayed identically on resume. A stream id is
# `purpose * MAX_PARTS + part`: `part` is the update within the step (the
# discriminator minibatches, then the generator), `purpose` what is drawn.
MAX_PARTS = 64
_PURPOSES = 16
_STREAMS_PER_STEP = MAX_PARTS * _PURPOSES


class NetworkModel(ClassLabels, NetworkConfig, PhasedTrainFunction, keras.Model):
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

    @property
    def optimizers(self):
        """`{name: optimizer}` in `OPTIMIZERS` order, None before `compile` (read-only)."""
        return types.MappingProxyType({name: getattr(self, optimizer_attribute(name)) for name in self.OPTIMIZERS})

    def variables_of(self, name):
        """What optimizer `name` moves: the property `<name>_variables` when the class has one, else the
        trainable variables of the network `name`."""
        if hasattr(type(self), f"{name}_variables"):
            return getattr(self, f"{name}_variables")
        return self.networks[name].trainable_variables

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
        requested = self._requested_optimizers(optimizers, named_optimizers)
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
        for name, copies in self.OPTIMIZERS.items():
            optimizer = requested.get(name)
            if optimizer is None:
                optimizer = "adam" if copies is None else _settings_of(self.optimizers[copies])
            attribute = optimizer_attribute(name)
            setattr(self, attribute, build_optimizer(attribute, optimizer, self.variables_of(name)))
        self._trackers = {name: keras.metrics.Mean(name=name) for name in self.loss_names}
        self.check_compiled()

    def _requested_optimizers(self, positional, named):
        """`{optimizer name: spec}` from `compile`'s arguments; legacy names are read as today's."""
        names = list(self.OPTIMIZERS)
        if len(positional) > len(names):
            raise ValueError(f"{type(self).__name__} has {len(names)} optimizers {names}. "
                             f"Received: {len(positional)} positional optimizers")
        requested = dict(zip(names, positional))
        for key, optimizer in named.items():
            name = key.removesuffix("_optimizer")
            if name not in self.OPTIMIZERS:
                name = self.LEGACY_NAMES.get(name, name)
            if not key.endswith("_optimizer") or name not in self.OPTIMIZERS:
                raise ValueError(f"{type(self).__name__}.compile takes the optimizers "
                                 f"{[optimizer_attribute(n) for n in names]}. Received: {key}={optimizer!r}")
            requested[name] = optimizer
        return requested

    def check_compiled(self):
        """A hook run at the end of `compile`: a variant refuses optimizers it cannot train with."""

    # === Serialisation (also of files written before networks were named: LEGACY_NAMES) ===
    def get_compile_config(self):
        if self.optimizers[next(iter(self.OPTIMIZERS))] is None:
            return None
        return {
            **{optimizer_attribute(name): keras.optimizers.serialize(optimizer)
               for name, optimizer in self.optimizers.items()},
            "jit_compile": self._jit_compile_setting(),
            "steps_per_execution": self.steps_per_execution,
        }

    def compile_from_config(self, config):
        config = {key: keras.optimizers.deserialize(value) if key.endswith("_optimizer") and value is not None
                  else value for key, value in config.items()}
        self.compile(**config)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        for old, name in cls.LEGACY_NAMES.items():
            if old in config and name not in config and old not in cls.NETWORKS:
                config[name] = config.pop(old)
        return super().from_config(config, custom_objects)

    def load_own_variables(self, store):
        """Also reads weight files written before networks were named (`LEGACY_NAMES`)."""
        if self.LEGACY_NAMES and hasattr(store, "h5_file"):
            _read_legacy_paths(store, self.LEGACY_NAMES)
        super().load_own_variables(store)

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

    # === Noise ===
    def random_normal(self, stream, batch_size, tail_shape):
        """Standard normal noise of the local batch, replayable from the step counter."""
        return self._draw(tf.random.stateless_normal, stream, batch_size, tail_shape)

    def random_uniform(self, stream, batch_size, tail_shape):
        """U[0, 1) noise of the local batch, replayable from the step counter."""
        return self._draw(tf.random.stateless_uniform, stream, batch_size, tail_shape)

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


def optimizer_attribute(name):
    """The model attribute (and weight-file path) of optimizer `name`."""
    return f"{name}_optimizer"


def _settings_of(optimizer):
    """A new optimizer with `optimizer`'s settings and none of its state."""
    return keras.optimizers.deserialize(keras.optimizers.serialize(optimizer))


def _read_legacy_paths(store, legacy_names):
    """Makes an H5 weights store read `<old>` and `<old>_optimizer` where the file lacks `<name>`, `<name>_optimizer`.

    Keras reads every network and optimizer of a model at the path of its
    attribute; files written before networks were named hold some under
    their old slot's name. Paths the file has are read as they are.
    """
    renames = {}
    for old, name in legacy_names.items():
        renames[name] = old
        renames[optimizer_attribute(name)] = optimizer_attribute(old)
    read = store.get

    def get(path):
        head, _, rest = (path or "").partition("/")
        if head in renames and head not in store.h5_file and renames[head] in store.h5_file:
            path = "/".join(part for part in (renames[head], rest) if part)
        return read(path)

    store.get = get


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


def batch_means(**values):
    """`{name: float32 mean}` of each logged batch of values (scores, per-example losses)."""
    return {name: tf.reduce_mean(tf.cast(value, tf.float32)) for name, value in values.items()}
