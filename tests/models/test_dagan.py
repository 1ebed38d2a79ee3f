"""DAGAN: variations of a given image; D judges same-class pairs against (image, variation) pairs."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from conftest import fake_images, fake_labels, max_change, snapshot
from model_testing import assert_mirrored_step_equals_single_device_step, assert_variables_close, compile_tiny
from tfgan_zoo import distribution
from tfgan_zoo.models.dagan import DAGAN, same_class_partners
from tfgan_zoo.networks import dagan as dagan_networks

SHAPE = (8, 8, 1)


def _dagan(jit_compile=False, **kwargs):
    generator = dagan_networks.image_conditioned_generator(SHAPE, 4, code_dim=4, base_filters=4)
    discriminator = dagan_networks.pair_discriminator(SHAPE, base_filters=4)
    return compile_tiny(DAGAN(generator, discriminator, **kwargs), jit_compile=jit_compile)


def test_partners_are_other_rows_of_the_same_class_in_one_cycle_per_class():
    labels = tf.constant([0, 1, 0, 2, 1, 0, 0], tf.int32)
    order = tf.random.stateless_uniform([7], seed=[1, 2])
    partners = same_class_partners(labels, order).numpy()
    np.testing.assert_array_equal(labels.numpy()[partners], labels.numpy())
    assert partners[3] == 3, "a class alone in the batch pairs with itself"
    for label, members in ((0, [0, 2, 5, 6]), (1, [1, 4])):
        # Following partners from any member visits the whole class once, then returns.
        row, visited = members[0], []
        for _ in members:
            visited.append(row)
            row = partners[row]
        assert sorted(visited) == members and row == members[0], label
    other = same_class_partners(labels, tf.random.stateless_uniform([7], seed=[3, 4])).numpy()
    np.testing.assert_array_equal(labels.numpy()[other], labels.numpy())


def test_each_update_moves_only_its_own_network_and_fit_runs_under_xla():
    model = _dagan()
    real, labels = tf.constant(fake_images(8, SHAPE)), tf.constant(fake_labels(8))
    g_before, d_before = snapshot(model.generator.trainable_variables), snapshot(model.discriminator.weights)
    terms = model.discriminator_step(real, labels, stream=0)
    assert max_change(g_before, model.generator.trainable_variables) == 0
    assert max_change(d_before, model.discriminator.weights) > 0 and np.isfinite(float(terms["d_loss"]))
    d_after = snapshot(model.discriminator.weights)
    model.generator_step(real, labels, stream=1)
    assert max_change(d_after, model.discriminator.weights) == 0
    assert all(np.any(old != new.numpy()) for old, new in zip(g_before, model.generator.trainable_variables))

    xla = _dagan(jit_compile=True, loss="hinge")
    history = xla.fit(fake_images(16, SHAPE), fake_labels(16), batch_size=8, verbose=0)
    assert set(history.history) == set(xla.loss_names)
    assert all(np.isfinite(values[-1]) for values in history.history.values())


def test_variations_keep_their_source_label_and_depend_on_the_noise():
    model = _dagan()
    images, labels = fake_images(3, SHAPE), np.array([2, 0, 1], np.int32)
    x, y = model.augment(images, labels, per_image=4, seed=5)
    assert x.shape == (12, *SHAPE) and x.dtype == np.float32 and np.all(np.abs(x) <= 1.0)
    np.testing.assert_array_equal(y, np.tile(labels, 4))
    # Rows i and i + 3 vary the same image with different noise.
    assert np.max(np.abs(x[0] - x[3])) > 0
    np.testing.assert_allclose(model.generate(sources=images, seed=5), x[:3], atol=1e-6)


def test_save_load_continues_training_exactly(tmp_path):
    model = _dagan(ema_decay=0.9)
    model.fit(fake_images(16, SHAPE, seed=1), fake_labels(16, seed=1), batch_size=8, shuffle=False, verbose=0)
    model.save(tmp_path / "dagan.keras")
    loaded = keras.models.load_model(tmp_path / "dagan.keras")
    assert isinstance(loaded, DAGAN) and loaded.loss == "non_saturating"
    for which in (model, loaded):
        which.fit(fake_images(16, SHAPE, seed=2), fake_labels(16, seed=2), batch_size=8, shuffle=False, verbose=0)
    assert_variables_close(model.weights, loaded.weights)


def test_bad_arguments_are_refused():
    model = _dagan()
    with pytest.raises(ValueError, match="takes an image, not a label"):
        DAGAN(model.generator, model.discriminator, num_classes=3)
    with pytest.raises(ValueError, match=r"takes \[latent, image\]"):
        DAGAN(model.discriminator, model.discriminator)
    with pytest.raises(ValueError, match="pass sources=images"):
        model.generate(4)
    with pytest.raises(ValueError, match="per_image=0"):
        model.augment(fake_images(2, SHAPE), [0, 1], per_image=0)
    with pytest.raises(ValueError, match="needs .images, labels. batches"):
        model.fit(fake_images(8, SHAPE), batch_size=8, verbose=0)


def test_mirrored_step_equals_single_device_step(mirrored):
    # 3 classes in a batch of 8: on 2 replicas of 4, some partners sit in the other replica's rows.
    def build():
        model = _dagan(ema_decay=0.9)
        model.compile(keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1))
        distribution.synchronize_batchnorm(model)
        return model

    assert_mirrored_step_equals_single_device_step(mirrored, build, fake_images(8, SHAPE), fake_labels(8))
