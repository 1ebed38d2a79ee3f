"""What a recipe claims to reach: bounds on measured quality at a CPU budget.

A recipe's `expect` is checked by `tfgan-zoo verify`, which trains the
recipe single-threaded for `cpu_minutes` on each of `seeds` seeds, measures
every bound's metric (`tfgan_zoo.verification.measure`) and holds the mean
and the worst seed against the limit.

Example:
    >>> Expect(cpu_minutes=5, bounds={"fid": 15, "min_class_share": 0.05})
    >>> Expect(steps=1600, bounds={"shape_colour_share": 0.9})  # a budget in steps
"""

import dataclasses

from tfgan_zoo.utils import validation

AT_MOST, AT_LEAST = "at most", "at least"


@dataclasses.dataclass(frozen=True)
class BoundKind:
    """A metric a bound can name: which way is better, and what it measures."""

    direction: str
    description: str


# Every metric a bound may name. The measurement of each lives in
# `tfgan_zoo.verification.measure`; this table is what recipes may declare.
BOUND_KINDS = {
    "fid": BoundKind(AT_MOST, "domain FID against the real data (the project's domain classifier)"),
    "classes": BoundKind(AT_LEAST, "classes holding more than 2% of the samples (domain classifier)"),
    "min_class_share": BoundKind(AT_LEAST, "share of the samples in the rarest class (domain classifier)"),
    "label_accuracy": BoundKind(AT_LEAST, "share of samples classified as the label they were asked for"),
    "modes": BoundKind(AT_LEAST, "2-D mixture modes covered by high-quality samples"),
    "high_quality": BoundKind(AT_LEAST, "share of 2-D samples within 3 sigma of a mode"),
    "reverse_kl": BoundKind(AT_MOST, "reverse KL of the 2-D mode histogram to uniform"),
    "stacked_modes": BoundKind(AT_LEAST, "Stacked MNIST modes (digit triples) holding at least one sample"),
    "stacked_reverse_kl": BoundKind(AT_MOST, "reverse KL of the Stacked MNIST mode histogram to uniform"),
    "shape_colour_share": BoundKind(AT_LEAST, "share of samples read as one shape of one colour"),
    "min_shape_share": BoundKind(AT_LEAST, "share of the samples drawn as the rarest shape (attribute classifier)"),
    "code_error": BoundKind(AT_MOST, "InfoGAN's categorical code as a classifier of held-out data (best assignment)"),
    "encoder_accuracy": BoundKind(AT_LEAST, "1-nearest-neighbour accuracy of the encoder's codes of held-out data"),
    "test_error": BoundKind(AT_MOST, "error of the model's classifier on held-out data"),
    "supervised_gain": BoundKind(AT_LEAST, "test_error below the same network trained on the labels alone"),
}


@dataclasses.dataclass(frozen=True)
class Expect:
    """Bounds a recipe must meet at a budget, on every one of several seeds.

    Args:
        bounds: `{metric: limit}`, metric names from `BOUND_KINDS`; each
            kind says whether the value must be at most or at least the limit.
        cpu_minutes: training budget per seed in CPU-minutes of a
            single-threaded process.
        steps: training budget per seed in steps instead (for a claim about
            a run of fixed length, such as the README's default run); give
            exactly one of `cpu_minutes` and `steps`.
        seeds: number of seeds trained (the recipe's seed and the next ones).
        num_samples: generated samples scored per seed (also the size of
            each real half of the FID floor, as the pool allows).
    """

    bounds: dict
    cpu_minutes: float = 0.0
    steps: int = 0
    seeds: int = 3
    num_samples: int = 4000

    def __post_init__(self):
        budgets = (self.cpu_minutes, self.steps)
        if any(isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0 for value in budgets) \
                or (self.cpu_minutes > 0) == (self.steps > 0) or not isinstance(self.steps, int):
            raise ValueError(
                "Expect needs exactly one budget: cpu_minutes > 0 or an int steps > 0. "
                f"Received: cpu_minutes={self.cpu_minutes!r}, steps={self.steps!r}"
            )
        if not isinstance(self.bounds, dict) or not self.bounds:
            raise ValueError(
                f"Expect.bounds must be a non-empty dict of metric -> limit. Received: bounds={self.bounds!r}"
            )
        for name, limit in self.bounds.items():
            if name not in BOUND_KINDS:
                raise ValueError(
                    f"Unknown bound {name!r}. Known bounds: {', '.join(sorted(BOUND_KINDS))}. "
                    f"Received: bounds={self.bounds!r}"
                )
            if isinstance(limit, bool) or not isinstance(limit, (int, float)):
                raise ValueError(f"The limit of bound {name!r} must be a number. Received: {name}={limit!r}")
        for name in ("seeds", "num_samples"):
            validation.check_int(name, getattr(self, name))

    @classmethod
    def from_dict(cls, values):
        return cls(**values)

    def budget_text(self):
        return f"{self.cpu_minutes:g} CPU-minutes" if self.cpu_minutes else f"{self.steps} steps"


def is_met(name, value, limit):
    """Whether `value` of bound `name` meets `limit` (a missing value never does)."""
    if value is None:
        return False
    return value <= limit if BOUND_KINDS[name].direction == AT_MOST else value >= limit


def worst(name, values):
    """The worst of per-seed `values` for bound `name`."""
    return max(values) if BOUND_KINDS[name].direction == AT_MOST else min(values)
