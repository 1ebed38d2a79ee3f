"""Kept only for `tfgan_zoo/models/progan.py`, which imports `check_int` from here; the checks are in
`tfgan_zoo.utils.validation`. Remove once that import points there."""

from tfgan_zoo.utils.validation import check_int  # noqa: F401
