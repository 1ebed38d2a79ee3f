"""Prints the full-metric table of BENCHMARKS.md from `tfgan-zoo evaluate` reports."""

import json
import os

from absl import app, flags

flags.DEFINE_string("results", "results/eval", "Folder of evaluate reports.")
FLAGS = flags.FLAGS

_ROWS = [("real_floor", "real vs real (2,000 test vs train)"), ("dcgan_mnist8k", "`dcgan_mnist8k`"),
         ("gan_mnist8k", "`gan_mnist8k`"), ("cgan_mnist8k", "`cgan_mnist8k`")]


def _row(label, report):
    pr, dc, prd = report["precision_recall"], report["density_coverage"], report["prd"]
    nn, dh = report["nearest_neighbour"], report.get("discriminator_histogram")
    cells = [
        label, f"{report['fid']:.2f}", f"{report['real_vs_real_floor']:.2f}", f"{report['kid']['mean']:.2f}",
        f"{report['inception_score']['mean']:.2f}", f"{prd['f_8']:.3f} / {prd['f_1_8']:.3f}",
        f"{pr['precision']:.3f} / {pr['recall']:.3f}", f"{dc['density']:.3f} / {dc['coverage']:.3f}",
        f"{report['class_histogram']['modes_covered']}", f"{report['class_histogram']['confident_share']:.1%}",
        f"{report['label_accuracy']:.1%}" if "label_accuracy" in report else "–",
        f"{report['intra_fid']['mean']:.2f}" if "intra_fid" in report else "–",
        f"{nn['median']:.2f} ({nn['share_closer_than_real']:.1%})",
        f"{dh['auc']:.3f}" if dh else "–",
    ]
    return "| " + " | ".join(cells) + " |"


def main(argv):
    del argv
    print("| run | FID | floor | KID | IS | PRD F8 / F1/8 | precision / recall | density / coverage "
          "| classes | confident | label acc. | intra-FID | NN median (share closer than real) | D AUC |")
    print("|" + "---|" * 14)
    for name, label in _ROWS:
        path = os.path.join(FLAGS.results, f"{name}.json")
        if os.path.exists(path):
            with open(path) as file:
                print(_row(label, json.load(file)))


if __name__ == "__main__":
    app.run(main)
