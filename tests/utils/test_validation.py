"""utils.validation: the shared argument checks and their messages."""

import numpy as np
import pytest

from tfgan_zoo.utils import validation


@pytest.mark.parametrize("value", [1, 7, np.int64(3)])
def test_check_int_accepts_positive_ints(value):
    validation.check_int("steps", value)


@pytest.mark.parametrize("value", [0, -2, 1.0, "1", True, None])
def test_check_int_refuses_the_rest_naming_the_value(value):
    with pytest.raises(ValueError, match=f"steps must be a positive int. Received: steps={value!r}"):
        validation.check_int("steps", value)


def test_check_int_with_another_minimum():
    validation.check_int("rollbacks", 0, minimum=0)
    with pytest.raises(ValueError, match=r"rollbacks must be an int >= 0. Received: rollbacks=-1"):
        validation.check_int("rollbacks", -1, minimum=0)


@pytest.mark.parametrize("interval,inside,outside", [
    ("(0, 1)", [0.5, 1e-9], [0.0, 1.0]),
    ("[0, 1)", [0.0, 0.999], [1.0, -0.1]),
    ("(0, 1]", [1.0, np.float32(0.5)], [0.0, 1.1]),
    ("[0, inf)", [0, 1e300], [-1e-9, float("nan")]),
])
def test_check_number_reads_the_interval_as_written(interval, inside, outside):
    for value in inside:
        validation.check_number("share", value, interval)
    for value in outside:
        with pytest.raises(ValueError, match=rf"share must be a number in \{interval[0]}.*Received: share="):
            validation.check_number("share", value, interval)


@pytest.mark.parametrize("value", [True, "0.5", None])
def test_check_number_refuses_non_numbers(value):
    with pytest.raises(ValueError, match=f"Received: share={value!r}"):
        validation.check_number("share", value, "[0, 1]")


def test_check_choice():
    validation.check_choice("mode", "pad", ("pad", "bilinear"))
    with pytest.raises(ValueError, match=r"mode must be one of \('pad', 'bilinear'\). Received: mode='crop'"):
        validation.check_choice("mode", "crop", ["pad", "bilinear"])
