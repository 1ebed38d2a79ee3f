"""What an exported generator takes and returns, as plain TensorFlow functions.

Every endpoint takes a dict of named inputs with a dynamic batch dimension
and returns a dict of named outputs, so TF Serving's row (`"instances"`) and
columnar (`"inputs"`) formats both work and no output is called `output_0`:

- `serving_default`: the generator's own inputs (`latent`, plus `label` for
  conditional models, `image` for image-to-image generators, `image` and
  `mask` for inpainting ones and `caption` for text-conditioned ones).
- `sample`: one int64 `seed` per row instead of `latent`; the latent is drawn
  in-graph with stateless ops, so a seed names the same sample on every
  server and in every batch composition. A variant may add inputs its
  latent draw reads (BigGAN: a per-row `truncation`).

Outputs: `image` (float32 in [-1, 1]) and `image_uint8` for image
generators, `sample` (float32) for generators of vectors such as 2-D points.
"""

import tensorflow as tf

from tfgan_zoo.models.sampling import latent_from_seeds

# Inputs a generator may declare, in the order signatures list them.
# `mask`: float32 `[B, H, W, 1]`, 1 on the missing pixels of `image` (inpainting, `tfgan_zoo.data.masks`).
# `caption`: int32 token ids `[B, L]` of text-conditioned generators (StackGAN, `tfgan_zoo.data.captions`).
GENERATOR_INPUTS = ("latent", "label", "image", "mask", "caption")
SERVING_SIGNATURE = "serving_default"
SAMPLE_SIGNATURE = "sample"
SEED_SPEC = tf.TensorSpec([None], tf.int64, name="seed")



def input_specs(network, names=None):
    """`{name: tf.TensorSpec}` of a functional network's inputs, batch dimension `None`.

    Args:
        network: a functional `keras.Model`.
        names: the signature's names for the inputs, in the network's input
            order; default: the network's own input names.
    """
    tensors = list(network.inputs)
    names = list(names) if names is not None else [tensor.name for tensor in tensors]
    if len(names) != len(tensors):
        raise ValueError(
            f"{network.name} has {len(tensors)} inputs but {len(names)} input names were given. "
            f"Received: names={names!r}"
        )
    return {
        name: tf.TensorSpec([None, *tensor.shape[1:]], tensor.dtype, name=name) for name, tensor in zip(names, tensors)
    }


def generator_input_specs(generator):
    """The generator's input specs, checked against the names signatures know."""
    specs = input_specs(generator)
    unknown = [name for name in specs if name not in GENERATOR_INPUTS]
    if unknown or ("latent" not in specs and "image" not in specs):
        raise ValueError(
            f"A generator to export takes inputs named from {GENERATOR_INPUTS} (latent or image required). "
            f"Received: input names {list(specs)}"
        )
    return specs


def output_kind(generator):
    """`"image"` for `[B, H, W, C]` outputs, `"sample"` for vectors."""
    return "image" if len(generator.outputs[0].shape) == 4 else "sample"


def to_uint8(images):
    """Images in [-1, 1] to uint8: `(x + 1) * 127.5`, rounded half to even, clipped."""
    return tf.cast(tf.clip_by_value(tf.round((images + 1.0) * 127.5), 0.0, 255.0), tf.uint8)


def named_outputs(samples):
    samples = tf.cast(samples, tf.float32)
    if samples.shape.rank == 4:
        return {"image": samples, "image_uint8": to_uint8(samples)}
    return {"sample": samples}


def call_network(network, inputs, names=None):
    """Runs `network` with `training=False` on a dict of named inputs."""
    names = list(names) if names is not None else [tensor.name for tensor in network.inputs]
    tensors = [inputs[name] for name in names]
    return network(tensors if len(tensors) > 1 else tensors[0], training=False)


def serving_endpoint(generator):
    """`(fn, input_signature)` of `serving_default`."""
    specs = generator_input_specs(generator)

    def serve(inputs):
        return named_outputs(call_network(generator, inputs))

    return serve, [specs]


def sample_endpoint(generator, latent_prior, latent_fn=None, latent_inputs=None):
    """`(fn, input_signature)` of `sample`, or `None` for a generator without latent input.

    `latent_fn(seeds, **latent_inputs)` replaces the prior draw for models
    whose latent has structure (InfoGAN's one-hot codes) or options
    (BigGAN's truncation); it must give one row per seed. `latent_inputs`
    (`{name: tf.TensorSpec}`, batch dimension `None`) are signature inputs
    that only `latent_fn` reads.
    """
    specs = generator_input_specs(generator)
    if "latent" not in specs:
        return None
    latent_dim = int(specs["latent"].shape[-1])
    latent_inputs = dict(latent_inputs or {})
    sample_specs = {
        "seed": SEED_SPEC,
        **latent_inputs,
        **{name: spec for name, spec in specs.items() if name != "latent"},
    }

    def sample(inputs):
        inputs = dict(inputs)
        seeds = inputs.pop("seed")
        options = {name: inputs.pop(name) for name in latent_inputs}
        if latent_fn is not None:
            latent = latent_fn(seeds, **options)
        else:
            latent = latent_from_seeds(seeds, latent_dim, latent_prior)
        return named_outputs(call_network(generator, {"latent": latent, **inputs}))

    return sample, [sample_specs]


def declared_endpoints(model):
    """Endpoints a model declares beyond its generator's: `{name: (fn, input_signature)}`.

    A variant with more networks worth serving (a BiGAN or VAE encoder, a
    classifier) defines `export_signatures()` returning
    `{signature_name: (network, input_names)}`; `input_names` name the
    network's inputs in order. Today's variants declare none.
    """
    declare = getattr(model, "export_signatures", None)
    if declare is None:
        return {}
    endpoints = {}
    for signature, (network, names) in declare().items():
        if signature in (SERVING_SIGNATURE, SAMPLE_SIGNATURE):
            raise ValueError(
                f"Signature names {SERVING_SIGNATURE} and {SAMPLE_SIGNATURE} are the generator's. "
                f"Received: export_signatures() key {signature!r}"
            )
        endpoints[signature] = _network_endpoint(network, names)
    return endpoints


def _network_endpoint(network, names):
    specs = input_specs(network, names)
    output_names = list(network.output_names)

    def serve(inputs):
        outputs = call_network(network, inputs, list(specs))
        if isinstance(outputs, dict):
            return outputs
        return dict(zip(output_names, tf.nest.flatten(outputs)))

    return serve, [specs]
