"""The `Recipe`: every field of a training run, declared once with its default."""

import dataclasses
import json

from tfgan_zoo.recipes.expectations import Expect

# Keras dtype policies a run may train under (tfgan_zoo.distribution uses this list).
PRECISIONS = ("float32", "mixed_float16", "mixed_bfloat16")

# Fields a recipe declares that `--set` cannot change: what a smoke run
# shrinks, and the recipe's own claim (`verify` checks it as declared).
_NOT_OVERRIDABLE = frozenset({"smoke", "expect"})

# Fields shrunk for `--smoke` unless a recipe says otherwise: a seconds-long
# run that still crosses two epochs, so checkpoints and resume are exercised.
SMOKE = {"steps": 4, "steps_per_epoch": 2, "batch_size": 8, "minutes": 0.0, "cpu_minutes": 0.0, "sample_count": 16}


@dataclasses.dataclass(frozen=True)
class Recipe:
    """A named variant: model, networks, losses, optimizers, data, batch and budget.

    A catalog entry lists only the fields that differ from these defaults.
    Any field can be overridden with `with_overrides({"field": value})`
    (the CLI's `--set field=value`); network options are reached with a dot,
    e.g. `generator_options.base_filters=32`. Unknown fields are errors.
    """

    name: str = "custom"
    description: str = ""
    # === Model ===
    model: str = "gan"
    networks: str = "dcgan"
    generator_options: dict = dataclasses.field(default_factory=dict)
    discriminator_options: dict = dataclasses.field(default_factory=dict)
    conditional: bool = False
    latent_dim: int = 100
    latent_prior: str = "normal"
    loss: str = "non_saturating"
    d_steps: int = 1
    gradient_penalty_weight: float = 0.0
    gradient_penalty_on: str = "interpolates"
    r1_weight: float = 0.0
    ema_decay: float = 0.0
    # === Stabilisation switches (see tfgan_zoo.models.GAN) ===
    weight_clip: float = 0.0
    label_smoothing: float = 0.0
    instance_noise: float = 0.0
    instance_noise_steps: int = 0
    feature_matching: bool = False
    historical_averaging: float = 0.0
    diff_augment: str = ""
    pack: int = 1
    # Keyword arguments only the recipe's model class takes (e.g. unroll_steps).
    model_options: dict = dataclasses.field(default_factory=dict)
    # === Optimizers ===
    g_optimizer: str = "adam"
    g_lr: float = 2e-4
    g_beta1: float = 0.5
    g_beta2: float = 0.999
    d_optimizer: str = "adam"
    d_lr: float = 2e-4
    d_beta1: float = 0.5
    d_beta2: float = 0.999
    # === Data ===
    dataset: str = "gen:shapes"
    image_size: int = 0
    resize: str = "bilinear"
    # === Budget and run ===
    batch_size: int = 64
    steps: int = 2000
    minutes: float = 0.0
    # CPU-minutes of the training process (all its threads; 0: no such budget).
    # `tfgan-zoo verify` trains single-threaded at its bounds' budget, so the
    # result does not depend on what else runs on the machine.
    cpu_minutes: float = 0.0
    steps_per_epoch: int = 200
    sample_count: int = 64
    seed: int = 0
    jit_compile: str = "auto"
    # Keras dtype policy: float32, mixed_float16 or mixed_bfloat16 (saved with the run).
    precision: str = "float32"
    # BatchNorm statistics over the global batch rather than each replica's
    # share (no effect on one device; see distribution.synchronize_batchnorm).
    sync_batchnorm: bool = False
    smoke: dict = dataclasses.field(default_factory=dict)
    # What the recipe claims to reach (`tfgan-zoo verify`); None: no claim.
    expect: Expect | None = None

    def __post_init__(self):
        for name in ("batch_size", "steps", "steps_per_epoch", "d_steps", "latent_dim", "sample_count"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"Recipe field {name} must be a positive int. Received: {name}={value!r}")
        for name in ("minutes", "cpu_minutes"):
            if not getattr(self, name) >= 0:
                raise ValueError(f"Recipe field {name} must be >= 0. Received: {name}={getattr(self, name)!r}")
        if self.jit_compile not in ("auto", "true", "false"):
            raise ValueError(f"jit_compile must be auto, true or false. Received: jit_compile={self.jit_compile!r}")
        if self.precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}. Received: precision={self.precision!r}")

    def with_overrides(self, overrides):
        """Returns a copy with `{"field" or "field.key": value}` applied; values may be strings."""
        fields = {field.name: field for field in dataclasses.fields(self)}
        changes = {}
        for key, value in overrides.items():
            name, _, option = key.partition(".")
            if name not in fields or name in _NOT_OVERRIDABLE:
                raise ValueError(
                    f"Unknown recipe field {name!r}. Known fields: {', '.join(sorted(set(fields) - _NOT_OVERRIDABLE))}. "
                    f"Received: {key}={value!r}"
                )
            if option:
                if not isinstance(getattr(self, name), dict):
                    raise ValueError(f"Recipe field {name!r} has no options. Received: {key}={value!r}")
                merged = dict(changes.get(name, getattr(self, name)))
                merged[option] = _parse_json_or_string(value)
                changes[name] = merged
            else:
                changes[name] = _coerce(fields[name], value, key)
        return dataclasses.replace(self, **changes)

    def global_batch(self, replicas=1):
        """Examples in one training step: `d_steps` minibatches of `batch_size` for each of `replicas` replicas."""
        return self.batch_size * self.d_steps * replicas

    def smoke_sized(self):
        """The seconds-long version of this recipe used by tests and `--smoke`."""
        return self.with_overrides({**SMOKE, **self.smoke})

    def to_dict(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values):
        values = dict(values)
        if isinstance(values.get("expect"), dict):
            values["expect"] = Expect.from_dict(values["expect"])
        return cls(**values)


def parse_assignments(assignments):
    """`["a=1", "b.c=x"]` -> `{"a": "1", "b.c": "x"}`; a missing `=` is an error."""
    overrides = {}
    for assignment in assignments or ():
        key, separator, value = assignment.partition("=")
        if not separator or not key:
            raise ValueError(f"--set takes key=value. Received: --set={assignment!r}")
        overrides[key.strip()] = value.strip()
    return overrides


def _coerce(field, value, key):
    """Turns a CLI string into the field's type; typed values pass through checked."""
    kind = field.type if isinstance(field.type, type) else type(field.default)
    if not isinstance(value, str) or kind is str:
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ValueError(f"Recipe field {key} must be {kind.__name__}. Received: {key}={value!r}")
        return value
    try:
        if kind is bool:
            if value.lower() not in ("true", "false", "1", "0"):
                raise ValueError(value)
            return value.lower() in ("true", "1")
        if kind is dict:
            parsed = json.loads(value)
            if not isinstance(parsed, dict):
                raise ValueError(value)
            return parsed
        return kind(value)
    except ValueError:
        raise ValueError(f"Recipe field {key} must be {kind.__name__}. Received: {key}={value!r}") from None


def _parse_json_or_string(value):
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value
