"""The quality tables of BENCHMARKS.md, generated from `tfgan-zoo verify` reports.

    python benchmarks/verify_table.py benchmarks/verify_reports/*.json             # print the table
    python benchmarks/verify_table.py benchmarks/verify_reports/*.json --update=BENCHMARKS.md --section=NAME

With `--update`, the table replaces what stands between the lines
`<!-- verify-table:begin NAME -->` and `<!-- verify-table:end NAME -->` of the
file (without `--section`: the unnamed pair). The reports a table is made
from are committed under `benchmarks/verify_reports/` (`verify --out=DIR`
writes `DIR/verify.json`; copy it there as `RECIPE.json`), so every
generated table can be regenerated from the repository. Smoke-sized reports
are refused; a recipe changed by `--set` is marked as such
(`tfgan_zoo.verification.tables`).
"""

from absl import app, flags

from tfgan_zoo import verification
from tfgan_zoo.verification import tables

flags.DEFINE_string("update", None, "Markdown file whose verify-table section is replaced.")
flags.DEFINE_string("section", None, "Name of the verify-table section to replace (default: the unnamed one).")
FLAGS = flags.FLAGS


def main(argv):
    paths = argv[1:]
    if not paths:
        raise app.UsageError("Give the verify.json files to tabulate.")
    text = tables.markdown_table([verification.read_report(path) for path in paths])
    if FLAGS.update:
        with open(FLAGS.update) as handle:
            content = handle.read()
        with open(FLAGS.update, "w") as handle:
            handle.write(tables.replace_section(content, text, FLAGS.section))
    print(text)


if __name__ == "__main__":
    app.run(main)
