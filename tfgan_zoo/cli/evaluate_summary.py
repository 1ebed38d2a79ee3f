"""What `tfgan-zoo evaluate` prints: each score with what it is measured against.

FID and KID mean little alone: their scale depends on the feature network
(a domain classifier's logits give thousands where InceptionV3 gives tens).
So the feature network is named, each distance is shown beside its
real-vs-real floor (two halves of the real data compared with each other)
and their ratio, and a classifier that separates the data's classes poorly
is called out.
"""

# Below this held-out accuracy the classifier's features tell this data's classes apart poorly, and
# distances between feature distributions say little (mnist8k's default classifier reaches about 0.99).
POOR_ACCURACY = 0.9
# Floors, by the scalar they are printed beside (names of `evaluation.scalar_logs`).
FLOORS = {"fid": "real_vs_real_floor", "kid_mean": "kid_real_vs_real_floor"}


def feature_network_line(network, facts):
    """`feature network: NAME (PATH; trained on DATASET, held-out accuracy A on N images)`."""
    details = [facts["path"]] if "path" in facts else []
    if "heldout_accuracy" in facts:
        details.append(f"trained on {facts.get('dataset', '?')}, held-out accuracy {facts['heldout_accuracy']:.3f}"
                       f" on {facts.get('heldout', '?')} images")
    return f"feature network: {network.name}" + (f" ({'; '.join(details)})" if details else "")


def poor_feature_space_warning(facts):
    """A warning when the classifier's held-out accuracy is below `POOR_ACCURACY`, else None."""
    accuracy = facts.get("heldout_accuracy")
    if accuracy is None or accuracy >= POOR_ACCURACY:
        return None
    return (
        f"warning: the feature network classifies held-out images of {facts.get('dataset', 'the data')} with "
        f"accuracy {accuracy:.3f} (below {POOR_ACCURACY}): a poor feature space for this data, so FID and KID "
        "say little. Train a better one (tfgan-zoo train-classifier --epochs=N) and give it with --classifier."
    )


def score_lines(logs):
    """`name: value` per scalar of `logs`, FID and KID with their floor and ratio beside them."""
    shown_beside = set(FLOORS.values())
    lines = []
    for name, value in logs.items():
        if name in shown_beside:
            continue
        line = f"{name}: {value:.6g}"
        floor = logs.get(FLOORS.get(name))
        if floor is not None:
            line += f" (real-vs-real floor {floor:.6g}" + (f"; {value / floor:.3g}x the floor)" if floor > 0 else ")")
        lines.append(line)
    return lines
