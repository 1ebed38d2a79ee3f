"""The train function `fit` calls: on one replica with one step per call, the step without Keras's Optional."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from conftest import fake_images, tiny_gan


def _twins(jit_compile=False):
    """Two identical tiny GANs: one with the zoo's train function, one with Keras's own."""
    zoo, plain_keras = tiny_gan(jit_compile=jit_compile), tiny_gan(jit_compile=jit_compile)
    plain_keras.set_weights(zoo.get_weights())
    zoo.make_train_function(force=True)
    keras.Model.make_train_function(plain_keras, force=True)
    return zoo, plain_keras


def _batches(count):
    return tf.data.Dataset.from_tensor_slices(fake_images(4 * count, seed=3)).batch(4)


@pytest.mark.parametrize("jit_compile", [False, True])
def test_direct_function_steps_exactly_as_keras_function(jit_compile):
    zoo, plain_keras = _twins(jit_compile)
    zoo_iterator, keras_iterator = iter(_batches(3)), iter(_batches(3))
    for _ in range(3):
        zoo_logs, keras_logs = zoo.train_function(zoo_iterator), plain_keras.train_function(keras_iterator)
        assert zoo_logs.keys() == keras_logs.keys()
        for name in zoo_logs:
            np.testing.assert_allclose(zoo_logs[name], keras_logs[name], rtol=1e-6, err_msg=name)
    for ours, theirs in zip(zoo.get_weights(), plain_keras.get_weights()):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-7)
    assert int(zoo.step_counter.numpy()) == 3
    with pytest.raises(tf.errors.OutOfRangeError):
        zoo.train_function(zoo_iterator)


def test_fit_ends_each_epoch_of_a_finite_dataset_at_its_end():
    model = tiny_gan()
    history = model.fit(_batches(3), epochs=2, shuffle=False, verbose=0)
    assert int(model.step_counter.numpy()) == 6 and len(history.history["d_loss"]) == 2


def test_several_steps_per_call_keep_keras_function():
    model = tiny_gan()
    model.steps_per_execution = 2
    model.make_train_function(force=True)
    logs = model.train_function(iter(_batches(3)))
    assert int(model.step_counter.numpy()) == 2 and np.isfinite(float(logs["g_loss"]))
