"""Small BigGAN: conditional BatchNorm, projection D, orthogonal regularisation, truncation."""

import importlib.util
import math
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from conftest import REPO_ROOT, fake_images, fake_labels
from model_testing import (
    assert_mirrored_step_equals_single_device_step,
    assert_saved_model_and_litert_match_keras,
    assert_variables_close,
    compile_tiny,
    move_batchnorm_statistics,
)
from tfgan_zoo import data, distribution, losses, networks, recipes, training
from tfgan_zoo.attention_maps import attention_layers
from tfgan_zoo.models import BigGAN
from tfgan_zoo.models.biggan import truncate_latent
from tfgan_zoo.networks import biggan as biggan_networks

# 16x16 images: a 4x4 stem and 2 residual blocks, so the latent has 3 chunks. Tests that train use
# 8x8 images (1 block) and no attention (SAGAN's tests train it under XLA and MirroredStrategy):
# tracing the step is most of their time. The export test keeps attention (G at 8x8, D at 4x4).
SHAPE, LATENT_DIM, CLASSES = (16, 16, 1), 12, 3
SMALL, SMALL_ATTENTION, NO_ATTENTION = (8, 8, 1), (8, 4), (0, 0)


def _biggan(shape=SHAPE, optimizers=None, jit_compile=False, attention=(8, 8), **kwargs):
    """A tiny compiled BigGAN; `attention` gives the attention resolutions of G and D."""
    generator, discriminator = networks.build_networks(
        "biggan", shape, LATENT_DIM, num_classes=CLASSES,
        generator_kwargs={"base_filters": 4, "embedding_dim": 4, "attention_resolution": attention[0]},
        discriminator_kwargs={"base_filters": 4, "attention_resolution": attention[1]},
    )
    model = BigGAN(generator, discriminator, num_classes=CLASSES, loss="hinge", **kwargs)
    return compile_tiny(model, optimizers, jit_compile)


# === Orthogonal regularisation ===
def test_orthogonal_regularisation_on_known_matrices():
    # W^T W = [[10, 14], [14, 21]]: the off-diagonal pair gives 2 * 14^2.
    dense = np.array([[1.0, 2.0], [3.0, 4.0], [0.0, 1.0]], np.float32)
    # A 1x1 convolution with orthonormal filters (columns): no penalty, only a norm.
    conv = np.eye(2, dtype=np.float32).reshape(1, 1, 2, 2) * 3.0
    assert float(losses.orthogonal_regularisation([dense, conv])) == pytest.approx(392.0)
    with pytest.raises(ValueError, match="shape=\\(3,\\)"):
        losses.orthogonal_regularisation([np.ones(3, np.float32)])


def test_generator_loss_adds_beta_times_the_penalty_of_every_kernel_but_the_embedding():
    model = _biggan(orthogonal_weight=0.01)
    kernels = model.orthogonal_kernels
    paths = {variable.path for variable in kernels}
    assert not any("embedding" in path for path in paths)
    assert all(len(variable.shape) >= 2 for variable in kernels)
    assert {"block_0_cbn1_gain", "block_1_conv2", "to_image", "project"} <= {path.split("/")[0] for path in paths}
    real, labels = tf.constant(fake_images(4, SHAPE)), tf.constant(fake_labels(4))
    fake = model.generate_from(model.sample_latent(0, 4), labels, training=False)
    loss, terms = model.generator_objective(real, fake, labels, stream=0)
    expected = losses.orthogonal_regularisation([v.numpy() for v in kernels])
    assert float(terms["orthogonal_penalty"]) == pytest.approx(float(expected), rel=1e-5)
    assert float(loss) == pytest.approx(float(terms["g_loss"]) + 0.01 * float(expected), rel=1e-5)
    assert "orthogonal_penalty" not in _biggan(orthogonal_weight=0.0).loss_names


# === Conditional BatchNorm and the hierarchical latent ===
def test_conditional_batch_norm_is_moving_statistics_then_a_gain_and_bias_of_the_condition():
    features, condition = keras.Input((2, 2, 3)), keras.Input((5,))
    output = biggan_networks.conditional_batch_norm(features, condition, "cbn", spectral_norm=False)
    block = keras.Model([features, condition], output)
    move_batchnorm_statistics(block)
    rng = np.random.default_rng(0)
    for name in ("cbn_gain", "cbn_bias"):
        block.get_layer(name).kernel.assign(rng.normal(size=(5, 3)).astype("float32"))
    x, c = rng.normal(size=(4, 2, 2, 3)).astype("float32"), rng.normal(size=(4, 5)).astype("float32")
    bn = block.get_layer("cbn_bn")
    normalized = (x - bn.moving_mean.numpy()) / np.sqrt(bn.moving_variance.numpy() + bn.epsilon)

    def affine(name):
        layer = block.get_layer(name)
        return (c @ layer.kernel.numpy() + layer.bias.numpy())[:, None, None, :]

    expected = normalized * affine("cbn_gain") + affine("cbn_bias")
    np.testing.assert_allclose(block([x, c], training=False).numpy(), expected, rtol=1e-4, atol=1e-5)


def test_generator_output_depends_on_the_label_and_on_each_latent_chunk():
    model = _biggan()
    move_batchnorm_statistics(model.generator)
    latent = np.repeat(model.latent_for_seed(1, 0), 3, axis=0)
    samples = model.generate(latent=latent, labels=np.array([0, 1, 1], np.int32))
    assert np.max(np.abs(samples[0] - samples[1])) > 1e-3
    np.testing.assert_allclose(samples[1], samples[2], atol=1e-6)
    # Each chunk reaches the image: the stem's, and each block's through its conditional BatchNorm.
    for chunk in range(3):
        moved = latent[:1].copy()
        moved[0, chunk * 4 : (chunk + 1) * 4] += 1.0
        assert np.max(np.abs(model.generate(latent=moved, labels=np.array([0], np.int32)) - samples[:1])) > 1e-4


def test_generator_shares_one_class_embedding_across_blocks():
    model = _biggan()
    embeddings = [layer for layer in model.generator.layers if isinstance(layer, keras.layers.Embedding)]
    assert len(embeddings) == 1
    for block in range(2):
        condition = model.generator.get_layer(f"block_{block}_condition")
        assert any(tensor is embeddings[0].output for tensor in condition.input)
    assert len(attention_layers(model.generator)) == len(attention_layers(model.discriminator)) == 1


# === Projection discriminator ===
def test_projection_score_is_linear_plus_inner_product_of_class_embedding_and_features():
    model = _biggan()
    discriminator = model.discriminator
    images, labels = fake_images(5, SHAPE), np.array([0, 1, 2, 2, 1], np.int32)
    phi, score = networks.features_and_scores(discriminator)([images, labels], training=False)
    phi = phi.numpy()
    linear = discriminator.get_layer(biggan_networks.LINEAR_SCORE)
    embedding = discriminator.get_layer(biggan_networks.CLASS_EMBEDDING).kernel.numpy()  # [classes, features]
    projection = np.sum(embedding[labels] * phi, axis=1, keepdims=True)
    expected = phi @ linear.kernel.numpy() + linear.layer.bias.numpy() + projection
    np.testing.assert_allclose(score.numpy(), expected, rtol=1e-4, atol=1e-4)
    # Another class changes only the projection term.
    other = discriminator([images, (labels + 1) % 3], training=False).numpy()
    np.testing.assert_allclose(other - score.numpy(), np.sum((embedding[(labels + 1) % 3] - embedding[labels]) * phi,
                                                               axis=1, keepdims=True), rtol=1e-3, atol=1e-4)


# === Truncation ===
def _truncated_normal_variance(t):
    density, mass = math.exp(-t * t / 2) / math.sqrt(2 * math.pi), math.erf(t / math.sqrt(2))
    return 1.0 - 2.0 * t * density / mass


def test_truncation_gives_a_truncated_normal_that_shrinks_with_the_threshold():
    latent = tf.random.stateless_normal([4000, 64], seed=[1, 2]).numpy()
    variances = []
    for threshold in (2.0, 1.0, 0.5, 0.25):
        truncated = truncate_latent(latent, threshold).numpy()
        assert np.max(np.abs(truncated)) <= threshold
        # The same distribution as BigGAN's redrawing: the truncated normal's variance.
        assert np.var(truncated) == pytest.approx(_truncated_normal_variance(threshold), rel=0.01)
        # A sample keeps its identity: signs and the order of the entries are preserved.
        np.testing.assert_array_equal(np.sign(truncated), np.sign(latent))
        np.testing.assert_array_equal(np.argsort(truncated[0]), np.argsort(latent[0]))
        variances.append(np.var(truncated))
    assert variances == sorted(variances, reverse=True)
    per_row = truncate_latent(latent[:3], np.array([[0.5], [0.0], [-1.0]], np.float32)).numpy()
    np.testing.assert_allclose(per_row[0], truncate_latent(latent[:1], 0.5).numpy()[0], rtol=1e-6)
    np.testing.assert_array_equal(per_row[1:], latent[1:3])  # t <= 0: untouched


def test_litert_kit_sampler_redraws_to_the_same_truncated_normal():
    # The deployment kit (numpy only) truncates as BigGAN does, by redrawing: the distribution matches the map's.
    spec = importlib.util.spec_from_file_location(
        "kit_sampler", os.path.join(REPO_ROOT, "export", "litert", "sampler.py")
    )
    sampler = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sampler)
    latent = sampler.draw_latent(4000, 16, "normal", seed=1, truncation=0.5)
    assert latent.dtype == np.float32 and np.max(np.abs(latent)) <= 0.5
    assert np.var(latent) == pytest.approx(_truncated_normal_variance(0.5), rel=0.02)
    untruncated = np.random.default_rng(2).standard_normal((3, 4)).astype(np.float32)
    np.testing.assert_array_equal(sampler.draw_latent(3, 4, seed=2), untruncated)  # unchanged without truncation
    with pytest.raises(ValueError, match="prior='uniform'"):
        sampler.draw_latent(3, 4, "uniform", truncation=0.5)


def test_generate_truncates_the_latent_of_the_seed():
    model = _biggan(ema_decay=0.9)
    latent = truncate_latent(model.latent_for_seed(4, 5), 0.5).numpy()
    np.testing.assert_allclose(model.generate(4, seed=5, truncation=0.5), model.generate(latent=latent), atol=1e-6)
    with pytest.raises(ValueError, match="truncation=0"):
        model.generate(4, truncation=0)


def test_exports_match_keras_and_sample_signature_takes_a_truncation_per_row(tmp_path):
    model = _biggan(SMALL, attention=SMALL_ATTENTION, ema_decay=0.9)
    for variable in model.generator.trainable_variables:
        variable.assign(variable * 1.5 + 0.01)  # live and EMA weights differ: the EMA one must be exported
    move_batchnorm_statistics(model.ema_generator)
    for network in (model.generator, model.ema_generator):
        attention_layers(network)[0].gamma.assign(0.8)  # 0 would hide the attention path
    manifest = assert_saved_model_and_litert_match_keras(model, tmp_path, "biggan")
    assert manifest["saved_model"]["signatures"]["sample"]["inputs"] == {
        "seed": {"dtype": "int64", "shape": [None]},
        "truncation": {"dtype": "float32", "shape": [None]},
        "label": {"dtype": "int32", "shape": [None]},
    }
    loaded = tf.saved_model.load(str(tmp_path / manifest["saved_model"]["path"]))
    seeds, truncation, labels = [7, 7, 7, 3], [0.3, 1.0, 0.0, 0.3], [1, 1, 1, 2]
    served = loaded.signatures["sample"](seed=tf.constant(seeds, tf.int64), truncation=tf.constant(truncation),
                                         label=tf.constant(labels, tf.int32))["image"].numpy()
    for row, (seed, threshold, label) in enumerate(zip(seeds, truncation, labels)):
        expected = model.generate(1, seed=seed, truncation=threshold or None, labels=np.array([label], np.int32))
        np.testing.assert_allclose(served[row : row + 1], expected, atol=1e-5, err_msg=f"row {row}")
    assert np.max(np.abs(served[0] - served[1])) > 1e-4


# === Training: recipe, saving, resuming, distribution, XLA ===
def test_recipe_builds_a_biggan_with_ema_and_synchronised_batchnorm():
    recipe = recipes.get_recipe("biggan_mnist8k").smoke_sized()
    model = training.build_model(recipe, data.recipe_info(recipe))
    assert isinstance(model, BigGAN) and model.loss == "hinge" and model.orthogonal_weight == 1e-4
    assert model.ema_generator is not None and model.num_classes == 10
    norms = [layer for layer in model.generator.layers if isinstance(layer, keras.layers.BatchNormalization)]
    assert norms and all(layer.synchronized for layer in norms)
    rates = float(model.generator_optimizer.learning_rate), float(model.discriminator_optimizer.learning_rate)
    assert rates == pytest.approx((1e-4, 4e-4))
    assert float(model.generator_optimizer.beta_1) == 0.0


def test_resumed_run_equals_uninterrupted_run(tmp_path):
    # Resuming reloads the `.keras` checkpoint in `train`: this is also the save/load test.
    recipe = recipes.get_recipe("biggan_shapes").smoke_sized().with_overrides(
        {"image_size": SMALL[0], "generator_options.base_filters": 2, "discriminator_options.base_filters": 2,
         "generator_options.attention_resolution": 0, "discriminator_options.attention_resolution": 0,
         "steps_per_epoch": 2})
    straight, _ = training.train(recipe.with_overrides({"steps": 4}), tmp_path / "straight", verbose=0)
    training.train(recipe.with_overrides({"steps": 3}), tmp_path / "resumed", verbose=0)
    resumed, _ = training.train(recipe.with_overrides({"steps": 4}), tmp_path / "resumed", verbose=0)
    assert isinstance(resumed, BigGAN) and resumed.orthogonal_weight == 1e-4
    assert int(resumed.step_counter.numpy()) == 4
    assert_variables_close(straight.weights, resumed.weights)
    optimizers = [(a.generator_optimizer, a.discriminator_optimizer) for a in (straight, resumed)]
    assert_variables_close(*[[v for optimizer in pair for v in optimizer.variables] for pair in optimizers])


def test_mirrored_step_equals_single_device_step_with_synchronised_batchnorm(mirrored):
    def build():
        model = _biggan(SMALL, optimizers=(keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1)),
                        attention=NO_ATTENTION, orthogonal_weight=0.1, ema_decay=0.9)
        distribution.synchronize_batchnorm(model)
        return model

    assert_mirrored_step_equals_single_device_step(mirrored, build, fake_images(8, SMALL), fake_labels(8))


def test_fit_with_xla():
    model = _biggan(SMALL, attention=NO_ATTENTION, jit_compile=True, ema_decay=0.9)
    history = model.fit(fake_images(16, SMALL), fake_labels(16), batch_size=8, verbose=0)
    assert set(history.history) == {"d_loss", "g_loss", "d_real", "d_fake", "orthogonal_penalty"}
    assert all(np.isfinite(values[-1]) for values in history.history.values())


def test_bad_arguments_are_refused():
    generator, discriminator = networks.build_networks(
        "biggan",
        SHAPE,
        LATENT_DIM,
        generator_kwargs={"base_filters": 2},
        discriminator_kwargs={"attention_resolution": 8},
    )
    with pytest.raises(ValueError, match="orthogonal_weight=-1"):
        BigGAN(generator, discriminator, orthogonal_weight=-1)
    with pytest.raises(ValueError, match="latent_prior='uniform'"):
        BigGAN(generator, discriminator, latent_prior="uniform")
    with pytest.raises(ValueError, match="multiple of 3. Received: latent_dim=10"):
        networks.build_networks("biggan", SHAPE, 10)
