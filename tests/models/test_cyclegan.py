"""CycleGAN: two ResNet generators, two PatchGANs, least squares + cycle + identity, a pool of past fakes."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from conftest import fake_images, max_change, snapshot
from model_testing import (
    assert_reloaded_model_continues_exactly,
    assert_variables_close,
    compile_tiny,
    fit_one_step,
    train_smoke_image_to_image,
)
from tfgan_zoo import export, networks, recipes, training
from tfgan_zoo.export import litert
from tfgan_zoo.models import CycleGAN
from tfgan_zoo.models.cyclegan import INVERSE_SIGNATURE

SHAPE = (8, 8, 1)


def _networks(normalization="instance"):
    """`(G, D_B)` then `(F, D_A)`: tiny ResNet generators and unconditional PatchGANs on 8x8 images."""
    def build(name):
        return networks.build_image_to_image_networks(
            "resnet_patchgan", SHAPE, SHAPE,
            generator_kwargs={"base_filters": 2, "residual_blocks": 1, "normalization": normalization, "name": name},
            discriminator_kwargs={"base_filters": 4, "downsamplings": 1, "normalization": normalization,
                                  "conditional": False},
        )
    return build("generator_a_to_b"), build("generator_b_to_a")


def _cyclegan(optimizers=None, jit_compile=False, generators=None, **kwargs):
    (generator, discriminator), (inverse_generator, inverse_discriminator) = _networks()
    if generators is not None:
        generator, inverse_generator = generators
    model = CycleGAN(generator, discriminator, inverse_generator=inverse_generator,
                     inverse_discriminator=inverse_discriminator, **kwargs)
    return compile_tiny(model, optimizers, jit_compile)


def _scaling_generator(scale, name):
    """`image -> scale * image` (a 1x1 convolution), a generator whose losses are known by hand."""
    image = keras.Input(SHAPE, name="image")
    output = keras.layers.Conv2D(1, 1, use_bias=False, kernel_initializer=keras.initializers.Constant(scale))(image)
    return keras.Model(image, output, name=name)


def _domains(count=8, seed=0):
    return tf.constant(fake_images(count, SHAPE, seed)), tf.constant(fake_images(count, SHAPE, seed + 100))


def _squared_mean(scores, target):
    return np.mean(np.square(np.asarray(scores, np.float64) - target))


# === Networks ===
@pytest.mark.parametrize("side", [28, 32])
def test_resnet_generator_keeps_the_size_and_patchgan_judges_one_domain(side):
    generator = networks.resnet_generator((side, side, 1), 3, base_filters=2, residual_blocks=2)
    assert generator.output_shape == (None, side, side, 3)
    assert [layer.name for layer in generator.layers if layer.name.endswith("_sum")] == ["residual_0_sum",
                                                                                        "residual_1_sum"]
    discriminator = networks.patchgan_discriminator((side, side, 1), (side, side, 3), base_filters=4,
                                                    downsamplings=1, conditional=False)
    assert [tensor.name for tensor in discriminator.inputs] == ["image"]
    assert discriminator.output_shape == (None, side // 2, side // 2, 1)


# === Losses ===
@pytest.mark.parametrize("scale", [1.0, 0.5])
def test_generator_loss_by_hand_cycle_and_identity_vanish_for_identity_generators(scale):
    generators = (_scaling_generator(scale, "g"), _scaling_generator(scale, "f"))
    model = _cyclegan(generators=generators, cycle_weight=10.0, identity_weight=0.5)
    a, b = _domains()
    fake_b, fake_a = scale * a.numpy(), scale * b.numpy()
    adversarial = (_squared_mean(model.discriminator(fake_b), 1.0)
                   + _squared_mean(model.inverse_discriminator(fake_a), 1.0))
    mean_a, mean_b = np.abs(a.numpy()).mean(), np.abs(b.numpy()).mean()
    cycle = (1.0 - scale**2) * (mean_a + mean_b)  # |x - F(G(x))| = (1 - scale^2) |x|
    identity = (1.0 - scale) * (mean_a + mean_b)

    terms = model.generator_step((a, b), None, stream=1)

    if scale == 1.0:
        assert float(terms["g_cycle"]) == 0.0 and float(terms["g_identity"]) == 0.0
    np.testing.assert_allclose(float(terms["g_adversarial"]), adversarial, rtol=1e-5)
    np.testing.assert_allclose(float(terms["g_cycle"]), cycle, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(float(terms["g_identity"]), identity, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(float(terms["g_loss"]), adversarial + 10.0 * cycle + 5.0 * identity, rtol=1e-5)


def test_discriminator_loss_is_half_the_least_squares_of_both_domains():
    model = _cyclegan(pool_size=0)
    a, b = _domains()
    fake_b, fake_a = model.generator(a, training=True), model.inverse_generator(b, training=True)
    loss_b = 0.5 * (_squared_mean(model.discriminator(b), 1.0) + _squared_mean(model.discriminator(fake_b), 0.0))
    loss_a = 0.5 * (_squared_mean(model.inverse_discriminator(a), 1.0)
                    + _squared_mean(model.inverse_discriminator(fake_a), 0.0))

    terms = model.discriminator_step((a, b), None, stream=0)

    np.testing.assert_allclose([float(terms["d_a"]), float(terms["d_b"])], [loss_a, loss_b], rtol=1e-5)
    np.testing.assert_allclose(float(terms["d_loss"]), loss_a + loss_b, rtol=1e-5)


# === Image pool ===
def test_an_empty_pool_returns_the_current_fakes_and_stores_them():
    model = _cyclegan(pool_size=12)
    pool, count = model.pools["b"]
    fakes = tf.constant(fake_images(8, SHAPE, seed=1))
    np.testing.assert_array_equal(model.query_pool("b", fakes, stream=0), fakes)
    assert int(count.numpy()) == 8
    np.testing.assert_array_equal(pool.numpy()[:8], fakes)
    # 4 more fit, the other 4 may take past fakes: only from the 8 stored before, each at most once.
    returned = model.query_pool("b", tf.constant(fake_images(8, SHAPE, seed=2)), stream=0).numpy()
    assert int(count.numpy()) == 12
    past = [row for row in returned[4:] if not any(np.array_equal(row, fake) for fake in fake_images(8, SHAPE, seed=2))]
    assert all(any(np.array_equal(row, stored) for stored in fakes.numpy()) for row in past)
    assert len({row.tobytes() for row in past}) == len(past)


def test_a_full_pool_returns_past_fakes_half_of_the_time():
    model = _cyclegan(pool_size=50)
    pool, count = model.pools["a"]
    # Every image is one constant, its id: the first past fakes have ids 0-49, later ones 1000 and up.
    pool.assign(tf.broadcast_to(tf.range(50, dtype=tf.float32)[:, None, None, None], pool.shape))
    count.assign(50)
    past_shares = []
    for draw in range(100):
        model.step_counter.assign(draw)
        before = set(pool.numpy()[:, 0, 0, 0].tolist())
        fake_ids = 1000.0 + 8 * draw + np.arange(8, dtype=np.float32)
        fakes = tf.broadcast_to(tf.constant(fake_ids)[:, None, None, None], [8, *SHAPE])
        ids = model.query_pool("a", fakes, stream=0).numpy()[:, 0, 0, 0]
        past = ids[ids != fake_ids]
        assert set(past.tolist()) <= before and len(set(past.tolist())) == len(past)
        # Each returned past fake was replaced by the fake it stood in for.
        assert set(fake_ids[ids != fake_ids].tolist()) == set(pool.numpy()[:, 0, 0, 0].tolist()) - before
        past_shares.append(len(past) / 8)
    assert int(count.numpy()) == 50
    assert 0.44 < np.mean(past_shares) < 0.56  # 800 Bernoulli(1/2) draws: sd 0.018


def test_a_batch_larger_than_the_pool_is_refused():
    model = _cyclegan(pool_size=4)
    with pytest.raises(ValueError, match="pool_size must be at least the batch size"):
        model.query_pool("a", tf.zeros([8, *SHAPE]), stream=0)


# === Updates and training ===
def test_each_update_moves_only_its_own_networks():
    model = _cyclegan()
    generators = model.generator.weights + model.inverse_generator.weights
    discriminators = model.discriminator.weights + model.inverse_discriminator.weights
    g_before, d_before = snapshot(generators), snapshot(discriminators)
    model.discriminator_step(_domains(), None, stream=0)
    assert max_change(g_before, generators) == 0
    for old, variable in zip(d_before, discriminators):
        assert np.any(old != variable.numpy()), f"{variable.path} did not move in the D step"
    d_after = snapshot(discriminators)
    model.generator_step(_domains(), None, stream=1)
    assert max_change(d_after, discriminators) == 0
    for old, variable in zip(g_before, generators):
        assert np.any(old != variable.numpy()), f"{variable.path} did not move in the G step"


def test_fit_with_xla_and_two_discriminator_steps():
    model = _cyclegan(jit_compile=True, d_steps=2, ema_decay=0.9, pool_size=8)
    history = model.fit(fake_images(32, SHAPE), fake_images(32, SHAPE, seed=1), batch_size=16, verbose=0)
    assert set(history.history) == set(model.loss_names)
    assert all(np.isfinite(values[-1]) for values in history.history.values())
    assert int(model.discriminator_optimizer.iterations.numpy()) == 4
    assert int(model.pools["a"][1].numpy()) == 8
    assert model.generate(sources=fake_images(3, SHAPE)).shape == (3, *SHAPE)


def test_save_load_continues_training_exactly(tmp_path):
    model = _cyclegan(cycle_weight=5.0, pool_size=12, ema_decay=0.9)
    first = (fake_images(16, SHAPE, seed=1), fake_images(16, SHAPE, seed=2))
    second = (fake_images(16, SHAPE, seed=3), fake_images(16, SHAPE, seed=4))
    loaded = assert_reloaded_model_continues_exactly(model, tmp_path / "cyclegan.keras", first, second)
    assert loaded.cycle_weight == 5.0 and int(loaded.pools["b"][1].numpy()) == 12
    np.testing.assert_array_equal(loaded.pools["b"][0].numpy(), model.pools["b"][0].numpy())


def test_export_serves_both_generators_and_litert_matches_keras(tmp_path):
    model = _cyclegan()
    manifest = export.export_model(model, str(tmp_path), "cyclegan", formats="saved_model,tflite_fp32")
    assert manifest["saved_model"]["signatures"]["serving_default"]["inputs"] == {
        "image": {"dtype": "float32", "shape": [None, *SHAPE]}}
    loaded = tf.saved_model.load(str(tmp_path / manifest["saved_model"]["path"]))
    assert sorted(loaded.signatures) == ["serving_default", INVERSE_SIGNATURE]
    sources = fake_images(5, SHAPE, seed=7)
    np.testing.assert_allclose(loaded.signatures["serving_default"](image=tf.constant(sources))["image"],
                               model.translate(sources), atol=1e-5)
    # A declared signature names its output after the network's output layer.
    np.testing.assert_allclose(loaded.signatures[INVERSE_SIGNATURE](image=tf.constant(sources))["output"],
                               model.inverse_generator(sources, training=False), atol=1e-5)
    interpreter = litert.load_interpreter((tmp_path / manifest["tflite"]["tflite_fp32"]["path"]).read_bytes())
    for count in (1, 5):
        np.testing.assert_allclose(litert.run(interpreter, {"image": sources[:count]}),
                                   model.translate(sources[:count]), atol=1e-4)


def test_smoke_recipe_trains_on_unpaired_halves_and_translates_heldout_digits(tmp_path):
    model, history, loaded = train_smoke_image_to_image("cyclegan_strokes_mnist8k", tmp_path)
    assert np.isfinite(history.history["g_cycle"][-1])
    assert loaded.inverse_generator.name == "generator_b_to_a" and int(loaded.pools["a"][1].numpy()) == 32


# === Arguments ===
def test_bad_arguments_are_refused():
    (generator, discriminator), (inverse_generator, inverse_discriminator) = _networks()
    networks_kwargs = dict(inverse_generator=inverse_generator, inverse_discriminator=inverse_discriminator)
    with pytest.raises(ValueError, match="Received: cycle_weight=-1"):
        CycleGAN(generator, discriminator, cycle_weight=-1, **networks_kwargs)
    with pytest.raises(ValueError, match="Received: pool_size=2.5"):
        CycleGAN(generator, discriminator, pool_size=2.5, **networks_kwargs)
    wide = networks.resnet_generator(SHAPE, 3, base_filters=2, residual_blocks=0)
    with pytest.raises(ValueError, match="inverse_generator must map"):
        CycleGAN(wide, discriminator, **networks_kwargs)
    with pytest.raises(ValueError, match="Received: input_shape=\\(10, 10, 1\\)"):
        networks.resnet_generator((10, 10, 1), 1)
    recipe = recipes.get_recipe("cyclegan_strokes_mnist8k").smoke_sized().with_overrides({"loss": "hinge"})
    with pytest.raises(ValueError, match="least squares only"):
        training.build_model(recipe)


def test_mirrored_step_equals_single_device_step_while_the_per_replica_pools_fill(mirrored):
    # While a pool fills, D sees the current fakes, so the step is the single-device one. The pools are per replica
    # (see the CycleGAN docstring): each then holds replica 0's 4 fakes only, where one device stored all 8.
    def build():
        return _cyclegan(optimizers=(keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1)), pool_size=8)

    weights = build().get_weights()
    single, single_logs = fit_one_step(tf.distribute.get_strategy(), build, weights, *_domains())
    replicated, replicated_logs = fit_one_step(mirrored, build, weights, *_domains())
    pools = {id(variable) for model in (single, replicated) for pair in model.pools.values() for variable in pair}
    # atol 2e-5: on an AVX2 CPU the 7x7 convolutions of the two replicas' half batches sum in another order
    # than the whole batch (6e-6 apart there, 1e-6 with AVX-512); one Adam step moves a weight by ~2e-4.
    assert_variables_close(*[[v for v in model.weights if id(v) not in pools] for model in (single, replicated)],
                           atol=2e-5)
    assert single_logs.keys() == replicated_logs.keys()
    for name in single_logs:
        np.testing.assert_allclose(single_logs[name], replicated_logs[name], rtol=1e-5, atol=1e-6, err_msg=name)
    for domain in ("a", "b"):
        (single_pool, single_count), (pool, count) = single.pools[domain], replicated.pools[domain]
        assert (int(single_count.numpy()), int(count.numpy())) == (8, 4)
        np.testing.assert_allclose(pool.numpy()[:4], single_pool.numpy()[:4], rtol=1e-5, atol=1e-6)
        np.testing.assert_array_equal(pool.numpy()[4:], 0.0)
