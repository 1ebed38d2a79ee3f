"""Parsing of the dataset spec strings users type on the command line.

A spec names where the data comes from, e.g. ``tfds:cifar10``,
``idx:/data/mnist:test``, ``mnist8k``, ``folder:~/faces``, ``npz:data.npz`` or
``gen:shapes:5000``. Parsing only splits the string; reading happens in the
source modules.
"""

from __future__ import annotations

import dataclasses

from tfgan_zoo.data.mixtures import MIXTURES

GENERATORS = (*MIXTURES, "shapes", "stacked_mnist8k")
HOLDOUT_SPLITS = ("train", "test")
SPEC_FORMS = (
    "tfds:NAME[:SPLIT]",
    "idx:DIR[:train|test]",
    "mnist8k[:train|test]",
    "folder:DIR",
    "npz:FILE",
    "gen:NAME[:N] with NAME in " + ", ".join(GENERATORS),
)
_KINDS = ("tfds", "idx", "mnist8k", "folder", "npz", "gen")


@dataclasses.dataclass(frozen=True)
class Spec:
    """A parsed dataset spec.

    Attributes:
        text: The spec string as given, for error messages.
        kind: One of "tfds", "idx", "mnist8k", "folder", "npz", "gen".
        target: TFDS name, directory, file or generator name ("" for mnist8k).
        split: Split named inside the spec, or None when the spec has none.
        count: Number of examples requested by ``gen:NAME:N``, else None.
    """

    text: str
    kind: str
    target: str
    split: str | None = None
    count: int | None = None


def _forms() -> str:
    return "; ".join(SPEC_FORMS)


def parse_spec(spec: str) -> Spec:
    """Splits a spec string into its parts.

    Args:
        spec: The dataset spec, e.g. ``"tfds:mnist:test"`` or ``"gen:ring8"``.

    Returns:
        The parsed `Spec`.

    Raises:
        ValueError: If the spec does not match any accepted form.
    """
    if not isinstance(spec, str) or not spec.strip():
        raise ValueError(
            f"A dataset spec must be a non-empty string. Expected one of: {_forms()}. "
            f"Received: spec={spec!r}"
        )
    kind, sep, rest = spec.partition(":")
    if kind == "mnist8k":
        return _parse_mnist8k(spec, sep, rest)
    if kind not in _KINDS or not sep:
        what = f"kind {kind!r}" if sep else "spec"
        raise ValueError(
            f"Unknown dataset {what} in spec {spec!r}. Expected one of: {_forms()}. "
            f"Received: spec={spec!r}"
        )
    if not rest:
        raise ValueError(
            f"Spec {spec!r} names no {kind} source after '{kind}:'. "
            f"Expected one of: {_forms()}. Received: spec={spec!r}"
        )
    if kind == "tfds":
        # The split part is passed to TFDS untouched, so it may hold colons
        # of its own as in "train[:10%]".
        name, _, split = rest.partition(":")
        return Spec(spec, kind, name, split or None)
    if kind == "idx":
        # Only a trailing known split name is split off: directories may
        # contain colons.
        head, _, tail = rest.rpartition(":")
        if head and tail in HOLDOUT_SPLITS:
            return Spec(spec, kind, head, tail)
        return Spec(spec, kind, rest)
    if kind == "gen":
        return _parse_gen(spec, rest)
    return Spec(spec, kind, rest)


def _parse_mnist8k(spec: str, sep: str, rest: str) -> Spec:
    if sep and rest not in HOLDOUT_SPLITS:
        raise ValueError(
            f"Unknown split {rest!r} in spec {spec!r}. Expected 'mnist8k', "
            f"'mnist8k:train' or 'mnist8k:test'. Received: spec={spec!r}"
        )
    return Spec(spec, "mnist8k", "", rest or None)


def _parse_gen(spec: str, rest: str) -> Spec:
    name, has_count, count_text = rest.partition(":")
    if name not in GENERATORS:
        raise ValueError(
            f"Unknown generator {name!r} in spec {spec!r}. Available: "
            f"{', '.join(GENERATORS)}. Received: spec={spec!r}"
        )
    if not has_count:
        return Spec(spec, "gen", name)
    if not count_text.isdigit() or int(count_text) <= 0:
        raise ValueError(
            f"The example count in spec {spec!r} must be a positive integer as in "
            f"'gen:{name}:5000'. Received: spec={spec!r}"
        )
    return Spec(spec, "gen", name, count=int(count_text))
