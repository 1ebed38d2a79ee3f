"""The quality tables of BENCHMARKS.md, generated from `tfgan-zoo verify` reports.

    python benchmarks/verify_table.py runs/verify/*/verify.json                    # print the table
    python benchmarks/verify_table.py runs/verify/*/verify.json --update=BENCHMARKS.md

With `--update`, the table replaces what stands between the lines
`<!-- verify-table:begin -->` and `<!-- verify-table:end -->` of the file.
Smoke-sized reports are refused (their verdicts say nothing about quality);
a recipe changed by `--set` is marked as such.
"""

import sys

from absl import app, flags

from tfgan_zoo import verification
from tfgan_zoo.recipes import expectations

flags.DEFINE_string("update", None, "Markdown file whose verify-table section is replaced.")
FLAGS = flags.FLAGS

BEGIN, END = "<!-- verify-table:begin -->", "<!-- verify-table:end -->"


def table(reports):
    """Markdown: one row per bound of each report, then where and when they were measured."""
    lines = ["| recipe | budget | seeds | bound | mean | worst (seed) | per seed | verdict | steps per seed |",
             "|---|---|---|---|---|---|---|---|---|"]
    for report in sorted(reports, key=lambda report: report["recipe"]):
        expect = report["expect"]
        budget = f"{expect['cpu_minutes']:g} CPU-min" if expect["cpu_minutes"] else f"{expect['steps']} steps"
        name = f"`{report['recipe']}`" + (f" (changed: {report['changed']})" if report["changed"] else "")
        steps = ", ".join(f"{run['steps']:,}" for run in report["seeds"])
        for row in report["bounds"]:
            sign = "<=" if row["direction"] == expectations.AT_MOST else ">="
            lines.append(
                f"| {name} | {budget} | {len(report['seeds'])} | {row['bound']} {sign} {row['limit']:g} | "
                f"{verification.format_value(row['mean'])} | "
                f"{verification.format_value(row['worst'])} ({row['worst_seed']}) | "
                f"{', '.join(verification.format_value(value) for value in row['values'])} | "
                f"{'met' if row['met'] else '**missed**'} | "
                f"{steps} |"
            )
    floors = sorted({round(report["facts"]["real_vs_real_floor"], 3) for report in reports
                     if "real_vs_real_floor" in report["facts"]})
    dates = sorted({report["date"] for report in reports})
    commits = sorted({str(report["commit"]) for report in reports})
    machines = sorted({report["machine"] for report in reports})
    lines += [
        "",
        f"Measured {', '.join(dates)} at commit {', '.join(commits)} on {'; '.join(machines)}; "
        f"each seed trained single-threaded. Domain FID real-vs-real floor: {', '.join(map(str, floors)) or '-'}.",
    ]
    return "\n".join(lines)


def update(path, text):
    with open(path) as handle:
        content = handle.read()
    if BEGIN not in content or END not in content:
        raise ValueError(f"{path} has no {BEGIN} ... {END} section to replace. Received: --update={path!r}")
    head, rest = content.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    with open(path, "w") as handle:
        handle.write(f"{head}{BEGIN}\n{text}\n{END}{tail}")


def main(argv):
    paths = argv[1:]
    if not paths:
        raise app.UsageError("Give the verify.json files to tabulate.")
    reports = [verification.read_report(path) for path in paths]
    smoke = [path for path, report in zip(paths, reports) if report["smoke"]]
    if smoke:
        sys.exit(f"Smoke-sized reports say nothing about quality; leave them out. Received: {smoke}")
    text = table(reports)
    if FLAGS.update:
        update(FLAGS.update, text)
    print(text)


if __name__ == "__main__":
    app.run(main)
