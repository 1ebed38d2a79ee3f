"""Evaluation metrics for generative models.

Layered as in TF-GAN: pure numpy math on activations and probabilities
(`frechet`, `scores`, `mixtures`), then functions that run a feature network
over images (`classifier`).
"""

from tfgan_zoo.metrics.classifier import build_domain_classifier
from tfgan_zoo.metrics.classifier import classifier_outputs
from tfgan_zoo.metrics.classifier import domain_scores
from tfgan_zoo.metrics.classifier import train_domain_classifier
from tfgan_zoo.metrics.frechet import frechet_distance
from tfgan_zoo.metrics.frechet import frechet_distance_from_activations
from tfgan_zoo.metrics.frechet import gaussian_statistics
from tfgan_zoo.metrics.mixtures import mixture_metrics
from tfgan_zoo.metrics.scores import class_statistics
from tfgan_zoo.metrics.scores import inception_score
from tfgan_zoo.metrics.scores import label_accuracy

__all__ = [
    "build_domain_classifier",
    "class_statistics",
    "classifier_outputs",
    "domain_scores",
    "frechet_distance",
    "frechet_distance_from_activations",
    "gaussian_statistics",
    "inception_score",
    "label_accuracy",
    "mixture_metrics",
    "train_domain_classifier",
]
