"""GRAN's recurrent generator (Im et al. 2016): an image drawn as the sum of T canvas updates.

With `h_z = tanh(W z + b)` the noise code, the generator unrolls T steps of

    h_c,t = g(dC_(t-1))  (h_c,1 = 0: the first step only decodes)
    dC_t  = f([h_z, h_c,t])
    C_t   = C_(t-1) + dC_t                     (C_0 = 0)

and outputs `tanh(C_T)`, so the image is the tanh of the sum of the
updates: images stay in [-1, 1] like every zoo generator, and the updates
themselves are unbounded. `g` (strided convolutions and a dense layer) and
`f` (a dense layer and transposed convolutions) are two sub-models called at
every step with the same weights, so the variable count does not depend on
T (beyond T = 1, which never encodes). Training backpropagates through all
T steps, as any GAN update of this generator does. `g` encodes the
previous update `dC_(t-1)`, as the paper's text says; the other reading,
encoding the canvas `C_(t-1)`, is what `encoder_input="canvas"` gives. In a
2 CPU-minute mnist8k pilot the canvas reading collapsed onto 3 digit
classes (FID 829) where the paper's covered 9 (FID 483).

With `normalization="batch"` each of the T calls of `f` and `g` normalizes
by its own batch statistics in training, while the moving statistics used
for sampling average over the T calls.

The canvas after step t is the output of the layer `canvas_<t>` (before the
tanh); `canvases` reads them all for a grid.

Reference: Im, Kim, Jiang & Memisevic, "Generating images with recurrent
adversarial networks", arXiv:1602.05110, 2016.
"""

import keras

from tfgan_zoo.networks import conditioning, stages
from tfgan_zoo.networks.dcgan import check_image_shape, conv_trunk, num_upsamplings, stem_size
from tfgan_zoo.utils import validation

CANVAS_PREFIX = "canvas_"
ENCODER_INPUTS = ("canvas", "update")
_NORMALIZATIONS = ("batch", "none")


def gran_generator(
    output_shape, latent_dim, *, num_classes=None, steps=3, base_filters=64, kernel_size=4, code_units=128,
    normalization="batch", encoder_input="update", name="generator",
):
    """Latent vector -> image in [-1, 1], drawn in `steps` recurrent canvas updates.

    Args:
        output_shape: `(size, size, channels)`, size 4 or 7 times a power of 2.
        latent_dim: size of the latent vector.
        num_classes: when set, the one-hot label is appended to the latent.
        steps: T, the number of canvas updates.
        base_filters: filters of the decoder's last hidden layer and the
            encoder's first convolution (DCGAN's scheme, doubling per layer).
        kernel_size: kernel of the convolutions.
        code_units: size of the noise code `h_z` and of the canvas code `h_c`.
        normalization: `"batch"` (BatchNorm in encoder and decoder) or `"none"`.
        encoder_input: what `g` encodes at each step: `"update"` (the
            previous update, the paper's text) or `"canvas"` (the sum so far).
        name: name of the returned model.
    """
    check_image_shape("output_shape", output_shape)
    validation.check_int("steps", steps)
    validation.check_choice("normalization", normalization, _NORMALIZATIONS)
    validation.check_choice("encoder_input", encoder_input, ENCODER_INPUTS)
    options = dict(base_filters=base_filters, kernel_size=kernel_size, normalization=normalization)
    decoder = canvas_decoder(output_shape, 2 * code_units, **options)
    encoder = canvas_encoder(output_shape, code_units, **options)

    inputs, x = conditioning.generator_inputs(latent_dim, num_classes)
    noise_code = keras.layers.Dense(code_units, activation="tanh", name="noise_code")(x)
    canvas_code = keras.layers.Rescaling(0.0, name="initial_canvas_code")(noise_code)
    canvas = update = None
    for step in range(1, steps + 1):
        if step > 1:
            canvas_code = encoder(canvas if encoder_input == "canvas" else update)
        update = decoder(keras.layers.Concatenate(name=f"codes_{step}")([noise_code, canvas_code]))
        if step == 1:
            canvas = keras.layers.Identity(dtype="float32", name=f"{CANVAS_PREFIX}1")(update)
        else:
            canvas = keras.layers.Add(dtype="float32", name=f"{CANVAS_PREFIX}{step}")([canvas, update])
    return keras.Model(inputs, conditioning.output_activation(canvas, "tanh"), name=name)


def canvas_decoder(output_shape, input_dim, *, base_filters, kernel_size, normalization, name="canvas_decoder"):
    """f: codes `[h_z, h_c]` -> one canvas update (linear), by DCGAN's project, reshape and transposed convolutions."""
    size, channels = output_shape[0], output_shape[2]
    stem, upsamplings = stem_size(size), num_upsamplings(size)
    filters = base_filters * 2 ** (upsamplings - 1)
    codes = keras.Input((input_dim,), name="codes")
    x = keras.layers.Dense(stem * stem * filters, use_bias=normalization == "none", name="project")(codes)
    x = keras.layers.Reshape((stem, stem, filters), name="reshape")(x)
    for index in range(upsamplings):
        if normalization == "batch":
            x = keras.layers.BatchNormalization(name=f"bn_{index}")(x)
        x = keras.layers.ReLU(name=f"relu_{index}")(x)
        last = index == upsamplings - 1
        filters = channels if last else filters // 2
        use_bias = last or normalization == "none"
        x = keras.layers.Conv2DTranspose(
            filters, kernel_size, strides=2, padding="same", use_bias=use_bias, name=f"up_{index}"
        )(x)
    return keras.Model(codes, conditioning.output_activation(x, None, name="update"), name=name)


def canvas_encoder(image_shape, code_units, *, base_filters, kernel_size, normalization, name="canvas_encoder"):
    """g: canvas -> code `h_c` in [-1, 1], by DCGAN's strided convolutions and a dense layer."""
    canvas = keras.Input(tuple(image_shape), name="canvas")
    x = conv_trunk(canvas, base_filters=base_filters, kernel_size=kernel_size, leaky_slope=0.2,
                   normalization="batch" if normalization == "batch" else "none")
    x = keras.layers.Flatten(name="flatten")(x)
    return keras.Model(canvas, keras.layers.Dense(code_units, activation="tanh", name="canvas_code")(x), name=name)


def canvases(generator, latent, labels=None):
    """`[tanh(C_1), ..., tanh(C_T)]`: the image after each step (numpy batches), the last one the output."""
    inputs = latent if labels is None else [latent, labels]
    outputs = stages.stage_outputs(generator, CANVAS_PREFIX)(inputs, training=False)
    return [keras.ops.convert_to_numpy(keras.ops.tanh(output)) for output in outputs]
