"""2-D Gaussian mixtures used to study mode collapse (ring and grid).

The definitions follow the usual benchmarks of VEEGAN / PacGAN so that the
metrics in `tfgan_zoo.metrics.mixtures` can be fed `MIXTURES[name].centers`
and `MIXTURES[name].sigma` directly.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from tfgan_zoo.utils import validation

DEFAULT_NUM_POINTS = 100_000


@dataclasses.dataclass(frozen=True, eq=False)
class Mixture:
    """An isotropic Gaussian mixture with equally likely modes.

    Attributes:
        centers: Mode means, float64 array of shape (K, 2). Mode k is label k.
        sigma: Standard deviation shared by every mode and both axes.
    """

    centers: np.ndarray
    sigma: float

    def sample(self, n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Draws points, choosing each point's mode uniformly at random.

        Args:
            n: Number of points, a positive int.
            seed: Seed of the numpy generator; equal seeds give equal points.

        Returns:
            ``(points, labels)``: float32 (n, 2) and the int32 (n,) mode indices.

        Raises:
            ValueError: If `n` is not a positive int.
        """
        validation.check_int("n", n)
        rng = np.random.default_rng(seed)
        modes = rng.integers(0, len(self.centers), size=n)
        noise = rng.normal(0.0, self.sigma, size=(n, 2))
        points = self.centers[modes] + noise
        return points.astype(np.float32), modes.astype(np.int32)


def _frozen(array: np.ndarray) -> np.ndarray:
    # The dataclass is frozen; make the array immutable too so callers cannot
    # move the benchmark's modes by accident.
    array.setflags(write=False)
    return array


def _ring(num_modes: int, radius: float) -> np.ndarray:
    angles = 2.0 * np.pi * np.arange(num_modes) / num_modes
    return _frozen(radius * np.stack([np.cos(angles), np.sin(angles)], axis=1))


def _grid(values: tuple[float, ...]) -> np.ndarray:
    # Mode i * len(values) + j sits at (values[i], values[j]).
    xs, ys = np.meshgrid(values, values, indexing="ij")
    return _frozen(np.stack([xs.ravel(), ys.ravel()], axis=1).astype(np.float64))


MIXTURES: dict[str, Mixture] = {
    "ring8": Mixture(centers=_ring(8, 1.0), sigma=0.01),
    "grid25": Mixture(centers=_grid((-4.0, -2.0, 0.0, 2.0, 4.0)), sigma=0.05),
}
