"""Callbacks for `fit`: sample grids, checkpoints with exact resume, budgets, progress lines."""

from tfgan_zoo.callbacks.checkpoint import Budget, RunCheckpoint
from tfgan_zoo.callbacks.evaluation import EvaluationCallback
from tfgan_zoo.callbacks.progress import ProgressLog, progress_output
from tfgan_zoo.callbacks.sample_grid import SampleGrid
