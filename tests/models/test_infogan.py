"""InfoGAN: codes in the latent, a Q head on D's trunk, the information term in both objectives."""

import itertools
import math

import keras
import numpy as np
import pytest
import tensorflow as tf

from conftest import fake_images, fake_labels, max_change, snapshot, tiny_gan
from model_testing import assert_mirrored_step_equals_single_device_step
from tfgan_zoo import export, models, training
from tfgan_zoo.export import saved_model
from tfgan_zoo.metrics import code_assignment
from tfgan_zoo.models.infogan import InfoGAN
from tfgan_zoo.recipes import Recipe

CODES = dict(categorical_codes=[3, 2], continuous_codes=2)
NOISE = 4
LATENT = NOISE + 3 + 2 + 2


def _infogan(sample_shape=(8, 8, 1), **kwargs):
    options = {**CODES, "latent_dim": LATENT, **kwargs}
    return tiny_gan(sample_shape, model_class=InfoGAN, **options)


def _check_codes(model, latent):
    latent = np.asarray(latent)
    assert latent.shape[1] == model.latent_dim == LATENT
    _, onehots, continuous = model.split_latent(latent)
    for onehot, count in zip(onehots, model.categorical_codes):
        onehot = np.asarray(onehot)
        assert onehot.shape == (len(latent), count)
        assert set(np.unique(onehot)) <= {0.0, 1.0}
        np.testing.assert_array_equal(onehot.sum(axis=1), 1.0)
    continuous = np.asarray(continuous)
    assert continuous.shape == (len(latent), model.continuous_codes)
    assert continuous.min() >= -1.0 and continuous.max() <= 1.0


# === Latents ===
def test_training_latents_carry_valid_codes_drawn_uniformly_and_replayably():
    model = _infogan()
    latent = model.sample_latent(0, 3000).numpy()
    _check_codes(model, latent)
    categories = model.categories_of(latent)
    assert categories.shape == (3000, 2)
    np.testing.assert_allclose(np.bincount(categories[:, 0]) / 3000, [1 / 3] * 3, atol=0.03)
    continuous = latent[:, -2:]
    assert abs(continuous.mean()) < 0.05 and abs(continuous.std() - 1 / math.sqrt(3)) < 0.02
    assert abs(latent[:, :NOISE].std() - 1.0) < 0.05
    # Same step and stream: the same draw; another stream or step: another one.
    np.testing.assert_array_equal(model.sample_latent(0, 3000).numpy(), latent)
    assert not np.array_equal(model.sample_latent(1, 3000).numpy()[:, NOISE:], latent[:, NOISE:])
    model.step_counter.assign(1)
    assert not np.array_equal(model.sample_latent(0, 3000).numpy()[:, NOISE:], latent[:, NOISE:])


def test_sampling_latents_carry_valid_codes_and_are_functions_of_the_seed():
    model = _infogan(latent_prior="uniform")
    latent = model.latent_for_seed(50, seed=3)
    _check_codes(model, latent)
    assert latent[:, :NOISE].min() >= 0.0
    np.testing.assert_array_equal(model.latent_for_seed(50, seed=3), latent)
    assert not np.array_equal(model.latent_for_seed(50, seed=4), latent)
    assert model.generate(6, seed=3).shape == (6, 8, 8, 1)
    # The in-graph version: one row per seed, whatever else is in the batch.
    rows = model.latent_from_seeds(tf.constant([5, 6, 7], tf.int64)).numpy()
    _check_codes(model, rows)
    np.testing.assert_array_equal(model.latent_from_seeds(tf.constant([9, 6], tf.int64)).numpy()[1], rows[1])


def test_compose_and_split_latent_round_trip():
    model = _infogan()
    noise = np.arange(2 * NOISE, dtype=np.float32).reshape(2, NOISE)
    latent = model.compose_latent(noise, [[2, 0], [1, 1]], [[0.5, -0.5], [1.0, 0.0]])
    np.testing.assert_array_equal(latent[0, NOISE:], [0, 0, 1, 1, 0, 0.5, -0.5])
    np.testing.assert_array_equal(model.categories_of(latent), [[2, 0], [1, 1]])
    with pytest.raises(ValueError, match=r"categories\[:, 1\] must be in \[0, 2\)"):
        model.compose_latent(noise, [[0, 2], [0, 0]], np.zeros([2, 2]))


def test_code_grid_varies_one_continuous_code_along_each_row():
    model = _infogan()
    grid = model.code_grid(1, values=[-2.0, 0.0, 2.0])
    assert grid.shape == (3 * 3, LATENT)
    rows = grid.reshape(3, 3, LATENT)
    np.testing.assert_array_equal(rows[:, :, -1], [[-2.0, 0.0, 2.0]] * 3)
    np.testing.assert_array_equal(rows[:, :, -2], 0.0)
    np.testing.assert_array_equal(model.categories_of(grid)[:, 0], [0, 0, 0, 1, 1, 1, 2, 2, 2])
    # Within a row only the varied code changes.
    np.testing.assert_array_equal(rows[:, :, :-1], np.repeat(rows[:, :1, :-1], 3, axis=1))
    assert model.generate(latent=grid).shape == (9, 8, 8, 1)
    with pytest.raises(ValueError, match="continuous_index must be in"):
        model.code_grid(2)


# === The information term ===
def test_info_loss_is_weighted_cross_entropy_plus_gaussian_nll():
    model = _infogan(info_weight=0.7, continuous_weight=0.2, learn_std=True)
    latent = model.compose_latent(np.zeros([2, NOISE]), [[2, 0], [1, 1]], [[0.5, -0.5], [1.0, 0.0]])
    rng = np.random.default_rng(0)
    outputs = {
        "code_logits_0": rng.normal(size=(2, 3)), "code_logits_1": rng.normal(size=(2, 2)),
        "continuous_mean": rng.normal(size=(2, 2)), "continuous_log_std": rng.normal(size=(2, 2)) * 0.3,
    }
    outputs = {name: tf.constant(value, tf.float32) for name, value in outputs.items()}

    def cross_entropy(logits, category):
        logits = logits.numpy()
        return np.log(np.exp(logits).sum(axis=1)) - logits[np.arange(2), category]

    mean, log_std = outputs["continuous_mean"].numpy(), outputs["continuous_log_std"].numpy()
    continuous = np.array([[0.5, -0.5], [1.0, 0.0]])
    nll = 0.5 * ((continuous - mean) / np.exp(log_std)) ** 2 + log_std + 0.5 * np.log(2 * np.pi)
    expected = 0.7 * (cross_entropy(outputs["code_logits_0"], [2, 1]) + cross_entropy(outputs["code_logits_1"], [0, 1]))
    expected += 0.2 * nll.sum(axis=1)
    np.testing.assert_allclose(model.info_loss(outputs, latent).numpy(), expected, rtol=1e-5)


def test_q_loss_falls_over_discriminator_steps_with_the_generator_fixed():
    model = _infogan(optimizers=(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-2)))
    g_before = snapshot(model.generator.trainable_variables)
    real = tf.constant(fake_images(32))
    step = tf.function(lambda: model.discriminator_step(real, None, stream=0)["q_loss"])
    losses = [float(step()) for _ in range(40)]
    assert max_change(g_before, model.generator.trainable_variables) == 0
    assert np.mean(losses[-5:]) < 0.5 * np.mean(losses[:5]), losses
    # Q now reads the categorical codes of generated samples.
    latent = model.latent_for_seed(64, seed=1)
    predicted = model.predict_codes(model.generate(latent=latent))
    assert predicted.shape == (64, 2)
    assert np.mean(predicted == model.categories_of(latent)) > 0.8


def test_generator_objective_adds_the_information_term_to_the_gan_loss():
    model = _infogan()
    latent = model.sample_latent(1, 8)
    fake = model.generate_from(latent, training=True)
    loss, terms = model.generator_objective(None, fake, None, stream=1)
    assert set(terms) == {"g_loss", "info_loss"}
    np.testing.assert_allclose(float(loss), float(terms["g_loss"]) + float(terms["info_loss"]), rtol=1e-5)
    outputs = model.info_outputs(fake, training=True)
    expected = float(tf.reduce_mean(model.info_loss(outputs, latent)))
    np.testing.assert_allclose(float(terms["info_loss"]), expected, rtol=1e-5)


def test_the_generator_step_moves_the_generator_only():
    model = _infogan()
    d_before = snapshot(model.discriminator.weights + model.q_head_variables)
    g_before = snapshot(model.generator.trainable_variables)
    terms = model.generator_step(tf.constant(fake_images(8)), None, stream=1)
    assert np.isfinite(float(terms["info_loss"]))
    assert max_change(d_before, model.discriminator.weights + model.q_head_variables) == 0
    assert max_change(g_before, model.generator.trainable_variables) > 0
    assert int(model.discriminator_optimizer.iterations.numpy()) == 0


def test_the_discriminator_step_moves_the_discriminator_and_the_q_head_only():
    model = _infogan()
    head = model.q_head_variables
    layers = ["code_logits_0", "code_logits_1", "continuous_mean"]
    assert [v.path.split("/")[0] for v in head] == [name for name in layers for _ in ("kernel", "bias")]
    # The head's variables are Q's own; the trunk's are D's.
    assert not {id(v) for v in head} & {id(v) for v in model.discriminator.weights}
    g_before = snapshot(model.generator.trainable_variables)
    d_before = snapshot(model.discriminator.trainable_variables)
    head_before = snapshot(head)
    model.discriminator_step(tf.constant(fake_images(8)), None, stream=0)
    # G's BatchNorm statistics move when D's step generates (training=True), as in GAN.
    assert max_change(g_before, model.generator.trainable_variables) == 0
    for before, variable in zip(d_before + head_before, model.discriminator_variables):
        assert np.max(np.abs(before - variable.numpy())) > 0, variable.path
    assert int(model.generator_optimizer.iterations.numpy()) == 0


def test_the_discriminator_optimizer_is_built_on_d_and_q_variables():
    d_optimizer = keras.optimizers.Adam(3e-4, beta_1=0.3)
    model = _infogan(optimizers=(keras.optimizers.Adam(1e-3), d_optimizer))
    optimizer = model.discriminator_optimizer
    assert isinstance(optimizer, keras.optimizers.Adam) and float(optimizer.beta_1) == pytest.approx(0.3)
    assert float(optimizer.learning_rate) == pytest.approx(3e-4)
    # Adam: iterations, learning rate, then two moments per variable of D and of Q's head.
    assert len(optimizer.variables) == 2 + 2 * len(model.discriminator_variables)


# === Training, saving, export ===
@pytest.mark.parametrize("jit_compile", [False, True])
def test_infogan_trains_with_fit(jit_compile):
    # Fully connected networks on vectors: XLA compiles them in seconds on CPU.
    model = _infogan((6,), jit_compile=jit_compile)
    history = model.fit(fake_images(16, (6,)), batch_size=8, verbose=0)
    assert {"info_loss", "q_loss", "d_loss", "g_loss"} <= set(history.history)
    assert all(np.isfinite(values[-1]) for values in history.history.values())
    assert int(model.generator_optimizer.iterations.numpy()) == 2
    assert int(model.discriminator_optimizer.iterations.numpy()) == 2


def test_switches_compose_conditional_feature_matching_two_d_steps_learned_std():
    model = _infogan((6,), num_classes=3, feature_matching=True, d_steps=2, learn_std=True, q_hidden_units=[8],
                     ema_decay=0.9, gradient_penalty_weight=1.0)
    history = model.fit(fake_images(16, (6,)), fake_labels(16), batch_size=16, verbose=0)
    assert all(np.isfinite(values[-1]) for values in history.history.values())
    assert "gradient_penalty" in history.history
    images, labels = fake_images(5, (6,)), fake_labels(5)
    assert model.predict_codes(images, labels).shape == (5, 2)
    assert model.predict_continuous(images, labels).shape == (5, 2)
    with pytest.raises(ValueError, match="Q needs the images' labels"):
        model.predict_codes(images)


def test_q_batch_norm_normalizes_the_hidden_layer_and_learns_its_statistics():
    model = _infogan((6,), q_hidden_units=[8], q_batch_norm=True)
    norm = model.q_network.get_layer("q_bn_0")
    assert not model.q_network.get_layer("q_dense_0").use_bias
    assert {id(variable) for variable in norm.trainable_variables} <= {id(v) for v in model.q_head_variables}
    before = [variable.numpy() for variable in norm.variables]
    model.fit(fake_images(16, (6,)), batch_size=8, verbose=0)
    assert all(np.any(old != new.numpy()) for old, new in zip(before, norm.variables)), "gamma, beta, mean, var"


def test_save_and_load_continue_training_exactly(tmp_path):
    model = _infogan((6,), learn_std=True, q_hidden_units=[8], q_batch_norm=True, ema_decay=0.9)
    first, second = fake_images(16, (6,), seed=1), fake_images(16, (6,), seed=2)
    model.fit(first, batch_size=8, shuffle=False, verbose=0)
    model.save(tmp_path / "infogan.keras")
    loaded = keras.models.load_model(tmp_path / "infogan.keras")
    assert isinstance(loaded, InfoGAN)
    assert loaded.get_config()["categorical_codes"] == [3, 2] and loaded.learn_std and loaded.q_batch_norm
    for a, b in zip(model.discriminator_optimizer.variables, loaded.discriminator_optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    model.fit(second, batch_size=8, shuffle=False, verbose=0)
    loaded.fit(second, batch_size=8, shuffle=False, verbose=0)
    assert len(model.weights) == len(loaded.weights)
    for mine, theirs in zip(model.weights, loaded.weights):
        np.testing.assert_allclose(mine.numpy(), theirs.numpy(), rtol=1e-5, atol=1e-6, err_msg=mine.path)
    for mine, theirs in zip(model.q_head_variables, loaded.q_head_variables):
        np.testing.assert_allclose(mine.numpy(), theirs.numpy(), rtol=1e-5, atol=1e-6, err_msg=mine.path)


def test_saved_model_serves_the_generator_and_q_codes(tmp_path):
    model = _infogan(learn_std=True)
    model.fit(fake_images(16), batch_size=8, verbose=0)
    manifest = export.export_model(model, str(tmp_path), "infogan", formats=("saved_model",))
    loaded = tf.saved_model.load(str(tmp_path / manifest["saved_model"]["path"]))
    assert {"serving_default", "sample", "codes"} <= set(loaded.signatures)

    images = fake_images(5, seed=3)
    served = saved_model.run_signature(loaded, {"image": images}, signature="codes")
    expected = model.q_network(images, training=False)
    assert set(served) == {"code_logits_0", "code_logits_1", "continuous_mean", "continuous_log_std"}
    for name, value in expected.items():
        np.testing.assert_allclose(served[name], np.asarray(value), atol=1e-5, err_msg=name)
    latent = model.latent_for_seed(3, seed=2)
    generated = saved_model.run_signature(loaded, {"latent": latent})["image"]
    np.testing.assert_allclose(generated, model.generate(latent=latent), atol=1e-5)
    # `sample` draws latents with valid codes: seed 7 serves what latent_for_seed(1, 7) generates.
    by_seed = saved_model.run_signature(loaded, {"seed": np.array([7, 2], np.int64)}, signature="sample")["image"]
    expected = model.generate(latent=np.concatenate([model.latent_for_seed(1, 7), model.latent_for_seed(1, 2)]))
    np.testing.assert_allclose(by_seed, expected, atol=1e-5)


def test_recipe_builds_the_generator_with_noise_plus_codes(monkeypatch):
    monkeypatch.setitem(models.MODELS, "infogan", InfoGAN)
    recipe = Recipe(
        name="infogan_test", model="infogan", latent_dim=6, dataset="gen:shapes:16",
        model_options={"categorical_codes": [3], "continuous_codes": 1, "continuous_weight": 0.5},
        generator_options={"base_filters": 4}, discriminator_options={"base_filters": 4},
    )
    model = training.build_model(recipe)
    assert isinstance(model, InfoGAN)
    assert (model.noise_dim, model.latent_dim, model.continuous_weight) == (6, 10, 0.5)
    assert model.discriminator_optimizer.built and model.name == "infogan"


def test_options_are_validated():
    with pytest.raises(ValueError, match=r"categorical_codes must be a list .* Received: categorical_codes=10"):
        _infogan(categorical_codes=10)
    with pytest.raises(ValueError, match="continuous_codes must be an int >= 0. Received: continuous_codes=-1"):
        _infogan(continuous_codes=-1)
    with pytest.raises(ValueError, match="at least one code"):
        _infogan(categorical_codes=[], continuous_codes=0)
    with pytest.raises(ValueError, match="info_weight must be a number >= 0. Received: info_weight=-1"):
        _infogan(info_weight=-1)
    with pytest.raises(ValueError, match="hidden_units must be a list of positive layer widths"):
        _infogan(q_hidden_units=16)
    with pytest.raises(ValueError, match=r"needs q_hidden_units. Received: q_batch_norm=True, q_hidden_units=\(\)"):
        _infogan(q_batch_norm=True)
    with pytest.raises(ValueError, match="cannot pack. Received: pack=2"):
        _infogan(pack=2)
    with pytest.raises(ValueError, match="latent input must hold noise besides the 7 code values"):
        _infogan(latent_dim=7)


# === Code/class assignment ===
def test_a_permuted_labelling_has_zero_assignment_error():
    labels = fake_labels(200, num_classes=10)
    permutation = np.random.default_rng(1).permutation(10)
    result = code_assignment.best_code_assignment(permutation[labels], labels)
    assert result["error"] == 0.0 and result["correct"] == result["count"] == 200
    assert result["mapping"] == {int(permutation[c]): c for c in range(10)}


def test_assignment_error_counts_what_the_best_map_misses():
    # Code 0 holds classes 0 (3x) and 1 (1x); code 1 holds class 1 (2x); code 2 holds class 0 (1x).
    codes, labels = [0, 0, 0, 0, 1, 1, 2], [0, 0, 0, 1, 1, 1, 0]
    result = code_assignment.best_code_assignment(codes, labels)
    assert result["mapping"] == {0: 0, 1: 1}
    assert result["error"] == pytest.approx(2 / 7)
    # More classes than codes: the missing class is all error.
    assert code_assignment.best_code_assignment([0, 0, 1], [2, 2, 0], num_classes=4)["error"] == 0.0
    with pytest.raises(ValueError, match="codes"):
        code_assignment.best_code_assignment([], [])


def test_hungarian_assignment_is_optimal_against_brute_force():
    rng = np.random.default_rng(0)
    for rows, columns in [(1, 1), (3, 3), (3, 5), (5, 5), (4, 6)]:
        for _ in range(5):
            cost = rng.integers(0, 9, (rows, columns)).astype(float)
            assignment = code_assignment.min_cost_assignment(cost)
            assert len(set(assignment.tolist())) == rows
            best = min(cost[np.arange(rows), list(p)].sum() for p in itertools.permutations(range(columns), rows))
            assert cost[np.arange(rows), assignment].sum() == best


def test_mirrored_step_equals_single_device_step(mirrored):
    def build():
        return _infogan((6,), optimizers=(keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1)))

    assert_mirrored_step_equals_single_device_step(mirrored, build, fake_images(8, (6,)), fake_labels(8))


def test_infogan_mnist8k_recipe_builds_the_papers_networks():
    # Chen et al. 2016, appendix C.1: a dense layer of 1024 units in G before the 7x7x128 projection, and in D
    # after the convolutions, feeding D's score and Q. Without them the recipe's categorical code stayed at
    # 41% error after 20 CPU-minutes (a defect: the recipe said "as in the paper").
    from tfgan_zoo import recipes, training

    model = training.build_model(recipes.get_recipe("infogan_mnist8k"))
    generator, discriminator = model.generator, model.discriminator
    assert generator.get_layer("dense_0").output.shape[-1] == 1024
    assert generator.get_layer("project").output.shape[-1] == 7 * 7 * 128
    assert discriminator.get_layer("dense_0").input.shape[-1] == 7 * 7 * 128
    assert discriminator.get_layer("features").output.shape[-1] == 1024
    assert model.q_network.get_layer("q_dense_0").input.shape[-1] == 1024
    assert model.latent_dim == 62 + 10 + 2
