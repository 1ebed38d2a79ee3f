"""A functional network rebuilt under another name or for another input size, with the same weights."""

import copy

import keras


def rebuild(network, *, name=None, input_shape=None):
    """A copy of a functional `network` (same layers and weights), optionally renamed or resized.

    A fully convolutional network (an SRResNet generator, say) trained on
    7x7 inputs runs on 28x28 ones this way: every weight's shape is
    independent of the input size, so the copy built for the new size takes
    the trained weights unchanged.

    Args:
        network: a functional `keras.Model` (one input when `input_shape` is given).
        name: the copy's name; default the network's.
        input_shape: the copy's per-example input shape, e.g. `(28, 28, 1)`;
            default the network's.

    Returns:
        A new `keras.Model` that shares no variables with `network`.

    Raises:
        ValueError: when `network` is not a functional model, or its
            layers or weights depend on the input size (a Dense layer after a
            Flatten, say), so it cannot run at `input_shape`.
    """
    inputs = (getattr(network, "inputs", None) or []) if isinstance(network, keras.Model) else []
    if not inputs:
        raise ValueError(f"rebuild takes a functional keras.Model. Received: network={network!r}")
    config = copy.deepcopy(network.get_config())
    if name is not None:
        config["name"] = name
    if input_shape is not None:
        if len(inputs) != 1:
            raise ValueError(
                f"input_shape is for one-input networks; {network.name} has {len(inputs)}. "
                f"Received: input_shape={input_shape}"
            )
        input_shape = tuple(int(size) for size in input_shape)
        if len(input_shape) != len(network.inputs[0].shape) - 1:
            raise ValueError(
                f"input_shape must have the rank of {network.name}'s input {tuple(network.inputs[0].shape[1:])}. "
                f"Received: input_shape={input_shape}"
            )
        for layer in config["layers"]:
            if layer["class_name"] == "InputLayer":
                layer["config"]["batch_shape"] = (None, *input_shape)
    try:
        copied = keras.Model.from_config(config)
        copied.set_weights(network.get_weights())
    except (ValueError, TypeError) as error:
        raise ValueError(
            f"{network.name} cannot be rebuilt for inputs of shape {input_shape}: its layers or weights depend on "
            f"the input size (only fully convolutional networks can). Received: input_shape={input_shape}"
        ) from error
    return copied
