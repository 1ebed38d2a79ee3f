"""Training algorithms: one `keras.Model` subclass per distinct update rule."""

from tfgan_zoo.models.aae import AdversarialAutoencoder
from tfgan_zoo.models.acgan import ACGAN
from tfgan_zoo.models.adversarial_model import AdversarialModel
from tfgan_zoo.models.bigan import BiGAN
from tfgan_zoo.models.controlgan import ControlGAN
from tfgan_zoo.models.gan import GAN
from tfgan_zoo.models.infogan import InfoGAN
from tfgan_zoo.models.semi_supervised_gan import SemiSupervisedGAN
from tfgan_zoo.models.unrolled_gan import UnrolledGAN
from tfgan_zoo.models.vae import VAE
from tfgan_zoo.models.vae_gan import VAEGAN

# Variant name used by recipes -> model class.
MODELS = {"gan": GAN, "unrolled_gan": UnrolledGAN, "infogan": InfoGAN, "controlgan": ControlGAN,
          "bigan": BiGAN, "aae": AdversarialAutoencoder, "vae": VAE, "vae_gan": VAEGAN,
          "acgan": ACGAN, "semi_supervised_gan": SemiSupervisedGAN}


def get_model_class(name):
    """Returns the model class registered under `name`."""
    if name not in MODELS:
        raise ValueError(f"Unknown model. Expected one of {sorted(MODELS)}. Received: model={name!r}")
    return MODELS[name]
