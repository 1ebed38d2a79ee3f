"""What keeps a run alive in a hostile environment.

- `lock`: one writer per run folder (an OS lock released when the process dies).
- `checkpoints`: the last N good checkpoints, diagnosis of corrupt files and
  the fall-back to an older one, the recipe stored inside each checkpoint.
- `divergence`: the NaN/Inf guard, and the rollback to the last good
  checkpoint with lower learning rates.
- `recipe_checks`: recipe values refused before anything is built.
- `fingerprint`: a cheap fingerprint of file-based datasets, checked on resume.
- `files`: temporary names, stale-file cleanup, OS errors as one-line messages.
"""
