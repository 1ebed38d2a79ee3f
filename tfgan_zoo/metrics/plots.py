"""PNG plots of evaluation reports (PRD curve, D's output histogram, class histogram) and grouped bar charts.

Figures are drawn with matplotlib's object API on the Agg canvas, so no
display or global pyplot state is involved.
"""

import os

import numpy as np

PRD_PLOT = "prd"
DISCRIMINATOR_PLOT = "discriminator"
CLASS_PLOT = "classes"


def _figure(width=5.0, height=4.0):
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=100)
    return figure, figure.subplots()


def _save(figure, path):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    figure.tight_layout()
    figure.savefig(path, format="png")


def plot_prd(curves, path):
    """Draws PRD curves (recall on x, precision on y).

    Args:
        curves: Dict of label -> report entry with `precision` and `recall`
            lists and `f_8`, `f_1_8` (as made by `prd.prd_summary`).
        path: Output PNG path.
    """
    figure, axes = _figure()
    for label, entry in curves.items():
        axes.plot(entry["recall"], entry["precision"],
                  label=f"{label} (F8={entry['f_8']:.3f}, F1/8={entry['f_1_8']:.3f})")
    axes.set(xlim=(0, 1), ylim=(0, 1.02), xlabel="recall", ylabel="precision", title="PRD (Sajjadi et al. 2018)")
    axes.legend(loc="lower left", fontsize="small")
    _save(figure, path)


def plot_discriminator_histogram(entry, path):
    """Draws the histograms of D's outputs on real and generated samples.

    Args:
        entry: A `discriminator.discriminator_histogram` result.
        path: Output PNG path.
    """
    figure, axes = _figure(6.0, 4.0)
    edges = np.asarray(entry["bin_edges"])
    for key, label, colour in (("real_counts", "real", "tab:blue"), ("generated_counts", "generated", "tab:orange")):
        axes.stairs(entry[key], edges, fill=True, alpha=0.5, label=label, color=colour)
    axes.axvline(0.0, color="black", linewidth=0.8, linestyle="--")
    axes.set(xlabel="discriminator output", ylabel="samples",
             title=f"D outputs: AUC {entry['auc']:.3f}, accuracy at 0 {entry['accuracy_at_zero']:.3f}")
    axes.legend()
    _save(figure, path)


def plot_class_histogram(entry, path, class_names=None):
    """Draws the share of samples per predicted class, generated beside real.

    Args:
        entry: The `class_histogram` report entry (`generated`, `real` lists).
        path: Output PNG path.
        class_names: Optional names of the classes for the x axis.
    """
    groups = {"generated": entry["generated"]}
    if entry.get("real") is not None:
        groups["real"] = entry["real"]
    plot_grouped_bars(groups, path, class_names=class_names, xlabel="predicted class", ylabel="share of samples",
                      title=f"Classes: {entry['modes_covered']} covered (> 2%)")


def plot_grouped_bars(groups, path, *, class_names=None, xlabel="class", ylabel="", title="", errors=None,
                      ylim=None):
    """Draws one bar per class for each group, the groups side by side.

    Args:
        groups: Dict of group label -> one value per class (same length for all).
        path: Output PNG path.
        class_names: Optional names of the classes for the x axis.
        xlabel, ylabel, title: Axis labels and title.
        errors: Optional dict of group label -> error bar half-lengths per class.
        ylim: Optional `(bottom, top)` of the y axis.
    """
    num_classes = len(next(iter(groups.values())))
    positions = np.arange(num_classes)
    figure, axes = _figure(max(4.0, 0.25 * len(groups) * num_classes + 2.0), 4.0)
    width = 0.8 / len(groups)
    for index, (label, values) in enumerate(groups.items()):
        offset = (index - (len(groups) - 1) / 2) * width
        error = None if errors is None else errors.get(label)
        axes.bar(positions + offset, values, width, yerr=error, capsize=2 if error is not None else 0, label=label)
    axes.set_xticks(positions, class_names if class_names else [str(index) for index in positions])
    axes.set(xlabel=xlabel, ylabel=ylabel, title=title)
    if ylim is not None:
        axes.set_ylim(*ylim)
    axes.legend(fontsize="small")
    _save(figure, path)


def write_report_plots(report, stem, class_names=None):
    """Writes the plots a report supports as `<stem>_<plot>.png`.

    Returns:
        The list of written paths.
    """
    written = []
    if "prd" in report:
        written.append(f"{stem}_{PRD_PLOT}.png")
        plot_prd({"generated": report["prd"]}, written[-1])
    if "discriminator_histogram" in report:
        written.append(f"{stem}_{DISCRIMINATOR_PLOT}.png")
        plot_discriminator_histogram(report["discriminator_histogram"], written[-1])
    if "class_histogram" in report:
        written.append(f"{stem}_{CLASS_PLOT}.png")
        plot_class_histogram(report["class_histogram"], written[-1], class_names)
    return written
