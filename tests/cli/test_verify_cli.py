"""`tfgan-zoo verify`: exit status 0 when bounds are met, 1 when one is missed, 2 on usage errors."""

import json

import pytest

from test_cli import tfgan_zoo, tfgan_zoo_in_process
from tfgan_zoo import recipes
from tfgan_zoo.recipes.expectations import Expect

# The ring of 8 Gaussians has 8 modes: at least 0 is met by any run, at least 9 by none.
MET = Expect(steps=4, bounds={"modes": 0, "high_quality": 0.0}, seeds=2, num_samples=200)
MISSED = Expect(steps=4, bounds={"modes": 9}, seeds=2, num_samples=200)


@pytest.fixture
def ring_recipes(monkeypatch):
    ring = recipes.get_recipe("gan_ring8").smoke_sized()
    catalog = dict(recipes.RECIPES)
    for name, expect in (("ring_met", MET), ("ring_missed", MISSED)):
        catalog[name] = ring.__class__(**{**ring.to_dict(), "name": name, "expect": expect})
    monkeypatch.setattr(recipes, "RECIPES", catalog)


def test_bounds_met_exit_0_and_write_the_report(ring_recipes, capsys, tmp_path):
    status, _ = tfgan_zoo_in_process(capsys, "verify", "--recipe=ring_met", f"--out={tmp_path}")
    assert status == 0
    report = json.loads((tmp_path / "verify.json").read_text())
    assert report["passed"] is True and [run["seed"] for run in report["seeds"]] == [0, 1]
    assert [row["bound"] for row in report["bounds"]] == ["modes", "high_quality"]
    assert all(run["steps"] == 4 for run in report["seeds"])


def test_bound_missed_exits_1_naming_bound_value_and_seed(ring_recipes, capsys, tmp_path):
    status, stderr = tfgan_zoo_in_process(capsys, "verify", "--recipe=ring_missed", f"--out={tmp_path}", "--seeds=1")
    assert status == 1
    report = json.loads((tmp_path / "verify.json").read_text())
    modes = report["seeds"][0]["values"]["modes"]
    assert f"bound modes at least 9 missed: seed 0 has {modes}" in stderr


def test_existing_runs_need_reuse_and_are_not_retrained(ring_recipes, capsys, tmp_path):
    assert tfgan_zoo_in_process(capsys, "verify", "--recipe=ring_met", f"--out={tmp_path}")[0] == 0
    checkpoint = tmp_path / "seed_0" / "checkpoints" / "model.keras"
    written = checkpoint.stat().st_mtime_ns
    status, stderr = tfgan_zoo_in_process(capsys, "verify", "--recipe=ring_met", f"--out={tmp_path}")
    assert status == 2 and "--reuse" in stderr and "seed_0" in stderr
    assert tfgan_zoo_in_process(capsys, "verify", "--recipe=ring_met", f"--out={tmp_path}", "--reuse")[0] == 0
    report = json.loads((tmp_path / "verify.json").read_text())
    assert [run["trained_now"] for run in report["seeds"]] == [False, False]
    assert checkpoint.stat().st_mtime_ns == written


def test_a_changed_recipe_needs_keep_bounds_and_is_reported_changed(ring_recipes, capsys, tmp_path):
    status, stderr = tfgan_zoo_in_process(
        capsys, "verify", "--recipe=ring_met", "--set=g_lr=0.0005", f"--out={tmp_path}"
    )
    assert status == 2 and "g_lr=0.0005" in stderr and "--keep_bounds" in stderr
    assert not (tmp_path / "verify.json").exists()
    status, _ = tfgan_zoo_in_process(
        capsys, "verify", "--recipe=ring_met", "--set=g_lr=0.0005", "--keep_bounds", "--seeds=1", f"--out={tmp_path}")
    assert status == 0
    report = json.loads((tmp_path / "verify.json").read_text())
    assert report["changed"] == {"g_lr": 0.0005} and report["recipe_config"]["g_lr"] == 0.0005


def test_recipe_without_bounds_exits_2_naming_it(capsys):
    status, stderr = tfgan_zoo_in_process(capsys, "verify", "--recipe=gan_ring8")
    assert status == 2 and "'gan_ring8' declares no expect bounds" in stderr


def test_smoke_verify_of_a_catalog_recipe_end_to_end(tmp_path):
    """The real path in a subprocess: domain classifier, FID with its floor, label accuracy; bounds missed at smoke
    size."""
    result = tfgan_zoo("verify", "--recipe=cgan_mnist8k", "--smoke", "--seeds=1", f"--out={tmp_path}", check=False)
    assert result.returncode == 1, result.stderr[-2000:]
    report = json.loads((tmp_path / "verify.json").read_text())
    assert report["smoke"] is True and report["passed"] is False
    assert set(report["seeds"][0]["values"]) == {"fid", "label_accuracy"}
    assert report["facts"]["real_vs_real_floor"] > 0
    assert "SMOKE size" in result.stdout and "MISSED" in result.stdout
    assert "bound fid at most 4 missed: seed 0" in result.stderr
