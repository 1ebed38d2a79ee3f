"""BiGAN: D scores (x, E(x)) against (G(z), z); G and E train together."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from conftest import fake_images, fake_labels, max_change, snapshot
from model_testing import (
    assert_mirrored_step_equals_single_device_step,
    assert_serves_the_codes,
    assert_serves_the_generator,
    assert_variables_close,
    compile_tiny,
    export_saved_model,
    move_batchnorm_statistics,
)
from tfgan_zoo import losses, models, networks, training
from tfgan_zoo.metrics import discriminator as discriminator_metrics
from tfgan_zoo.metrics import nearest_neighbour_probe
from tfgan_zoo.models.bigan import BiGAN
from tfgan_zoo.networks import encoders
from tfgan_zoo.recipes.recipe import Recipe

LATENT_DIM = 4


def tiny_bigan(sample_shape=(8, 8, 1), jit_compile=False, optimizers=None, **kwargs):
    """A compiled BiGAN with DCGAN networks for images, MLPs for vectors."""
    if len(sample_shape) == 3:
        generator = networks.dcgan_generator(sample_shape, LATENT_DIM, base_filters=4)
        encoder = encoders.dcgan_encoder(sample_shape, LATENT_DIM, base_filters=4)
        discriminator = encoders.dcgan_joint_discriminator(
            sample_shape, LATENT_DIM, base_filters=4, latent_units=[8], joint_units=[8]
        )
    else:
        generator = networks.mlp_generator(sample_shape, LATENT_DIM, hidden_units=[8], output_activation=None)
        encoder = encoders.mlp_encoder(sample_shape, LATENT_DIM, hidden_units=[8])
        discriminator = encoders.mlp_joint_discriminator(
            sample_shape, LATENT_DIM, hidden_units=[8], latent_units=[8], joint_units=[8]
        )
    return compile_tiny(BiGAN(generator, discriminator, encoder, **kwargs), optimizers, jit_compile)


def _spy_on_pairs(model):
    """Records the shapes of every pair D scores."""
    seen, score_pairs = [], model.score_pairs

    def spy(samples, codes, training=True):
        seen.append((tuple(samples.shape), tuple(codes.shape)))
        return score_pairs(samples, codes, training)

    model.score_pairs = spy
    return seen


# === The pairs and the losses ===
def test_discriminator_scores_data_with_codes_as_real_and_samples_with_latents_as_fake():
    model = tiny_bigan()
    assert [tuple(t.shape[1:]) for t in model.discriminator.inputs] == [(8, 8, 1), (LATENT_DIM,)]
    real = tf.constant(fake_images(8))
    # The draw the D update at step 0, part 0 makes; both nets run in training mode, like the step.
    latent = model.sample_latent(0, 8)
    real_scores = model.discriminator([real, model.encoder(real, training=True)], training=True)
    fake_scores = model.discriminator([model.generator(latent, training=True), latent], training=True)
    expected = np.mean(tf.nn.softplus(-real_scores).numpy() + tf.nn.softplus(fake_scores).numpy())

    seen = _spy_on_pairs(model)
    terms = model.discriminator_step(real, None, stream=0)
    assert seen == [((8, 8, 8, 1), (8, LATENT_DIM))] * 2
    np.testing.assert_allclose(float(terms["d_loss"]), expected, rtol=1e-5)
    np.testing.assert_allclose(float(terms["d_real"]), np.mean(real_scores), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(float(terms["d_fake"]), np.mean(fake_scores), rtol=1e-5, atol=1e-6)


def test_generator_and_encoder_loss_is_the_discriminator_game_with_labels_inverted():
    model = tiny_bigan()
    real = tf.constant(fake_images(8))
    latent = model.sample_latent(1, 8)  # part 1: the generator update after one D update
    real_scores = model.discriminator([real, model.encoder(real, training=True)], training=True)
    fake_scores = model.discriminator([model.generator(latent, training=True), latent], training=True)
    expected = np.mean(tf.nn.softplus(real_scores).numpy() + tf.nn.softplus(-fake_scores).numpy())
    terms = model.generator_step(real, None, stream=1)
    np.testing.assert_allclose(float(terms["g_loss"]), expected, rtol=1e-5)


@pytest.mark.parametrize(
    "loss, expected",
    [
        ("non_saturating", lambda r, f: np.logaddexp(0, -f) + np.logaddexp(0, r)),
        ("least_squares", lambda r, f: 0.5 * (f - 1) ** 2 + 0.5 * r**2),
        ("minimax", lambda r, f: -np.logaddexp(0, -r) - np.logaddexp(0, f)),
        ("wasserstein", lambda r, f: r - f),
        ("hinge", lambda r, f: r - f),
    ],
)
def test_each_loss_family_gives_the_generator_its_own_loss_and_the_encoder_the_mirror(loss, expected):
    model = tiny_bigan((6,), loss=loss)
    real, fake = np.array([0.5, -1.0, 2.0], np.float32), np.array([1.5, 0.0, -0.3], np.float32)
    value = model.encoder_generator_loss(tf.constant(real), tf.constant(fake)).numpy()
    np.testing.assert_allclose(value, expected(real, fake), rtol=1e-5)
    # The generator's part is the family's own generator loss.
    generator_part = value - model.encoder_generator_loss(tf.constant(real), tf.zeros(3)).numpy()
    family_loss = model.generator_loss_fn(tf.constant(fake)) - model.generator_loss_fn(tf.zeros(3))
    assert model.generator_loss_fn is losses.get_loss_family(loss)[0]
    np.testing.assert_allclose(generator_part, family_loss.numpy(), rtol=1e-5, atol=1e-6)


# === Which variables each update moves ===
def test_discriminator_update_moves_only_the_discriminator():
    model = tiny_bigan()
    g, e, d = (snapshot(n.trainable_variables) for n in (model.generator, model.encoder, model.discriminator))
    model.discriminator_step(tf.constant(fake_images(8)), None, stream=0)
    assert max_change(d, model.discriminator.trainable_variables) > 0
    assert max_change(g, model.generator.trainable_variables) == 0
    assert max_change(e, model.encoder.trainable_variables) == 0
    assert int(model.generator_optimizer.iterations.numpy()) == 0


def test_generator_update_moves_generator_and_encoder_but_not_the_discriminator():
    model = tiny_bigan()
    g, e, d = (snapshot(n.trainable_variables) for n in (model.generator, model.encoder, model.discriminator))
    model.generator_step(tf.constant(fake_images(8)), None, stream=1)
    assert max_change(g, model.generator.trainable_variables) > 0
    assert max_change(e, model.encoder.trainable_variables) > 0
    assert max_change(d, model.discriminator.trainable_variables) == 0
    assert int(model.discriminator_optimizer.iterations.numpy()) == 0


def test_generator_optimizer_holds_moments_for_generator_and_encoder():
    model = tiny_bigan()
    # Adam: iterations, learning rate, then a momentum and a velocity per variable.
    g_and_e = len(model.generator.trainable_variables) + len(model.encoder.trainable_variables)
    assert len(model.generator_optimizer.variables) == 2 + 2 * g_and_e
    assert len(model.discriminator_optimizer.variables) == 2 + 2 * len(model.discriminator.trainable_variables)
    assert {id(v) for v in model.generator_variables} == {
        id(v) for v in model.generator.trainable_variables + model.encoder.trainable_variables
    }


# === Training, saving, export ===
def test_fit_with_jit_compile_trains_every_network():
    model = tiny_bigan((6,), jit_compile=True, d_steps=2)
    before = [snapshot(n.trainable_variables) for n in (model.generator, model.encoder, model.discriminator)]
    history = model.fit(fake_images(32, (6,)), batch_size=16, verbose=0)
    assert set(history.history) == {"d_loss", "g_loss", "d_real", "d_fake"}
    assert all(np.isfinite(values[-1]) for values in history.history.values())
    assert int(model.generator_optimizer.iterations.numpy()) == 2
    assert int(model.discriminator_optimizer.iterations.numpy()) == 4
    for old, network in zip(before, (model.generator, model.encoder, model.discriminator)):
        assert max_change(old, network.trainable_variables) > 0, network.name


def test_saved_and_reloaded_bigan_continues_exactly(tmp_path):
    model = tiny_bigan(loss="least_squares", ema_decay=0.9)
    images = fake_images(32)
    model.fit(images[:16], batch_size=8, shuffle=False, verbose=0)
    path = str(tmp_path / "bigan.keras")
    model.save(path)
    reloaded = keras.models.load_model(path)
    assert isinstance(reloaded, BiGAN) and reloaded.get_config()["loss"] == "least_squares"
    assert len(reloaded.weights) == len(model.weights)
    np.testing.assert_allclose(reloaded.encode(images), model.encode(images), atol=1e-6)
    model.fit(images[16:], batch_size=8, shuffle=False, verbose=0)
    reloaded.fit(images[16:], batch_size=8, shuffle=False, verbose=0)
    assert_variables_close(model.weights + model.generator_optimizer.variables,
                           reloaded.weights + reloaded.generator_optimizer.variables)


def test_exported_encode_signature_matches_the_keras_encoder(tmp_path):
    model = tiny_bigan()
    move_batchnorm_statistics(model.encoder, seed=3)
    move_batchnorm_statistics(model.generator, seed=3)
    manifest, loaded = export_saved_model(model, tmp_path, "bigan")
    assert manifest["saved_model"]["signatures"]["encode"] == {
        "inputs": {"image": {"dtype": "float32", "shape": [None, 8, 8, 1]}},
        "outputs": {"code": {"dtype": "float32", "shape": [None, LATENT_DIM]}},
    }
    assert_serves_the_codes(loaded, model, fake_images(5, seed=4))
    assert_serves_the_generator(loaded, model, model.latent_for_seed(3, 1))


def test_encode_and_reconstruct_shapes_and_checks():
    model = tiny_bigan()
    images = fake_images(5)
    assert model.encode(images, batch_size=2).shape == (5, LATENT_DIM)
    reconstructions = model.reconstruct(images, batch_size=2)
    assert reconstructions.shape == images.shape
    np.testing.assert_allclose(reconstructions, model.generator(model.encoder(images)).numpy(), atol=1e-6)
    with pytest.raises(ValueError, match=r"samples must have shape \[num >= 1, \*\(8, 8, 1\)\]"):
        model.encode(fake_images(2, (6, 6, 1)))


def test_evaluation_scores_each_sample_with_its_own_code():
    model = tiny_bigan()
    images = tf.constant(fake_images(5))
    scores = discriminator_metrics.discriminator_outputs(model, images.numpy(), batch_size=2)
    expected = model.discriminator([images, model.encoder(images, training=False)], training=False).numpy()
    np.testing.assert_allclose(scores, expected[:, 0], rtol=1e-5, atol=1e-6)


def test_constructor_checks_name_the_mismatch():
    model = tiny_bigan()
    other_encoder = encoders.dcgan_encoder((8, 8, 1), LATENT_DIM + 1, base_filters=4)
    with pytest.raises(ValueError, match=r"codes of shape \(4,\).*output shape \(5,\)"):
        BiGAN(model.generator, model.discriminator, other_encoder)
    plain_discriminator = networks.dcgan_discriminator((8, 8, 1), base_filters=4)
    with pytest.raises(ValueError, match="takes \\[sample"):
        BiGAN(model.generator, plain_discriminator, model.encoder)
    with pytest.raises(ValueError, match="unconditional. Received: num_classes=3"):
        BiGAN(model.generator, model.discriminator, model.encoder, num_classes=3)
    with pytest.raises(ValueError, match="Unknown loss family"):
        BiGAN(model.generator, model.discriminator, model.encoder, loss="softmax")


# === From a recipe ===
def _recipe(**fields):
    defaults = dict(
        name="bigan_test", model="bigan", dataset="gen:shapes", latent_dim=8, batch_size=8,
        generator_options={"base_filters": 4}, discriminator_options={"base_filters": 4, "joint_units": [16]},
        model_options={"encoder_options": {"base_filters": 4}},
    )
    return Recipe(**{**defaults, **fields})


def test_recipe_builds_a_compiled_bigan(monkeypatch):
    monkeypatch.setitem(models.MODELS, "bigan", BiGAN)
    model = training.build_model(_recipe(loss="hinge"))
    assert isinstance(model, BiGAN) and model.loss == "hinge"
    assert model.encoder.inputs[0].shape[1:] == (32, 32, 3) and model.encoder.outputs[0].shape[1:] == (8,)
    assert model.encoder.get_layer("down_0").filters == 4
    assert model.discriminator.get_layer("joint_dense_0").units == 16
    assert model.generator_optimizer.built and len(model.generator_optimizer.variables) == 2 + 2 * len(
        model.generator_variables
    )
    with pytest.raises(
        ValueError, match="use the recipe fields .'gradient_penalty_weight'.*Received: gradient_penalty_weight=1.0"
    ):
        training.build_model(_recipe(gradient_penalty_weight=1.0))
    with pytest.raises(ValueError, match="No encoder for these networks"):
        training.build_model(_recipe(networks="tutorial", dataset="mnist8k"))


# === The nearest-neighbour probe ===
def test_probe_is_perfect_on_separated_classes():
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(3), 20)
    features = labels[:, None] * 10.0 + rng.normal(0.0, 0.5, (60, 5))
    train, test = np.arange(60) % 2 == 0, np.arange(60) % 2 == 1
    accuracy = nearest_neighbour_probe.nearest_neighbour_accuracy(
        features[train], labels[train], features[test], labels[test]
    )
    assert accuracy == 1.0


def test_probe_matches_a_hand_checked_case():
    train, train_labels = np.array([[0.0], [1.0], [5.0]]), np.array([0, 0, 1])
    # Nearest: 0.4 -> 0 (label 0, right); 3.1 -> 5 (1.9 < 2.1: label 1, right); 4 -> 5 (right); 10 -> 5 (wrong).
    test, test_labels = np.array([[0.4], [3.1], [4.0], [10.0]]), np.array([0, 1, 1, 0])
    assert nearest_neighbour_probe.nearest_neighbour_accuracy(train, train_labels, test, test_labels) == 0.75
    # (1, 4) is nearer (2, 0) in Euclidean distance (4.12 < 6.08) but points along (0, 10).
    train, train_labels, test = np.array([[2.0, 0.0], [0.0, 10.0]]), np.array([0, 1]), np.array([[1.0, 4.0]])
    assert nearest_neighbour_probe.nearest_neighbour_predictions(train, train_labels, test).tolist() == [0]
    assert nearest_neighbour_probe.nearest_neighbour_predictions(
        train, train_labels, test, distance="cosine"
    ).tolist() == [1]
    with pytest.raises(ValueError, match="train_labels.*Received: train_labels.shape=\\(1,\\)"):
        nearest_neighbour_probe.nearest_neighbour_accuracy(train, [0], test, [1])
    with pytest.raises(ValueError, match="distance must be one of"):
        nearest_neighbour_probe.nearest_neighbour_accuracy(train, train_labels, test, [1], distance="l1")


def test_probe_runs_on_bigan_codes():
    model = tiny_bigan()
    images, labels = fake_images(12), np.arange(12) % 3
    accuracy = nearest_neighbour_probe.encoder_nearest_neighbour_accuracy(
        model.encode, images[:8], labels[:8], images[8:], labels[8:]
    )
    expected = np.mean(
        nearest_neighbour_probe.nearest_neighbour_predictions(model.encode(images[:8]), labels[:8],
                                                              model.encode(images[8:])) == labels[8:]
    )
    assert accuracy == expected


def test_mirrored_step_equals_single_device_step(mirrored):
    def build():
        return tiny_bigan((6,), optimizers=(keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1)))

    assert_mirrored_step_equals_single_device_step(mirrored, build, fake_images(8, (6,)), fake_labels(8))
