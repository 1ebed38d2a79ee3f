"""Evaluation metrics for generative models.

Layered as in TF-GAN:
1. pure float64 math on activations and probabilities: `frechet`, `kid`,
   `scores` (Inception Score, class statistics), `prd`, `manifold`
   (improved precision/recall, density/coverage), `mixtures`,
   `image_quality` (PSNR, SSIM), `memorisation`, `discriminator`;
2. functions that run a feature network: `features` (injectable networks,
   FID/KID/IS on samples), `classifier` (the domain classifier), `inception`
   (InceptionV3 from a local weights file);
3. streaming `keras.metrics.Metric`s: `streaming`.
`evaluation` maps metric names to functions for the CLI and the callback.
"""

from tfgan_zoo.metrics.classifier import (
    build_domain_classifier,
    classifier_network,
    classifier_outputs,
    domain_scores,
    train_domain_classifier,
)
from tfgan_zoo.metrics.dataset_classifier import train_classifier_on_dataset
from tfgan_zoo.metrics.discriminator import discriminator_histogram
from tfgan_zoo.metrics.evaluation import METRICS, EvaluationInputs, evaluate
from tfgan_zoo.metrics.features import (
    FeatureNetwork,
    classifier_score,
    frechet_classifier_distance,
    kernel_classifier_distance,
)
from tfgan_zoo.metrics.frechet import frechet_distance, frechet_distance_from_activations, gaussian_statistics
from tfgan_zoo.metrics.image_quality import psnr, ssim
from tfgan_zoo.metrics.inception import inception_network
from tfgan_zoo.metrics.kid import kernel_distance_from_activations
from tfgan_zoo.metrics.manifold import density_coverage, improved_precision_recall, manifold_metrics
from tfgan_zoo.metrics.memorisation import nearest_neighbour_report
from tfgan_zoo.metrics.mixtures import mixture_metrics
from tfgan_zoo.metrics.prd import prd_from_activations, prd_summary
from tfgan_zoo.metrics.scores import class_statistics, inception_score, label_accuracy
from tfgan_zoo.metrics.streaming import StreamingFrechetDistance, StreamingInceptionScore, StreamingKernelDistance

__all__ = [
    "METRICS",
    "EvaluationInputs",
    "FeatureNetwork",
    "StreamingFrechetDistance",
    "StreamingInceptionScore",
    "StreamingKernelDistance",
    "build_domain_classifier",
    "class_statistics",
    "classifier_network",
    "classifier_outputs",
    "classifier_score",
    "density_coverage",
    "discriminator_histogram",
    "domain_scores",
    "evaluate",
    "frechet_classifier_distance",
    "frechet_distance",
    "frechet_distance_from_activations",
    "gaussian_statistics",
    "improved_precision_recall",
    "inception_network",
    "inception_score",
    "kernel_classifier_distance",
    "kernel_distance_from_activations",
    "label_accuracy",
    "manifold_metrics",
    "mixture_metrics",
    "nearest_neighbour_report",
    "prd_from_activations",
    "prd_summary",
    "psnr",
    "ssim",
    "train_classifier_on_dataset",
    "train_domain_classifier",
]
