"""Item 1: a run whose losses or weights turn NaN never saves them, stops with a clear message, or rolls back."""

import numpy as np
import pytest

from fault_testing import PoisonOnce, checkpoint_files, smoke, state
from tfgan_zoo import saved_runs, training
from tfgan_zoo.reliability import divergence


def test_divergence_stops_naming_the_step_and_loss_and_keeps_the_good_checkpoint(tmp_path):
    with pytest.raises(divergence.DivergenceError) as caught:
        training.train(smoke(6), str(tmp_path), verbose=0, extra_callbacks=[PoisonOnce(at=3)])
    message = str(caught.value)
    assert "diverged at step 4" in message and "d_loss became nan" in message
    assert "g_lr=" in message and "--on_divergence=rollback" in message and "step 2" in message
    assert state(tmp_path)["step"] == 2
    model, _ = saved_runs.load_run(str(tmp_path))
    assert int(model.step_counter.numpy()) == 2
    assert all(np.all(np.isfinite(w.numpy())) for w in model.weights)


def test_non_finite_weights_are_never_saved_even_with_finite_losses(tmp_path):
    # Poisoned after the last step: no loss sees it, only the check before the save.
    with pytest.raises(divergence.DivergenceError, match="weight .* became nan"):
        training.train(smoke(4), str(tmp_path), verbose=0, extra_callbacks=[PoisonOnce(at=4)])
    assert state(tmp_path)["step"] == 2 and checkpoint_files(tmp_path) == ["model.keras", "state.json"]


def test_rollback_reloads_the_last_good_checkpoint_with_halved_learning_rates(tmp_path):
    model, history = training.train(smoke(6), str(tmp_path), verbose=0, on_divergence="rollback",
                                    extra_callbacks=[PoisonOnce(at=3)])
    assert history is not None and int(model.step_counter.numpy()) == 6
    (rollback,) = state(tmp_path)["rollbacks"]
    assert rollback["diverged_at"] == 4 and rollback["resumed_from"] == 2 and rollback["loss"] == "d_loss"
    np.testing.assert_allclose(rollback["learning_rates"], [0.0005, 0.0005], rtol=1e-6)
    reloaded, _ = saved_runs.load_run(str(tmp_path))
    np.testing.assert_allclose(divergence.learning_rates(reloaded), [0.0005, 0.0005], rtol=1e-6)
    assert all(np.all(np.isfinite(w.numpy())) for w in reloaded.weights)


def test_rollbacks_are_bounded(tmp_path):
    with pytest.raises(divergence.DivergenceError, match="diverged at step 4"):
        training.train(smoke(6), str(tmp_path), verbose=0, on_divergence="rollback", max_rollbacks=0,
                       extra_callbacks=[PoisonOnce(at=3)])


def test_a_divergence_before_the_first_checkpoint_rolls_back_to_the_initial_weights(tmp_path):
    model, _ = training.train(smoke(4), str(tmp_path), verbose=0, on_divergence="rollback",
                              extra_callbacks=[PoisonOnce(at=1)])
    assert int(model.step_counter.numpy()) == 4
    assert state(tmp_path)["rollbacks"][0]["resumed_from"] == 0


@pytest.mark.parametrize("options, message", [
    ({"on_divergence": "retry"}, "on_divergence=.retry."),
    ({"rollback_factor": 1.5}, "rollback_factor=1.5"),
    ({"keep_checkpoints": 0}, "keep_checkpoints=0"),
])
def test_bad_run_options_are_named(tmp_path, options, message):
    with pytest.raises(ValueError, match=message):
        training.train(smoke(2), str(tmp_path), verbose=0, **options)
