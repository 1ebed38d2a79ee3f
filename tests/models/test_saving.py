"""Save, load in a fresh process, continue training with identical optimizer state (PITFALLS 1-2)."""

import os
import subprocess
import sys
import textwrap

import keras
import numpy as np

from conftest import REPO_ROOT, fake_images, tiny_gan

# Runs in a separate Python process: loads the saved model, records its
# optimizer state, trains two more steps on the same batches, saves again.
_CONTINUE = textwrap.dedent(
    """
    import sys, numpy as np, keras
    import tfgan_zoo.models
    model = keras.models.load_model(sys.argv[1])
    optimizer_variables = model.generator_optimizer.variables + model.discriminator_optimizer.variables
    np.savez(sys.argv[2], *[v.numpy() for v in optimizer_variables])
    model.fit(np.load(sys.argv[3]), batch_size=8, epochs=1, shuffle=False, verbose=0)
    model.save(sys.argv[4])
    """
)


def test_reloaded_model_in_fresh_process_continues_exactly(tmp_path):
    model = tiny_gan(ema_decay=0.95, gradient_penalty_weight=0.5)
    first, second = fake_images(16, seed=1), fake_images(16, seed=2)
    model.fit(first, batch_size=8, epochs=1, shuffle=False, verbose=0)
    model.save(tmp_path / "saved.keras")
    np.save(tmp_path / "second.npy", second)

    subprocess.run(
        [sys.executable, "-c", _CONTINUE, str(tmp_path / "saved.keras"), str(tmp_path / "state.npz"),
         str(tmp_path / "second.npy"), str(tmp_path / "continued.keras")],
        check=True, cwd=REPO_ROOT, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"},
    )

    # The optimizers came back with their iterations and moments, not fresh.
    reloaded_state = list(np.load(tmp_path / "state.npz").values())
    live_state = [v.numpy() for v in model.generator_optimizer.variables + model.discriminator_optimizer.variables]
    assert len(reloaded_state) == len(live_state)
    for reloaded, live in zip(reloaded_state, live_state):
        np.testing.assert_array_equal(reloaded, live)
    assert int(model.generator_optimizer.iterations.numpy()) == 2

    # The same two steps in this process give the same weights as in the other one.
    model.fit(second, batch_size=8, epochs=1, shuffle=False, verbose=0)
    continued = keras.models.load_model(tmp_path / "continued.keras")
    assert int(continued.step_counter.numpy()) == int(model.step_counter.numpy()) == 4
    for mine, theirs in zip(model.weights, continued.weights):
        np.testing.assert_allclose(mine.numpy(), theirs.numpy(), rtol=1e-5, atol=1e-6, err_msg=mine.path)


def test_saved_file_holds_compile_config_and_no_default_optimizer(tmp_path):
    model = tiny_gan()
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert loaded.optimizer is None
    assert isinstance(loaded.generator_optimizer, keras.optimizers.Adam)
    assert float(loaded.generator_optimizer.beta_1) == 0.5
    assert loaded.generator_optimizer.built
