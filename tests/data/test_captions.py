"""Captions of the generated shapes: the grammar, the tokens, the held-out combinations, the batches."""

import numpy as np
import pytest

from tfgan_zoo.data import captions, shapes


def _factors(*scenes):
    """Factor arrays of `(shape, colour, size, x, y)` scenes."""
    columns = list(zip(*scenes))
    return {"shape": np.array(columns[0], np.int32), "colour": np.array(columns[1], np.int32),
            **{key: np.array(values, np.float32) for key, values in zip(("size", "x", "y"), columns[2:])}}


def test_captions_describe_the_factors_hand_checked():
    factors = _factors(
        (0, 0, 0.36, 0.20, 0.20),   # square, red, small, left column, top row
        (1, 2, 0.69, 0.50, 0.50),   # circle, blue, large, centre
        (2, 5, 0.50, 0.70, 0.50),   # triangle, cyan, medium, right column, middle row
        (0, 3, 0.60, 0.45, 0.80),   # square, yellow, large, centre column, bottom row
        (1, 4, 0.45, 0.79, 0.21),   # circle, magenta, small, top right
    )
    assert captions.caption_texts(factors) == [
        "a small red square at the top left",
        "a large blue circle in the centre",
        "a medium cyan triangle at the right",
        "a large yellow square at the bottom",
        "a small magenta circle at the top right",
    ]


def test_captions_are_a_pure_function_of_the_scene():
    factors = shapes.sample_factors(200, seed=3)
    texts = captions.caption_texts(factors)
    assert texts == captions.caption_texts(shapes.sample_factors(200, seed=3))
    for text, shape, colour in zip(texts, factors["shape"], factors["colour"]):
        words = text.split()
        assert words[2] == shapes.COLOUR_NAMES[colour] and words[3] == shapes.SHAPE_NAMES[shape]
    # Every attribute value is used and no position bin is nearly empty.
    binned = captions.attributes(factors)
    for name, count in captions.ATTRIBUTES.items():
        assert np.bincount(binned[name], minlength=count).min() > 0, name


def test_tokens_round_trip_and_every_caption_fits():
    all_ids = np.arange(captions.NUM_COMBINATIONS)
    tokens = captions.combination_tokens(all_ids)
    assert tokens.shape == (captions.NUM_COMBINATIONS, captions.CAPTION_LENGTH) and tokens.dtype == np.int32
    texts = captions.detokenize(tokens)
    np.testing.assert_array_equal(captions.tokenize(texts), tokens)
    assert len(set(texts)) == captions.NUM_COMBINATIONS, "every combination has its own caption"
    assert max(len(text.split()) for text in texts) == captions.CAPTION_LENGTH
    red = captions.VOCABULARY.index("red")
    np.testing.assert_array_equal(captions.tokenize(["a red"]), [[1, red, 0, 0, 0, 0, 0, 0]])
    binned = captions.combination_attributes(all_ids)
    np.testing.assert_array_equal(captions.combination_ids(binned), all_ids)


@pytest.mark.parametrize("text,message", [("a purple square", "purple"), ("a " * 9, "at most 8 words"),
                                          ("a <pad> square", "<pad>")])
def test_bad_captions_are_named(text, message):
    with pytest.raises(ValueError, match=message):
        captions.tokenize([text])


def test_training_batches_never_show_a_heldout_combination():
    assert len(captions.HELDOUT_COMBINATIONS) == round(0.1 * captions.NUM_COMBINATIONS)
    images, tokens, binned = captions.captioned_arrays("gen:shapes:600", image_size=16)
    assert images.shape[1:] == (16, 16, 3) and -1.0 <= images.min() and images.max() <= 1.0
    assert not np.isin(captions.combination_ids(binned), captions.HELDOUT_COMBINATIONS).any()
    _, heldout_tokens, heldout = captions.captioned_arrays("gen:shapes:600", split="test", combinations="heldout")
    assert len(heldout_tokens) > 0 and np.isin(captions.combination_ids(heldout), captions.HELDOUT_COMBINATIONS).all()

    first = [batch for batch in captions.load_captioned("gen:shapes:600", 16, image_size=16, seed=1).take(3)]
    again = [batch for batch in captions.load_captioned("gen:shapes:600", 16, image_size=16, seed=1).take(3)]
    for (batch_images, batch_tokens), (other_images, other_tokens) in zip(first, again):
        assert batch_images.shape == (16, 16, 16, 3) and batch_tokens.shape == (16, captions.CAPTION_LENGTH)
        np.testing.assert_array_equal(batch_tokens, other_tokens)
        np.testing.assert_array_equal(batch_images, other_images)
    seen = {tuple(row) for _, batch_tokens in first for row in batch_tokens.numpy()}
    assert seen <= {tuple(row) for row in tokens}


def test_captions_need_the_shapes_dataset():
    with pytest.raises(ValueError, match="gen:shapes"):
        captions.captioned_arrays("mnist8k")
