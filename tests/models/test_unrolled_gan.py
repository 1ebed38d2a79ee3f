"""Unrolled GAN: the generator sees k discriminator updates ahead; D itself is untouched."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from conftest import fake_images, max_change, snapshot, tiny_gan
from tfgan_zoo import models


def _unrolled(**kwargs):
    return tiny_gan((6,), model_class=models.UnrolledGAN, **kwargs)


def _points(count, seed=0):
    return tf.constant(fake_images(count, (6,), seed))


def _generator_gradients(model, real, latent):
    with tf.GradientTape() as tape:
        fake = model.generate_from(latent, training=True)
        loss, _ = model.generator_objective(real, fake, None, stream=0)
    return [g.numpy() for g in tape.gradient(loss, model.generator.trainable_variables)]


def test_unrolling_leaves_the_discriminator_variables_as_they_were():
    model = _unrolled(unroll_steps=3)
    d_before, g_before = snapshot(model.discriminator.weights), snapshot(model.generator.trainable_variables)
    terms = model.generator_step(_points(8), None, stream=1)
    assert np.isfinite(float(terms["g_loss"]))
    assert max_change(d_before, model.discriminator.weights) == 0
    assert int(model.discriminator_optimizer.iterations.numpy()) == 0
    assert max_change(g_before, model.generator.trainable_variables) > 0


def test_zero_unroll_steps_is_the_plain_gan_objective():
    model = _unrolled(unroll_steps=0)
    real, fake = _points(8, 1), _points(8, 2)
    loss, _ = model.generator_objective(real, fake, None, stream=0)
    expected = np.mean(tf.nn.softplus(-model.discriminator(fake)).numpy())
    np.testing.assert_allclose(float(loss), expected, rtol=1e-6)


def test_one_sgd_unrolled_step_is_a_gradient_step_on_the_discriminator_loss():
    model = _unrolled(unroll_steps=1, unroll_optimizer="sgd", unroll_learning_rate=0.5)
    real, fake = _points(8, 1), _points(8, 2)
    weights = [tf.convert_to_tensor(v) for v in model.discriminator.trainable_variables]
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(model.discriminator_loss(model.discriminator(real), model.discriminator(fake)))
    gradients = tape.gradient(loss, model.discriminator.trainable_variables)
    moments = [(tf.zeros_like(w), tf.zeros_like(w)) for w in weights]
    unrolled, _ = model.unrolled_update(weights, moments, 1, real, fake, None)
    for w, g, u in zip(weights, gradients, unrolled):
        np.testing.assert_allclose(u.numpy(), (w - 0.5 * g).numpy(), rtol=1e-5, atol=1e-7)


def test_unrolling_and_its_second_order_term_change_the_generator_gradient():
    real, latent = _points(8, 1), tf.random.stateless_normal([8, 4], seed=[1, 2])
    gradients = {}
    for name, options in {
        "plain": dict(unroll_steps=0),
        "first_order": dict(unroll_steps=3, second_order=False, unroll_learning_rate=0.05),
        "second_order": dict(unroll_steps=3, second_order=True, unroll_learning_rate=0.05),
    }.items():
        keras.utils.set_random_seed(0)
        gradients[name] = _generator_gradients(_unrolled(**options), real, latent)
    for a, b in (("plain", "first_order"), ("first_order", "second_order")):
        difference = max(np.max(np.abs(x - y)) for x, y in zip(gradients[a], gradients[b]))
        assert difference > 1e-6, (a, b)
        assert all(np.all(np.isfinite(g)) for g in gradients[b])


def test_second_order_generator_gradient_matches_finite_differences():
    """The gradient through three unrolled SGD updates is the derivative of the unrolled loss."""
    model = _unrolled(unroll_steps=3, unroll_optimizer="sgd", unroll_learning_rate=0.1)
    real, latent = _points(8, 1), tf.random.stateless_normal([8, 4], seed=[1, 2])

    def loss():
        return float(model.generator_objective(real, model.generate_from(latent, training=True), None, stream=0)[0])

    variable = model.generator.trainable_variables[0]
    gradient = _generator_gradients(model, real, latent)[0]
    base, eps = variable.numpy(), 1e-3
    for index in [(0, 0), (1, 3), (2, 5)]:
        shifted = [base.copy(), base.copy()]
        shifted[0][index] += eps
        shifted[1][index] -= eps
        values = []
        for weights in shifted:
            variable.assign(weights)
            values.append(loss())
        variable.assign(base)
        np.testing.assert_allclose(gradient[index], (values[0] - values[1]) / (2 * eps), rtol=0.02, atol=2e-4)


def test_default_unrolling_continues_the_discriminators_own_adam():
    """One unrolled step from D's moments and step count equals the step D's optimizer would take."""
    model = _unrolled(unroll_steps=1)
    model.fit(fake_images(16, (6,)), batch_size=8, verbose=0)  # moments and step count now non-trivial
    real, fake = _points(8, 1), _points(8, 2)
    moments, first_step, adam, rate = model.unroll_start()
    assert float(first_step) == 3.0 and float(rate) == pytest.approx(float(model.discriminator_optimizer.learning_rate))
    weights = [tf.convert_to_tensor(v) for v in model.discriminator.trainable_variables]
    unrolled, _ = model.unrolled_update(weights, moments, first_step, real, fake, None, adam=adam, rate=rate)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(model.discriminator_loss(model.discriminator(real), model.discriminator(fake)))
    variables = model.discriminator.trainable_variables
    model.discriminator_optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
    for u, variable in zip(unrolled, variables):
        np.testing.assert_allclose(u.numpy(), variable.numpy(), rtol=1e-4, atol=1e-6)


def test_discriminator_unrolling_needs_an_adam_discriminator():
    with pytest.raises(ValueError, match="Received: discriminator_optimizer=RMSprop"):
        _unrolled(optimizers=("adam", "rmsprop"))
    model = _unrolled(unroll_optimizer="sgd", unroll_learning_rate=0.1, optimizers=("adam", "rmsprop"))
    assert model.unroll_optimizer == "sgd"


@pytest.mark.parametrize("jit_compile", [False, True])
def test_unrolled_gan_trains_with_fit(jit_compile):
    model = _unrolled(unroll_steps=2, jit_compile=jit_compile)
    history = model.fit(fake_images(16, (6,)), batch_size=8, verbose=0)
    assert all(np.isfinite(values[-1]) for values in history.history.values())
    assert int(model.generator_optimizer.iterations.numpy()) == 2


def test_unrolled_options_are_validated_and_saved(tmp_path):
    with pytest.raises(ValueError, match="unroll_steps must be an int >= 0. Received: unroll_steps=-1"):
        _unrolled(unroll_steps=-1)
    with pytest.raises(ValueError, match="unroll_optimizer must be one of"):
        _unrolled(unroll_optimizer="rmsprop")
    with pytest.raises(ValueError, match="feature_matching=True"):
        _unrolled(feature_matching=True)
    model = _unrolled(unroll_steps=4, unroll_learning_rate=0.01, second_order=False)
    path = str(tmp_path / "unrolled.keras")
    model.save(path)
    config = keras.models.load_model(path).get_config()
    assert (config["unroll_steps"], config["unroll_learning_rate"], config["second_order"]) == (4, 0.01, False)
