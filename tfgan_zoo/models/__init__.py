"""Training algorithms: one `keras.Model` subclass per distinct update rule."""

from tfgan_zoo.models.aae import AdversarialAutoencoder
from tfgan_zoo.models.acgan import ACGAN
from tfgan_zoo.models.adversarial_model import AdversarialModel
from tfgan_zoo.models.bagan import BAGAN
from tfgan_zoo.models.bigan import BiGAN
from tfgan_zoo.models.biggan import BigGAN
from tfgan_zoo.models.controlgan import ControlGAN
from tfgan_zoo.models.cyclegan import CycleGAN
from tfgan_zoo.models.dagan import DAGAN
from tfgan_zoo.models.gan import GAN
from tfgan_zoo.models.image_to_image import ImageToImageModel
from tfgan_zoo.models.infogan import InfoGAN
from tfgan_zoo.models.inpainting import InpaintingGAN
from tfgan_zoo.models.lapgan import LAPGAN
from tfgan_zoo.models.network_model import NetworkModel
from tfgan_zoo.models.pix2pix import Pix2Pix
from tfgan_zoo.models.progan import ProGAN
from tfgan_zoo.models.semi_supervised_gan import SemiSupervisedGAN
from tfgan_zoo.models.srgan import SRGAN
from tfgan_zoo.models.stackgan import StackGAN
from tfgan_zoo.models.stylegan import StyleGAN
from tfgan_zoo.models.two_stage import TwoStage
from tfgan_zoo.models.unrolled_gan import UnrolledGAN
from tfgan_zoo.models.vae import VAE
from tfgan_zoo.models.vae_gan import VAEGAN

# Variant name used by recipes -> model class.
MODELS = {"gan": GAN, "unrolled_gan": UnrolledGAN, "infogan": InfoGAN, "controlgan": ControlGAN,
          "bigan": BiGAN, "aae": AdversarialAutoencoder, "vae": VAE, "vae_gan": VAEGAN,
          "acgan": ACGAN, "semi_supervised_gan": SemiSupervisedGAN, "bagan": BAGAN, "dagan": DAGAN,
          "pix2pix": Pix2Pix, "cyclegan": CycleGAN,
          "srgan": SRGAN, "inpainting": InpaintingGAN,
          "biggan": BigGAN, "lapgan": LAPGAN,
          "stackgan": StackGAN,
          "progan": ProGAN, "stylegan": StyleGAN}
# Not in MODELS: `TwoStage` trains nothing itself; two-stage recipes (`model="two_stage"`) are
# trained by `tfgan_zoo.two_stage_training` as two ordinary runs, then composed.


def get_model_class(name):
    """Returns the model class registered under `name`."""
    if name not in MODELS:
        raise ValueError(f"Unknown model. Expected one of {sorted(MODELS)}. Received: model={name!r}")
    return MODELS[name]
