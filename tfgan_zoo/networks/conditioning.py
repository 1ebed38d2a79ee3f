"""Inputs and label conditioning shared by all network builders.

Built from stock Keras layers only (no `Lambda`), so every network
round-trips through `.keras` files in safe mode and converts to LiteRT.
"""

import keras


def latent_input(latent_dim):
    return keras.Input(shape=(latent_dim,), name="latent")


def sample_input(shape):
    """The discriminator's input: `image` for image tensors, `sample` for vectors."""
    return keras.Input(shape=tuple(shape), name="image" if len(shape) == 3 else "sample")


def label_input():
    return keras.Input(shape=(), dtype="int32", name="label")


def one_hot(label, num_classes):
    return keras.layers.CategoryEncoding(num_tokens=num_classes, output_mode="one_hot", name="label_one_hot")(label)


def append_label_to_vector(vector, label, num_classes):
    """`[vector, one_hot(label)]`: the conditioning of Mirza & Osindero (2014)."""
    return keras.layers.Concatenate(name="with_label")([vector, one_hot(label, num_classes)])


def append_label_planes(image, label, num_classes):
    """Adds one constant feature plane per class to an image (the one-hot label, broadcast)."""
    height, width = image.shape[1], image.shape[2]
    planes = keras.layers.Reshape((1, 1, num_classes), name="label_pixel")(one_hot(label, num_classes))
    planes = keras.layers.UpSampling2D(size=(height, width), name="label_planes")(planes)
    return keras.layers.Concatenate(name="image_with_label")([image, planes])


def generator_inputs(latent_dim, num_classes):
    """Returns `(inputs, conditioned_latent)` for a (conditional) generator."""
    latent = latent_input(latent_dim)
    if num_classes is None:
        return latent, latent
    label = label_input()
    return [latent, label], append_label_to_vector(latent, label, num_classes)


def image_discriminator_inputs(input_shape, num_classes):
    """Returns `(inputs, x)` for an image discriminator: the image, with label planes when conditional."""
    image = sample_input(input_shape)
    if num_classes is None:
        return image, image
    label = label_input()
    return [image, label], append_label_planes(image, label, num_classes)


def output_activation(x, activation, name="output"):
    """The generator's last activation, kept float32 under mixed precision."""
    return keras.layers.Activation(activation or "linear", dtype="float32", name=name)(x)
