"""The generated BENCHMARKS.md tables (`tfgan_zoo.verification.tables`)."""

import pytest

from tfgan_zoo import verification
from tfgan_zoo.recipes.expectations import Expect
from tfgan_zoo.verification import tables


def _report(recipe="cgan_mnist8k", smoke=False, changed=None):
    expect = Expect(cpu_minutes=5, bounds={"fid": 4, "label_accuracy": 0.97})
    runs = [{"seed": 0, "steps": 1730, "values": {"fid": 5.5, "label_accuracy": 0.98}},
            {"seed": 1, "steps": 1692, "values": {"fid": 3.5, "label_accuracy": 0.975}}]
    return {"recipe": recipe, "expect": {"cpu_minutes": 5, "steps": None}, "seeds": runs,
            "bounds": verification.summarise(expect, runs), "changed": changed or {}, "smoke": smoke,
            "facts": {"real_vs_real_floor": 1.6471}, "date": "2026-12-07", "commit": "abc1234",
            "machine": "x86_64, 2 CPU cores"}


def test_table_has_one_row_per_bound_with_worst_seed_and_verdict():
    text = tables.markdown_table([_report()])
    rows = [line for line in text.splitlines() if line.startswith("| `cgan")]
    assert rows == [
        "| `cgan_mnist8k` | 5 CPU-min | 2 | fid <= 4 | 4.5 | 5.5 (0) | 5.5, 3.5 | **missed** | 1,730, 1,692 |",
        "| `cgan_mnist8k` | 5 CPU-min | 2 | label_accuracy >= 0.97 | 0.9775 | 0.975 (1) | 0.98, 0.975 | met "
        "| 1,730, 1,692 |",
    ]
    assert "Measured 2026-12-07 at commit abc1234 on x86_64, 2 CPU cores" in text and "floor: 1.647." in text


def test_changed_recipes_are_marked_and_smoke_reports_refused():
    assert "(changed: {'d_lr': 0.001})" in tables.markdown_table([_report(changed={"d_lr": 0.001})])
    with pytest.raises(ValueError, match=r"Smoke-sized.*\['gan_mnist8k'\]"):
        tables.markdown_table([_report(), _report("gan_mnist8k", smoke=True)])


def test_replace_section_touches_only_the_named_section():
    text = ("intro\n<!-- verify-table:begin -->\nold A\n<!-- verify-table:end -->\nmiddle\n"
            "<!-- verify-table:begin stacked -->\nold B\n<!-- verify-table:end stacked -->\nend\n")
    updated = tables.replace_section(text, "NEW", "stacked")
    assert "old A" in updated and "old B" not in updated
    assert updated.endswith("<!-- verify-table:begin stacked -->\nNEW\n<!-- verify-table:end stacked -->\nend\n")
    assert "old A" not in tables.replace_section(text, "NEW") and "old B" in tables.replace_section(text, "NEW")


def test_replace_section_names_a_missing_section():
    with pytest.raises(ValueError, match="section='speed'"):
        tables.replace_section("<!-- verify-table:begin -->\n<!-- verify-table:end -->", "NEW", "speed")
