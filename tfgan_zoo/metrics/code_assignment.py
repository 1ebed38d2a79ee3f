"""How well an unsupervised categorical code matches the class labels.

InfoGAN's categorical code is learned without labels, so code `k` may stand
for any class: the code is scored under the best one-to-one assignment of
codes to classes (the Hungarian algorithm on the code/class contingency
table), as in Chen et al. 2016, section 6.1 ("5% error" on MNIST).
"""

import numpy as np

from tfgan_zoo.metrics import _checks
from tfgan_zoo.utils import validation


def contingency_table(codes, labels, num_codes=None, num_classes=None):
    """`table[k, c]`: how many samples have code `k` and label `c` (int64).

    Args:
        codes: integer codes `[n]` in `[0, num_codes)`.
        labels: integer labels `[n]` in `[0, num_classes)`.
        num_codes: number of code values; default `max(codes) + 1`.
        num_classes: number of classes; default `max(labels) + 1`.
    """
    codes, labels = np.asarray(codes), np.asarray(labels)
    if codes.ndim != 1 or codes.size == 0:
        raise ValueError(f"codes must be a non-empty 1-D array of integers. Received: codes.shape={codes.shape}")
    num_codes = int(codes.max()) + 1 if num_codes is None else num_codes
    num_classes = int(labels.max()) + 1 if num_classes is None and labels.size else num_classes
    validation.check_int("num_codes", num_codes)
    validation.check_int("num_classes", num_classes)
    codes = _checks.check_labels("codes", codes, len(codes), num_codes)
    labels = _checks.check_labels("labels", labels, len(codes), num_classes)
    table = np.zeros([num_codes, num_classes], np.int64)
    np.add.at(table, (codes, labels), 1)
    return table


def min_cost_assignment(cost):
    """Rows matched one-to-one to columns at minimum total cost (Hungarian algorithm).

    The O(n^2 m) shortest augmenting path version with row and column
    potentials (Kuhn 1955; Munkres 1957; Jonker & Volgenant 1987), written
    here so the metric needs nothing beyond numpy.

    Args:
        cost: a finite `[n, m]` cost matrix with `n <= m`.

    Returns:
        int64 `[n]`: the column assigned to each row.
    """
    cost = np.asarray(cost, np.float64)
    if cost.ndim != 2 or cost.shape[0] > cost.shape[1] or not np.all(np.isfinite(cost)):
        raise ValueError(f"cost must be a finite [n, m] matrix with n <= m. Received: cost.shape={cost.shape}")
    rows, columns = cost.shape
    # 1-based as in the textbook version: column 0 is a virtual start.
    row_potential, column_potential = np.zeros(rows + 1), np.zeros(columns + 1)
    row_of_column = np.zeros(columns + 1, np.int64)
    for row in range(1, rows + 1):
        row_of_column[0] = row
        previous = np.zeros(columns + 1, np.int64)
        slack = np.full(columns + 1, np.inf)
        used = np.zeros(columns + 1, bool)
        column = 0
        while row_of_column[column] != 0:
            used[column] = True
            current_row = row_of_column[column]
            reduced = cost[current_row - 1] - row_potential[current_row] - column_potential[1:]
            better = ~used[1:] & (reduced < slack[1:])
            slack[1:][better] = reduced[better]
            previous[1:][better] = column
            free = np.flatnonzero(~used[1:]) + 1
            next_column = free[np.argmin(slack[free])]
            delta = slack[next_column]
            row_potential[row_of_column[used]] += delta
            column_potential[used] -= delta
            slack[~used] -= delta
            column = next_column
        # Flip the augmenting path back to the start.
        while column:
            row_of_column[column] = row_of_column[previous[column]]
            column = previous[column]
    assignment = np.zeros(rows, np.int64)
    for column in range(1, columns + 1):
        if row_of_column[column]:
            assignment[row_of_column[column] - 1] = column - 1
    return assignment


def best_code_assignment(codes, labels, num_codes=None, num_classes=None):
    """The one-to-one code -> class map with the fewest errors, and that error.

    A code left without a class (more codes than classes) counts all of its
    samples as errors, as does a class left without a code.

    Args:
        codes: integer codes `[n]`, e.g. InfoGAN's `predict_codes(images)[:, 0]`.
        labels: the true classes `[n]`.
        num_codes: number of code values; default `max(codes) + 1`.
        num_classes: number of classes; default `max(labels) + 1`.

    Returns:
        A dict: `mapping` (`{code: class}`), `error` (share of samples whose
        mapped code is not their class), `correct` and `count`.

    Reference: Chen et al., "InfoGAN: Interpretable Representation Learning
    by Information Maximizing Generative Adversarial Nets", NeurIPS 2016.
    """
    table = contingency_table(codes, labels, num_codes, num_classes)
    if table.shape[0] <= table.shape[1]:
        pairs = enumerate(min_cost_assignment(-table))
    else:
        pairs = ((code, label) for label, code in enumerate(min_cost_assignment(-table.T)))
    mapping = {int(code): int(label) for code, label in pairs}
    correct = int(sum(table[code, label] for code, label in mapping.items()))
    count = int(table.sum())
    return {"mapping": mapping, "error": 1.0 - correct / count, "correct": correct, "count": count}
