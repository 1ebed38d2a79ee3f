"""Expectations, budgets and the verdicts of `tfgan_zoo.verification`."""

import math
import platform

import keras
import numpy as np
import pytest

from tfgan_zoo import recipes, training, verification
from tfgan_zoo.data import stacked
from tfgan_zoo.metrics import mixtures
from tfgan_zoo.recipes import Recipe
from tfgan_zoo.recipes.expectations import Expect
from tfgan_zoo.run_dir import RunDir
from tfgan_zoo.verification import measure


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"bounds": {"fid": 5}}, "exactly one budget"),
        ({"bounds": {"fid": 5}, "cpu_minutes": 2, "steps": 10}, "exactly one budget"),
        ({"bounds": {"sharpness": 5}, "steps": 10}, "Unknown bound 'sharpness'"),
        ({"bounds": {}, "steps": 10}, "non-empty dict"),
        ({"bounds": {"fid": "low"}, "steps": 10}, "fid='low'"),
        ({"bounds": {"fid": 5}, "steps": 10, "seeds": 0}, "seeds=0"),
    ],
)
def test_bad_expectations_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Expect(**kwargs)


def test_expect_round_trips_through_the_run_recipe_and_cannot_be_set():
    recipe = recipes.get_recipe("cgan_mnist8k")
    assert Recipe.from_dict(recipe.to_dict()) == recipe and recipe.expect.bounds["label_accuracy"] == 0.97
    with pytest.raises(ValueError, match="Unknown recipe field 'expect'"):
        recipe.with_overrides({"expect": "{}"})


def test_summary_takes_the_worst_seed_in_the_bound_direction():
    expect = Expect(cpu_minutes=1, bounds={"fid": 4.5, "label_accuracy": 0.9})
    runs = [{"seed": 3, "values": {"fid": 3.0, "label_accuracy": 0.95}},
            {"seed": 4, "values": {"fid": 5.0, "label_accuracy": 0.99}},
            {"seed": 5, "values": {"fid": 4.0, "label_accuracy": 0.91}}]
    fid, accuracy = verification.summarise(expect, runs)
    assert (fid["mean"], fid["worst"], fid["worst_seed"], fid["met"]) == (4.0, 5.0, 4, False)
    assert (accuracy["worst"], accuracy["worst_seed"], accuracy["met"]) == (0.91, 5, True)
    assert accuracy["mean"] == pytest.approx(0.95)


def test_changed_fields_ignore_what_verify_sets_itself():
    catalog = recipes.get_recipe("dcgan_mnist8k")
    assert (
        verification.changed_fields(catalog.with_overrides({"seed": 4, "steps": 9, "cpu_minutes": 1.0}), catalog) == {}
    )
    assert verification.changed_fields(catalog.with_overrides({"d_lr": 1e-3}), catalog) == {"d_lr": 1e-3}


def test_seed_recipe_trains_on_the_claimed_budget_alone():
    recipe = recipes.get_recipe("dcgan_mnist8k")
    trained = verification.seed_recipe(recipe, 2)
    assert (trained.seed, trained.cpu_minutes, trained.minutes) == (2, 5.0, 0.0) and trained.steps > 10**9
    by_steps = verification.seed_recipe(recipes.get_recipe("dcgan_shapes"), 0)
    assert (by_steps.steps, by_steps.cpu_minutes) == (1600, 0.0)


@pytest.mark.parametrize(
    "name,bounds,message",
    [
        ("gan_mnist8k", {"label_accuracy": 0.9}, "'label_accuracy': the recipe is unconditional"),
        ("gan_mnist8k", {"modes": 8}, "'modes': it needs a 2-D mixture"),
        ("gan_ring8", {"fid": 8}, "'fid': it needs a labelled image dataset"),
        ("dcgan_mnist8k", {"stacked_modes": 990}, "Stacked MNIST"),
        ("dcgan_mnist8k", {"shape_colour_share": 0.9}, "generated shapes"),
    ],
)
def test_bounds_the_data_cannot_give_are_refused_before_training(name, bounds, message, tmp_path):
    recipe = recipes.get_recipe(name).__class__(**{**recipes.get_recipe(name).to_dict(),
                                                   "expect": Expect(steps=1, bounds=bounds)})
    with pytest.raises(ValueError, match=message):
        verification.verify(recipe, str(tmp_path))
    assert not any(tmp_path.iterdir())


def test_reuse_says_which_seeds_were_reused_rather_than_trained(tmp_path):
    ring = recipes.get_recipe("gan_ring8").smoke_sized()
    recipe = ring.__class__(**{**ring.to_dict(), "expect": Expect(steps=3, bounds={"modes": 0}, seeds=1,
                                                                  num_samples=50)})
    first, second = [], []
    verification.verify(recipe, str(tmp_path), log=first.append)
    verification.verify(recipe, str(tmp_path), reuse=True, log=second.append)
    assert first[0].startswith("seed 0: training in") and "reused" not in first[1]
    assert second[0].startswith("seed 0: training or resuming in")
    assert second[1].startswith("seed 0 (its run had finished: reused, not trained): modes ")


def test_cpu_minute_budget_stops_training_and_is_kept_across_resumes(tmp_path):
    recipe = recipes.get_recipe("gan_ring8").smoke_sized().with_overrides(
        {"steps": 10**6, "steps_per_epoch": 5, "cpu_minutes": 0.002})
    model, history = training.train(recipe, str(tmp_path), verbose=0)
    state = RunDir(str(tmp_path)).read_state()
    assert history is not None and state["cpu_seconds"] >= 0.12 and 1 <= state["step"] < 10**6
    again, history = training.train(recipe, str(tmp_path), verbose=0)
    assert history is None and int(again.step_counter.numpy()) == state["step"]
    more = (state["cpu_seconds"] + 0.5) / 60.0
    longer, history = training.train(recipe.with_overrides({"cpu_minutes": more}), str(tmp_path), verbose=0)
    assert history is not None and int(longer.step_counter.numpy()) > state["step"]
    assert RunDir(str(tmp_path)).read_state()["cpu_seconds"] >= more * 60.0


def test_stacked_digits_number_modes_by_channel():
    images = np.stack([np.full((4, 4, 1), value, np.uint8) for value in (10, 20, 30)])
    x, modes = stacked.stack_digits(images, np.array([1, 2, 3]), 50, seed=0)
    assert x.shape == (50, 4, 4, 3)
    digits = x[:, 0, 0, :].astype(int) // 10  # pixel value 10 * (index + 1) is digit index + 1
    np.testing.assert_array_equal(modes, 100 * digits[:, 0] + 10 * digits[:, 1] + digits[:, 2])
    np.testing.assert_array_equal(stacked.mode_of_channels(digits), modes)


def test_reverse_kl_to_uniform_by_hand():
    assert mixtures.reverse_kl_to_uniform([5, 5, 5, 5]) == pytest.approx(0.0)
    assert mixtures.reverse_kl_to_uniform([0, 7, 0, 0]) == pytest.approx(math.log(4))
    # p = (3/4, 1/4, 0): 3/4 log(3/4 * 3) + 1/4 log(1/4 * 3)
    assert mixtures.reverse_kl_to_uniform([3, 1, 0]) == pytest.approx(0.75 * math.log(2.25) + 0.25 * math.log(0.75))
    assert mixtures.reverse_kl_to_uniform([0, 0]) == math.inf


def test_stacked_mnist_dataset_reads_three_mnist8k_digits():
    from tfgan_zoo import data

    info = data.info("gen:stacked_mnist8k:64")
    assert info.shape == (28, 28, 3) and info.num_classes == 1000
    x, y = data.load_arrays("gen:stacked_mnist8k:64")
    assert x.shape == (64, 28, 28, 3) and x.min() >= -1.0 and x.max() <= 1.0 and 0 <= y.min() and y.max() < 1000


def test_stacked_scoring_counts_modes_from_each_channel(tmp_path):
    class ChannelMeans:
        """A 'classifier' reading a digit from a channel's mean brightness (0.0 -> 0, ..., 0.9 -> 9)."""

        def outputs(self, images):
            digits = np.rint(images.mean(axis=(1, 2, 3)) * 10).astype(int)
            return type("Outputs", (), {"probabilities": np.eye(10)[digits]})()

    scorer = measure.Scorer(recipes.get_recipe("gan_ring8"), str(tmp_path), num_samples=4)
    scorer._networks["digits"] = ChannelMeans()
    images = np.zeros((4, 2, 2, 3), np.float32)
    images[0] = [0.1, 0.2, 0.3]
    images[1] = [0.1, 0.2, 0.3]
    images[2] = [0.9, 0.0, 0.5]
    values = scorer._stacked(images)
    assert values["stacked_modes"] == 3  # modes 123 (twice), 905 and 0
    assert values["stacked_reverse_kl"] == pytest.approx(mixtures.reverse_kl_to_uniform([2, 1, 1] + [0] * 997))


def test_shape_scoring_reads_confident_samples_and_the_rarest_shape(tmp_path):
    # A stand-in attribute classifier: the shape logits are 10 x the three channel means, the colour
    # logits 10 x (channel means, their negations); so a pixel value sets both heads' answers.
    images = keras.Input((2, 2, 3))
    means = keras.layers.GlobalAveragePooling2D()(images)
    heads = {"shape": keras.layers.Rescaling(10.0)(means),
             "colour": keras.layers.Rescaling(10.0)(keras.layers.Concatenate()([means, -means]))}
    scorer = measure.Scorer(recipes.get_recipe("dcgan_shapes"), str(tmp_path), num_samples=5)
    scorer._networks["attributes"] = keras.Model(images, heads)
    generated = np.zeros((5, 2, 2, 3), np.float32)
    generated[:3, ..., 0] = 1.0  # three read as shape 0, confidently (colour 0 too)
    generated[3, ..., 1] = 1.0  # one as shape 1
    generated[4, ..., 1] = 0.1  # one as shape 1, unsure of both
    values = scorer._shapes(generated)
    assert values == {"shape_colour_share": pytest.approx(4 / 5), "min_shape_share": 0.0}  # no shape 2
    generated[4, ..., :] = [0.0, 0.0, 1.0]
    assert scorer._shapes(generated) == {"shape_colour_share": pytest.approx(1.0), "min_shape_share": 1 / 5}


def test_a_cached_attribute_classifier_of_another_size_is_refused_by_name(tmp_path):
    # The attribute cache goes through the same check as the domain classifier's: a 28-px one left in
    # the folder is refused for 32-px samples before any scoring.
    images = keras.Input((28, 28, 3))
    means = keras.layers.GlobalAveragePooling2D()(images)
    keras.Model(images, {"shape": means, "colour": keras.layers.Concatenate()([means, -means])}).save(
        tmp_path / "attributes.keras")
    scorer = measure.Scorer(recipes.get_recipe("dcgan_shapes"), str(tmp_path), num_samples=5)
    with pytest.raises(ValueError, match=r"attributes\.keras takes images of shape \(28, 28, 3\).*"
                                         r"sample_shape=\(32, 32, 3\)"):
        scorer._shapes(np.zeros((5, 32, 32, 3), np.float32))


def test_every_declared_bound_can_be_measured_on_its_recipe():
    declared = [recipe for recipe in recipes.RECIPES.values() if recipe.expect is not None]
    assert {"dcgan_mnist8k", "dcgan_long_mnist8k", "cgan_mnist8k", "dcgan_shapes", "pacgan2_stacked_mnist8k",
            "wgan_gp_mnist8k", "hinge_mnist8k", "lsgan_mnist8k", "sngan_mnist8k", "infogan_mnist8k", "ssgan_mnist8k",
            "bigan_mnist8k", "acgan_mnist8k", "controlgan_mnist8k", "vae_gan_mnist8k", "aae_mnist8k",
            "progan_mnist8k", "stylegan_mnist8k", "sagan_mnist8k", "biggan_mnist8k", "lapgan_mnist8k",
            "gran_mnist8k"} <= {r.name for r in declared}
    for recipe in declared:
        measure.check_bounds(recipe, recipe.expect.bounds)


def test_cpu_model_names_model_family_and_vector_extension(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    block = "processor\t: {}\ncpu family\t: 26\nmodel name\t: AMD EPYC\nflags\t\t: fpu sse2 avx avx2 {}\n"
    cpuinfo.write_text(block.format(0, "avx512f avx512bw") + "\n" + block.format(1, ""))
    assert verification.cpu_model(str(cpuinfo)) == "AMD EPYC (family 26, AVX-512)"
    cpuinfo.write_text(block.format(0, "").replace("cpu family\t: 26\n", ""))
    assert verification.cpu_model(str(cpuinfo)) == "AMD EPYC (AVX2)"
    assert verification.cpu_model(str(tmp_path / "missing")) == (platform.processor() or "unknown CPU")
