"""FLOPs of the DCGAN tutorial's training step, counted from layer shapes (see roofline.py's docstring).

Only products of weights and activations count: per example, a Dense layer
does `inputs x units` multiply-adds (MACs), a Conv2D
`H_out x W_out x K_h x K_w x C_in / groups x C_out`, a Conv2DTranspose
`H_in x W_in x K_h x K_w x C_in x C_out`. A MAC is 2 FLOPs; backward is 2x
forward; a step (one D and one G update) is `4G + 9D` MACs per example.
"""

import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo import networks

SAMPLE_SHAPE, LATENT = (28, 28, 1), 100


def layer_macs(layer):
    """Multiply-adds of weights with activations for one example (0 for layers without such products)."""
    if isinstance(layer, keras.Model):
        return network_macs(layer)
    if isinstance(layer, keras.layers.Dense):
        return int(np.prod(layer.input.shape[1:])) * layer.units
    if isinstance(layer, keras.layers.Conv2DTranspose):
        height, width, channels = layer.input.shape[1:]
        return height * width * int(np.prod(layer.kernel_size)) * channels * layer.filters
    if isinstance(layer, keras.layers.Conv2D):
        height, width, channels = layer.output.shape[1], layer.output.shape[2], layer.input.shape[-1]
        return height * width * int(np.prod(layer.kernel_size)) * channels // layer.groups * layer.filters
    if layer.weights and not isinstance(layer, keras.layers.BatchNormalization):
        # A new layer type must get its own rule rather than silently count as free.
        raise ValueError(f"No MAC rule for a layer with weights. Received: {type(layer).__name__} {layer.name!r}")
    return 0


def network_macs(network):
    return sum(layer_macs(layer) for layer in network.layers)


def tutorial_step_count():
    """The analytic count of one adversarial step of the tutorial networks, per training image."""
    generator, discriminator = networks.build_networks("tutorial", SAMPLE_SHAPE, LATENT)
    g_macs, d_macs = network_macs(generator), network_macs(discriminator)
    # D update: G + 2D forward, 4D backward. G update: G + D forward, 2(G + D) backward.
    step_macs = (g_macs + 6 * d_macs) + (3 * g_macs + 3 * d_macs)
    return {
        "generator_forward_macs": g_macs,
        "discriminator_forward_macs": d_macs,
        "step_macs_per_image": step_macs,
        "step_flops_per_image": 2 * step_macs,
        "per_layer_macs": {layer.name: layer_macs(layer) for layer in generator.layers + discriminator.layers
                           if layer_macs(layer)},
    }


def profiler_count(model, batch):
    """FLOPs TensorFlow's profiler finds in the traced `train_step` graph (every op with a FLOP rule)."""
    spec = tf.nest.map_structure(lambda tensor: tf.TensorSpec(tensor.shape, tensor.dtype), batch)
    graph = tf.function(model.train_step).get_concrete_function(spec).graph
    options = tf.compat.v1.profiler.ProfileOptionBuilder.float_operation()
    options["output"] = "none"
    return int(tf.compat.v1.profiler.profile(graph=graph, options=options).total_float_ops)
