"""Captions of the generated shapes ("a small red square at the top left"), their tokens and their data.

Every image of `tfgan_zoo.data.shapes` gets one caption from its factors, by
a fixed grammar: `a <size> <colour> <shape> <at the|in the> <position>`.
The continuous factors are binned first:

- size: `SIZE_WORDS` ("small", "medium", "large"), three equal bins of
  `[shapes.MIN_SIZE, shapes.MAX_SIZE]`;
- position: the centre's column and row, each in three bins split at
  `POSITION_EDGES` (left / centre / right, top / middle / bottom), named as
  in `POSITION_NAMES` ("top left", "top", ..., "centre", ..., "bottom
  right"). The edges are the tertiles of the centre's distribution (shapes
  stay inside the image, so centres crowd the middle): each column and each
  row holds about a third of the images.

The four binned attributes (`ATTRIBUTES`: shape, colour, size, position)
form 3 x 6 x 3 x 9 = 486 combinations. `HELDOUT_COMBINATIONS` of them never
occur in training data (`load_captioned`, `combinations="train"`), so a
text-to-image model can be measured on captions it has never seen.

Tokens: `VOCABULARY` lists every word the grammar uses, after the padding
token 0; a caption is `CAPTION_LENGTH` token ids, padded at the end.

Example:
    >>> caption_texts(shapes.sample_factors(2))
    ['a large blue circle at the bottom left', 'a small red square in the centre']
    >>> ds = load_captioned("gen:shapes", batch_size=64)
    >>> images, token_ids = next(iter(ds))   # [64, 32, 32, 3] float32, [64, 8] int32
"""

from __future__ import annotations

import functools

import numpy as np

from tfgan_zoo.data import pipeline, shapes, sources
from tfgan_zoo.data.pipeline import Transform
from tfgan_zoo.data.spec import parse_spec
from tfgan_zoo.utils import validation

SIZE_WORDS = ("small", "medium", "large")
SIZE_EDGES = tuple(np.linspace(shapes.MIN_SIZE, shapes.MAX_SIZE, len(SIZE_WORDS) + 1)[1:-1])
POSITION_EDGES = (0.42, 0.58)
# Index `3 * row_bin + column_bin`, rows from the top, columns from the left.
POSITION_NAMES = (
    "top left", "top", "top right",
    "left", "centre", "right",
    "bottom left", "bottom", "bottom right",
)
# Binned attribute -> number of values, in the order `caption_text` takes them.
ATTRIBUTES = {"shape": len(shapes.SHAPE_NAMES), "colour": len(shapes.COLOUR_NAMES), "size": len(SIZE_WORDS),
              "position": len(POSITION_NAMES)}
NUM_COMBINATIONS = int(np.prod(list(ATTRIBUTES.values())))

PAD = "<pad>"
VOCABULARY = (PAD, "a", "at", "in", "the", *SIZE_WORDS, *shapes.COLOUR_NAMES, *shapes.SHAPE_NAMES,
              "top", "bottom", "left", "right", "centre")
# The longest caption: "a medium magenta triangle at the bottom right".
CAPTION_LENGTH = 8
_TOKEN_IDS = {word: index for index, word in enumerate(VOCABULARY)}
# The seed each split of `gen:shapes` is drawn with, so captioned data shows the images `data.load` gives.
_SPLIT_SEEDS = sources._GEN_SEEDS

# A tenth of the combinations, chosen once by a fixed seed, never used in training.
HELDOUT_SHARE = 0.1
_HELDOUT_SEED = 7
HELDOUT_COMBINATIONS = np.sort(
    np.random.default_rng(_HELDOUT_SEED).permutation(NUM_COMBINATIONS)[: round(HELDOUT_SHARE * NUM_COMBINATIONS)]
)
COMBINATION_SETS = ("train", "heldout", "all")


# === Factors -> attributes -> captions ===
def attributes(factors):
    """The binned attributes `{name: int32 [N]}` (see `ATTRIBUTES`) of `shapes.sample_factors` factors."""
    column, row = (np.digitize(factors[axis], POSITION_EDGES).astype(np.int32) for axis in ("x", "y"))
    return {
        "shape": np.asarray(factors["shape"], np.int32),
        "colour": np.asarray(factors["colour"], np.int32),
        "size": np.digitize(factors["size"], SIZE_EDGES).astype(np.int32),
        "position": 3 * row + column,
    }


def caption_text(shape, colour, size, position):
    """The caption of one attribute combination (indices into the name tuples)."""
    where = POSITION_NAMES[position]
    preposition = "in" if where == "centre" else "at"
    return f"a {SIZE_WORDS[size]} {shapes.COLOUR_NAMES[colour]} {shapes.SHAPE_NAMES[shape]} {preposition} the {where}"


def caption_texts(factors):
    """One caption per image of `factors` (a `shapes.sample_factors` dict), as a list of str."""
    binned = attributes(factors)
    return [caption_text(*values) for values in zip(*(binned[name] for name in ATTRIBUTES))]


def combination_ids(binned):
    """The combination index `[N]` in `[0, NUM_COMBINATIONS)` of binned attributes."""
    index = np.zeros_like(binned["shape"])
    for name, count in ATTRIBUTES.items():
        index = index * count + binned[name]
    return index.astype(np.int32)


def combination_attributes(ids):
    """Inverse of `combination_ids`: `{name: int32 [N]}` of combination indices."""
    ids, binned = np.asarray(ids, np.int64), {}
    for name, count in reversed(list(ATTRIBUTES.items())):
        binned[name] = (ids % count).astype(np.int32)
        ids = ids // count
    return {name: binned[name] for name in ATTRIBUTES}


def in_combinations(binned, combinations):
    """Boolean `[N]`: which examples fall in `combinations` ("train", "heldout" or "all")."""
    validation.check_choice("combinations", combinations, COMBINATION_SETS)
    ids = combination_ids(binned)
    if combinations == "all":
        return np.ones(len(ids), bool)
    heldout = np.isin(ids, HELDOUT_COMBINATIONS)
    return heldout if combinations == "heldout" else ~heldout


# === Tokens ===
def tokenize(texts):
    """Token ids `int32 [N, CAPTION_LENGTH]` of caption strings, padded with 0.

    Raises:
        ValueError: on a word outside `VOCABULARY` or a caption longer than `CAPTION_LENGTH` words.
    """
    ids = np.zeros((len(texts), CAPTION_LENGTH), np.int32)
    for row, text in enumerate(texts):
        words = text.split()
        if len(words) > CAPTION_LENGTH:
            raise ValueError(f"A caption has at most {CAPTION_LENGTH} words. Received: {text!r}")
        unknown = [word for word in words if word not in _TOKEN_IDS or word == PAD]
        if unknown:
            raise ValueError(f"Words outside the caption vocabulary: {unknown}. Received: {text!r}")
        ids[row, : len(words)] = [_TOKEN_IDS[word] for word in words]
    return ids


def detokenize(ids):
    """Caption strings of token ids `[N, L]` (padding dropped)."""
    return [" ".join(VOCABULARY[index] for index in row if index != 0) for row in np.asarray(ids)]


def combination_tokens(ids):
    """Token ids of the captions of combination indices `[N]`."""
    binned = combination_attributes(ids)
    return tokenize([caption_text(*values) for values in zip(*(binned[name] for name in ATTRIBUTES))])


def example_tokens(num, seed=0):
    """Token ids of the captions of `num` scenes drawn as the dataset draws them (`shapes.sample_factors`)."""
    return tokenize(caption_texts(shapes.sample_factors(int(num), seed)))


# === Datasets ===
@functools.lru_cache(maxsize=4)
def _rendered(count, image_size, split):
    return shapes.render_shapes(count, image_size, _SPLIT_SEEDS[split])


def captioned_arrays(spec="gen:shapes", *, split="train", image_size=None, combinations="train"):
    """Images, caption token ids and binned attributes of a `gen:shapes[:N]` split.

    Args:
        spec: `"gen:shapes"` or `"gen:shapes:N"`.
        split: "train" or "test" (a fresh draw with another seed, as `tfgan_zoo.data.load`).
        image_size: side of the rendered images (default `shapes.DEFAULT_IMAGE_SIZE`).
        combinations: keep the examples of the "train" combinations (not
            held out), the "heldout" ones or "all".

    Returns:
        `(images float32 [N, S, S, 3] in [-1, 1], token_ids int32 [N, CAPTION_LENGTH],
        attributes {name: int32 [N]})`.
    """
    count = _check_spec(spec)
    validation.check_choice("split", split, tuple(_SPLIT_SEEDS))
    images, factors = _rendered(count, image_size or shapes.DEFAULT_IMAGE_SIZE, split)
    keep = in_combinations(attributes(factors), combinations)
    kept = {key: value[keep] for key, value in factors.items()}
    scaled = pipeline.transform_array(images[keep], Transform(), "image")
    return scaled, tokenize(caption_texts(kept)), attributes(kept)


def load_captioned(spec, batch_size, *, image_size=None, split="train", combinations="train", seed=0, shuffle=True,
                   repeat=True):
    """Endless (by default) batches `(images, token_ids)` of captioned shapes, held-out combinations left out.

    The order is a pure function of `seed` (`pipeline.from_arrays`), so
    `skip(steps_done)` resumes training where it stopped. Batches keep their
    full size (`drop_remainder=True`).

    Args:
        spec: `"gen:shapes"` or `"gen:shapes:N"`.
        batch_size: examples per batch.
        image_size: side of the images (default `shapes.DEFAULT_IMAGE_SIZE`).
        split: "train" or "test".
        combinations: see `captioned_arrays`.
        seed: shuffle seed.
        shuffle: shuffle every epoch.
        repeat: repeat forever.
    """
    validation.check_int("batch_size", batch_size)
    images, token_ids, _ = captioned_arrays(spec, split=split, image_size=image_size, combinations=combinations)
    return pipeline.from_arrays(images, token_ids, Transform(), "image", batch_size=batch_size, shuffle=shuffle,
                                repeat=repeat, seed=seed, drop_remainder=True)


def _check_spec(spec):
    parsed = parse_spec(spec)
    if parsed.kind != "gen" or parsed.target != "shapes":
        raise ValueError(f"Captions describe the generated shapes only: gen:shapes[:N]. Received: spec={spec!r}")
    return parsed.count or shapes.DEFAULT_NUM_IMAGES
