"""The export formats and the parsing of a requested list of them."""

SAVED_MODEL = "saved_model"
LITERT_FORMATS = ("tflite_fp32", "tflite_fp16", "tflite_dynamic", "tflite_int8")
FORMATS = (SAVED_MODEL, *LITERT_FORMATS)


def parse_formats(formats):
    """Returns the requested formats, deduplicated, in the order of `FORMATS`.

    Args:
        formats: a comma-separated string (`"saved_model,tflite_fp32"`) or an
            iterable of format names.

    Raises:
        ValueError: on an unknown name, naming it, or on an empty request.
    """
    names = formats.split(",") if isinstance(formats, str) else list(formats)
    names = [name.strip() for name in names if name.strip()]
    unknown = [name for name in names if name not in FORMATS]
    if unknown:
        raise ValueError(
            f"Unknown export format {', '.join(map(repr, unknown))}. Expected any of {', '.join(FORMATS)}. "
            f"Received: formats={formats!r}"
        )
    if not names:
        raise ValueError(f"Name at least one export format of {', '.join(FORMATS)}. Received: formats={formats!r}")
    return tuple(name for name in FORMATS if name in names)
