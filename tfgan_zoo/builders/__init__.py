"""The registered builder of each variant: how its model is built from a recipe, and the recipe fields it reads.

Recipes are translated into networks and model arguments here, not in the
model classes: each variant registers its model class, a build function
`(model_class, recipe, sample_shape, num_classes) -> model` from the
family module that builds it (`gan`, `class_heads`, `encoders`,
`balancing`, `image_to_image`, `stages`; `common` holds what several
read alike), the optional fields it reads, and, for a variant that reads
its data its own way, a dataset function `(recipe, replicas) -> tf.data.Dataset`.

Most recipe fields (networks and their options, optimizers, data, budget,
precision) are read by every variant. The fields of `OPTIONAL_FIELDS` are
read only by the variants that declare them; a recipe (or `--set`) that
gives one of them a value other than the `Recipe` default for a variant
that does not declare it is refused before anything is built, naming the
field and the variant, instead of training without it.

Adding a variant: register its class, its build function and the optional
fields it honours; declare a field only where the variant's steps use it.
"""

import dataclasses

from tfgan_zoo import models
from tfgan_zoo.builders import balancing, class_heads, encoders, gan, image_to_image, stages
from tfgan_zoo.data import imbalance
from tfgan_zoo.recipes import Recipe

# The penalties and stabilisation switches of `models.GAN`'s update rule.
SWITCH_FIELDS = models.gan.SWITCH_ARGUMENTS
# Where the latent comes from: image-to-image generators take an image instead.
LATENT_FIELDS = ("latent_dim", "latent_prior")
# Fields some variants read and others do not.
OPTIONAL_FIELDS = ("discriminator_options", "loss", "conditional", *LATENT_FIELDS, *SWITCH_FIELDS)


@dataclasses.dataclass(frozen=True)
class Builder:
    """How a variant is built from a recipe.

    Attributes:
        variant: the name recipes give it (their `model`).
        model_class: the class it builds.
        build_fn: `(model_class, recipe, sample_shape, num_classes) -> model`, untrained.
        reads: the `OPTIONAL_FIELDS` it honours.
        dataset_fn: `(recipe, replicas) -> tf.data.Dataset` of its training
            batches, or None where it trains on the recipe's dataset as loaded
            by `tfgan_zoo.data.load`.
    """

    variant: str
    model_class: type
    build_fn: object
    reads: frozenset
    dataset_fn: object = None

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
        return self.build_fn(self.model_class, recipe, sample_shape, num_classes)


def _defaults():
    values = {}
    for field in dataclasses.fields(Recipe):
        values[field.name] = field.default if field.default is not dataclasses.MISSING else field.default_factory()
    return values


_DEFAULTS = _defaults()
BUILDERS = {}


def register(variant, model_class, build_fn, reads, dataset_fn=None):
    """Registers the builder of `variant` (a recipe's `model`); see `Builder` for the arguments."""
    unknown = set(reads) - set(OPTIONAL_FIELDS)
    if unknown:
        raise ValueError(f"reads lists fields of OPTIONAL_FIELDS only. Received: {sorted(unknown)}")
    BUILDERS[variant] = Builder(variant, model_class, build_fn, frozenset(reads), dataset_fn)


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

register("gan", models.GAN, gan.build_gan, _GAN)
register("biggan", models.BigGAN, gan.build_gan, _GAN)
register("progan", models.ProGAN, gan.build_gan, _GAN)
register("stylegan", models.StyleGAN, gan.build_gan, _GAN)
# The unrolled generator loss replaces feature matching.
register("unrolled_gan", models.UnrolledGAN, gan.build_gan, _without(_GAN, "feature_matching"))
register("acgan", models.ACGAN, class_heads.build_acgan, _GAN_UNPACKED)
register("infogan", models.InfoGAN, gan.build_infogan, _GAN_UNPACKED)
register("controlgan", models.ControlGAN, gan.build_controlgan, _GAN_UNPACKED)
register("semi_supervised_gan", models.SemiSupervisedGAN, class_heads.build_semi_supervised_gan, _GAN_UNPACKED,
         class_heads.semi_supervised_batches)
register("bigan", models.BiGAN, encoders.build_bigan, _LATENT_ADVERSARIAL)
register("aae", models.AdversarialAutoencoder, encoders.build_adversarial_autoencoder, _LATENT_ADVERSARIAL)
register("bagan", models.BAGAN, balancing.build_bagan, _without(_LATENT_ADVERSARIAL, "loss"),
         imbalance.recipe_batches)
register("dagan", models.DAGAN, balancing.build_dagan, _LATENT_ADVERSARIAL, imbalance.recipe_batches)
register("vae_gan", models.VAEGAN, encoders.build_vae_gan, _LATENT_ADVERSARIAL)
register("vae", models.VAE, encoders.build_vae, ("conditional", *LATENT_FIELDS))
register("lapgan", models.LAPGAN, stages.build_lapgan, _without(_LATENT_ADVERSARIAL, "conditional"))
register("stackgan", models.StackGAN, stages.build_stackgan, _without(_LATENT_ADVERSARIAL, "conditional"),
         stages.captioned_batches)
register("pix2pix", models.Pix2Pix, image_to_image.build_paired, _IMAGE_TO_IMAGE, image_to_image.paired_batches)
register("srgan", models.SRGAN, image_to_image.build_paired, _IMAGE_TO_IMAGE, image_to_image.paired_batches)
register("inpainting", models.InpaintingGAN, image_to_image.build_inpainting, _IMAGE_TO_IMAGE,
         image_to_image.paired_batches)
register("cyclegan", models.CycleGAN, image_to_image.build_cyclegan, _IMAGE_TO_IMAGE,
         image_to_image.unpaired_batches)
