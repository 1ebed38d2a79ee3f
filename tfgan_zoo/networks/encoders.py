"""Encoders and the discriminators of models that learn codes (BiGAN, adversarial autoencoder).

- `mlp_encoder`, `dcgan_encoder`: sample -> latent code, the inverse direction
  of the generators in `mlp` and `dcgan`.
- `mlp_joint_discriminator`, `dcgan_joint_discriminator`: BiGAN's D(x, z),
  scoring a sample together with a latent code.
- `code_discriminator`: the adversarial autoencoder's D(z), telling codes
  drawn from the prior from codes produced by the encoder.

Every encoder ends in a float32 dense layer named `"code"` (the output name
of an exported `encode` signature); every discriminator ends in the shared
`"features"` -> `"score"` head (see `tfgan_zoo.networks.features`).
"""

import keras

from tfgan_zoo.networks import conditioning, features
from tfgan_zoo.networks.dcgan import check_image_shape, check_normalization, conv_trunk
from tfgan_zoo.utils import validation

CODE_LAYER = "code"


def _dense_stack(x, units, *, prefix, leaky_slope, dropout=0.0, spectral_norm=False):
    """Dense layers with LeakyReLU (and dropout), named `<prefix>_dense_<i>`."""
    for index, width in enumerate(units):
        dense = keras.layers.Dense(width, name=f"{prefix}_dense_{index}")
        x = features.maybe_spectral_norm(dense, spectral_norm)(x)
        x = keras.layers.LeakyReLU(negative_slope=leaky_slope, name=f"{prefix}_leaky_{index}")(x)
        if dropout:
            x = keras.layers.Dropout(dropout, name=f"{prefix}_dropout_{index}")(x)
    return x


def _conv_trunk(image, **options):
    """DCGAN's strided convolutions (Radford et al. 2016; `tfgan_zoo.networks.dcgan.conv_trunk`), flattened."""
    return keras.layers.Flatten(name="flatten")(conv_trunk(image, **options))


def _code(x, latent_dim):
    # float32 under mixed precision: codes feed the generator's latent input.
    return keras.layers.Dense(latent_dim, dtype="float32", name=CODE_LAYER)(x)


# === Encoders ===
def mlp_encoder(input_shape, latent_dim, *, hidden_units=(1024, 1024), leaky_slope=0.2, name="encoder"):
    """Sample of `input_shape` -> latent code through dense layers with LeakyReLU.

    Args:
        input_shape: per-sample shape, e.g. `(28, 28, 1)` or `(2,)`.
        latent_dim: size of the code (the generator's latent size).
        hidden_units: widths of the hidden dense layers.
        leaky_slope: negative slope of the LeakyReLU activations.
        name: name of the returned model.

    Reference: Donahue et al., "Adversarial Feature Learning", ICLR 2017
    (fully connected encoder of the permutation-invariant MNIST runs).
    """
    validation.check_int("latent_dim", latent_dim)
    sample = conditioning.sample_input(input_shape)
    x = keras.layers.Flatten(name="flatten")(sample)
    x = _dense_stack(x, hidden_units, prefix="encoder", leaky_slope=leaky_slope)
    return keras.Model(sample, _code(x, latent_dim), name=name)


def dcgan_encoder(
    input_shape, latent_dim, *, base_filters=64, kernel_size=4, leaky_slope=0.2, normalization="batch", name="encoder"
):
    """Image -> latent code through DCGAN's strided convolutions and one dense layer.

    The trunk is the DCGAN discriminator's (`tfgan_zoo.networks.dcgan`); the
    score layer is replaced by a linear map to `latent_dim` code units.

    Args:
        input_shape: `(size, size, channels)`, size 4 or 7 times a power of 2.
        latent_dim: size of the code.
        base_filters: filters of the first convolution; each later one doubles them.
        kernel_size: kernel of the convolutions.
        leaky_slope: negative slope of the LeakyReLU activations.
        normalization: `"batch"`, `"layer"` or `"none"` after every
            convolution but the first.
        name: name of the returned model.

    Reference: Radford et al., "Unsupervised Representation Learning with Deep
    Convolutional Generative Adversarial Networks", ICLR 2016.
    """
    check_image_shape("input_shape", input_shape)
    check_normalization(normalization)
    validation.check_int("latent_dim", latent_dim)
    image = conditioning.sample_input(input_shape)
    x = _conv_trunk(
        image, base_filters=base_filters, kernel_size=kernel_size, leaky_slope=leaky_slope, normalization=normalization
    )
    return keras.Model(image, _code(x, latent_dim), name=name)


# === BiGAN's joint discriminator D(x, z) ===
def _joint_head(x, latent, *, latent_units, joint_units, leaky_slope, dropout, spectral_norm):
    """Merges the sample branch `x` with a dense branch on `latent`; ends in the score head."""
    z = _dense_stack(latent, latent_units, prefix="latent", leaky_slope=leaky_slope, spectral_norm=spectral_norm)
    joint = keras.layers.Concatenate(name="joint")([x, z])
    joint = _dense_stack(
        joint, joint_units, prefix="joint", leaky_slope=leaky_slope, dropout=dropout, spectral_norm=spectral_norm
    )
    return features.discriminator_head(joint, spectral_norm=spectral_norm)


def mlp_joint_discriminator(
    input_shape,
    latent_dim,
    *,
    hidden_units=(1024,),
    latent_units=(1024,),
    joint_units=(1024,),
    leaky_slope=0.2,
    dropout=0.0,
    spectral_norm=False,
    name="discriminator",
):
    """`[sample, latent]` -> one score: BiGAN's discriminator with dense branches.

    The sample and the code each pass through their own dense layers; the two
    representations are concatenated and pass through joint dense layers to
    the `"features"` and `"score"` layers.

    Args:
        input_shape: per-sample shape.
        latent_dim: size of the code input (named `latent`).
        hidden_units: widths of the sample branch.
        latent_units: widths of the code branch.
        joint_units: widths of the layers after the concatenation.
        leaky_slope: negative slope of the LeakyReLU activations.
        dropout: dropout rate after each joint layer (0 disables it).
        spectral_norm: wrap every dense layer, the score included, in
            spectral normalization (Miyato et al. 2018).
        name: name of the returned model.

    Reference: Donahue et al., "Adversarial Feature Learning", ICLR 2017.
    """
    validation.check_int("latent_dim", latent_dim)
    sample, latent = conditioning.sample_input(input_shape), conditioning.latent_input(latent_dim)
    x = keras.layers.Flatten(name="flatten")(sample)
    x = _dense_stack(x, hidden_units, prefix="sample", leaky_slope=leaky_slope, spectral_norm=spectral_norm)
    score = _joint_head(
        x, latent, latent_units=latent_units, joint_units=joint_units, leaky_slope=leaky_slope, dropout=dropout,
        spectral_norm=spectral_norm,
    )
    return keras.Model([sample, latent], score, name=name)


def dcgan_joint_discriminator(
    input_shape,
    latent_dim,
    *,
    base_filters=64,
    kernel_size=4,
    leaky_slope=0.2,
    normalization="batch",
    latent_units=(512,),
    joint_units=(1024,),
    dropout=0.0,
    spectral_norm=False,
    name="discriminator",
):
    """`[image, latent]` -> one score: DCGAN's convolutions on x, dense layers on z, joint dense layers.

    Args:
        input_shape: `(size, size, channels)`, size 4 or 7 times a power of 2.
        latent_dim: size of the code input (named `latent`).
        base_filters: filters of the first convolution; each later one doubles them.
        kernel_size: kernel of the convolutions.
        leaky_slope: negative slope of the LeakyReLU activations.
        normalization: `"batch"`, `"layer"` or `"none"` after every
            convolution but the first.
        latent_units: widths of the code branch.
        joint_units: widths of the layers after the concatenation.
        dropout: dropout rate after each joint layer (0 disables it).
        spectral_norm: wrap every convolution and dense layer in spectral
            normalization.
        name: name of the returned model.

    Reference: Donahue et al., "Adversarial Feature Learning", ICLR 2017;
    Dumoulin et al., "Adversarially Learned Inference", ICLR 2017 (the same
    model, with convolutional x branch and a joint stack after concatenation).
    """
    check_image_shape("input_shape", input_shape)
    check_normalization(normalization)
    validation.check_int("latent_dim", latent_dim)
    image, latent = conditioning.sample_input(input_shape), conditioning.latent_input(latent_dim)
    x = _conv_trunk(
        image, base_filters=base_filters, kernel_size=kernel_size, leaky_slope=leaky_slope,
        normalization=normalization, spectral_norm=spectral_norm,
    )
    score = _joint_head(
        x, latent, latent_units=latent_units, joint_units=joint_units, leaky_slope=leaky_slope, dropout=dropout,
        spectral_norm=spectral_norm,
    )
    return keras.Model([image, latent], score, name=name)


# === The adversarial autoencoder's code discriminator D(z) ===
def code_discriminator(
    latent_dim, *, hidden_units=(1000, 1000), leaky_slope=0.2, dropout=0.0, spectral_norm=False,
    name="code_discriminator",
):
    """Latent code -> one score: is this code a prior sample (real) or an encoding (fake)?

    Args:
        latent_dim: size of the code input (named `latent`).
        hidden_units: widths of the hidden dense layers (two of 1000 in the paper).
        leaky_slope: negative slope of the LeakyReLU activations.
        dropout: dropout rate after each hidden layer (0 disables it).
        spectral_norm: wrap every dense layer, the score included, in
            spectral normalization.
        name: name of the returned model.

    Reference: Makhzani et al., "Adversarial Autoencoders", ICLR 2016 workshop.
    """
    validation.check_int("latent_dim", latent_dim)
    latent = conditioning.latent_input(latent_dim)
    x = _dense_stack(latent, hidden_units, prefix="code", leaky_slope=leaky_slope, dropout=dropout,
                     spectral_norm=spectral_norm)
    return keras.Model(latent, features.discriminator_head(x, spectral_norm=spectral_norm), name=name)


# name -> (encoder builder, joint discriminator builder), keyed like `tfgan_zoo.networks.NETWORKS`.
ENCODER_NETWORKS = {
    "mlp": (mlp_encoder, mlp_joint_discriminator),
    "dcgan": (dcgan_encoder, dcgan_joint_discriminator),
}


def _builders(name):
    if name not in ENCODER_NETWORKS:
        raise ValueError(
            f"No encoder for these networks. Expected one of {sorted(ENCODER_NETWORKS)}. Received: networks={name!r}"
        )
    return ENCODER_NETWORKS[name]


def build_encoder(name, sample_shape, latent_dim, **kwargs):
    """The encoder matching the generator family `name` (`"mlp"` or `"dcgan"`)."""
    return _builders(name)[0](tuple(sample_shape), latent_dim, **kwargs)


def build_joint_discriminator(name, sample_shape, latent_dim, **kwargs):
    """BiGAN's D(x, z) with the sample branch of family `name` (`"mlp"` or `"dcgan"`)."""
    return _builders(name)[1](tuple(sample_shape), latent_dim, **kwargs)
