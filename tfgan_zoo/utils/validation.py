"""Argument checks shared across the package.

Each raises `ValueError` naming the argument and the value received, as in
`"rate must be a number in (0, 1). Received: rate=2"`. Numpy scalars count as
numbers; bools count as neither ints nor numbers.
"""

import numbers


def is_int(value):
    """Whether `value` is an integer (Python or numpy), not a bool."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_int(name, value, minimum=1):
    """Raises unless `value` is an int (`is_int`) >= `minimum` (a positive int by default)."""
    if not is_int(value) or value < minimum:
        wanted = "a positive int" if minimum == 1 else f"an int >= {minimum}"
        raise ValueError(f"{name} must be {wanted}. Received: {name}={value!r}")


def check_widths(name, widths):
    """`widths` as a tuple of layer widths (positive ints, possibly none); raises naming `name` otherwise."""
    if isinstance(widths, (int, str)) or not all(is_int(units) and units >= 1 for units in widths):
        raise ValueError(f"{name} must be a list of positive layer widths (e.g. [128]). Received: {name}={widths!r}")
    return tuple(widths)


def check_number(name, value, interval="(-inf, inf)"):
    """Raises unless `value` is a real number (not a bool, not NaN) in `interval`.

    Args:
        name: the argument's name, for the message.
        value: the value received.
        interval: the allowed range written as in mathematics, e.g. `"(0, 1]"`
            or `"[0, inf)"`: a bracket includes its bound, a parenthesis excludes it.
    """
    low, high = (float(bound) for bound in interval[1:-1].split(","))
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        above = low <= value if interval[0] == "[" else low < value
        below = value <= high if interval[-1] == "]" else value < high
        if above and below:
            return
    raise ValueError(f"{name} must be a number in {interval}. Received: {name}={value!r}")


def check_choice(name, value, choices):
    """Raises unless `value` is one of `choices`."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {tuple(choices)}. Received: {name}={value!r}")
