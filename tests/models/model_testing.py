"""Checks shared by the model tests: tiny class-head GANs, optimizer ownership, saving, mirrored steps, export."""

import keras
import numpy as np
import tensorflow as tf

from conftest import max_change, snapshot
from tfgan_zoo import export
from tfgan_zoo.networks import class_heads


# === Tiny models ===
def tiny_class_head_networks(sample_shape, num_classes, *, head, conditional_generator):
    """`(generator, discriminator with a class head)`: MLPs for vectors (no BatchNorm), DCGAN networks for images.

    See `class_heads.build_class_head_networks` for `head` and
    `conditional_generator`; the latent has 4 dimensions.
    """
    options = {"hidden_units": [8]} if len(sample_shape) == 1 else {"base_filters": 4}
    return class_heads.build_class_head_networks(
        "mlp" if len(sample_shape) == 1 else "dcgan", sample_shape, 4, num_classes, head=head,
        conditional_generator=conditional_generator, generator_kwargs=options, discriminator_kwargs=options,
    )


def compile_tiny(model, optimizers=None, jit_compile=False):
    """Compiles `model` with `optimizers` `(generator's, discriminator's)`, default Adam(1e-3, beta_1=0.5) each."""
    g_opt, d_opt = optimizers or (keras.optimizers.Adam(1e-3, beta_1=0.5), keras.optimizers.Adam(1e-3, beta_1=0.5))
    model.compile(generator_optimizer=g_opt, discriminator_optimizer=d_opt, jit_compile=jit_compile)
    return model


# === Updates ===
def assert_each_optimizer_moves_only_its_own_network(model, real, labels):
    """One D step moves every D variable and no G variable; one G step then moves every G variable and no D one."""
    g_before, d_before = snapshot(model.generator.weights), snapshot(model.discriminator.weights)
    model.discriminator_step(real, labels, stream=0)
    assert max_change(g_before, model.generator.weights) == 0
    for old, variable in zip(d_before, model.discriminator.trainable_variables):
        assert np.any(old != variable.numpy()), f"{variable.path} did not move in the D step"
    d_after = snapshot(model.discriminator.weights)
    model.generator_step(real, labels, stream=1)
    assert max_change(d_after, model.discriminator.weights) == 0
    for old, variable in zip(g_before, model.generator.trainable_variables):
        assert np.any(old != variable.numpy()), f"{variable.path} did not move in the G step"


def assert_variables_close(mine, theirs):
    """Each variable of `mine` equals its partner in `theirs` (rtol 1e-5, atol 1e-6), named by its path."""
    for a, b in zip(mine, theirs):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6, err_msg=a.path)


def fit_one_step(strategy, build, weights, images, labels):
    """`(model, last logs)` of one fit step on a batch of 8, the model built by `build()` in `strategy`'s scope."""
    with strategy.scope():
        model = build()
        model.set_weights(weights)
    dataset = tf.data.Dataset.from_tensor_slices((images, labels)).batch(8, drop_remainder=True)
    history = model.fit(dataset, epochs=1, verbose=0)
    return model, {name: values[-1] for name, values in history.history.items()}


def assert_mirrored_step_equals_single_device_step(mirrored, build, images, labels):
    """One step of `build()`'s model on `mirrored` and on one device, from the same weights, ends alike.

    Compare with SGD (`build` compiles it): its update is linear in the
    gradient, so a wrongly scaled term shows.
    """
    weights = build().get_weights()
    single, single_logs = fit_one_step(tf.distribute.get_strategy(), build, weights, images, labels)
    replicated, replicated_logs = fit_one_step(mirrored, build, weights, images, labels)
    assert_variables_close(single.weights, replicated.weights)
    assert single_logs.keys() == replicated_logs.keys()
    for name in single_logs:
        np.testing.assert_allclose(single_logs[name], replicated_logs[name], rtol=1e-5, atol=1e-6, err_msg=name)


# === Export ===
def move_batchnorm_statistics(*networks, seed=0):
    """Moving statistics far from (0, 1), so an export in training mode would show; one draw over all `networks`."""
    rng = np.random.default_rng(seed)
    for network in networks:
        for layer in network.layers:
            if isinstance(layer, keras.layers.BatchNormalization):
                layer.moving_mean.assign(rng.normal(0.0, 0.3, layer.moving_mean.shape).astype("float32"))
                layer.moving_variance.assign(rng.uniform(0.5, 2.0, layer.moving_variance.shape).astype("float32"))


def export_saved_model(model, tmp_path, name):
    """Exports `model` as SavedModel version 1 under `tmp_path`; returns `(manifest, the loaded SavedModel)`."""
    manifest = export.export_model(model, str(tmp_path), name, formats="saved_model")
    return manifest, tf.saved_model.load(str(tmp_path / "saved_model" / name / "1"))


def assert_serves_the_generator(loaded, model, latent, output="image"):
    """The `serving_default` signature's `output` for `latent` is `model.generate(latent=latent)`."""
    served = loaded.signatures["serving_default"](latent=tf.constant(latent))[output]
    np.testing.assert_allclose(served, model.generate(latent=latent), atol=1e-5)


def assert_serves_the_codes(loaded, model, images):
    """The `encode` signature's `code` for `images` is `model.encode(images)` (BiGAN, adversarial autoencoder)."""
    codes = loaded.signatures["encode"](image=tf.constant(images))["code"].numpy()
    np.testing.assert_allclose(codes, model.encode(images), atol=1e-5)


def assert_serves_the_posterior(loaded, encoder, samples, input_name="image"):
    """The `encode` signature's `mean` and `log_variance` are the Keras encoder's; returns the mean (VAEs)."""
    served = loaded.signatures["encode"](**{input_name: tf.constant(samples)})
    mean, log_variance = encoder(samples, training=False)
    np.testing.assert_allclose(served["mean"], mean, atol=1e-5)
    np.testing.assert_allclose(served["log_variance"], log_variance, atol=1e-5)
    return mean
