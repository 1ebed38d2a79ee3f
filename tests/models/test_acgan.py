"""ACGAN: D scores real/fake and predicts the class of real and generated samples."""

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
from tfgan_zoo import export, models, networks, training
from tfgan_zoo.models.acgan import ACGAN
from tfgan_zoo.networks import class_heads
from tfgan_zoo.recipes.recipe import Recipe


def _acgan(sample_shape=(6,), num_classes=3, optimizers=None, jit_compile=False, **kwargs):
    """A tiny compiled ACGAN: MLPs for vectors (no BatchNorm), DCGAN networks for images."""
    generator, discriminator = tiny_class_head_networks(
        sample_shape, num_classes, head="auxiliary", conditional_generator=True
    )
    return compile_tiny(ACGAN(generator, discriminator, num_classes=num_classes, **kwargs), optimizers, jit_compile)


def _cross_entropy(logits, labels):
    """Softmax cross-entropy per example, written out: `logsumexp(l) - l[label]`."""
    logits = np.asarray(logits, np.float64)
    top = logits.max(axis=1, keepdims=True)
    log_z = top[:, 0] + np.log(np.exp(logits - top).sum(axis=1))
    return log_z - logits[np.arange(len(labels)), labels]


def _softplus(x):
    return np.logaddexp(0.0, np.asarray(x, np.float64))


def test_discriminator_class_losses_on_real_and_generated_match_hand_computation():
    model = _acgan(class_weight=0.7, optimizers=(keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1)))
    real, labels = tf.constant(fake_images(8, (6,))), tf.constant(fake_labels(8))
    # The step draws its latent from (seed, step 0, stream 0): the same draw here.
    fake = model.generate_from(model.sample_latent(0, 8), labels, training=True)
    variables = model.discriminator.trainable_variables
    before = snapshot(variables)
    with tf.GradientTape() as tape:
        real_score, real_logits = model.discriminator(real)
        fake_score, fake_logits = model.discriminator(fake)
        class_real = tf.reduce_logsumexp(real_logits, 1) - tf.gather(real_logits, labels, batch_dims=1)
        class_fake = tf.reduce_logsumexp(fake_logits, 1) - tf.gather(fake_logits, labels, batch_dims=1)
        adversarial = tf.nn.softplus(-real_score[:, 0]) + tf.nn.softplus(fake_score[:, 0])
        expected_loss = tf.reduce_mean(adversarial) + 0.7 * tf.reduce_mean(class_real + class_fake)
    expected_gradients = tape.gradient(expected_loss, variables)

    terms = model.discriminator_step(real, labels, stream=0)

    np.testing.assert_allclose(
        float(terms["d_class_real"]), _cross_entropy(real_logits, labels.numpy()).mean(), rtol=1e-5
    )
    np.testing.assert_allclose(
        float(terms["d_class_fake"]), _cross_entropy(fake_logits, labels.numpy()).mean(), rtol=1e-5
    )
    np.testing.assert_allclose(
        float(terms["d_loss"]), np.mean(_softplus(-real_score.numpy()) + _softplus(fake_score.numpy())), rtol=1e-5
    )
    # The update is the SGD step on adversarial + class_weight * (class loss on real + on generated).
    for old, gradient, variable in zip(before, expected_gradients, variables):
        np.testing.assert_allclose(variable.numpy(), old - 0.1 * gradient.numpy(), rtol=1e-4, atol=1e-6,
                                   err_msg=variable.path)


def test_generator_objective_adds_the_class_loss_of_its_samples():
    model = _acgan(class_weight=2.0)
    labels = tf.constant(fake_labels(8))
    fake = model.generate_from(model.sample_latent(0, 8), labels, training=True)
    loss, terms = model.generator_objective(tf.constant(fake_images(8, (6,))), fake, labels, stream=0)
    score, logits = model.discriminator(fake)
    expected_class = _cross_entropy(logits, labels.numpy()).mean()
    np.testing.assert_allclose(float(terms["g_class"]), expected_class, rtol=1e-5)
    np.testing.assert_allclose(float(loss), _softplus(-score.numpy()).mean() + 2.0 * expected_class, rtol=1e-5)


def _generated_class_loss(model, latent, labels):
    _, logits = model.discriminator(model.generate_from(latent, labels))
    return _cross_entropy(logits, labels.numpy()).mean()


def test_generator_updates_lower_the_class_loss_of_its_samples_with_d_fixed():
    model = _acgan(class_weight=1.0, optimizers=(keras.optimizers.Adam(0.02), keras.optimizers.Adam(1e-3)))
    # A more confident fixed classifier, so its class loss has room to fall.
    kernel = model.discriminator.get_layer("class_logits").kernel
    kernel.assign(5.0 * kernel)
    real, labels = tf.constant(fake_images(16, (6,))), tf.constant(fake_labels(16))
    latent = tf.random.stateless_normal([16, 4], seed=[3, 4])
    d_before = snapshot(model.discriminator.weights)
    start = _generated_class_loss(model, latent, labels)
    for _ in range(15):
        model.generator_step(real, labels, stream=1)
    assert max_change(d_before, model.discriminator.weights) == 0
    assert int(model.discriminator_optimizer.iterations.numpy()) == 0
    # The generator learned to produce samples D assigns to the requested class.
    assert _generated_class_loss(model, latent, labels) < 0.5 * start


def test_each_optimizer_moves_its_own_network_and_every_head():
    model = _acgan()
    real, labels = tf.constant(fake_images(8, (6,))), tf.constant(fake_labels(8))
    assert_each_optimizer_moves_only_its_own_network(model, real, labels)
    paths = {v.path for v in model.discriminator.trainable_variables}
    assert {"class_logits/kernel", "score/kernel"} <= paths


def test_discriminator_takes_no_label_and_shares_one_trunk():
    model = _acgan((8, 8, 1))
    assert [tensor.name for tensor in model.discriminator.inputs] == ["image"]
    assert model.discriminator.output_names == ["score", "class_logits"]
    # The classifier reads the same variables, so training D trains it.
    assert {id(v) for v in model.classifier.weights} < {id(v) for v in model.discriminator.weights}
    images = fake_images(4)
    np.testing.assert_allclose(model.classifier(images), model.discriminator(images, training=False)[1], atol=1e-6)


def test_fit_with_xla_and_feature_matching_and_a_penalty():
    model = _acgan(jit_compile=True, feature_matching=True, gradient_penalty_weight=1.0, d_steps=2)
    history = model.fit(fake_images(32, (6,)), fake_labels(32), batch_size=16, verbose=0)
    assert set(model.loss_names) == set(history.history)
    assert all(np.isfinite(values[-1]) for values in history.history.values())
    assert int(model.generator_optimizer.iterations.numpy()) == 2
    assert int(model.discriminator_optimizer.iterations.numpy()) == 4


def test_save_load_continues_training_exactly(tmp_path):
    model = _acgan((8, 8, 1), class_weight=0.5, ema_decay=0.9)
    images, labels = fake_images(16, seed=1), fake_labels(16, seed=1)
    model.fit(images, labels, batch_size=8, shuffle=False, verbose=0)
    model.save(tmp_path / "acgan.keras")
    loaded = keras.models.load_model(tmp_path / "acgan.keras")
    assert isinstance(loaded, ACGAN) and loaded.class_weight == 0.5
    more_images, more_labels = fake_images(16, seed=2), fake_labels(16, seed=2)
    for which in (model, loaded):
        which.fit(more_images, more_labels, batch_size=8, shuffle=False, verbose=0)
    assert int(loaded.step_counter.numpy()) == 4
    assert len(model.weights) == len(loaded.weights)
    assert_variables_close(model.weights, loaded.weights)


def test_export_serves_the_classifier_as_a_named_signature(tmp_path):
    model = _acgan((8, 8, 1))
    # Moved BatchNorm statistics: an export in training mode would not match.
    model.fit(fake_images(16), fake_labels(16), batch_size=8, verbose=0)
    manifest = export.export_model(model, tmp_path, "acgan", formats="saved_model")
    assert manifest["saved_model"]["signatures"]["classify"] == {
        "inputs": {"image": {"dtype": "float32", "shape": [None, 8, 8, 1]}},
        "outputs": {"class_logits": {"dtype": "float32", "shape": [None, 3]}},
    }
    loaded = tf.saved_model.load(str(tmp_path / "saved_model" / "acgan" / "1"))
    images = fake_images(5, seed=3)
    served = loaded.signatures["classify"](image=tf.constant(images))["class_logits"].numpy()
    np.testing.assert_allclose(served, model.classifier(images, training=False), atol=1e-5)
    np.testing.assert_array_equal(np.argmax(served, 1), model.predict_classes(images))
    latent, labels = model.latent_for_seed(3, 0), np.array([0, 1, 2], np.int32)
    samples = loaded.signatures["serving_default"](latent=latent, label=labels)["image"].numpy()
    np.testing.assert_allclose(samples, model.generate(latent=latent, labels=labels), atol=1e-5)


def test_recipe_builds_an_acgan_that_trains(monkeypatch):
    monkeypatch.setitem(models.MODELS, "acgan", ACGAN)
    recipe = Recipe(name="acgan_test", model="acgan", conditional=True, dataset="gen:shapes:64", latent_dim=8,
                    generator_options={"base_filters": 4}, discriminator_options={"base_filters": 4},
                    model_options={"class_weight": 0.5}, batch_size=8)
    model = training.build_model(recipe)
    assert isinstance(model, ACGAN) and model.class_weight == 0.5 and model.num_classes == 3
    history = model.fit(training.make_dataset(recipe), steps_per_epoch=1, shuffle=False, verbose=0)
    assert np.isfinite(history.history["d_class_real"][-1])
    with pytest.raises(ValueError, match="ACGAN needs labels"):
        training.build_model(Recipe(model="acgan", dataset="gen:shapes:64"))


def test_bad_arguments_are_refused():
    generator, discriminator = tiny_class_head_networks((6,), 3, head="auxiliary", conditional_generator=True)
    with pytest.raises(ValueError, match="num_classes is required"):
        ACGAN(generator, discriminator)
    with pytest.raises(ValueError, match=r"class_weight must be a number in \[0, inf\). Received: class_weight=-1"):
        ACGAN(generator, discriminator, num_classes=3, class_weight=-1)
    with pytest.raises(ValueError, match="class_logits of 4 classes"):
        ACGAN(generator, discriminator, num_classes=4)
    plain = keras.Model(discriminator.input, discriminator.outputs[0])
    with pytest.raises(ValueError, match=r"returns \[score, class_logits"):
        ACGAN(generator, plain, num_classes=3)
    with pytest.raises(ValueError, match="must not take one"):
        class_heads.auxiliary_classifier_discriminator(networks.mlp_discriminator((6,), num_classes=3), 3)




@pytest.mark.parametrize("kwargs", [{"class_weight": 0.7}, {"feature_matching": True, "r1_weight": 1.0}],
                         ids=["plain", "feature_matching_r1"])
def test_mirrored_step_equals_single_device_step(mirrored, kwargs):
    def build():
        return _acgan(optimizers=(keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1)), **kwargs)

    assert_mirrored_step_equals_single_device_step(mirrored, build, fake_images(8, (6,)), fake_labels(8))
