"""Discriminator options: spectral norm, normalization, minibatch layers, the features layer."""

import keras
import numpy as np
import pytest

from tfgan_zoo import networks
from tfgan_zoo.layers import MinibatchDiscrimination, MinibatchStdDev


def mlp(**kwargs):
    return networks.mlp_discriminator((6,), hidden_units=[8, 5], **kwargs)


def dcgan(**kwargs):
    return networks.dcgan_discriminator((16, 16, 1), base_filters=4, **kwargs)


def tutorial(**kwargs):
    return networks.tutorial_discriminator((28, 28, 1), **kwargs)


def count(model, layer_type):
    return sum(isinstance(layer, layer_type) for layer in model.layers)


def score_input_width(model):
    return model.get_layer("score").input.shape[-1]


def inputs_for(model, batch=4):
    """Random samples, plus labels when the model is conditional, in its input order."""
    rng = np.random.default_rng(0)
    values = {"label": np.arange(batch, dtype="int32") % 3}
    for tensor in model.inputs:
        if tensor.name != "label":
            values[tensor.name] = rng.normal(size=(batch, *tensor.shape[1:])).astype("float32")
    if len(model.inputs) == 1:
        return values[model.inputs[0].name]
    return [values[tensor.name] for tensor in model.inputs]


def test_defaults_are_unchanged():
    for model, dense_count in ((mlp(), 3), (dcgan(), 1)):
        assert count(model, keras.layers.SpectralNormalization) == 0
        assert count(model, MinibatchStdDev) == count(model, MinibatchDiscrimination) == 0
        assert count(model, keras.layers.Dense) == dense_count
    assert count(dcgan(), keras.layers.BatchNormalization) == 1
    assert dcgan().get_layer("down_1").use_bias is False


@pytest.mark.parametrize("build, expected", [(mlp, 3), (dcgan, 3)])  # mlp: 2 hidden + score; dcgan: 2 convs + score
def test_spectral_norm_wraps_every_dense_and_conv(build, expected):
    model = build(spectral_norm=True)
    wrappers = [layer for layer in model.layers if isinstance(layer, keras.layers.SpectralNormalization)]
    assert len(wrappers) == expected
    assert all(isinstance(w.layer, (keras.layers.Dense, keras.layers.Conv2D)) for w in wrappers)
    assert count(model, keras.layers.Dense) == count(model, keras.layers.Conv2D) == 0
    assert isinstance(model.get_layer("score"), keras.layers.SpectralNormalization)
    assert model(inputs_for(model), training=True).dtype == "float32"


@pytest.mark.parametrize("normalization, layer_norms", [("layer", 1), ("none", 0)])
def test_dcgan_normalization_without_batch_norm(normalization, layer_norms):
    model = dcgan(normalization=normalization)
    assert count(model, keras.layers.BatchNormalization) == 0
    assert count(model, keras.layers.LayerNormalization) == layer_norms
    assert model.get_layer("down_1").use_bias is (normalization == "none")
    assert model(inputs_for(model)).shape == (4, 1)


def test_dcgan_rejects_unknown_normalization():
    with pytest.raises(ValueError, match="normalization='instance'"):
        dcgan(normalization="instance")


@pytest.mark.parametrize("build", [mlp, dcgan])
def test_minibatch_options_widen_the_score_input(build):
    plain = score_input_width(build())
    assert score_input_width(build(minibatch_discrimination=3)) == plain + 3
    with_stddev = build(minibatch_stddev=True)
    assert count(with_stddev, MinibatchStdDev) == 1
    # mlp: one more feature; dcgan: one more 4x4 feature map before flattening.
    assert score_input_width(with_stddev) == plain + (1 if build is mlp else 16)
    both = build(minibatch_stddev=True, minibatch_discrimination=2)
    assert score_input_width(both) == score_input_width(with_stddev) + 2
    assert both(inputs_for(both)).shape == (4, 1)


def test_minibatch_discrimination_rejects_negative():
    with pytest.raises(ValueError, match="minibatch_discrimination=-1"):
        mlp(minibatch_discrimination=-1)


@pytest.mark.parametrize("build", [mlp, dcgan, tutorial])
@pytest.mark.parametrize("num_classes", [None, 3])
def test_features_layer_feeds_the_score(build, num_classes):
    model = build(num_classes=num_classes)
    features = model.get_layer(networks.FEATURES_LAYER)
    assert isinstance(features, keras.layers.Identity)
    assert model.get_layer("score").input is features.output


@pytest.mark.parametrize("build", [mlp, dcgan])
@pytest.mark.parametrize("num_classes", [None, 3])
def test_features_and_scores_shares_variables(build, num_classes):
    model = build(num_classes=num_classes, minibatch_discrimination=2, spectral_norm=True)
    both = networks.features_and_scores(model)
    assert [id(v) for v in both.trainable_variables] == [id(v) for v in model.trainable_variables]
    x = inputs_for(model)
    features, scores = both(x)
    assert features.shape == (4, score_input_width(model))
    np.testing.assert_allclose(scores.numpy(), model(x).numpy(), rtol=1e-6)
    # A change to the discriminator's weights shows in the shared model.
    kernel = model.get_layer("score").layer.kernel
    kernel.assign(kernel + 1.0)
    np.testing.assert_allclose(both(x)[1].numpy(), model(x).numpy(), rtol=1e-6)


def test_features_and_scores_names_a_discriminator_without_features():
    inputs = keras.Input((3,))
    old = keras.Model(inputs, keras.layers.Dense(1, name="score")(inputs), name="old_discriminator")
    with pytest.raises(ValueError, match="discriminator='old_discriminator'"):
        networks.features_and_scores(old)


def test_discriminator_with_options_reloads(tmp_path):
    model = dcgan(
        spectral_norm=True, normalization="layer", minibatch_stddev=True, minibatch_discrimination=2, num_classes=3
    )
    path = str(tmp_path / "discriminator.keras")
    model.save(path)
    restored = keras.models.load_model(path)
    x = inputs_for(model)
    np.testing.assert_allclose(restored(x).numpy(), model(x).numpy(), rtol=1e-5)
    assert networks.features_and_scores(restored)(x)[0].shape == (4, score_input_width(model))


def test_dcgan_generator_stem_convs_add_stride_one_layers():
    plain = networks.dcgan_generator((28, 28, 1), 8, base_filters=4)
    deeper = networks.dcgan_generator((28, 28, 1), 8, base_filters=4, stem_convs=2)
    assert [layer.name for layer in deeper.layers if layer.name.startswith("stem_")] == [
        "stem_0", "stem_0_bn", "stem_0_relu", "stem_1", "stem_1_bn", "stem_1_relu"]
    stem = deeper.get_layer("stem_0")
    assert stem.strides == (1, 1) and stem.output.shape[1:] == (7, 7, 8)
    assert deeper.count_params() - plain.count_params() == 2 * (3 * 3 * 8 * 8 + 4 * 8)
    latent = np.random.default_rng(0).normal(size=(3, 8)).astype("float32")
    images = keras.ops.convert_to_numpy(deeper(latent, training=False))
    assert images.shape == (3, 28, 28, 1) and np.abs(images).max() <= 1.0


@pytest.mark.parametrize("value", [-1, 1.5, True])
def test_dcgan_generator_rejects_bad_stem_convs(value):
    with pytest.raises(ValueError, match=f"stem_convs must be an int >= 0. Received: stem_convs={value!r}"):
        networks.dcgan_generator((28, 28, 1), 8, stem_convs=value)


def test_dcgan_generator_resize_upsampling_replaces_transposed_convolutions(tmp_path):
    plain = networks.dcgan_generator((32, 32, 3), 8, base_filters=4)
    resized = networks.dcgan_generator((32, 32, 3), 8, base_filters=4, upsampling="resize")
    assert count(plain, keras.layers.Conv2DTranspose) == 3 and count(resized, keras.layers.Conv2DTranspose) == 0
    # Same kernels, so the same parameters; each convolution runs at stride 1 on the doubled map.
    assert resized.count_params() == plain.count_params()
    for name, size in (("up_0", 8), ("up_1", 16), ("to_image", 32)):
        resize, conv = resized.get_layer(f"{name}_resize"), resized.get_layer(name)
        assert resize.interpolation == "nearest" and resize.output.shape[1] == size
        assert conv.strides == (1, 1) and conv.output.shape[1] == size
    latent = np.random.default_rng(0).normal(size=(3, 8)).astype("float32")
    images = keras.ops.convert_to_numpy(resized(latent, training=False))
    assert images.shape == (3, 32, 32, 3) and np.abs(images).max() <= 1.0
    path = str(tmp_path / "generator.keras")
    resized.save(path)
    restored = keras.ops.convert_to_numpy(keras.models.load_model(path)(latent, training=False))
    np.testing.assert_allclose(restored, images, rtol=1e-5, atol=1e-6)


def test_dcgan_generator_rejects_unknown_upsampling():
    expected = r"upsampling must be one of \('transpose', 'resize'\). Received: upsampling='bilinear'"
    with pytest.raises(ValueError, match=expected):
        networks.dcgan_generator((28, 28, 1), 8, upsampling="bilinear")


def test_mlp_generator_batch_norm_normalises_each_hidden_layer_by_batch_statistics():
    plain = networks.mlp_generator((6,), 4, hidden_units=[8, 5], output_activation=None)
    normed = networks.mlp_generator((6,), 4, hidden_units=[8, 5], output_activation=None, batch_norm=True)
    assert count(plain, keras.layers.BatchNormalization) == 0
    assert count(normed, keras.layers.BatchNormalization) == 2 and normed.output.shape[1:] == (6,)
    latent = np.random.default_rng(0).normal(size=(16, 4)).astype("float32")
    # Training mode reads the batch's statistics; inference reads the (initial) moving ones.
    training, inference = normed(latent, training=True).numpy(), normed(latent, training=False).numpy()
    assert training.shape == (16, 6) and not np.allclose(training, inference)
    hidden = keras.Model(normed.input, normed.get_layer("dense_0_bn").output)(latent, training=True).numpy()
    np.testing.assert_allclose(hidden.mean(axis=0), 0.0, atol=1e-5)


def test_dcgan_dense_units_add_hidden_dense_layers_before_the_stem_and_the_features():
    generator = networks.dcgan_generator((28, 28, 1), 10, base_filters=4, dense_units=[16])
    assert generator.get_layer("dense_0").output.shape[-1] == 16 and generator.output.shape[1:] == (28, 28, 1)
    assert generator.get_layer("project").input.shape[-1] == 16
    discriminator = dcgan(dense_units=[12, 6])
    assert discriminator.get_layer("features").output.shape[-1] == 6
    assert count(discriminator, keras.layers.BatchNormalization) == 1 + 2  # the second conv's and each dense's
    unnormalised = dcgan(dense_units=[12], normalization="none")
    assert unnormalised.get_layer("dense_0").use_bias and count(unnormalised, keras.layers.BatchNormalization) == 0
    assert discriminator(inputs_for(discriminator), training=True).shape == (4, 1)


@pytest.mark.parametrize("bad", [1024, "1024", [0], [True]])
def test_dcgan_dense_units_must_be_positive_widths(bad):
    with pytest.raises(ValueError, match=r"dense_units must be a list of positive layer widths.*Received: dense_un"):
        dcgan(dense_units=bad)


def test_dcgan_projection_reads_the_label_through_the_features_not_the_image(tmp_path):
    model = dcgan(num_classes=3, label_conditioning="projection", spectral_norm=True)
    assert model.get_layer("down_0").input.shape[-1] == 1  # no label planes on the image
    x = inputs_for(model)
    phi, score = networks.features_and_scores(model)(x)
    linear = model.get_layer(networks.features.LINEAR_SCORE)
    embedding = model.get_layer(networks.features.CLASS_EMBEDDING)
    embedding_matrix = embedding(np.eye(3, dtype="float32")).numpy()  # [classes, features], as the layer applies it
    expected = linear(phi).numpy() + np.sum(embedding_matrix[x[1]] * phi.numpy(), axis=1, keepdims=True)
    np.testing.assert_allclose(score.numpy(), expected, rtol=1e-4, atol=1e-5)
    assert not np.allclose(model([x[0], (x[1] + 1) % 3]).numpy(), score.numpy())
    path = str(tmp_path / "projection.keras")
    model.save(path)
    np.testing.assert_allclose(keras.models.load_model(path)(x).numpy(), model(x).numpy(), rtol=1e-5)


def test_dcgan_label_conditioning_is_checked_by_name():
    with pytest.raises(ValueError, match="label_conditioning='embed'"):
        dcgan(num_classes=3, label_conditioning="embed")
