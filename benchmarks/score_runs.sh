#!/usr/bin/env bash
# Scores every trained benchmark run with the full metric set of `tfgan-zoo evaluate`
# and a real-vs-real row (mnist8k:test scored against mnist8k:train), then prints
# the table of BENCHMARKS.md. Run from benchmarks/ after mnist8k_quality.py and mixtures.py.
set -euo pipefail
export OPENBLAS_NUM_THREADS=1
results=results
mkdir -p "$results/eval"
classifier="$results/mnist8k_classifier.keras"
for run in dcgan_mnist8k gan_mnist8k cgan_mnist8k; do
  tfgan-zoo evaluate --run="$results/runs/$run" --num=4000 --classifier="$classifier" --out="$results/eval/$run.json"
done
for run in "$results"/runs/*_ring8_seed* "$results"/runs/*_grid25_seed*; do
  [ -d "$run" ] && tfgan-zoo evaluate --run="$run" --num=2500 --out="$results/eval/$(basename "$run").json"
done
python - "$results" <<'PY'
import sys
import numpy as np
from tfgan_zoo import data
np.savez(f"{sys.argv[1]}/eval/mnist8k_test_real.npz", *(), **dict(zip("xy", data.load_arrays("mnist8k:test"))))
PY
tfgan-zoo evaluate --samples="$results/eval/mnist8k_test_real.npz" --dataset=mnist8k:train --num=2000 \
  --classifier="$classifier" --out="$results/eval/real_floor.json"
python score_table.py --results="$results/eval"
