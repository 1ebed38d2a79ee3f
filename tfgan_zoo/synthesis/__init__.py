"""Synthetic labelled datasets from conditional models, and training batches that mix them with real data.

- `synthesize`: per-class samples of a conditional model, optionally kept
  only where a classifier is confident they show the requested class;
  `write_synthetic` stores them as an ``npz:`` dataset.
- `mixing`: a `tf.data` source with a fixed number of synthetic rows in
  every batch of real ones.

Class-imbalanced views of real data and top-up plans are in
`tfgan_zoo.data.imbalance`; the BAGAN balancing model in
`tfgan_zoo.models.BAGAN`, the DAGAN augmentation model in
`tfgan_zoo.models.DAGAN`.
"""

from tfgan_zoo.synthesis import mixing
from tfgan_zoo.synthesis.synthesize import (
    Synthesized,
    augment,
    check_image_conditioned,
    is_image_conditioned,
    per_class_counts,
    synthesize,
    write_synthetic,
)

__all__ = ["Synthesized", "augment", "check_image_conditioned", "is_image_conditioned", "mixing",
           "per_class_counts", "synthesize", "write_synthetic"]
