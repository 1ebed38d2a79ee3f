"""A real two-process `MultiWorkerMirroredStrategy` run on localhost.

Two `tfgan-zoo train --strategy=multiworker` processes, each with its own
TF_CONFIG, train one run directory: worker 0 (the chief) writes it, worker 1
only reads it when it starts (the resolved recipe, the checkpoint to resume
from). One replica per worker and `batch_size` per replica, so two workers at
batch B train what one process trains at batch 2B, step for step. (This test
found that Keras 3's `fit` cannot reduce scalar step logs across workers:
`models.replicas.reducible_logs`.)
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import numpy as np
import pytest

from conftest import REPO_ROOT
from tfgan_zoo import recipes, saved_runs, training

# Seconds any one phase (both workers) may take before both are killed.
_TIMEOUT = 180
# As in test_train_scale: an MLP recipe (no BatchNorm) with plain SGD.
_SETS = {"g_optimizer": "sgd", "d_optimizer": "sgd", "g_beta1": "0.0", "d_beta1": "0.0", "g_lr": "0.05",
         "d_lr": "0.05", "sample_count": "4"}
_PER_REPLICA = 8  # gan_ring8's smoke batch; steps_per_epoch is 2 at smoke size


def _recipe(steps, batch_size=_PER_REPLICA):
    """The recipe `tfgan-zoo train --recipe=gan_ring8 --smoke --set=... --steps=N` resolves to."""
    overrides = {**_SETS, "batch_size": str(batch_size), "steps": steps, "minutes": 0.0}
    return recipes.get_recipe("gan_ring8").smoke_sized().with_overrides(overrides)


def _free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("localhost", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


class _Workers:
    """Both worker processes of one run; leaving the block kills any still running."""

    def __init__(self, out, steps, logs, tag):
        ports = _free_ports(2)
        cluster = {"worker": [f"localhost:{port}" for port in ports]}
        command = [sys.executable, "-m", "tfgan_zoo.cli.main", "train", "--recipe=gan_ring8", "--smoke",
                   f"--steps={steps}", f"--out={out}", "--strategy=multiworker", "--verbose=0",
                   *(f"--set={key}={value}" for key, value in _SETS.items())]
        logs.mkdir(exist_ok=True)
        self.logs = [logs / f"{tag}_worker{index}.log" for index in range(2)]
        self.procs = []
        try:
            for index, log in enumerate(self.logs):
                env = {**os.environ, "CUDA_VISIBLE_DEVICES": "", "TF_CPP_MIN_LOG_LEVEL": "3",
                       "TF_CONFIG": json.dumps({"cluster": cluster, "task": {"type": "worker", "index": index}})}
                with open(log, "w") as handle:
                    self.procs.append(subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=handle,
                                                       stderr=subprocess.STDOUT))
        except BaseException:
            self.kill()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()

    def kill(self, index=None):
        for proc in self.procs if index is None else [self.procs[index]]:
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
            proc.wait()

    def output(self, index):
        return self.logs[index].read_text()

    def fail(self, why):
        self.kill()
        tails = "\n".join(f"--- worker {i} ---\n{self.output(i)[-3000:]}" for i in range(2))
        raise AssertionError(f"{why}\n{tails}")

    def wait(self):
        """Waits for both to finish, each successfully."""
        deadline = time.monotonic() + _TIMEOUT
        for index, proc in enumerate(self.procs):
            try:
                proc.wait(max(deadline - time.monotonic(), 1.0))
            except subprocess.TimeoutExpired:
                self.fail(f"worker {index} still running after {_TIMEOUT} s")
            if proc.returncode != 0:
                self.fail(f"worker {index} failed ({proc.returncode})")
        return [self.output(index) for index in range(2)]


def _train_two_workers(out, steps, logs, tag):
    with _Workers(out, steps, logs, tag) as workers:
        outputs = workers.wait()
    for output in outputs:  # both print their model's step count when done
        assert f": {steps} steps;" in output, output[-3000:]


def _weights(model):
    return [w.numpy() for w in model.weights]


def _assert_matches_one_process(out, steps, tmp_path):
    """The checkpoint in `out` equals one process's `steps` steps on the global batch."""
    distributed, stored = saved_runs.load_run(str(out))
    assert stored == _recipe(stored.steps), "the workers resolved another recipe than the reference's"
    single, _ = training.train(_recipe(steps, 2 * _PER_REPLICA), str(tmp_path / "single"), verbose=0)
    assert int(distributed.step_counter.numpy()) == int(single.step_counter.numpy()) == steps
    initial = [w.numpy() for w in training.build_model(_recipe(steps)).trainable_weights]
    moved = max(float(np.max(np.abs(w.numpy() - b))) for w, b in zip(distributed.trainable_weights, initial))
    assert moved > 1e-3, "the two-worker run did not train"
    for a, b, w in zip(_weights(distributed), _weights(single), single.weights):
        np.testing.assert_allclose(a, b, rtol=2e-5, atol=2e-6, err_msg=w.path)


def _state(out):
    return json.loads((out / "checkpoints" / "state.json").read_text())


@pytest.fixture(scope="module")
def two_worker_run(tmp_path_factory):
    """A finished four-step run of two workers (a global batch of 2 x 8)."""
    root = tmp_path_factory.mktemp("multiworker")
    _train_two_workers(root / "run", 4, root / "logs", "first")
    return root / "run"


def test_two_workers_match_one_process_on_the_global_batch(two_worker_run, tmp_path):
    assert _state(two_worker_run)["step"] == 4 and _state(two_worker_run)["replicas"] == 2
    assert sorted(p.name for p in (two_worker_run / "samples").iterdir()) == ["step_0000002.png", "step_0000004.png"]
    _assert_matches_one_process(two_worker_run, 4, tmp_path)


def test_two_workers_resume_after_one_is_killed(two_worker_run, tmp_path):
    out = tmp_path / "run"
    shutil.copytree(two_worker_run, out)
    # Continue the four-step run with a budget it cannot reach; once it has
    # checkpointed past step 4, kill worker 1 mid-run, then the stranded chief.
    with _Workers(out, 10**6, tmp_path / "logs", "killed") as workers:
        deadline = time.monotonic() + _TIMEOUT
        while _state(out)["step"] <= 4:
            if any(proc.poll() is not None for proc in workers.procs):
                workers.fail("a worker stopped before being killed")
            if time.monotonic() > deadline:
                workers.fail(f"no checkpoint past step 4 after {_TIMEOUT} s")
            time.sleep(0.05)
        workers.kill(1)
        # The chief can make no step without worker 1: its collective fails
        # (UnavailableError, here within a second) or, elsewhere, may block.
        try:
            workers.procs[0].wait(5)
        except subprocess.TimeoutExpired:
            pass
        workers.kill(0)
        assert workers.procs[0].returncode != 0, "the chief finished without its peer"
    killed_at = _state(out)["step"]
    assert killed_at > 4 and killed_at % 2 == 0  # checkpoints come every 2-step epoch
    shutil.rmtree(out / "samples")
    steps = killed_at + 4
    _train_two_workers(out, steps, tmp_path / "logs", "restarted")
    # Resumed from the checkpoint, not retrained from step 0: only the new epochs' grids.
    assert sorted(p.name for p in (out / "samples").iterdir()) == [
        f"step_{step:07d}.png" for step in (killed_at + 2, killed_at + 4)
    ]
    state = _state(out)
    assert (state["step"], state["replicas"]) == (steps, 2)
    _assert_matches_one_process(out, steps, tmp_path)
