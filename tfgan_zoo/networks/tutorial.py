"""The networks of the TensorFlow DCGAN tutorial (MNIST, 28x28x1).

Kept verbatim in architecture so speed and quality can be compared with the
published tutorial: 5x5 kernels, LeakyReLU in both networks, dropout in D.
"""

import keras

from tfgan_zoo.networks import conditioning, features


def _check(name, shape):
    if tuple(shape) != (28, 28, 1):
        raise ValueError(f"The tutorial networks are for 28x28x1 images. Received: {name}={tuple(shape)}")


def tutorial_generator(output_shape, latent_dim, *, num_classes=None, name="generator"):
    _check("output_shape", output_shape)
    inputs, x = conditioning.generator_inputs(latent_dim, num_classes)
    x = keras.layers.Dense(7 * 7 * 256, use_bias=False, name="project")(x)
    x = keras.layers.BatchNormalization(name="project_bn")(x)
    x = keras.layers.LeakyReLU(name="project_leaky")(x)
    x = keras.layers.Reshape((7, 7, 256), name="reshape")(x)
    for index, (filters, strides) in enumerate(((128, 1), (64, 2))):
        x = keras.layers.Conv2DTranspose(
            filters, 5, strides=strides, padding="same", use_bias=False, name=f"up_{index}"
        )(x)
        x = keras.layers.BatchNormalization(name=f"up_{index}_bn")(x)
        x = keras.layers.LeakyReLU(name=f"up_{index}_leaky")(x)
    x = keras.layers.Conv2DTranspose(1, 5, strides=2, padding="same", use_bias=False, name="to_image")(x)
    return keras.Model(inputs, conditioning.output_activation(x, "tanh"), name=name)


def tutorial_discriminator(input_shape, *, num_classes=None, name="discriminator"):
    _check("input_shape", input_shape)
    inputs, x = conditioning.image_discriminator_inputs(input_shape, num_classes)
    for index, filters in enumerate((64, 128)):
        x = keras.layers.Conv2D(filters, 5, strides=2, padding="same", name=f"down_{index}")(x)
        x = keras.layers.LeakyReLU(name=f"down_{index}_leaky")(x)
        x = keras.layers.Dropout(0.3, name=f"down_{index}_dropout")(x)
    x = keras.layers.Flatten(name="flatten")(x)
    return keras.Model(inputs, features.discriminator_head(x), name=name)
