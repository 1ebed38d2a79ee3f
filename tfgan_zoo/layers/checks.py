"""Argument checks shared by the layers of the progressive GAN and StyleGAN."""


def check_int(name, value, minimum=1):
    """Raises `ValueError` unless `value` is an int (not a bool) >= `minimum`."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}. Received: {name}={value!r}")


def check_positive(name, value):
    """Raises `ValueError` unless `value` is a number > 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValueError(f"{name} must be a positive number. Received: {name}={value!r}")
