"""`training.train` across replicas, precisions and steps per execution."""

import json

import numpy as np
import pytest

from tfgan_zoo import recipes, saved_runs, training

# An MLP recipe (no BatchNorm, whose per-replica statistics legitimately differ)
# with plain SGD: Adam's normalisation would hide a wrongly scaled gradient and
# magnify round-off where a gradient is near zero.
_RECIPE = recipes.get_recipe("gan_ring8").smoke_sized().with_overrides(
    {"steps": 4, "steps_per_epoch": 2, "batch_size": 8, "sample_count": 4, "g_optimizer": "sgd",
     "d_optimizer": "sgd", "g_beta1": 0.0, "d_beta1": 0.0, "g_lr": 0.05, "d_lr": 0.05}
)




def _weights(model):
    return [w.numpy() for w in model.weights]


def test_mirrored_training_equals_one_device_on_the_global_batch(mirrored, tmp_path):
    # batch_size is per replica: 2 replicas x 8 == one device x 16, step for step.
    distributed, _ = training.train(_RECIPE, str(tmp_path / "mirrored"), verbose=0, strategy=mirrored)
    single, _ = training.train(_RECIPE.with_overrides({"batch_size": 16}), str(tmp_path / "single"), verbose=0)
    assert int(distributed.step_counter.numpy()) == int(single.step_counter.numpy()) == 4
    for a, b, w in zip(_weights(distributed), _weights(single), single.weights):
        np.testing.assert_allclose(a, b, rtol=2e-5, atol=2e-6, err_msg=w.path)
    state = json.loads((tmp_path / "mirrored" / "checkpoints" / "state.json").read_text())
    assert state["replicas"] == 2


# DCGAN networks: BatchNorm in both (per-replica statistics unless synchronised).
_BATCHNORM_RECIPE = recipes.get_recipe("dcgan_mnist8k").smoke_sized().with_overrides(
    {"steps": 2, "steps_per_epoch": 2, "batch_size": 8, "sample_count": 4, "g_optimizer": "sgd",
     "d_optimizer": "sgd", "g_beta1": 0.0, "d_beta1": 0.0, "g_lr": 0.05, "d_lr": 0.05}
)


def test_synchronized_batchnorm_makes_replicas_train_like_one_device(mirrored, tmp_path):
    single, _ = training.train(_BATCHNORM_RECIPE.with_overrides({"batch_size": 16}), str(tmp_path / "one"), verbose=0)
    synced, _ = training.train(_BATCHNORM_RECIPE.with_overrides({"sync_batchnorm": True}), str(tmp_path / "sync"),
                               verbose=0, strategy=mirrored)
    local, _ = training.train(_BATCHNORM_RECIPE, str(tmp_path / "local"), verbose=0, strategy=mirrored)
    synced_layers = [layer for layer in synced.generator.layers + synced.discriminator.layers
                     if type(layer).__name__ == "BatchNormalization"]
    assert synced_layers and all(layer.synchronized for layer in synced_layers)
    for a, b, w in zip(_weights(synced), _weights(single), single.weights):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5, err_msg=w.path)
    # Without synchronisation the same global batch trains differently (the check above can fail).
    assert max(float(np.max(np.abs(a - b))) for a, b in zip(_weights(local), _weights(single))) > 1e-3
    reloaded, _ = saved_runs.load_run(str(tmp_path / "sync"))
    assert all(
        layer.synchronized for layer in reloaded.generator.layers if type(layer).__name__ == "BatchNormalization"
    )


def test_resuming_with_another_replica_count_is_refused(mirrored, tmp_path):
    out = str(tmp_path / "run")
    training.train(_RECIPE.with_overrides({"steps": 2}), out, verbose=0, strategy=mirrored)
    with pytest.raises(ValueError, match="trained with 2 replicas.*Received: 1 replicas"):
        training.train(_RECIPE, out, verbose=0)


def test_steps_per_execution_does_not_change_the_result(tmp_path):
    one, _ = training.train(_RECIPE, str(tmp_path / "one"), verbose=0)
    two, _ = training.train(_RECIPE, str(tmp_path / "two"), verbose=0, steps_per_execution=2)
    assert int(two.step_counter.numpy()) == 4
    for a, b in zip(_weights(one), _weights(two)):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    with pytest.raises(ValueError, match="steps_per_execution=0"):
        training.train(_RECIPE, str(tmp_path / "zero"), steps_per_execution=0)


@pytest.mark.parametrize("precision", ["mixed_bfloat16", "mixed_float16"])
def test_mixed_precision_run_trains_saves_and_samples_float32(precision, tmp_path):
    # A gradient penalty: its inner tape is scaled under float16 (PITFALL 5).
    recipe = recipes.get_recipe("dcgan_shapes").smoke_sized().with_overrides(
        {"precision": precision, "steps": 2, "loss": "wasserstein", "gradient_penalty_weight": 10.0,
         "discriminator_options.normalization": "layer", "jit_compile": "true"}
    )
    model, history = training.train(recipe, str(tmp_path / precision), verbose=0)
    assert all(np.isfinite(v[-1]) for v in history.history.values())
    assert model.generator.layers[1].dtype_policy.name == precision
    reloaded, stored = saved_runs.load_run(str(tmp_path / precision))
    assert stored.precision == precision
    samples = reloaded.generate(3)
    assert samples.dtype == np.float32 and np.all(np.isfinite(samples))
    import keras

    assert keras.config.dtype_policy().name == "float32", "the policy must not leak out of train()"
    # Resuming continues in the stored precision (every variant's checkpoint: test_precision_variants.py).
    resumed, history = training.train(recipe.with_overrides({"steps": 4}), str(tmp_path / precision), verbose=0)
    assert int(resumed.step_counter.numpy()) == 4 and resumed.generator.layers[1].dtype_policy.name == precision
    assert all(np.isfinite(v[-1]) for v in history.history.values())
    wrapped = [isinstance(optimizer, keras.optimizers.LossScaleOptimizer) for optimizer in resumed.optimizers.values()]
    assert set(wrapped) == {precision == "mixed_float16"}
    assert keras.config.dtype_policy().name == "float32", "the policy must not leak out of a resumed train()"


def test_unknown_precision_and_strategy_are_named():
    with pytest.raises(ValueError, match="precision='float8'"):
        _RECIPE.with_overrides({"precision": "float8"})
    from tfgan_zoo import distribution

    with pytest.raises(ValueError, match="strategy='nccl'"):
        distribution.make_strategy("nccl")
