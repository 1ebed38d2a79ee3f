"""ControlGAN: a classifier trained on real data only steers the generator with an adapted gamma."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from conftest import fake_images, fake_labels, max_change, snapshot
from tfgan_zoo import builders, export, models, networks, training
from tfgan_zoo.models.controlgan import ControlGAN
from tfgan_zoo.networks import classifiers
from tfgan_zoo.recipes.recipe import Recipe


def _control_gan(sample_shape=(8, 8, 1), num_classes=3, optimizers=None, classifier_optimizer=None,
                 jit_compile=False, **kwargs):
    """A small compiled ControlGAN: DCGAN networks for images, MLPs for vectors."""
    net = "mlp" if len(sample_shape) == 1 else "dcgan"
    options = {"hidden_units": [8]} if net == "mlp" else {"base_filters": 4}
    build_generator, build_discriminator = networks.NETWORKS[net]
    generator = build_generator(sample_shape, 4, num_classes=num_classes, **options)
    discriminator = build_discriminator(sample_shape, **options)
    classifier_options = {"hidden_units": [8]} if net == "mlp" else {"filters": [4, 8]}
    classifier = classifiers.build_classifier(None, sample_shape, num_classes, **classifier_options)
    model = ControlGAN(generator, discriminator, classifier, num_classes=num_classes, **kwargs)
    g_opt, d_opt = optimizers or (keras.optimizers.Adam(1e-3, beta_1=0.5), keras.optimizers.Adam(1e-3, beta_1=0.5))
    model.compile(g_opt, d_opt, classifier_optimizer=classifier_optimizer, jit_compile=jit_compile)
    return model


def _batch(count=8, shape=(8, 8, 1), seed=0):
    return tf.constant(fake_images(count, shape, seed)), tf.constant(fake_labels(count, seed=seed))


def test_networks_have_the_roles_of_the_paper():
    model = _control_gan()
    assert [t.name for t in model.generator.inputs] == ["latent", "label"]
    assert [t.name for t in model.discriminator.inputs] == ["image"]
    assert [t.name for t in model.classifier.inputs] == ["image"]
    assert model.classifier.outputs[0].shape[-1] == 3
    images, labels = _batch()
    # The discriminator's scores do not depend on the labels.
    np.testing.assert_array_equal(
        model.discriminate(images, labels, training=False), model.discriminate(images, (labels + 1) % 3, training=False)
    )


def test_classifier_update_uses_real_data_only():
    """Changing G (hence the generated samples) changes D's update but not the classifier's."""
    images, labels = _batch()
    updated = {}
    for name, scale in (("original", 1.0), ("other_generator", 3.0)):
        keras.utils.set_random_seed(0)
        model = _control_gan()
        for variable in model.generator.trainable_variables:
            variable.assign(variable * scale)
        classifier_before = snapshot(model.classifier.trainable_variables)
        terms = model.discriminator_step(images, labels, stream=0)
        assert np.isfinite(float(terms["c_loss"]))
        assert max_change(classifier_before, model.classifier.trainable_variables) > 0
        updated[name] = (snapshot(model.classifier.trainable_variables),
                         snapshot(model.discriminator.trainable_variables))
    (classifier_a, discriminator_a), (classifier_b, discriminator_b) = updated.values()
    for a, b in zip(classifier_a, classifier_b):
        np.testing.assert_array_equal(a, b)
    assert max(np.max(np.abs(a - b)) for a, b in zip(discriminator_a, discriminator_b)) > 0


def test_classifier_step_is_plain_cross_entropy_on_real_data():
    model = _control_gan(optimizers=(keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1)))
    images, labels = _batch()
    weights = [tf.convert_to_tensor(v) for v in model.classifier.trainable_variables]
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(
            keras.losses.sparse_categorical_crossentropy(labels, model.classifier(images), from_logits=True)
        )
    gradients = tape.gradient(loss, model.classifier.trainable_variables)
    terms = model.classifier_step(images, labels, stream=0)
    np.testing.assert_allclose(float(terms["c_loss"]), float(loss), rtol=1e-6)
    # The default classifier optimizer copies D's configuration: SGD(0.1).
    for w, g, v in zip(weights, gradients, model.classifier.trainable_variables):
        np.testing.assert_allclose(v.numpy(), (w - 0.1 * g).numpy(), rtol=1e-5, atol=1e-7)


def test_each_optimizer_moves_only_its_network():
    model = _control_gan()
    images, labels = _batch()
    # Trainable variables: G's BatchNorm statistics move whenever it generates in training mode.
    before = {name: snapshot(getattr(model, name).trainable_variables)
              for name in ("generator", "discriminator", "classifier")}
    model.discriminator_step(images, labels, stream=0)
    assert max_change(before["generator"], model.generator.trainable_variables) == 0
    assert max_change(before["discriminator"], model.discriminator.trainable_variables) > 0
    assert max_change(before["classifier"], model.classifier.trainable_variables) > 0

    model.gamma.assign(1.0)  # the classification term reaches G's update, never C's
    before = {name: snapshot(getattr(model, name).weights) for name in ("discriminator", "classifier")}
    generator_before = snapshot(model.generator.trainable_variables)
    model.generator_step(images, labels, stream=1)
    assert max_change(generator_before, model.generator.trainable_variables) > 0
    assert max_change(before["discriminator"], model.discriminator.weights) == 0
    assert max_change(before["classifier"], model.classifier.weights) == 0
    iterations = [int(opt.iterations.numpy()) for opt in
                  (model.generator_optimizer, model.discriminator_optimizer, model.classifier_optimizer)]
    assert iterations == [1, 1, 1]
    assert model.classifier_optimizer is not model.discriminator_optimizer


def test_generator_loss_adds_gamma_times_the_classification_loss():
    """With SGD the generator's update is linear in gamma: delta(2) - delta(0) = 2 (delta(1) - delta(0))."""
    images, labels = _batch(8, (6,))
    deltas = {}
    for gamma in (0.0, 1.0, 2.0):
        keras.utils.set_random_seed(0)
        model = _control_gan((6,), optimizers=(keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1)),
                             initial_gamma=gamma)
        before = snapshot(model.generator.trainable_variables)
        model.generator_step(images, labels, stream=1)
        deltas[gamma] = [v.numpy() - b for b, v in zip(before, model.generator.trainable_variables)]
    for d0, d1, d2 in zip(deltas[0.0], deltas[1.0], deltas[2.0]):
        np.testing.assert_allclose(d2 - d0, 2.0 * (d1 - d0), rtol=1e-4, atol=1e-7)
    assert max(np.max(np.abs(d1 - d0)) for d0, d1 in zip(deltas[0.0], deltas[1.0])) > 1e-6


def test_gamma_follows_the_update_rule_and_is_clipped():
    model = _control_gan(initial_gamma=0.5, gamma_learning_rate=0.1, gamma_ratio=1.5)
    terms = model.update_gamma(tf.constant(0.4), tf.constant(1.0))
    # 0.5 + 0.1 * (1.0 - 1.5 * 0.4)
    np.testing.assert_allclose(model.gamma.numpy(), 0.54, rtol=1e-6)
    np.testing.assert_allclose(float(terms["gamma"]), 0.54, rtol=1e-6)
    model.gamma.assign(0.01)
    model.update_gamma(tf.constant(2.0), tf.constant(0.1))  # 0.01 + 0.1 * (0.1 - 3.0) < 0
    assert model.gamma.numpy() == 0.0

    capped = _control_gan(initial_gamma=1.9, gamma_learning_rate=0.1, max_gamma=2.0)
    capped.update_gamma(tf.constant(0.0), tf.constant(5.0))
    np.testing.assert_allclose(capped.gamma.numpy(), 2.0)


def test_fit_updates_gamma_once_per_step_from_the_logged_losses():
    model = _control_gan((6,), initial_gamma=0.3, gamma_learning_rate=0.05, gamma_ratio=1.2)
    images, labels = _batch(8, (6,))
    logs = model.fit(images.numpy(), labels.numpy(), batch_size=8, verbose=0).history
    expected = max(0.0, 0.3 + 0.05 * (logs["class_loss_fake"][0] - 1.2 * logs["class_loss_real"][0]))
    np.testing.assert_allclose(model.gamma.numpy(), expected, rtol=1e-5)
    np.testing.assert_allclose(logs["gamma"][0], expected, rtol=1e-5)
    assert int(model.step_counter.numpy()) == 1


def test_default_classifier_optimizer_is_a_fresh_copy_of_the_discriminators():
    model = _control_gan(optimizers=(keras.optimizers.Adam(1e-3), keras.optimizers.RMSprop(3e-4, rho=0.8)))
    assert isinstance(model.classifier_optimizer, keras.optimizers.RMSprop)
    assert model.classifier_optimizer.get_config() == model.discriminator_optimizer.get_config()
    assert model.classifier_optimizer is not model.discriminator_optimizer
    # Built on the classifier's variables: RMSprop keeps one slot shaped like each of them.
    slots = sorted(tuple(v.shape) for v in model.classifier_optimizer.variables if len(v.shape))
    assert slots == sorted(tuple(v.shape) for v in model.classifier.trainable_variables)
    explicit = _control_gan(classifier_optimizer=keras.optimizers.SGD(0.05, momentum=0.9))
    assert isinstance(explicit.classifier_optimizer, keras.optimizers.SGD)


def test_save_and_load_continue_exactly(tmp_path):
    model = _control_gan(initial_gamma=0.2, gamma_learning_rate=0.05, ema_decay=0.9,
                         classifier_optimizer=keras.optimizers.Adam(5e-3, beta_1=0.9), classifier_augment="translation")
    first = fake_images(16, seed=1), fake_labels(16, seed=1)
    second = fake_images(16, seed=2), fake_labels(16, seed=2)
    model.fit(*first, batch_size=8, shuffle=False, verbose=0)
    model.save(tmp_path / "controlgan.keras")
    loaded = keras.models.load_model(tmp_path / "controlgan.keras")

    assert loaded.get_config()["classifier_augment"] == "translation"
    assert float(loaded.classifier_optimizer.learning_rate) == pytest.approx(5e-3)
    np.testing.assert_array_equal(loaded.gamma.numpy(), model.gamma.numpy())
    assert model.gamma.numpy() != 0.2
    for mine, theirs in zip(model.classifier_optimizer.variables, loaded.classifier_optimizer.variables):
        np.testing.assert_array_equal(mine.numpy(), theirs.numpy())
    assert int(loaded.classifier_optimizer.iterations.numpy()) == 2

    model.fit(*second, batch_size=8, shuffle=False, verbose=0)
    loaded.fit(*second, batch_size=8, shuffle=False, verbose=0)
    assert len(model.weights) == len(loaded.weights)
    for mine, theirs in zip(model.weights, loaded.weights):
        np.testing.assert_allclose(mine.numpy(), theirs.numpy(), rtol=1e-5, atol=1e-6, err_msg=mine.path)
    for mine, theirs in zip(model.classifier_optimizer.variables, loaded.classifier_optimizer.variables):
        np.testing.assert_allclose(mine.numpy(), theirs.numpy(), rtol=1e-5, atol=1e-6, err_msg=mine.path)


def test_export_serves_the_classifier_as_a_named_signature(tmp_path):
    model = _control_gan()
    manifest = export.export_model(model, tmp_path, "controlgan", formats="saved_model")
    assert manifest["saved_model"]["signatures"]["classify"] == {
        "inputs": {"image": {"dtype": "float32", "shape": [None, 8, 8, 1]}},
        "outputs": {
            "logits": {"dtype": "float32", "shape": [None, 3]},
            "probabilities": {"dtype": "float32", "shape": [None, 3]},
        },
    }
    loaded = tf.saved_model.load(str(tmp_path / "saved_model" / "controlgan" / "1"))
    images = fake_images(5, seed=3)
    served = loaded.signatures["classify"](image=tf.constant(images))
    logits = model.classifier(images, training=False).numpy()
    np.testing.assert_allclose(served["logits"], logits, atol=1e-5)
    np.testing.assert_allclose(served["probabilities"], tf.nn.softmax(logits), atol=1e-5)
    latent, labels = model.latent_for_seed(3, 0), np.array([0, 1, 2], np.int32)
    samples = loaded.signatures["serving_default"](latent=latent, label=labels)["image"]
    np.testing.assert_allclose(samples, model.generate_from(latent, labels), atol=1e-5)


def test_fit_with_xla():
    model = _control_gan((6,), jit_compile=True, d_steps=2, initial_gamma=0.1)
    history = model.fit(fake_images(32, (6,)), fake_labels(32), batch_size=16, verbose=0).history
    assert all(np.isfinite(values[-1]) for values in history.values())
    assert int(model.classifier_optimizer.iterations.numpy()) == 4  # once per discriminator update
    assert int(model.generator_optimizer.iterations.numpy()) == 2
    assert model.gamma.numpy() != 0.1




def test_mirrored_step_equals_single_device_step(mirrored):
    """gamma, the classifier and the networks come out of one step as without distribution."""
    kwargs = dict(initial_gamma=0.5, gamma_learning_rate=0.1, feature_matching=True)
    weights = _control_gan((6,), **kwargs).get_weights()
    data = (fake_images(8, (6,)), fake_labels(8))
    results = []
    for strategy in (tf.distribute.get_strategy(), mirrored):
        with strategy.scope():
            sgd = (keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1))
            model = _control_gan((6,), optimizers=sgd, **kwargs)
            model.set_weights(weights)
        dataset = tf.data.Dataset.from_tensor_slices(data).batch(8, drop_remainder=True)
        logs = model.fit(dataset, shuffle=False, verbose=0).history
        results.append((model, logs))
    (single, single_logs), (distributed, distributed_logs) = results
    assert single.gamma.numpy() != 0.5
    for a, b in zip(single.weights, distributed.weights):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6, err_msg=a.path)
    for name in single_logs:
        np.testing.assert_allclose(single_logs[name], distributed_logs[name], rtol=1e-5, atol=1e-6, err_msg=name)


def test_recipe_builds_an_unconditional_discriminator_and_trains(monkeypatch):
    monkeypatch.setitem(models.MODELS, "controlgan", ControlGAN)
    recipe = Recipe(
        name="controlgan_test", model="controlgan", conditional=True, dataset="gen:ring8", networks="mlp",
        generator_options={"hidden_units": [8], "output_activation": None},
        discriminator_options={"hidden_units": [8]}, latent_dim=4,
        model_options={"classifier_options": {"hidden_units": [5]}, "gamma_learning_rate": 0.01, "max_gamma": 2.0},
        batch_size=8, d_lr=3e-4,
    )
    model = training.build_model(recipe)
    assert isinstance(model, ControlGAN) and model.max_gamma == 2.0
    assert [t.name for t in model.discriminator.inputs] == ["sample"]
    assert model.classifier.get_layer("dense_0").units == 5
    assert model.classifier.outputs[0].shape[-1] == 8  # the ring's components are the classes
    assert float(model.classifier_optimizer.learning_rate) == pytest.approx(3e-4)
    history = model.fit(training.make_dataset(recipe), steps_per_epoch=2, shuffle=False, verbose=0).history
    assert np.isfinite(history["c_loss"][-1]) and np.isfinite(history["gamma"][-1])
    with pytest.raises(ValueError, match="set conditional=True"):
        builders.get_builder("controlgan").build(recipe, (32, 32, 3), None)


def test_options_are_validated():
    build_generator, build_discriminator = networks.NETWORKS["mlp"]
    generator = build_generator((6,), 4, num_classes=3, hidden_units=[8])
    classifier = classifiers.mlp_classifier((6,), 3, hidden_units=[8])
    discriminator = build_discriminator((6,), hidden_units=[8])
    with pytest.raises(ValueError, match="set num_classes. Received: num_classes=None"):
        ControlGAN(generator, discriminator, classifier)
    with pytest.raises(ValueError, match="discriminator does not see labels"):
        ControlGAN(generator, build_discriminator((6,), num_classes=3, hidden_units=[8]), classifier, num_classes=3)
    with pytest.raises(ValueError, match="to 3 logits"):
        ControlGAN(generator, discriminator, classifiers.mlp_classifier((6,), 4), num_classes=3)
    for option, value in (("gamma_learning_rate", -1.0), ("gamma_ratio", 0.0), ("initial_gamma", -0.1)):
        with pytest.raises(ValueError, match=f"Received: {option}={value!r}"):
            ControlGAN(generator, discriminator, classifier, num_classes=3, **{option: value})
    with pytest.raises(ValueError, match="classifier_augment augments images"):
        ControlGAN(generator, discriminator, classifier, num_classes=3, classifier_augment="cutout")
    with pytest.raises(ValueError, match="Unknown classifier"):
        classifiers.build_classifier("resnet", (6,), 3)
