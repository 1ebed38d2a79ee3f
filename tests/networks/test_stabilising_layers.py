"""MinibatchStdDev and MinibatchDiscrimination against numpy references."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from tfgan_zoo.layers import MinibatchDiscrimination, MinibatchStdDev


def stddev_reference(x, group_size):
    """Per-example statistic: mean over features of the std across its group."""
    batch = x.shape[0]
    group = group_size if batch % group_size == 0 else batch
    flat = x.reshape(batch // group, group, -1).astype(np.float64)
    per_group = np.sqrt(flat.var(axis=1) + 1e-8).mean(axis=1)
    return np.repeat(per_group, group)


def discrimination_reference(x, kernel, num_kernels, kernel_dim):
    m = (x.astype(np.float64) @ kernel).reshape(len(x), num_kernels, kernel_dim)
    out = np.zeros((len(x), num_kernels))
    for i in range(len(x)):
        for j in range(len(x)):
            if i != j:
                out[i] += np.exp(-np.abs(m[i] - m[j]).sum(axis=-1))
    return np.concatenate([x, out], axis=1)


def random(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


@pytest.mark.parametrize("shape", [(8, 3, 3, 2), (8, 5)])
@pytest.mark.parametrize("batch", [8, 6])  # 6 is not a multiple of 4: one group
def test_stddev_appends_group_statistic(shape, batch):
    x = random((batch, *shape[1:]))
    y = MinibatchStdDev(group_size=4)(x).numpy()
    assert y.shape == (*x.shape[:-1], x.shape[-1] + 1)
    np.testing.assert_array_equal(y[..., :-1], x)
    expected = stddev_reference(x, 4)
    appended = y[..., -1].reshape(batch, -1)
    np.testing.assert_allclose(appended, np.repeat(expected[:, None], appended.shape[1], axis=1), rtol=1e-5)
    if batch == 8:  # two groups with different statistics
        assert not np.isclose(expected[0], expected[4])


def test_stddev_dynamic_batch_under_xla():
    layer = MinibatchStdDev(group_size=4)
    spec = tf.TensorSpec([None, 3, 3, 2], tf.float32)
    run = tf.function(layer, input_signature=[spec], jit_compile=True)
    for batch in (8, 6, 3):
        x = random((batch, 3, 3, 2), seed=batch)
        np.testing.assert_allclose(run(x).numpy()[:, 0, 0, -1], stddev_reference(x, 4), rtol=1e-5)


def test_stddev_keeps_half_precision():
    x = tf.constant(random((4, 5)), tf.float16)
    y = MinibatchStdDev(group_size=2, dtype="float16")(x)
    assert y.dtype == tf.float16
    np.testing.assert_allclose(y.numpy()[:, -1], stddev_reference(x.numpy().astype("float32"), 2), rtol=1e-2)


def test_stddev_rejects_bad_arguments():
    with pytest.raises(ValueError, match="group_size=0"):
        MinibatchStdDev(group_size=0)
    with pytest.raises(ValueError, match="input_shape"):
        MinibatchStdDev()(np.zeros((2, 3, 4), "float32"))


def test_discrimination_matches_reference():
    layer = MinibatchDiscrimination(
        3, kernel_dim=2, kernel_initializer=keras.initializers.RandomNormal(stddev=0.3, seed=1)
    )
    x = random((5, 4))
    y = layer(x).numpy()
    assert y.shape == (5, 4 + 3)
    expected = discrimination_reference(x, layer.kernel.numpy().astype(np.float64), 3, 2)
    np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-6)
    assert np.all(y[:, 4:] > 0)


def test_discrimination_of_identical_examples_counts_the_others():
    # Every other example is at distance 0: o = B - 1 for each kernel.
    y = MinibatchDiscrimination(2)(np.ones((4, 3), "float32")).numpy()
    np.testing.assert_allclose(y[:, 3:], 3.0, rtol=1e-6)


def test_discrimination_config_round_trip():
    layer = MinibatchDiscrimination(3, kernel_dim=4, name="mbd")
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(layer))
    assert isinstance(restored, MinibatchDiscrimination)
    assert (restored.num_kernels, restored.kernel_dim, restored.name) == (3, 4, "mbd")
    stddev = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(MinibatchStdDev(group_size=2)))
    assert isinstance(stddev, MinibatchStdDev) and stddev.group_size == 2


def test_saved_model_with_both_layers_reloads(tmp_path):
    inputs = keras.Input((4,))
    x = MinibatchStdDev(group_size=2)(inputs)
    x = MinibatchDiscrimination(3)(x)
    model = keras.Model(inputs, keras.layers.Dense(1)(x))
    path = str(tmp_path / "model.keras")
    model.save(path)
    restored = keras.models.load_model(path)
    x = random((4, 4))
    np.testing.assert_allclose(restored(x).numpy(), model(x).numpy(), rtol=1e-6)
    assert restored.count_params() == model.count_params()


def test_discrimination_rejects_bad_arguments():
    with pytest.raises(ValueError, match="num_kernels=0"):
        MinibatchDiscrimination(0)
    with pytest.raises(ValueError, match="input_shape"):
        MinibatchDiscrimination(2)(np.zeros((2, 3, 4), "float32"))
