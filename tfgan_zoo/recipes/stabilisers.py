"""Loss families and stabilisers."""

from tfgan_zoo.recipes.common import (
    LAYER_NORM_CRITIC,
    MIXTURE_GAN,
    WGAN_GP_OPTIMIZERS,
    derived,
    mixtures,
    small_dcgan_mnist8k,
)
from tfgan_zoo.recipes.expectations import Expect

# The claim of issue 18 for the loss families: each learns mnist8k in 20 single-threaded CPU-minutes.
LEARNS_MNIST8K = Expect(cpu_minutes=20, bounds={"fid": 30})

RECIPES = [
    # 2-D mode-collapse benchmark: the plain GAN above against its remedies.
    *mixtures("lsgan", "LSGAN (least-squares losses, Mao et al. 2017)", loss="least_squares"),
    *mixtures("wgan_gp", "WGAN-GP (lambda 0.1 as in the paper's toy runs, 5 critic steps, Adam beta 0, 0.9)",
              loss="wasserstein", gradient_penalty_weight=0.1, d_steps=5, g_beta1=0.0, g_beta2=0.9,
              d_beta1=0.0, d_beta2=0.9, steps=3000),
    *mixtures("sngan", "SNGAN (spectral normalisation in D, hinge loss, Miyato et al. 2018)", loss="hinge",
              discriminator_options={**MIXTURE_GAN["discriminator_options"], "spectral_norm": True}),
    # First order: the paper's second-order term is exact here (tested against finite differences)
    # but collapsed to one ring mode in a 3,000-step pilot; see BENCHMARKS.md.
    *mixtures("unrolled", "Unrolled GAN (5 unrolled steps of D's own Adam, first order; Metz et al. 2017) with "
              "generator EMA 0.999", model="unrolled_gan", model_options={"unroll_steps": 5, "second_order": False},
              ema_decay=0.999, steps=3000),
    *mixtures("pacgan", "PacGAN4 (D scores 4 samples jointly, Lin et al. 2018)", pack=4),
    # mnist8k: one recipe per loss family and remedy, on the same small DCGAN.
    small_dcgan_mnist8k("dcgan_small", "Non-saturating GAN, the study's baseline"),
    small_dcgan_mnist8k("minimax", "Saturating minimax loss (Goodfellow et al. 2014)", loss="minimax"),
    small_dcgan_mnist8k("lsgan", "LSGAN (Mao et al. 2017)", loss="least_squares", expect=LEARNS_MNIST8K),
    small_dcgan_mnist8k("hinge", "Hinge loss (Lim & Ye 2017)", loss="hinge", expect=LEARNS_MNIST8K),
    small_dcgan_mnist8k("wgan", "WGAN: weight clipping 0.01, 5 critic steps, RMSprop 5e-5 (Arjovsky et al. 2017)",
                        loss="wasserstein", weight_clip=0.01, d_steps=5, g_optimizer="rmsprop", g_lr=5e-5,
                        g_beta2=0.9, d_optimizer="rmsprop", d_lr=5e-5, d_beta2=0.9),
    small_dcgan_mnist8k("wgan_gp", "WGAN-GP: lambda 10, 5 critic steps, Adam(1e-4, 0, 0.9), LayerNorm critic "
                        "(Gulrajani et al. 2017)", loss="wasserstein", gradient_penalty_weight=10.0, d_steps=5,
                        discriminator_options=LAYER_NORM_CRITIC, expect=LEARNS_MNIST8K, **WGAN_GP_OPTIMIZERS),
    small_dcgan_mnist8k("dragan", "DRAGAN: gradient penalty around the real data (Kodali et al. 2017)",
                        gradient_penalty_weight=10.0, gradient_penalty_on="dragan",
                        discriminator_options=LAYER_NORM_CRITIC),
    small_dcgan_mnist8k("r1", "Non-saturating GAN with R1 gamma 10 (Mescheder et al. 2018)", r1_weight=5.0,
                        discriminator_options=LAYER_NORM_CRITIC),
    small_dcgan_mnist8k("sngan", "SNGAN: spectral norm, hinge, two time-scale rates 1e-4 / 4e-4 (Miyato et al. "
                        "2018; Heusel et al. 2017)", loss="hinge", g_lr=1e-4, g_beta1=0.0, g_beta2=0.9, d_lr=4e-4,
                        d_beta1=0.0, d_beta2=0.9,
                        discriminator_options={"base_filters": 32, "normalization": "none", "spectral_norm": True},
                        expect=LEARNS_MNIST8K),
    small_dcgan_mnist8k("diffaugment", "Non-saturating GAN with DiffAugment colour, translation, cutout "
                        "(Zhao et al. 2020)", diff_augment="color,translation,cutout"),
    small_dcgan_mnist8k("ema", "Non-saturating GAN sampled from a generator EMA (decay 0.999)", ema_decay=0.999),
    small_dcgan_mnist8k("improved", "Salimans et al. 2016 switches: feature matching, minibatch discrimination, "
                        "one-sided label smoothing 0.1, historical averaging 1e-4", feature_matching=True,
                        label_smoothing=0.1, historical_averaging=1e-4,
                        discriminator_options={"base_filters": 32, "minibatch_discrimination": 16}),
    small_dcgan_mnist8k("instance_noise", "Annealed instance noise (std 0.1 to 0 over 2000 steps) and minibatch "
                        "standard deviation in D", instance_noise=0.1, instance_noise_steps=2000,
                        discriminator_options={"base_filters": 32, "minibatch_stddev": True}),
]


# The settings that cover every mode with over 90% high-quality samples on all five seeds (BENCHMARKS.md).
RECIPES += [
    derived(RECIPES, "unrolled_ring8", "unrolled_long_ring8", "Unrolled GAN as unrolled_ring8, trained twice as long "
            "(6,000 steps)", steps=6000),
    derived(RECIPES, "wgan_gp_grid25", "wgan_gp_ema_grid25", "WGAN-GP as wgan_gp_grid25 with generator EMA 0.999, "
            "25,000 steps", steps=25000, ema_decay=0.999),
]
