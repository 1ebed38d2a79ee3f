"""The SelfAttention layer against a numpy reference, and the SAGAN networks built around it."""

import keras
import numpy as np
import pytest

from tfgan_zoo import attention_maps, models, networks
from tfgan_zoo.layers import SelfAttention


def _features(shape=(2, 4, 4, 16), seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def _attention_reference(layer, x):
    """The layer's arithmetic in numpy: softmax(f g^T) h, projected, scaled by gamma, added to x."""
    def project(sublayer, values):
        kernel = sublayer.kernel.numpy()  # a 1x1 convolution: [1, 1, in, out]
        return values.reshape(len(values), -1, values.shape[-1]) @ kernel[0, 0]

    logits = project(layer.query, x) @ project(layer.key, x).transpose(0, 2, 1)
    attention = np.exp(logits - logits.max(axis=-1, keepdims=True))
    attention /= attention.sum(axis=-1, keepdims=True)
    output = project(layer.output_projection, (attention @ project(layer.value, x)).reshape(*x.shape[:3], -1))
    return attention, x + layer.gamma.numpy() * output.reshape(x.shape)


def test_attention_keeps_the_shape_and_starts_as_the_identity():
    x = _features()
    layer = SelfAttention()
    np.testing.assert_array_equal(layer(x).numpy(), x)  # gamma starts at 0
    assert float(layer.gamma.numpy()) == 0.0
    assert layer.query.kernel.shape == (1, 1, 16, 2) and layer.value.kernel.shape == (1, 1, 16, 8)
    assert layer.output_projection.kernel.shape == (1, 1, 8, 16)


def test_attention_rows_are_distributions_and_the_output_matches_numpy():
    x = _features(seed=1)
    layer = SelfAttention(key_ratio=4)
    layer.build(x.shape)
    layer.gamma.assign(0.7)
    attention = layer.attention(x).numpy()
    assert attention.shape == (2, 16, 16)
    np.testing.assert_allclose(attention.sum(axis=-1), 1.0, rtol=1e-5)
    assert np.all(attention >= 0)
    expected_attention, expected = _attention_reference(layer, x)
    np.testing.assert_allclose(attention, expected_attention, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-4, atol=1e-5)


def test_attention_reads_distant_positions():
    # Changing one corner of the map changes the output at the opposite corner, which a 1x1 or 3x3 convolution cannot.
    x = _features(seed=2)
    layer = SelfAttention()
    layer.build(x.shape)
    layer.gamma.assign(1.0)
    moved = x.copy()
    moved[:, 0, 0] += 3.0
    assert np.max(np.abs(layer(x).numpy()[:, 3, 3] - layer(moved).numpy()[:, 3, 3])) > 1e-3


def test_attention_round_trips_through_a_saved_network(tmp_path):
    inputs = keras.Input((4, 4, 16))
    network = keras.Model(
        inputs, SelfAttention(key_ratio=4, value_ratio=1, spectral_norm=True, name="attention")(inputs)
    )
    network.get_layer("attention").gamma.assign(0.5)
    network.save(tmp_path / "attention.keras")
    loaded = keras.models.load_model(tmp_path / "attention.keras")
    layer = loaded.get_layer("attention")
    assert (layer.key_ratio, layer.value_ratio, layer.spectral_norm) == (4, 1, True)
    x = _features(seed=3)
    np.testing.assert_allclose(loaded(x).numpy(), network(x).numpy(), atol=1e-6)


@pytest.mark.parametrize(
    "kwargs,message", [({"key_ratio": 0}, "key_ratio=0"), ({"value_ratio": 1.5}, "value_ratio=1.5")]
)
def test_attention_refuses_bad_ratios(kwargs, message):
    with pytest.raises(ValueError, match=message):
        SelfAttention(**kwargs)


def _weight_layers(network):
    """Every layer with a kernel, as the network holds it (a wrapper or the layer itself), attention's inside."""
    found = []
    for layer in network.layers:
        if isinstance(layer, SelfAttention):
            found += [layer.query, layer.key, layer.value, layer.output_projection]
        elif isinstance(layer, keras.layers.SpectralNormalization) or hasattr(layer, "kernel"):
            found.append(layer)
    return found


@pytest.mark.parametrize("conditional", [False, True])
def test_sagan_networks_have_attention_and_spectral_norm_in_both(conditional):
    num_classes = 3 if conditional else None
    generator, discriminator = networks.build_networks(
        "sagan",
        (16, 16, 1),
        8,
        num_classes=num_classes,
        generator_kwargs={"base_filters": 4, "attention_resolution": 8},
        discriminator_kwargs={"base_filters": 4, "attention_resolution": 8},
    )
    for network, resolution in ((generator, 8), (discriminator, 8)):
        (attention,) = attention_maps.attention_layers(network)
        assert attention.input.shape[1] == resolution and attention.spectral_norm
        layers = _weight_layers(network)
        assert len(layers) >= 5
        unwrapped = [layer.name for layer in layers if not isinstance(layer, keras.layers.SpectralNormalization)]
        assert not unwrapped, f"{network.name}: {unwrapped} without spectral normalization"
    assert not any(isinstance(layer, keras.layers.BatchNormalization) for layer in discriminator.layers)
    assert generator.output.shape[1:] == (16, 16, 1) and discriminator.output.shape[1:] == (1,)
    plain, _ = networks.build_networks("sagan", (16, 16, 1), 8, generator_kwargs={"spectral_norm": False},
                                       discriminator_kwargs={"attention_resolution": 8})
    assert not any(isinstance(layer, keras.layers.SpectralNormalization) for layer in _weight_layers(plain))


def test_sagan_networks_refuse_a_resolution_they_do_not_have():
    with pytest.raises(ValueError, match="attention_resolution=5"):
        networks.build_networks("sagan", (16, 16, 1), 8, generator_kwargs={"attention_resolution": 5})


def test_attention_map_png_for_a_sample(tmp_path):
    generator, discriminator = networks.build_networks(
        "sagan", (16, 16, 1), 8, generator_kwargs={"base_filters": 4, "attention_resolution": 8},
        discriminator_kwargs={"base_filters": 4, "attention_resolution": 8},
    )
    model = models.GAN(generator, discriminator, loss="hinge")
    sample, heat = attention_maps.write_attention_png(model, tmp_path / "attention.png", seed=3)
    assert (tmp_path / "attention.png").stat().st_size > 1000
    assert sample.shape == (16, 16, 1) and heat.shape == (4, 16, 16)
    # Each upsampled row still holds the query's distribution: 2x2 pixels per position, summing to 4.
    np.testing.assert_allclose(heat.sum(axis=(1, 2)), 4.0, rtol=1e-5)
    full = attention_maps.attention_map(model.generator, model.latent_for_seed(1, 3))
    assert full.shape == (1, 64, 64)
    np.testing.assert_allclose(heat[0][::2, ::2].ravel(), full[0, 4 * 8 + 4], rtol=1e-6)
