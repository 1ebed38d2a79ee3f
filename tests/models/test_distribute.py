"""One step under MirroredStrategy on 2 logical CPU devices equals one step without (PITFALL 4)."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from conftest import fake_images, fake_labels, tiny_gan
from tfgan_zoo import models


def _one_step(strategy, weights, data, d_optimizer="sgd", **kwargs):
    # SGD: its update is linear in the gradient, so a gradient scaled by the
    # number of replicas shows (Adam would normalise it away).
    with strategy.scope():
        d_opt = keras.optimizers.SGD(0.1) if d_optimizer == "sgd" else keras.optimizers.Adam(0.01)
        model = tiny_gan(optimizers=(keras.optimizers.SGD(0.1), d_opt), **kwargs)
        model.set_weights(weights)
    dataset = tf.data.Dataset.from_tensor_slices(data).batch(8, drop_remainder=True)
    history = model.fit(dataset, epochs=1, shuffle=False, verbose=0)
    return model, {name: values[-1] for name, values in history.history.items()}


@pytest.mark.parametrize(
    "kwargs",
    [
        {"loss": "non_saturating"},
        {"loss": "minimax"},
        {"loss": "wasserstein", "gradient_penalty_weight": 10.0, "ema_decay": 0.9},
        {"loss": "hinge", "num_classes": 3, "r1_weight": 1.0},
        {"loss": "least_squares", "feature_matching": True, "instance_noise": 0.1, "label_smoothing": 0.1,
         "historical_averaging": 0.1},
        {"loss": "wasserstein", "gradient_penalty_weight": 1.0, "gradient_penalty_on": "dragan",
         "weight_clip": 0.5, "pack": 2},
        {"model_class": models.UnrolledGAN, "unroll_steps": 2, "unroll_optimizer": "sgd"},
        # The default unrolling reads D's Adam slots inside the replica context.
        {"model_class": models.UnrolledGAN, "unroll_steps": 2, "d_optimizer": "adam"},
    ],
    ids=["non_saturating", "minimax", "wgan_gp_ema", "conditional_hinge_r1", "feature_matching_noise_history",
         "dragan_clip_pack", "unrolled", "unrolled_adam_state"],
)
def test_mirrored_step_equals_single_device_step(kwargs, mirrored):
    # MLP networks: no BatchNorm, whose per-replica statistics legitimately differ.
    kwargs = {"sample_shape": (6,), **kwargs}
    weights = tiny_gan(**{k: v for k, v in kwargs.items() if k != "d_optimizer"}).get_weights()
    images = fake_images(8, (6,))
    data = (images, fake_labels(8)) if "num_classes" in kwargs else images

    single, single_logs = _one_step(tf.distribute.get_strategy(), weights, data, **kwargs)
    mirrored, mirrored_logs = _one_step(mirrored, weights, data, **kwargs)

    for a, b in zip(single.weights, mirrored.weights):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6, err_msg=a.path)
    assert single_logs.keys() == mirrored_logs.keys()
    for name in single_logs:
        np.testing.assert_allclose(single_logs[name], mirrored_logs[name], rtol=1e-5, atol=1e-6, err_msg=name)
    assert int(mirrored.step_counter.numpy()) == 1
