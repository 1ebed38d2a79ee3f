"""Losses as pure per-example functions: adversarial families and penalties (with the registry of families by
name), and the non-adversarial terms (`likelihood`)."""

from tfgan_zoo.losses.adversarial import (
    hinge_discriminator_loss,
    hinge_generator_loss,
    least_squares_discriminator_loss,
    least_squares_generator_loss,
    minimax_discriminator_loss,
    minimax_generator_loss,
    non_saturating_discriminator_loss,
    non_saturating_generator_loss,
    wasserstein_discriminator_loss,
    wasserstein_generator_loss,
)
from tfgan_zoo.losses.likelihood import (
    bernoulli_reconstruction,
    categorical_code_loss,
    classification_loss,
    cycle_consistency_loss,
    gaussian_code_loss,
    gaussian_reconstruction,
    identity_loss,
    kl_divergence,
    mean_absolute_error,
    mean_squared_error,
    sum_per_example,
)
from tfgan_zoo.losses.orthogonal import orthogonal_regularisation
from tfgan_zoo.losses.penalties import dragan_points, drift_penalty, gradient_penalty, r1_penalty
from tfgan_zoo.losses.reconstruction import (
    RECONSTRUCTION_LOSSES,
    check_reconstruction_loss,
    reconstruction_error,
)

# name -> (generator loss, discriminator loss)
LOSS_FAMILIES = {
    "minimax": (minimax_generator_loss, minimax_discriminator_loss),
    "non_saturating": (non_saturating_generator_loss, non_saturating_discriminator_loss),
    "least_squares": (least_squares_generator_loss, least_squares_discriminator_loss),
    "wasserstein": (wasserstein_generator_loss, wasserstein_discriminator_loss),
    "hinge": (hinge_generator_loss, hinge_discriminator_loss),
}


# Families whose discriminator loss takes a real-example target (`label_smoothing`).
SMOOTHABLE_FAMILIES = ("minimax", "non_saturating", "least_squares")


def get_loss_family(name):
    """Returns `(generator_loss, discriminator_loss)` for a family name."""
    if name not in LOSS_FAMILIES:
        raise ValueError(
            f"Unknown loss family. Expected one of {sorted(LOSS_FAMILIES)}. "
            f"Received: loss={name!r}"
        )
    return LOSS_FAMILIES[name]
