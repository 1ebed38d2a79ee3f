"""StyleGAN (small): style mixing, fresh noise, tracked w_avg, truncation, mixing grid, resume, export."""

import keras
import numpy as np
import tensorflow as tf

from conftest import fake_images
from model_testing import (
    assert_mirrored_step_equals_single_device_step,
    assert_saved_model_and_litert_match_keras,
    assert_variables_close,
    compile_tiny,
)
from tfgan_zoo import networks
from tfgan_zoo.models.stylegan import StyleGAN, broadcast_styles, style_mixing_grid, style_ranges

_TINY = {"base_filters": 4, "max_filters": 8}


def _stylegan(jit_compile=False, **kwargs):
    """A tiny compiled StyleGAN of 8x8 images: latent 4, w of 6, 4 synthesis layers."""
    generator, discriminator = networks.build_networks(
        "stylegan", (8, 8, 1), 4, generator_kwargs={**_TINY, "w_dim": 6, "mapping_layers": 2},
        discriminator_kwargs=_TINY)
    return compile_tiny(StyleGAN(generator, discriminator, **kwargs), jit_compile=jit_compile)


def _w(model, latent):
    return model.mapping(latent, training=False).numpy()


def test_style_mixing_takes_a_second_latents_w_from_a_crossover_layer():
    model = _stylegan(style_mixing=1.0)
    latent = model.sample_latent(0, 64)
    styles = model.mixed_styles(model.mapping(latent), stream=0, batch_size=64).numpy()
    first = _w(model, latent)
    # The second latent is the update's own draw (purpose 8), replayed from the step counter.
    second = _w(model, model.sample_latent(model.substream(0, 8), 64))
    from_first = np.all(np.isclose(styles, first[:, None, :]), axis=-1)
    from_second = np.all(np.isclose(styles, second[:, None, :]), axis=-1)
    assert np.all(from_first ^ from_second)
    crossover = from_first.sum(axis=1)
    # Layers before the crossover read the first w, the rest the second; crossovers cover [1, layers).
    np.testing.assert_array_equal(from_first, np.arange(4)[None, :] < crossover[:, None])
    assert set(crossover) == {1, 2, 3}

    unmixed = _stylegan(style_mixing=0.0)
    latent = unmixed.sample_latent(0, 8)
    np.testing.assert_array_equal(unmixed.mixed_styles(unmixed.mapping(latent), 0, 8),
                                  broadcast_styles(unmixed.mapping(latent), 4))


def _strengthen_noise(synthesis, strength=0.5):
    for layer in synthesis.layers:
        if layer.name.startswith("noise_input_"):
            layer.strength.assign(np.full(layer.strength.shape, strength, "float32"))


def test_training_samples_get_fresh_noise_and_sampling_the_fixed_noise():
    model = _stylegan(style_mixing=0.0)
    latent = model.sample_latent(0, 4)
    # Strength 0 (the initial value): the noise has no effect.
    np.testing.assert_allclose(model.training_samples(latent, None, 0), model.training_samples(latent, None, 1),
                               atol=1e-6)
    _strengthen_noise(model.synthesis)
    assert np.abs(model.training_samples(latent, None, 0) - model.training_samples(latent, None, 1)).max() > 1e-3
    np.testing.assert_array_equal(model.generate(latent=latent.numpy()), model.generate(latent=latent.numpy()))


def test_every_generator_variable_gets_a_gradient_of_ordinary_size():
    model = _stylegan(style_mixing=0.5)
    latent = model.sample_latent(0, 16)
    with tf.GradientTape() as tape:
        fake = model.training_samples(latent, None, 0)
        loss = tf.reduce_mean(model.generator_loss_fn(model.discriminate(fake)))
    variables = model.generator.trainable_variables
    norms = {
        variable.path: float(tf.norm(gradient)) for variable, gradient in zip(variables, tape.gradient(loss, variables))
    }
    assert all(np.isfinite(norm) and norm > 0 for norm in norms.values()), norms
    # A constant of ones (no spatial variance under the first AdaIN) got about 1e6 times the median.
    assert max(norms.values()) < 100 * np.median(list(norms.values())), norms


def test_weak_noise_leaves_the_image_to_the_latent():
    model = _stylegan(style_mixing=0.0)
    _strengthen_noise(model.synthesis, 0.01)
    latent = model.sample_latent(0, 16)
    image = model.training_samples(latent, None, 0).numpy()
    noise_change = np.abs(model.training_samples(latent, None, 1).numpy() - image).mean()
    latent_change = np.abs(model.training_samples(model.sample_latent(5, 16), None, 0).numpy() - image).mean()
    # With a constant of ones, noise of strength 0.01 was the whole first layer: 18 times the latent's change.
    assert noise_change < latent_change


def test_training_tracks_the_average_w():
    model = _stylegan(w_avg_decay=0.25)
    latent = model.sample_latent(0, 8)
    model.training_samples(latent, None, 0)
    np.testing.assert_allclose(model.truncation.w_avg.numpy(), 0.75 * _w(model, latent).mean(axis=0), rtol=1e-5)


def test_truncation_psi_0_gives_the_average_ws_image_and_psi_1_changes_nothing():
    model = _stylegan()
    _strengthen_noise(model.synthesis)
    latent = model.latent_for_seed(5)
    model.truncation.track(np.linspace(-1, 1, 6).astype("float32"), 0.0)
    untruncated = model.synthesize(broadcast_styles(_w(model, latent), 4))
    np.testing.assert_allclose(model.generate(latent=latent), untruncated, atol=1e-6)  # psi = 1
    model.set_truncation(0.0)
    average_image = model.synthesize(broadcast_styles(model.truncation.w_avg.numpy()[None], 4))
    truncated = model.generate(latent=latent)
    np.testing.assert_allclose(truncated, np.repeat(average_image, 5, axis=0), atol=1e-6)


def test_style_mixing_grid_copies_each_range_of_styles_from_source_b():
    model = _stylegan()
    assert style_ranges(8) == {"coarse": (0, 4), "middle": (4, 6), "fine": (6, 8)}
    picture, ranges = style_mixing_grid(model, rows=2, columns=3)
    assert ranges == {"coarse": (0, 2), "fine": (2, 4)}  # 8x8: levels 4x4 and 8x8
    assert picture.shape == (1 + 5 * 9, 1 + 4 * 9, 1) and picture.dtype == np.uint8
    # Copying every layer from B gives B's images, copying none gives A's.
    every, _ = style_mixing_grid(model, rows=2, columns=3, ranges={"all": (0, 4)})
    none, _ = style_mixing_grid(model, rows=2, columns=3, ranges={"none": (0, 0)})
    b_row, mixed = every[1:9, 10:], every[10:18, 10:]
    np.testing.assert_array_equal(mixed, b_row)
    a_image = none[10:18, 1:9]
    np.testing.assert_array_equal(none[10:18, 10:18], a_image)


def test_fit_with_xla():
    model = _stylegan(jit_compile=True, r1_weight=1.0, ema_decay=0.9)
    history = model.fit(fake_images(16, (8, 8, 1)), batch_size=8, verbose=0)
    assert set(history.history) == {"d_loss", "g_loss", "d_real", "d_fake", "r1_penalty"}
    assert all(np.isfinite(values[-1]) for values in history.history.values())
    assert np.any(model.truncation.w_avg.numpy())


def test_save_load_continues_training_exactly(tmp_path):
    model = _stylegan(r1_weight=1.0, ema_decay=0.9, style_mixing=0.5)
    model.fit(fake_images(16, (8, 8, 1), seed=1), batch_size=8, shuffle=False, verbose=0)
    model.save(tmp_path / "stylegan.keras")
    loaded = keras.models.load_model(tmp_path / "stylegan.keras")
    assert isinstance(loaded, StyleGAN) and loaded.style_mixing == 0.5
    more = fake_images(16, (8, 8, 1), seed=2)
    for which in (model, loaded):
        which.fit(more, batch_size=8, shuffle=False, verbose=0)
    assert int(loaded.step_counter.numpy()) == 4 and len(model.weights) == len(loaded.weights)
    assert_variables_close(model.weights, loaded.weights)


def test_export_is_a_plain_latent_to_image_generator(tmp_path):
    model = _stylegan(ema_decay=0.9)
    ema = model.ema_generator  # the one exported: noise, average w and truncation in use
    _strengthen_noise(ema.get_layer("synthesis"), 0.3)
    ema.get_layer("truncation").track(np.linspace(-1, 1, 6).astype("float32"), 0.0)
    model.set_truncation(0.7)
    manifest = assert_saved_model_and_litert_match_keras(model, tmp_path, "stylegan")
    assert manifest["generator"] == "ema" and manifest["sample_shape"] == [8, 8, 1]


def test_mirrored_step_equals_single_device_step(mirrored):
    # Style mixing, fresh noise and R1 drawn per replica from the global draws; w_avg tracks the global batch mean.
    def build():
        generator, discriminator = networks.build_networks(
            "stylegan", (8, 8, 1), 4, generator_kwargs={**_TINY, "w_dim": 6, "mapping_layers": 2},
            discriminator_kwargs=_TINY)
        model = StyleGAN(generator, discriminator, style_mixing=0.5, w_avg_decay=0.5, r1_weight=1.0, ema_decay=0.9)
        return compile_tiny(model, (keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1)))

    assert_mirrored_step_equals_single_device_step(mirrored, build, fake_images(8, (8, 8, 1)), None)
