"""BAGAN's networks: a generator fed by a class-conditional Gaussian latent, a discriminator shaped like the encoder.

- `class_latent_generator`: `[latent, label]` -> decoder(mean[label] +
  scale[label] @ latent); the decoder is the autoencoder's, the latent layer
  holds the Gaussian of each class's codes.
- `encoder_discriminator`: the encoder's layers (so the autoencoder's
  encoder weights can be copied into it) and K+1 class logits, the last one
  for "generated".

Reference: Mariani et al., "BAGAN: Data Augmentation with Balancing GAN",
2018.
"""

import keras

from tfgan_zoo.layers.class_latent import ClassConditionalLatent
from tfgan_zoo.networks import conditioning

DECODER = "decoder"
CLASS_LATENT = "class_latent"
CLASS_LOGITS = "class_logits"


def class_latent_generator(decoder, num_classes, *, name="generator"):
    """`[latent, label]` -> samples: the decoder fed with `ClassConditionalLatent(latent, label)`.

    Args:
        decoder: an unconditional generator `latent -> sample`, named
            `"decoder"` (build it with `name="decoder"`).
        num_classes: K, the number of classes.
        name: name of the returned model.
    """
    if decoder.name != DECODER or len(decoder.inputs) != 1:
        raise ValueError(
            f"The decoder must be an unconditional generator named {DECODER!r}. "
            f"Received: decoder={decoder.name!r} with {len(decoder.inputs)} inputs"
        )
    noise, label = conditioning.latent_input(int(decoder.inputs[0].shape[-1])), conditioning.label_input()
    # float32: the statistics are of float32 codes, and the latent feeds a float32 input.
    code = ClassConditionalLatent(num_classes, dtype="float32", name=CLASS_LATENT)([noise, label])
    return keras.Model([noise, label], decoder(code), name=name)


def encoder_discriminator(trunk, num_classes, *, leaky_slope=0.2, name="discriminator"):
    """`sample -> K+1 logits`: an encoder-shaped trunk, LeakyReLU, and one dense layer.

    Args:
        trunk: a fresh encoder `sample -> code` (built like the model's
            encoder, so their layers pair up by name).
        num_classes: K; logit K means "generated".
        leaky_slope: negative slope of the activation on the code.
        name: name of the returned model.
    """
    x = keras.layers.LeakyReLU(negative_slope=leaky_slope, name="code_leaky")(trunk.output)
    logits = keras.layers.Dense(num_classes + 1, dtype="float32", name=CLASS_LOGITS)(x)
    return keras.Model(trunk.input, logits, name=name)
