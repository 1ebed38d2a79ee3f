"""The registered builder of each variant: its model class and the recipe fields it reads.

Most recipe fields (networks and their options, optimizers, data, budget,
precision) are read by every variant. The fields of `OPTIONAL_FIELDS` are
read only by the variants that declare them; a recipe (or `--set`) that
gives one of them a value other than the `Recipe` default for a variant
that does not declare it is refused before anything is built, naming the
field and the variant, instead of training without it.

Adding a variant: register its class and the optional fields it honours;
declare a field only where the variant's steps use it.
"""

import dataclasses

from tfgan_zoo import models
from tfgan_zoo.recipes import Recipe

# The penalties and stabilisation switches of `models.GAN`'s update rule.
SWITCH_FIELDS = models.gan.SWITCH_ARGUMENTS
# Where the latent comes from: image-to-image generators take an image instead.
LATENT_FIELDS = ("latent_dim", "latent_prior")
# Fields some variants read and others do not.
OPTIONAL_FIELDS = ("discriminator_options", "loss", "conditional", *LATENT_FIELDS, *SWITCH_FIELDS)


@dataclasses.dataclass(frozen=True)
class Builder:
    """How a variant is built from a recipe: its model class and the `OPTIONAL_FIELDS` it reads."""

    variant: str
    model_class: type
    reads: frozenset

    def check_fields(self, recipe):
        """Raises ValueError for a field of `OPTIONAL_FIELDS` set away from its default that this variant ignores."""
        unread = [name for name in OPTIONAL_FIELDS if name not in self.reads]
        changed = [name for name in unread if getattr(recipe, name) != _DEFAULTS[name]]
        if changed:
            received = ", ".join(f"{name}={getattr(recipe, name)!r}" for name in changed)
            raise ValueError(
                f"{self.model_class.__name__} does not use the recipe fields {changed} (model {self.variant!r}); "
                f"leave them at their defaults. Received: {received}"
            )

    def build(self, recipe, sample_shape, num_classes=None):
        """The untrained model of `recipe` for samples of `sample_shape`, after `check_fields`."""
        self.check_fields(recipe)
        return self.model_class.from_recipe(recipe, sample_shape, num_classes)


def _defaults():
    values = {}
    for field in dataclasses.fields(Recipe):
        values[field.name] = field.default if field.default is not dataclasses.MISSING else field.default_factory()
    return values


_DEFAULTS = _defaults()
BUILDERS = {}


def register(variant, model_class, reads):
    """Registers the builder of `variant` (a recipe's `model`); `reads` lists the `OPTIONAL_FIELDS` it honours."""
    unknown = set(reads) - set(OPTIONAL_FIELDS)
    if unknown:
        raise ValueError(f"reads lists fields of OPTIONAL_FIELDS only. Received: {sorted(unknown)}")
    BUILDERS[variant] = Builder(variant, model_class, frozenset(reads))


def get_builder(variant):
    """The builder registered under `variant`."""
    if variant not in BUILDERS:
        raise ValueError(f"Unknown model. Expected one of {sorted(BUILDERS)}. Received: model={variant!r}")
    return BUILDERS[variant]


def _without(fields, *names):
    return tuple(name for name in fields if name not in names)


# Every GAN-family variant trains with `models.GAN`'s steps (and their hooks),
# so it honours every switch; `pack` needs a discriminator built for packed
# inputs and scored through `GAN.discriminate`, which variants with their own
# discriminator outputs do not do.
_GAN = ("loss", "conditional", "discriminator_options", *LATENT_FIELDS, *SWITCH_FIELDS)
_GAN_UNPACKED = _without(_GAN, "pack")
_LATENT_ADVERSARIAL = ("loss", "conditional", "discriminator_options", *LATENT_FIELDS)
_IMAGE_TO_IMAGE = ("loss", "discriminator_options")

register("gan", models.GAN, _GAN)
register("biggan", models.BigGAN, _GAN)
register("progan", models.ProGAN, _GAN)
register("stylegan", models.StyleGAN, _GAN)
# The unrolled generator loss replaces feature matching.
register("unrolled_gan", models.UnrolledGAN, _without(_GAN, "feature_matching"))
register("acgan", models.ACGAN, _GAN_UNPACKED)
register("infogan", models.InfoGAN, _GAN_UNPACKED)
register("controlgan", models.ControlGAN, _GAN_UNPACKED)
register("semi_supervised_gan", models.SemiSupervisedGAN, _GAN_UNPACKED)
register("bigan", models.BiGAN, _LATENT_ADVERSARIAL)
register("aae", models.AdversarialAutoencoder, _LATENT_ADVERSARIAL)
register("bagan", models.BAGAN, _without(_LATENT_ADVERSARIAL, "loss"))
register("dagan", models.DAGAN, _LATENT_ADVERSARIAL)
register("vae_gan", models.VAEGAN, _LATENT_ADVERSARIAL)
register("vae", models.VAE, ("conditional", *LATENT_FIELDS))
register("lapgan", models.LAPGAN, _without(_LATENT_ADVERSARIAL, "conditional"))
register("stackgan", models.StackGAN, _without(_LATENT_ADVERSARIAL, "conditional"))
register("pix2pix", models.Pix2Pix, _IMAGE_TO_IMAGE)
register("srgan", models.SRGAN, _IMAGE_TO_IMAGE)
register("inpainting", models.InpaintingGAN, _IMAGE_TO_IMAGE)
register("cyclegan", models.CycleGAN, _IMAGE_TO_IMAGE)
