"""One optimizer per name of a model's `OPTIMIZERS`: resolving, building, serialising, and old files' names."""

import types

import keras


class NamedOptimizers:
    """The optimizers of `NetworkModel`, by name, and the compile config and weight files that carry them.

    A mixin placed before `keras.Model`. The host declares `OPTIMIZERS`
    (`{name: the optimizer whose settings an omitted one copies, or None}`),
    `NETWORKS` and `LEGACY_NAMES`, and keeps optimizer `name` in the attribute
    `optimizer_attribute(name)`.
    """

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

    def requested_optimizers(self, positional, named):
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

    def build_optimizers(self, requested):
        """Sets and builds every optimizer of `OPTIMIZERS` from `requested` (`{name: spec}`), in order.

        One left out copies the settings, not the state, of the optimizer
        `OPTIMIZERS` names for it, or is Adam.
        """
        for name, copies in self.OPTIMIZERS.items():
            optimizer = requested.get(name)
            if optimizer is None:
                optimizer = "adam" if copies is None else _settings_of(self.optimizers[copies])
            attribute = optimizer_attribute(name)
            setattr(self, attribute, build_optimizer(attribute, optimizer, self.variables_of(name)))

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


def optimizer_attribute(name):
    """The model attribute (and weight-file path) of optimizer `name`."""
    return f"{name}_optimizer"


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
