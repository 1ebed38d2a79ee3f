"""The base of variants whose generator maps a latent vector (and a class label) to samples."""

from tfgan_zoo.models.network_model import NetworkModel
from tfgan_zoo.models.sampling import LatentSampler
from tfgan_zoo.utils import validation

LATENT_PRIORS = ("normal", "uniform")


class AdversarialModel(LatentSampler, NetworkModel):
    """A `NetworkModel` whose `generator` maps `latent` (and `label` when `num_classes` is set) to samples.

    Adds the latent: its prior, training draws (`sample_latent`), and the
    sampling of `LatentSampler` (`generate`, `latent_for_seed`).

    Args:
        networks: see `NetworkModel`.
        latent_prior: `"normal"` (N(0, 1)) or `"uniform"` (U[0, 1), as in the
            original GAN paper).
        **kwargs: the `NetworkModel` arguments (`num_classes`, `d_steps`,
            `ema_decay`, `seed`, `name`).
    """

    def __init__(self, networks, *, latent_prior="normal", **kwargs):
        validation.check_choice("latent_prior", latent_prior, LATENT_PRIORS)
        super().__init__(networks, **kwargs)
        self.latent_prior = latent_prior
        self.latent_dim = int(_first_input(self.generator).shape[-1])

    def sample_latent(self, stream, batch_size):
        """Latent vectors from the configured prior for one training draw."""
        draw = self.random_normal if self.latent_prior == "normal" else self.random_uniform
        return draw(stream, batch_size, [self.latent_dim])

    def call(self, inputs, training=False):
        if self.num_classes is None:
            return self.generate_from(inputs, training=training)
        latent, labels = inputs
        return self.generate_from(latent, labels, training=training)

    def get_config(self):
        config = super().get_config()
        config["latent_prior"] = self.latent_prior
        return config


def _first_input(network):
    inputs = network.inputs
    return inputs[0] if isinstance(inputs, (list, tuple)) else inputs
