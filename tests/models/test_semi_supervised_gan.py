"""Semi-supervised GAN: a K-class D with an implicit fake class, few labels, many unlabelled."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from conftest import fake_images, fake_labels, max_change, snapshot
from model_testing import (
    assert_each_optimizer_moves_only_its_own_network,
    assert_mirrored_step_equals_single_device_step,
    assert_variables_close,
    compile_tiny,
    tiny_class_head_networks,
)
from tfgan_zoo import export, models, training
from tfgan_zoo.models.gan import REAL
from tfgan_zoo.models.semi_supervised_gan import (
    SemiSupervisedGAN,
    classifier_accuracy,
    real_fake_logit,
    train_plain_classifier,
)
from tfgan_zoo.recipes.recipe import Recipe


def _ssgan(sample_shape=(6,), num_classes=3, optimizers=None, jit_compile=False, **kwargs):
    """A tiny compiled semi-supervised GAN: MLPs for vectors (no BatchNorm), DCGAN networks for images."""
    generator, discriminator = tiny_class_head_networks(
        sample_shape, num_classes, head="classifier", conditional_generator=False
    )
    return compile_tiny(SemiSupervisedGAN(generator, discriminator, **kwargs), optimizers, jit_compile)


def _partly_labelled(count, seed=0, labelled=(0, 2, 5)):
    """Labels of `count` examples, -1 except at the `labelled` rows."""
    labels = np.full([count], -1, np.int32)
    labels[list(labelled)] = fake_labels(count, seed=seed)[list(labelled)]
    return labels


def _labelled_cross_entropy(logits, labels):
    """Mean cross-entropy of the rows labelled >= 0, written out."""
    labelled = labels >= 0
    log_probabilities = tf.nn.log_softmax(tf.boolean_mask(logits, labelled))
    return -tf.reduce_mean(tf.gather(log_probabilities, tf.boolean_mask(labels, labelled), batch_dims=1))


def _log_softmax(logits):
    logits = np.asarray(logits, np.float64)
    top = logits.max(axis=1, keepdims=True)
    return logits - top - np.log(np.exp(logits - top).sum(axis=1, keepdims=True))


def test_unlabelled_examples_contribute_nothing_to_the_supervised_term():
    model = _ssgan()
    logits = tf.constant(np.random.default_rng(1).normal(size=(8, 3)).astype("float32"))
    labels = tf.constant(_partly_labelled(8))
    labelled = labels.numpy() >= 0
    with tf.GradientTape() as tape:
        tape.watch(logits)
        share, mean = model.supervised_loss(logits, labels)
    expected = -_log_softmax(logits.numpy()[labelled])[np.arange(3), labels.numpy()[labelled]].mean()
    np.testing.assert_allclose([float(share), float(mean)], [expected, expected], rtol=1e-5)
    # No gradient reaches an unlabelled row's logits, and changing them changes nothing.
    gradient = tape.gradient(share, logits).numpy()
    assert np.all(gradient[~labelled] == 0) and np.all(np.abs(gradient[labelled]).sum(1) > 0)
    moved = tf.where(labelled[:, None], logits, logits + 3.0 * tf.range(3, dtype=tf.float32))
    np.testing.assert_allclose(float(model.supervised_loss(moved, labels)[0]), expected, rtol=1e-5)
    # Fully unlabelled: a zero term, not a division by zero.
    assert float(model.supervised_loss(logits, tf.fill([8], -1))[0]) == 0.0


def test_discriminator_step_is_the_implicit_fake_class_loss_plus_the_supervised_loss():
    model = _ssgan(supervised_weight=0.6, optimizers=(keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1)))
    real, labels = tf.constant(fake_images(8, (6,))), tf.constant(_partly_labelled(8))
    fake = model.generate_from(model.sample_latent(0, 8), training=True)  # the step's own draw
    variables = model.discriminator.trainable_variables
    before = snapshot(variables)
    with tf.GradientTape() as tape:
        real_logits, fake_logits = model.discriminator(real), model.discriminator(fake)
        # D(x) = Z / (Z + 1), Z = sum exp(logits): -log D(x) - log(1 - D(G(z))), written out.
        z_real = tf.reduce_sum(tf.exp(real_logits), 1)
        z_fake = tf.reduce_sum(tf.exp(fake_logits), 1)
        unsupervised = -tf.math.log(z_real / (z_real + 1.0)) - tf.math.log(1.0 / (z_fake + 1.0))
        supervised = _labelled_cross_entropy(real_logits, labels)
        expected_loss = tf.reduce_mean(unsupervised) + 0.6 * supervised
    expected_gradients = tape.gradient(expected_loss, variables)

    terms = model.discriminator_step(real, labels, stream=0)

    np.testing.assert_allclose(float(terms["d_loss"]), float(tf.reduce_mean(unsupervised)), rtol=1e-5)
    np.testing.assert_allclose(float(terms["d_supervised"]), float(supervised), rtol=1e-5)
    for old, gradient, variable in zip(before, expected_gradients, variables):
        np.testing.assert_allclose(variable.numpy(), old - 0.1 * gradient.numpy(), rtol=1e-4, atol=1e-6,
                                   err_msg=variable.path)


def test_instance_noise_reaches_the_supervised_term_too():
    # Salimans et al. add Gaussian noise to what D reads; the labelled reals are classified through it as well.
    model = _ssgan(instance_noise=0.3)
    real, labels = tf.constant(fake_images(8, (6,))), tf.constant(_partly_labelled(8))

    def supervised(images):
        return float(_labelled_cross_entropy(model.discriminator(images), labels))

    noisy = model.critic_inputs(real, 0, REAL)  # the draw the step makes: keyed on the step counter and stream
    assert 0.2 < float(tf.math.reduce_std(noisy - real)) < 0.4
    on_noisy, on_clean = supervised(noisy), supervised(real)  # before the step moves D
    terms = model.discriminator_step(real, labels, stream=0)
    np.testing.assert_allclose(float(terms["d_supervised"]), on_noisy, rtol=1e-5)
    assert abs(on_noisy - on_clean) > 1e-3


def test_real_fake_logit_is_the_log_partition_function():
    logits = np.array([[0.0, 0.0], [2.0, -1.0], [-30.0, -30.0]], np.float32)
    z = np.exp(logits.astype(np.float64)).sum(1)
    np.testing.assert_allclose(tf.sigmoid(real_fake_logit(logits))[:, 0], z / (z + 1.0), rtol=1e-5)


def test_generator_losses_are_feature_matching_by_default_or_non_saturating():
    real, fake = tf.constant(fake_images(8, (6,), seed=1)), tf.constant(fake_images(8, (6,), seed=2))
    matching = _ssgan()
    assert matching.feature_matching
    loss, _ = matching.generator_objective(real, fake, None, stream=0)
    real_features, _ = matching.feature_network(real)
    fake_features, _ = matching.feature_network(fake)
    expected = np.sum((real_features.numpy().mean(0) - fake_features.numpy().mean(0)) ** 2)
    np.testing.assert_allclose(float(loss), expected, rtol=1e-5)

    saturating = _ssgan(feature_matching=False)
    loss, _ = saturating.generator_objective(real, fake, None, stream=0)
    z = np.exp(saturating.discriminator(fake).numpy().astype(np.float64)).sum(1)
    np.testing.assert_allclose(float(loss), np.mean(-np.log(z / (z + 1.0))), rtol=1e-5)


def _one_d_step(real, labels):
    keras.utils.set_random_seed(0)
    model = _ssgan(optimizers=(keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1)))
    terms = model.discriminator_step(tf.constant(real), tf.constant(labels), stream=0)
    return snapshot(model.discriminator.weights), terms


def test_unlabelled_images_drive_the_unsupervised_update():
    real, labels = fake_images(8, (6,)), _partly_labelled(8)
    changed = real.copy()
    changed[labels < 0] = fake_images(8, (6,), seed=9)[labels < 0]
    weights, terms = _one_d_step(real, labels)
    other_weights, other_terms = _one_d_step(changed, labels)
    # Same labelled rows, so the same supervised term; other unlabelled images, so another update.
    np.testing.assert_allclose(float(terms["d_supervised"]), float(other_terms["d_supervised"]), rtol=1e-6)
    assert max(np.max(np.abs(a - b)) for a, b in zip(weights, other_weights)) > 1e-4


def test_fit_on_partly_labelled_and_on_unlabelled_batches():
    model = _ssgan(d_steps=2)
    d_before, g_before = snapshot(model.discriminator.weights), snapshot(model.generator.weights)
    labels = np.concatenate([_partly_labelled(8), _partly_labelled(8, seed=1)])
    history = model.fit(fake_images(16, (6,)), labels, batch_size=16, verbose=0)
    assert set(model.loss_names) == set(history.history)
    assert history.history["d_supervised"][-1] > 0
    assert max_change(d_before, model.discriminator.weights) > 0 and max_change(g_before, model.generator.weights) > 0
    # Bare images are an unlabelled batch: the supervised term is 0, D still learns.
    d_before = snapshot(model.discriminator.weights)
    history = model.fit(fake_images(16, (6,), seed=3), batch_size=16, verbose=0)
    assert history.history["d_supervised"][-1] == 0.0
    assert max_change(d_before, model.discriminator.weights) > 0


def test_each_optimizer_moves_only_its_own_network():
    model = _ssgan()
    real, labels = tf.constant(fake_images(8, (6,))), tf.constant(_partly_labelled(8))
    assert_each_optimizer_moves_only_its_own_network(model, real, labels)
    assert "score/kernel" not in {v.path for v in model.discriminator.weights}


def test_fit_with_xla():
    model = _ssgan(jit_compile=True, r1_weight=1.0, feature_matching=True)
    history = model.fit(fake_images(16, (6,)), np.tile(_partly_labelled(8), 2), batch_size=8, verbose=0)
    assert all(np.isfinite(values[-1]) for values in history.history.values())
    assert int(model.generator_optimizer.iterations.numpy()) == 2


def test_save_load_continues_training_exactly(tmp_path):
    model = _ssgan((8, 8, 1), supervised_weight=0.5, ema_decay=0.9)
    labels = np.tile(_partly_labelled(8), 2)
    model.fit(fake_images(16, seed=1), labels, batch_size=8, shuffle=False, verbose=0)
    model.save(tmp_path / "ssgan.keras")
    loaded = keras.models.load_model(tmp_path / "ssgan.keras")
    assert isinstance(loaded, SemiSupervisedGAN) and loaded.supervised_weight == 0.5 and loaded.feature_matching
    for which in (model, loaded):
        which.fit(fake_images(16, seed=2), labels, batch_size=8, shuffle=False, verbose=0)
    assert int(loaded.step_counter.numpy()) == 4
    assert len(model.weights) == len(loaded.weights)
    assert_variables_close(model.weights, loaded.weights)


def test_export_serves_the_classifier_and_an_unconditional_generator(tmp_path):
    model = _ssgan((8, 8, 1))
    model.fit(fake_images(16), np.tile(_partly_labelled(8), 2), batch_size=8, verbose=0)  # moves BN statistics
    manifest = export.export_model(model, tmp_path, "ssgan", formats="saved_model")
    signatures = manifest["saved_model"]["signatures"]
    assert signatures["classify"] == {
        "inputs": {"image": {"dtype": "float32", "shape": [None, 8, 8, 1]}},
        "outputs": {"class_logits": {"dtype": "float32", "shape": [None, 3]}},
    }
    assert list(signatures["serving_default"]["inputs"]) == ["latent"]
    loaded = tf.saved_model.load(str(tmp_path / "saved_model" / "ssgan" / "1"))
    images = fake_images(5, seed=3)
    served = loaded.signatures["classify"](image=tf.constant(images))["class_logits"].numpy()
    np.testing.assert_allclose(served, model.discriminator(images, training=False), atol=1e-5)
    np.testing.assert_array_equal(np.argmax(served, 1), model.predict_classes(images))


def test_classifier_accuracy_and_the_plain_baseline():
    model = _ssgan()
    samples = fake_images(12, (6,))
    predicted = model.predict_classes(samples, batch_size=5)
    np.testing.assert_array_equal(predicted, np.argmax(model.discriminator(samples).numpy(), 1))
    labels = predicted.copy()
    labels[:3] = (labels[:3] + 1) % 3
    assert classifier_accuracy(model, samples, labels) == pytest.approx(0.75)
    baseline = train_plain_classifier(model, np.tile(samples, (20, 1)), np.tile(labels, 20), epochs=3, batch_size=12,
                                      learning_rate=0.05)
    assert classifier_accuracy(baseline, samples, labels) > 0.9
    assert baseline.network is not model.discriminator
    with pytest.raises(ValueError, match="equally many"):
        classifier_accuracy(model, samples, labels[:5])


def test_recipe_trains_on_few_labels_through_its_dataset(monkeypatch):
    monkeypatch.setitem(models.MODELS, "semi_supervised_gan", SemiSupervisedGAN)
    recipe = Recipe(name="ssgan_test", model="semi_supervised_gan", conditional=True, dataset="gen:shapes:64",
                    latent_dim=8, generator_options={"base_filters": 4}, discriminator_options={"base_filters": 4},
                    model_options={"num_labelled": 6, "labelled_per_batch": 2, "supervised_weight": 0.5},
                    feature_matching=True, batch_size=8)
    model = training.build_model(recipe)
    assert isinstance(model, SemiSupervisedGAN) and model.num_classes is None and model.num_labels == 3
    assert model.supervised_weight == 0.5 and [t.name for t in model.generator.inputs] == ["latent"]
    images, labels = next(iter(training.make_dataset(recipe)))
    assert images.shape == (8, 32, 32, 3) and int(np.sum(labels.numpy() >= 0)) == 2
    history = model.fit(training.make_dataset(recipe), steps_per_epoch=1, shuffle=False, verbose=0)
    assert history.history["d_supervised"][-1] > 0
    with pytest.raises(ValueError, match="needs labels for its classifier"):
        training.build_model(Recipe(model="semi_supervised_gan", dataset="gen:shapes:64"))


def test_bad_arguments_are_refused():
    generator, discriminator = tiny_class_head_networks((6,), 3, head="classifier", conditional_generator=False)
    with pytest.raises(ValueError, match="loss must be one of"):
        SemiSupervisedGAN(generator, discriminator, loss="hinge")
    with pytest.raises(ValueError, match="num_classes=3"):
        SemiSupervisedGAN(generator, discriminator, num_classes=3)
    with pytest.raises(ValueError, match="pack must be 1"):
        SemiSupervisedGAN(generator, discriminator, pack=2)
    with pytest.raises(ValueError, match=r"supervised_weight must be a number in \[0, inf\)"):
        SemiSupervisedGAN(generator, discriminator, supervised_weight=-0.5)
    with pytest.raises(ValueError, match=r"K >= 2 class logits"):
        SemiSupervisedGAN(
            generator, keras.Model(discriminator.input, discriminator.get_layer("features").output[:, :1])
        )


def test_mirrored_step_equals_single_device_step_with_unevenly_labelled_replicas(mirrored):
    # Replica 0 gets rows 0-3 (three labelled), replica 1 rows 4-7 (one): the
    # supervised mean must be over the global batch's four labelled rows.
    def build():
        return _ssgan(optimizers=(keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1)), supervised_weight=0.7)

    images, labels = fake_images(8, (6,)), _partly_labelled(8, labelled=(0, 1, 3, 5))
    assert_mirrored_step_equals_single_device_step(mirrored, build, images, labels)
