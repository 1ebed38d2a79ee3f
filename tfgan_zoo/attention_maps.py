"""Where a self-attention layer looks: its attention map for a sample, as numbers and as a PNG.

For a query position of the layer's feature map, the map's row is a
distribution over all positions (it sums to 1). `write_attention_png` draws a
generated sample beside one panel per query pixel: the sample with that
row, upsampled to the image size, laid over it.
"""

import os

import keras
import numpy as np

from tfgan_zoo.layers import SelfAttention


def attention_layers(network):
    """The `SelfAttention` layers of a functional network, in order."""
    return [layer for layer in network.layers if isinstance(layer, SelfAttention)]


def attention_map(network, inputs, layer_name=None):
    """The attention map `[B, N, N]` of one `SelfAttention` layer of `network` on `inputs`.

    Args:
        network: a functional network (generator or discriminator) with a
            `SelfAttention` layer.
        inputs: the network's inputs (`training=False` semantics).
        layer_name: which attention layer; default: the only one.

    Returns:
        float32 numpy `[B, H * W, H * W]`, rows indexed by query position in
        row-major order of the layer's `H x W` feature map.
    """
    layers = attention_layers(network)
    if layer_name is not None:
        layers = [layer for layer in layers if layer.name == layer_name]
    if len(layers) != 1:
        names = [layer.name for layer in attention_layers(network)]
        raise ValueError(
            f"Name one SelfAttention layer of {network.name} (it has {names}). Received: layer_name={layer_name!r}"
        )
    layer = layers[0]
    features = keras.Model(network.input, layer.input)(inputs, training=False)
    return np.asarray(layer.attention(features, training=False), np.float32)


def query_positions(resolution, image_size, queries):
    """The feature-map positions (row-major indices) under `(row, column)` image pixels."""
    scale = image_size // resolution
    return [(row // scale) * resolution + column // scale for row, column in queries]


def query_rows(attention, image_size, queries):
    """The attention of each query pixel, upsampled to the image: `[Q, size, size]`.

    Args:
        attention: one sample's map `[N, N]` on a square feature map.
        image_size: the image's height (= width), a multiple of the map's.
        queries: `(row, column)` pixels of the image.
    """
    resolution = int(round(np.sqrt(attention.shape[0])))
    scale = image_size // resolution
    heat = attention[query_positions(resolution, image_size, queries)].reshape(-1, resolution, resolution)
    return np.stack([np.kron(rows, np.ones((scale, scale), np.float32)) for rows in heat])


def default_queries(image_size):
    """Four query pixels: the centre and three points around it, away from the borders."""
    quarter = image_size // 4
    return [
        (image_size // 2, image_size // 2),
        (quarter, quarter),
        (quarter, 3 * quarter),
        (3 * quarter, image_size // 2),
    ]


def write_attention_png(model, path, *, seed=0, label=None, queries=None, layer_name=None):
    """Writes a PNG of where the generator's attention layer looks, for one sample.

    Panel 1 is the sample (`model.generate(1, seed=seed)`, from the EMA
    generator when there is one); each further panel lays the attention row
    of one query pixel (marked with a cross) over the sample.

    Args:
        model: an `AdversarialModel` whose generator has a `SelfAttention` layer.
        path: the `.png` to write.
        seed: the sample's seed.
        label: its class, for conditional models (default 0).
        queries: `(row, column)` image pixels; default `default_queries`.
        layer_name: the attention layer, when the generator has several.

    Returns:
        `(sample [H, W, C], heat maps [Q, H, W])`.
    """
    from matplotlib.figure import Figure

    latent = model.latent_for_seed(1, seed)
    labels = None if model.num_classes is None else model.balanced_labels(1, 0 if label is None else label)
    generator = model.sampling_generator
    sample = model.generate(latent=latent, labels=labels)[0]
    inputs = latent if labels is None else [latent, labels]
    image_size = sample.shape[0]
    queries = queries or default_queries(image_size)
    heat = query_rows(attention_map(generator, inputs, layer_name)[0], image_size, queries)

    picture = (sample + 1.0) / 2.0
    picture = picture[..., 0] if picture.shape[-1] == 1 else picture
    figure = Figure(figsize=(2.2 * (len(queries) + 1), 2.4), dpi=100)
    axes = figure.subplots(1, len(queries) + 1)
    axes[0].imshow(np.clip(picture, 0, 1), cmap="gray", vmin=0, vmax=1)
    axes[0].set_title("sample")
    for axis, rows, (row, column) in zip(axes[1:], heat, queries):
        axis.imshow(np.clip(picture, 0, 1), cmap="gray", vmin=0, vmax=1)
        axis.imshow(rows, cmap="inferno", alpha=0.6)
        axis.plot([column], [row], marker="x", color="cyan", markersize=8, markeredgewidth=2)
        axis.set_title(f"query ({row}, {column})")
    for axis in axes:
        axis.set_axis_off()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    figure.tight_layout()
    figure.savefig(path, format="png")
    return sample, heat
