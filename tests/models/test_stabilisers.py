"""Each stabilisation switch of `GAN` changes what it should and nothing else."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from conftest import fake_images, fake_labels, max_change, snapshot, tiny_gan
from tfgan_zoo import losses, models
from tfgan_zoo.models import stabilisers
from tfgan_zoo.models.gan import FAKE, REAL


def _points(count, seed=0):
    return fake_images(count, (6,), seed)


def test_weight_clipping_bounds_every_critic_weight_and_no_generator_weight():
    model = tiny_gan((6,), loss="wasserstein", weight_clip=0.01, d_steps=2)
    history = model.fit(_points(32), batch_size=16, epochs=1, verbose=0)
    assert np.isfinite(history.history["d_loss"][-1])
    for variable in model.discriminator.trainable_variables:
        assert np.max(np.abs(variable.numpy())) <= 0.01 + 1e-7, variable.path
    assert max(np.max(np.abs(v.numpy())) for v in model.generator.trainable_variables) > 0.05


def test_label_smoothing_reaches_the_discriminator_loss_only():
    model = tiny_gan(label_smoothing=0.2, loss="minimax")
    real, fake = tf.constant([0.5, -1.0]), tf.constant([1.5, 0.0])
    np.testing.assert_allclose(
        model.discriminator_loss(real, fake), losses.minimax_discriminator_loss(real, fake, label_smoothing=0.2)
    )
    assert not np.allclose(model.discriminator_loss(real, fake), losses.minimax_discriminator_loss(real, fake))
    with pytest.raises(ValueError, match="label_smoothing needs a loss with a real target"):
        tiny_gan(label_smoothing=0.1, loss="hinge")
    with pytest.raises(ValueError, match=r"label_smoothing must be a number in \[0, 1\)"):
        tiny_gan(label_smoothing=1.0)


def test_instance_noise_has_the_annealed_std_and_independent_draws():
    model = tiny_gan((6,), instance_noise=0.5, instance_noise_steps=100)
    zeros = tf.zeros([4000, 6])
    noise = model.critic_inputs(zeros, 0, REAL).numpy()
    assert abs(noise.std() - 0.5) < 0.01 and abs(noise.mean()) < 0.01
    assert not np.allclose(noise, model.critic_inputs(zeros, 0, FAKE).numpy())
    model.step_counter.assign(50)
    assert abs(model.critic_inputs(zeros, 0, REAL).numpy().std() - 0.25) < 0.01
    model.step_counter.assign(100)
    np.testing.assert_array_equal(model.critic_inputs(zeros, 0, REAL).numpy(), 0.0)


def test_without_switches_the_discriminator_sees_the_batch_unchanged():
    model = tiny_gan()
    images = tf.constant(fake_images(4))
    np.testing.assert_array_equal(model.critic_inputs(images, 0, REAL).numpy(), images.numpy())


def test_diff_augment_changes_what_d_sees_in_both_updates_and_trains_under_xla():
    model = tiny_gan((8, 8, 3), diff_augment="color,translation,cutout", jit_compile=True)
    images = tf.constant(fake_images(4, (8, 8, 3)))
    assert not np.allclose(model.critic_inputs(images, 0, REAL).numpy(), images.numpy())
    g_before, d_before = (
        snapshot(model.generator.trainable_variables),
        snapshot(model.discriminator.trainable_variables),
    )
    history = model.fit(fake_images(16, (8, 8, 3)), batch_size=8, verbose=0)
    assert np.isfinite(history.history["g_loss"][-1])
    assert max_change(g_before, model.generator.trainable_variables) > 0
    assert max_change(d_before, model.discriminator.trainable_variables) > 0
    with pytest.raises(ValueError, match="policy"):
        tiny_gan(diff_augment="colour")


def test_feature_matching_loss_is_the_distance_between_mean_features():
    model = tiny_gan(feature_matching=True)
    real, fake = tf.constant(fake_images(8, seed=1)), tf.constant(fake_images(8, seed=2))
    loss, terms = model.generator_objective(real, fake, None, stream=0)
    real_features, _ = model.feature_network(real, training=True)
    fake_features, _ = model.feature_network(fake, training=True)
    expected = np.sum((real_features.numpy().mean(0) - fake_features.numpy().mean(0)) ** 2)
    np.testing.assert_allclose(float(loss), expected, rtol=1e-5)
    np.testing.assert_allclose(float(terms["g_loss"]), expected, rtol=1e-5)
    # The feature network is the discriminator's own trunk, not a copy.
    assert {id(v) for v in model.feature_network.trainable_variables} == {
        id(v) for v in model.discriminator.trainable_variables
    }


def test_feature_matching_generator_step_moves_only_the_generator():
    model = tiny_gan(feature_matching=True)
    g_before, d_before = (
        snapshot(model.generator.trainable_variables),
        snapshot(model.discriminator.trainable_variables),
    )
    model.generator_step(tf.constant(fake_images(8)), None, stream=1)
    assert max_change(g_before, model.generator.trainable_variables) > 0
    assert max_change(d_before, model.discriminator.trainable_variables) == 0


def test_historical_average_is_the_mean_of_all_snapshots():
    network = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    owner = keras.layers.Layer()
    average = stabilisers.HistoricalAverage(owner, network, "net")
    snapshots = [snapshot(network.trainable_variables)]
    for update in range(1, 4):
        for variable in network.trainable_variables:
            variable.assign(np.random.default_rng(update).normal(size=variable.shape))
        snapshots.append(snapshot(network.trainable_variables))
        average.update(update)
    for index, variable in enumerate(average.averages):
        np.testing.assert_allclose(variable.numpy(), np.mean([s[index] for s in snapshots], axis=0), rtol=1e-5)
    expected = sum(np.sum((s - a.numpy()) ** 2) for s, a in zip(snapshots[-1], average.averages))
    np.testing.assert_allclose(float(average.penalty()), expected, rtol=1e-5)


def test_historical_averaging_logs_both_penalties_and_tracks_the_weights():
    model = tiny_gan((6,), historical_averaging=0.5)
    initial = snapshot(model.discriminator.trainable_variables)
    history = model.fit(_points(16), batch_size=8, epochs=1, verbose=0)
    assert history.history["d_history_penalty"][-1] > 0 and history.history["g_history_penalty"][-1] > 0
    # After 2 updates the average holds 3 snapshots: it has moved, but not to the live weights.
    averages = model.history_averages["discriminator"].averages
    assert max_change(initial, averages) > 0
    assert max_change(snapshot(model.discriminator.trainable_variables), averages) > 0


def test_pack_scores_groups_of_samples_jointly():
    model = tiny_gan((6,), pack=2)
    assert model.discriminator.inputs[0].shape[-1] == 12
    points = _points(8)
    scores = model.discriminate(tf.constant(points))
    assert scores.shape[0] == 4
    np.testing.assert_allclose(scores.numpy(), model.discriminator(points.reshape(4, 12)).numpy(), rtol=1e-6)
    history = model.fit(_points(32), batch_size=8, epochs=1, verbose=0)
    assert np.isfinite(history.history["d_loss"][-1])
    with pytest.raises(ValueError, match="pack > 1"):
        tiny_gan((6,), num_classes=3, pack=2)


def test_pack_of_images_stacks_members_along_channels():
    images = tf.constant(fake_images(4, (8, 8, 3)))
    packed = stabilisers.pack(images, 2).numpy()
    assert packed.shape == (2, 8, 8, 6)
    np.testing.assert_array_equal(packed[1, ..., :3], images.numpy()[2])
    np.testing.assert_array_equal(packed[1, ..., 3:], images.numpy()[3])
    with pytest.raises(tf.errors.InvalidArgumentError, match="multiple of pack=3"):
        stabilisers.pack(images, 3)


def test_dragan_penalty_is_logged_and_trains():
    model = tiny_gan((6,), gradient_penalty_weight=10.0, gradient_penalty_on="dragan", jit_compile=True)
    history = model.fit(_points(16), batch_size=8, verbose=0)
    assert history.history["gradient_penalty"][-1] > 0
    with pytest.raises(ValueError, match="gradient_penalty_on must be one of"):
        tiny_gan(gradient_penalty_on="real")


@pytest.mark.parametrize(
    "name, value",
    [("weight_clip", -0.1), ("instance_noise", -1.0), ("historical_averaging", -1.0), ("pack", 0),
     ("instance_noise_steps", -5)],
)
def test_invalid_switch_values_name_the_argument(name, value):
    networks = tiny_gan()
    with pytest.raises(ValueError, match=f"{name}=.*{value}"):
        models.GAN(networks.generator, networks.discriminator, **{name: value})


def test_every_switch_together_saves_and_continues_exactly(tmp_path):
    switches = dict(
        loss="least_squares", label_smoothing=0.1, instance_noise=0.1, instance_noise_steps=10,
        feature_matching=True, historical_averaging=0.01, diff_augment="translation,cutout",
        gradient_penalty_weight=1.0, gradient_penalty_on="dragan", ema_decay=0.9,
    )
    model = tiny_gan(**switches)
    images = fake_images(32)
    model.fit(images[:16], batch_size=8, verbose=0)
    path = str(tmp_path / "model.keras")
    model.save(path)
    reloaded = keras.models.load_model(path)
    assert reloaded.get_config()["diff_augment"] == "translation,cutout"
    assert len(reloaded.weights) == len(model.weights)
    model.fit(images[16:], batch_size=8, verbose=0)
    reloaded.fit(images[16:], batch_size=8, verbose=0)
    for a, b in zip(model.weights, reloaded.weights):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6, err_msg=a.path)


def test_conditional_feature_matching_passes_labels_to_the_feature_network():
    model = tiny_gan(num_classes=3, feature_matching=True)
    history = model.fit(fake_images(16), fake_labels(16), batch_size=8, verbose=0)
    assert np.isfinite(history.history["g_loss"][-1])


def test_registry_lists_the_unrolled_gan():
    assert models.get_model_class("unrolled_gan") is models.UnrolledGAN
