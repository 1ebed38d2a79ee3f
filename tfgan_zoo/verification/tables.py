"""The quality tables of BENCHMARKS.md, generated from `verify.json` reports.

`markdown_table(reports)` gives one row per bound of each report and a line
saying when, at which commit and on which machine they were measured;
`replace_section(text, table, section)` puts it between the markers
`<!-- verify-table:begin SECTION -->` and `<!-- verify-table:end SECTION -->`
(no SECTION: the unnamed pair), so a file can hold several generated tables.
"""

from tfgan_zoo.recipes import expectations
from tfgan_zoo.verification import format_value

_HEADER = ("| recipe | budget | seeds | bound | mean | worst (seed) | per seed | verdict | steps per seed |\n"
           "|---|---|---|---|---|---|---|---|---|")


def markdown_table(reports):
    """Markdown: one row per bound of each report (smoke-sized reports are refused)."""
    smoke = sorted(report["recipe"] for report in reports if report["smoke"])
    if smoke:
        raise ValueError(f"Smoke-sized reports say nothing about quality; leave them out. Received: {smoke}")
    if not reports:
        raise ValueError("No reports to tabulate. Received: reports=[]")
    lines = [_HEADER]
    for report in sorted(reports, key=lambda report: report["recipe"]):
        lines += [_row(report, bound) for bound in report["bounds"]]
    floors = sorted({round(report["facts"]["real_vs_real_floor"], 3) for report in reports
                     if "real_vs_real_floor" in report["facts"]})
    dates = sorted({report["date"] for report in reports})
    commits = sorted({str(report["commit"]) for report in reports})
    machines = sorted({report["machine"] for report in reports})
    floor_text = f" Domain FID real-vs-real floor: {', '.join(map(str, floors))}." if floors else ""
    lines += [
        "",
        f"Measured {', '.join(dates)} at commit {', '.join(commits)} on {'; '.join(machines)}; "
        f"each seed trained single-threaded.{floor_text}",
    ]
    return "\n".join(lines)


def _row(report, bound):
    expect = report["expect"]
    budget = f"{expect['cpu_minutes']:g} CPU-min" if expect["cpu_minutes"] else f"{expect['steps']} steps"
    name = f"`{report['recipe']}`" + (f" (changed: {report['changed']})" if report["changed"] else "")
    sign = "<=" if bound["direction"] == expectations.AT_MOST else ">="
    cells = [
        name, budget, str(len(report["seeds"])), f"{bound['bound']} {sign} {bound['limit']:g}",
        format_value(bound["mean"]), f"{format_value(bound['worst'])} ({bound['worst_seed']})",
        ", ".join(format_value(value) for value in bound["values"]),
        "met" if bound["met"] else "**missed**",
        ", ".join(f"{run['steps']:,}" for run in report["seeds"]),
    ]
    return "| " + " | ".join(cells) + " |"


def markers(section=None):
    """The begin and end lines of a generated table (`section` names one of several)."""
    suffix = f" {section}" if section else ""
    return f"<!-- verify-table:begin{suffix} -->", f"<!-- verify-table:end{suffix} -->"


def replace_section(text, table, section=None):
    """`text` with the table between its section's markers replaced by `table`."""
    begin, end = markers(section)
    if text.count(begin) != 1 or text.count(end) != 1 or text.index(begin) > text.index(end):
        raise ValueError(
            f"The file needs exactly one {begin} line followed by one {end} line to replace the table between. "
            f"Received: section={section!r}"
        )
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{begin}\n{table}\n{end}{tail}"
