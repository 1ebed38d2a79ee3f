"""Checks shared by the model tests: tiny class-head GANs and image-to-image networks, optimizer ownership,
saving, mirrored steps, export."""

import os

import keras
import numpy as np
import tensorflow as tf

from conftest import max_change, snapshot
from tfgan_zoo import export, networks
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


def tiny_image_to_image_networks(source_shape=(8, 8, 1), target_shape=(8, 8, 1), normalization="batch"):
    """`(U-Net generator, PatchGAN discriminator)` with 4 base filters and 16x16 patches, for image-to-image models."""
    return networks.build_image_to_image_networks(
        "unet_patchgan", source_shape, target_shape,
        generator_kwargs={"base_filters": 4, "max_filters": 8, "normalization": normalization},
        discriminator_kwargs={"base_filters": 4, "downsamplings": 1, "normalization": normalization},
    )


def compile_tiny(model, optimizers=None, jit_compile=False):
    """Compiles `model` with `optimizers` `(generator's, discriminator's)`, default Adam(1e-3, beta_1=0.5) each."""
    g_opt, d_opt = optimizers or (keras.optimizers.Adam(1e-3, beta_1=0.5), keras.optimizers.Adam(1e-3, beta_1=0.5))
    model.compile(generator_optimizer=g_opt, discriminator_optimizer=d_opt, jit_compile=jit_compile)
    return model


def sgd_pair(rate=0.1):
    """`(generator's, discriminator's)` plain SGD optimizers, whose update is checkable by hand (`assert_sgd_step`)."""
    return keras.optimizers.SGD(rate), keras.optimizers.SGD(rate)


# === Updates ===
def softplus(x):
    """softplus(x) = log(1 + e^x) in float64 numpy, for losses computed by hand."""
    return np.logaddexp(0.0, np.asarray(x, np.float64))


def assert_sgd_step(before, gradients, variables, rate=0.1):
    """Each variable moved from its value in `before` by one SGD step of `rate` along its gradient."""
    for old, gradient, variable in zip(before, gradients, variables):
        np.testing.assert_allclose(variable.numpy(), old - rate * gradient.numpy(), rtol=1e-4, atol=1e-6,
                                   err_msg=variable.path)


def assert_each_optimizer_moves_only_its_own_network(model, real, labels):
    """One D step moves every D variable and no G variable; one G step then moves every G variable and no D one."""
    g_before, d_before = snapshot(model.generator.weights), snapshot(model.discriminator.trainable_variables)
    g_trainable_before = snapshot(model.generator.trainable_variables)
    model.discriminator_step(real, labels, stream=0)
    assert max_change(g_before, model.generator.weights) == 0
    # Compared with the trainable variables only: BatchNorm's moving statistics sit between them in `weights`.
    for old, variable in zip(d_before, model.discriminator.trainable_variables):
        assert np.any(old != variable.numpy()), f"{variable.path} did not move in the D step"
    d_after = snapshot(model.discriminator.weights)
    model.generator_step(real, labels, stream=1)
    assert max_change(d_after, model.discriminator.weights) == 0
    for old, variable in zip(g_trainable_before, model.generator.trainable_variables):
        assert np.any(old != variable.numpy()), f"{variable.path} did not move in the G step"


def assert_variables_close(mine, theirs, atol=1e-6):
    """Each variable of `mine` equals its partner in `theirs` (rtol 1e-5, `atol`), named by its path."""
    for a, b in zip(mine, theirs):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=atol, err_msg=a.path)


def fit_one_step(strategy, build, weights, images, labels):
    """`(model, last logs)` of one fit step on a batch of 8 (`labels` may be `None`), the model built by `build()`
    in `strategy`'s scope."""
    with strategy.scope():
        model = build()
        model.set_weights(weights)
    data = images if labels is None else (images, labels)
    dataset = tf.data.Dataset.from_tensor_slices(data).batch(8, drop_remainder=True)
    history = model.fit(dataset, epochs=1, shuffle=False, verbose=0)
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


def assert_reloaded_model_continues_exactly(model, path, first, second):
    """Fits `model` on `first`, saves it to `path` and reloads it; a fit on `second` then ends alike in both.

    `first` and `second` are `fit` arguments, `(images,)` or `(images, labels)`, fed in batches of 8
    without shuffling. Returns the reloaded model.
    """
    model.fit(*first, batch_size=8, shuffle=False, verbose=0)
    model.save(path)
    loaded = keras.models.load_model(path)
    for which in (model, loaded):
        which.fit(*second, batch_size=8, shuffle=False, verbose=0)
    assert type(loaded) is type(model)
    options = [{key: value for key, value in which.get_config().items() if key not in which.NETWORKS}
               for which in (model, loaded)]
    assert options[0] == options[1]
    assert int(loaded.step_counter.numpy()) == int(model.step_counter.numpy())
    assert len(model.weights) == len(loaded.weights)
    assert_variables_close(model.weights, loaded.weights)
    optimizers = [model.generator_optimizer, model.discriminator_optimizer]
    assert_variables_close(
        [v for o in optimizers for v in o.variables],
        [v for o in (loaded.generator_optimizer, loaded.discriminator_optimizer) for v in o.variables],
    )
    return loaded


def train_smoke_image_to_image(recipe_name, tmp_path):
    """Trains the smoke-sized image-to-image recipe into `tmp_path / "run"`; returns `(model, history, reloaded run)`.

    Checks that the run wrote its two sample grids and that the reloaded
    model translates 5 held-out sources (seed 3) as the trained one does.
    """
    from tfgan_zoo import held_out, recipes, saved_runs, training

    model, history = training.train(recipes.get_recipe(recipe_name).smoke_sized(), tmp_path / "run", verbose=0)
    assert sorted(os.listdir(tmp_path / "run" / "samples")) == ["step_0000002.png", "step_0000004.png"]
    loaded, _ = saved_runs.load_run(tmp_path / "run")
    sources = held_out.heldout_examples(loaded, 5, seed=3)[0]
    np.testing.assert_allclose(held_out.generate(loaded, 5, seed=3), model.translate(sources), atol=1e-6)
    return model, history, loaded


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


def assert_saved_model_and_litert_match_keras(model, tmp_path, name):
    """Exports `model` as SavedModel and fp32 LiteRT (builtin ops only); both compute `model.generate`, batch 1 and 5.

    Conditional models are fed balanced labels. Returns the manifest.
    """
    from tfgan_zoo.export import litert

    manifest = export.export_model(model, str(tmp_path), name, formats="saved_model,tflite_fp32")
    latent, labels = model.latent_for_seed(5, seed=3), model.balanced_labels(5)
    feeds = {"latent": latent} if labels is None else {"latent": latent, "label": labels}
    loaded = tf.saved_model.load(str(tmp_path / manifest["saved_model"]["path"]))
    served = loaded.signatures["serving_default"](**{key: tf.constant(value) for key, value in feeds.items()})["image"]
    np.testing.assert_allclose(served, model.generate(latent=latent, labels=labels), atol=1e-5)
    interpreter = litert.load_interpreter((tmp_path / manifest["tflite"]["tflite_fp32"]["path"]).read_bytes())
    for count in (1, 5):
        rows = {key: value[:count] for key, value in feeds.items()}
        np.testing.assert_allclose(litert.run(interpreter, rows),
                                   model.generate(latent=rows["latent"], labels=rows.get("label")), atol=1e-4)
    return manifest
