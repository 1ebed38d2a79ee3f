"""GAN: the update rule of Goodfellow et al. 2014 with any loss family, penalty and stabiliser."""

import keras
import tensorflow as tf

from tfgan_zoo import augmentation, losses, networks
from tfgan_zoo.models import stabilisers
from tfgan_zoo.models.adversarial_model import AdversarialModel
from tfgan_zoo.models.network_model import batch_means
from tfgan_zoo.utils import validation

# Where the gradient penalty is taken: WGAN-GP's interpolates between real and
# generated samples, or DRAGAN's neighbourhood of the real data.
PENALTY_POINTS = ("interpolates", "dragan")
# The switch arguments of `GAN` (recipe fields of the same names, see `tfgan_zoo.builders`).
SWITCH_ARGUMENTS = ("gradient_penalty_weight", "gradient_penalty_on", "r1_weight", "weight_clip", "label_smoothing",
                    "instance_noise", "instance_noise_steps", "feature_matching", "historical_averaging",
                    "diff_augment", "pack")

# Draw purposes within one update (see `AdversarialModel.substream`); 0 is the latent.
_PENALTY, _DRAGAN, _INSTANCE_NOISE, _AUGMENT = 1, 2, 3, 5
# Offsets added to `_INSTANCE_NOISE` and `_AUGMENT` for real and generated batches.
REAL, FAKE = 0, 1


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class GAN(AdversarialModel):
    """A generator and a discriminator trained against each other by a loss family.

    Fully connected GAN, DCGAN, CGAN, LSGAN, WGAN, WGAN-GP, DRAGAN, SNGAN and
    PacGAN are all this update rule; they differ in networks, loss family,
    penalty and switches, so they are recipes of this class rather than
    classes of their own. Every switch composes with every other.

    What the discriminator sees of a batch (real or generated) is, in order:
    DiffAugment, then instance noise, then packing. Penalties are taken on
    the same inputs.

    Args:
        generator: see `AdversarialModel`.
        discriminator: see `AdversarialModel`.
        loss: loss family name, one of `tfgan_zoo.losses.LOSS_FAMILIES`
            (`"minimax"` is the saturating `log(1 - D(G(z)))` generator loss).
        gradient_penalty_weight: weight of the gradient penalty (0 disables it).
        gradient_penalty_on: `"interpolates"` (WGAN-GP, Gulrajani et al. 2017)
            or `"dragan"` (perturbed real data, Kodali et al. 2017).
        r1_weight: weight `gamma / 2` of the R1 penalty on real data (0
            disables it).
        weight_clip: clip every discriminator weight to `[-c, c]` after each
            update (WGAN, Arjovsky et al. 2017); 0 disables it.
        label_smoothing: one-sided smoothing of the real target to `1 - s`
            (Salimans et al. 2016); sigmoid and least-squares families only.
        instance_noise: standard deviation of Gaussian noise added to every
            discriminator input (Sonderby et al. 2017); 0 disables it.
        instance_noise_steps: steps over which that noise anneals linearly
            to 0 (0: constant).
        feature_matching: the generator matches the global-batch mean of the
            discriminator's `features` layer on real data instead of fooling
            the score (Salimans et al. 2016).
        historical_averaging: weight of `||theta - mean of past theta||^2`
            added to both players' losses (Salimans et al. 2016); 0 disables it.
        diff_augment: DiffAugment policy applied to real and generated inputs
            of D in both updates, e.g. `"color,translation,cutout"` (Zhao et
            al. 2020); `""` disables it.
        more_networks: `{name: network}` of the networks besides these two
            that a subclass declares in `NETWORKS`.
        pack: number of samples the discriminator scores jointly (PacGAN, Lin
            et al. 2018). The discriminator must take inputs of
            `stabilisers.packed_shape(sample_shape, pack)`; batch sizes must
            be multiples of `pack`; unconditional models only.
        **kwargs: the `AdversarialModel` arguments (`latent_prior`,
            `num_classes`, `d_steps`, `ema_decay`, `seed`, `name`).

    Example:

    ```python
    model = tfgan_zoo.models.GAN(generator, discriminator, loss="non_saturating")
    model.compile(generator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
                  discriminator_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    model.fit(tfgan_zoo.data.load("mnist8k", batch_size=64), steps_per_epoch=100)
    ```

    Reference: Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014.
    """

    def __init__(
        self,
        generator,
        discriminator,
        *,
        loss="non_saturating",
        gradient_penalty_weight=0.0,
        gradient_penalty_on="interpolates",
        r1_weight=0.0,
        weight_clip=0.0,
        label_smoothing=0.0,
        instance_noise=0.0,
        instance_noise_steps=0,
        feature_matching=False,
        historical_averaging=0.0,
        diff_augment="",
        pack=1,
        more_networks=None,
        **kwargs,
    ):
        generator_loss_fn, discriminator_loss_fn = losses.get_loss_family(loss)
        _check_options(
            loss, kwargs.get("num_classes"),
            gradient_penalty_weight=gradient_penalty_weight, gradient_penalty_on=gradient_penalty_on,
            r1_weight=r1_weight, weight_clip=weight_clip, label_smoothing=label_smoothing,
            instance_noise=instance_noise, instance_noise_steps=instance_noise_steps,
            historical_averaging=historical_averaging, pack=pack,
        )
        self.augment_policy = augmentation.parse_policy(diff_augment)
        super().__init__({"generator": generator, "discriminator": discriminator, **(more_networks or {})}, **kwargs)
        self.generator_loss_fn = generator_loss_fn
        self.discriminator_loss_fn = discriminator_loss_fn
        self.loss = loss
        self.gradient_penalty_weight = float(gradient_penalty_weight)
        self.gradient_penalty_on = gradient_penalty_on
        self.r1_weight = float(r1_weight)
        self.weight_clip = float(weight_clip)
        self.label_smoothing = float(label_smoothing)
        self.instance_noise = float(instance_noise)
        self.instance_noise_steps = int(instance_noise_steps)
        self.feature_matching = bool(feature_matching)
        self.historical_averaging = float(historical_averaging)
        self.diff_augment = ",".join(self.augment_policy)
        self.pack = int(pack)
        self.feature_network = networks.features_and_scores(discriminator) if self.feature_matching else None
        self.history_averages = None
        if self.historical_averaging:
            self.history_averages = {
                "generator": stabilisers.HistoricalAverage(self, generator, "generator"),
                "discriminator": stabilisers.HistoricalAverage(self, discriminator, "discriminator"),
            }

    @property
    def loss_names(self):
        names = ("d_loss", "g_loss", "d_real", "d_fake")
        if self.gradient_penalty_weight:
            names += ("gradient_penalty",)
        if self.r1_weight:
            names += ("r1_penalty",)
        if self.historical_averaging:
            names += ("d_history_penalty", "g_history_penalty")
        return names

    # === What the discriminator sees ===
    def critic_inputs(self, samples, part, kind):
        """A batch as the discriminator sees it: augmented, then with instance noise.

        `kind` is `REAL` or `FAKE`, so the two batches get independent draws.
        """
        batch_size = tf.shape(samples)[0]
        if self.augment_policy:
            noise = self.random_uniform(self.substream(part, _AUGMENT + kind), batch_size, [augmentation.NOISE_DIM])
            samples = augmentation.diff_augment(samples, noise, self.augment_policy)
        if self.instance_noise:
            std = stabilisers.instance_noise_std(self.step_counter, self.instance_noise, self.instance_noise_steps)
            stream = self.substream(part, _INSTANCE_NOISE + kind)
            noise = self.random_normal(stream, batch_size, list(samples.shape[1:]))
            samples = samples + tf.cast(std * noise, samples.dtype)
        return samples

    def discriminate(self, samples, labels=None, training=True, weights=None):
        return super().discriminate(stabilisers.pack(samples, self.pack), labels, training, weights)

    # === Updates ===
    def discriminator_step(self, real, labels, stream):
        latent = self.sample_latent(stream, tf.shape(real)[0])
        fake = self.training_samples(latent, labels, stream)
        real_in, fake_in = self.critic_inputs(real, stream, REAL), self.critic_inputs(fake, stream, FAKE)

        def loss_fn():
            real_scores, real_extra = self.critic_outputs(real_in, labels, REAL)
            fake_scores, fake_extra = self.critic_outputs(fake_in, labels, FAKE)
            adversarial = self.discriminator_loss(real_scores, fake_scores)
            extra_loss, terms = self.extra_discriminator_terms(real_extra, fake_extra, labels, latent)
            regularisation, penalty_terms = self.discriminator_regularisation(real_in, fake_in, labels, stream)
            terms.update(penalty_terms)
            terms.update(batch_means(d_loss=adversarial, d_real=real_scores, d_fake=fake_scores))
            return self.reduce_loss(adversarial) + extra_loss + regularisation, terms

        return self.update("discriminator", loss_fn)

    def generator_step(self, real, labels, stream):
        latent = self.sample_latent(stream, tf.shape(real)[0])

        def loss_fn():
            fake = self.training_samples(latent, labels, stream)
            loss, terms = self.generator_objective(real, self.critic_inputs(fake, stream, FAKE), labels, stream, latent)
            return loss + self.history_term("generator", "g_history_penalty", terms), terms

        return self.update("generator", loss_fn)

    def training_samples(self, latent, labels, stream):
        """The generator's samples in update `stream` of a training step.

        A hook: StyleGAN mixes styles and draws noise here.
        """
        return self.generate_from(latent, labels, training=True)

    def discriminator_loss(self, real_scores, fake_scores):
        """The family's per-example discriminator loss, with label smoothing when set."""
        if self.label_smoothing:
            return self.discriminator_loss_fn(real_scores, fake_scores, label_smoothing=self.label_smoothing)
        return self.discriminator_loss_fn(real_scores, fake_scores)

    # === Hooks for variants whose discriminator has more outputs ===
    def critic_outputs(self, samples, labels, kind):
        """`(scores, extra)` of one discriminator call on D's view of a `REAL` or `FAKE` batch.

        `extra` is what else the call gives (ACGAN's class logits, InfoGAN's
        Q outputs), passed to `extra_discriminator_terms` and
        `extra_generator_terms`; None here.
        """
        return self.discriminate(samples, labels), None

    def critic_features(self, samples, labels, kind):
        """`(features, extra)` of one call of D's feature layer (feature matching), `extra` as in `critic_outputs`."""
        return self._features(samples, labels), None

    def extra_discriminator_terms(self, real_extra, fake_extra, labels, latent):
        """`(loss for gradients, logged terms)` added to the discriminator's loss; `latent` made the fakes."""
        return 0.0, {}

    def extra_generator_terms(self, fake_extra, labels, latent):
        """`(loss for gradients, logged terms)` added to the generator's loss; `latent` made the fakes."""
        return 0.0, {}

    def generator_objective(self, real, fake_in, labels, stream, latent=None):
        """`(loss for gradients, logged terms)` of the generator on D's view of its samples.

        `latent` made the samples; by default it is drawn again from
        `stream`, as `generator_step` drew it.
        """
        if latent is None:
            latent = self.sample_latent(stream, tf.shape(fake_in)[0])
        if self.feature_matching:
            real_features, _ = self.critic_features(self.critic_inputs(real, stream, REAL), labels, REAL)
            fake_features, fake_extra = self.critic_features(fake_in, labels, FAKE)
            distance = tf.reduce_sum(tf.square(
                self.global_mean(tf.stop_gradient(real_features)) - self.global_mean(fake_features)))
            loss, terms = self.replica_share(distance), {"g_loss": distance}
        else:
            fake_scores, fake_extra = self.critic_outputs(fake_in, labels, FAKE)
            per_example = self.generator_loss_fn(fake_scores)
            loss, terms = self.reduce_loss(per_example), {"g_loss": tf.reduce_mean(per_example)}
        extra_loss, extra_terms = self.extra_generator_terms(fake_extra, labels, latent)
        terms.update(extra_terms)
        return loss + extra_loss, terms

    def _features(self, samples, labels):
        samples = stabilisers.pack(samples, self.pack)
        inputs = samples if self.num_classes is None else [samples, labels]
        features, _ = self.feature_network(inputs, training=True)
        return tf.cast(features, tf.float32)

    def discriminator_regularisation(self, real_in, fake_in, labels, stream):
        """`(loss to add, logged terms)` of every enabled penalty and D's historical averaging.

        Called inside the discriminator's tape by every `GAN`-based update rule.
        """
        loss, terms = 0.0, {}
        for name, weight, penalty in self._penalties(real_in, fake_in, labels, stream):
            loss += weight * self.reduce_loss(penalty)
            terms[name] = tf.reduce_mean(penalty)
        loss += self.history_term("discriminator", "d_history_penalty", terms)
        return loss, terms

    def _penalties(self, real_in, fake_in, labels, stream):
        """Yields `(name, weight, per-example penalty)` for each enabled penalty."""
        def critic(x):
            return self.discriminate(x, labels)

        scale = self.loss_scale(self.discriminator_optimizer)
        batch_size = tf.shape(real_in)[0]
        if self.gradient_penalty_weight:
            other = fake_in
            if self.gradient_penalty_on == "dragan":
                uniform = self.random_uniform(self.substream(stream, _DRAGAN), batch_size, list(real_in.shape[1:]))
                other = losses.dragan_points(real_in, uniform, std=self._global_std(real_in))
            interpolation = self.random_uniform(self.substream(stream, _PENALTY), batch_size, [])
            penalty = losses.gradient_penalty(critic, real_in, other, interpolation, loss_scale=scale)
            yield "gradient_penalty", self.gradient_penalty_weight, penalty
        if self.r1_weight:
            yield "r1_penalty", self.r1_weight, losses.r1_penalty(critic, real_in, loss_scale=scale)

    def _global_std(self, values):
        """Standard deviation of every element of the global batch."""
        flat = tf.reshape(tf.cast(values, tf.float32), [tf.shape(values)[0], -1])
        mean = self.global_mean(tf.reduce_mean(flat, axis=1))
        mean_square = self.global_mean(tf.reduce_mean(tf.square(flat), axis=1))
        return tf.sqrt(tf.maximum(mean_square - tf.square(mean), 0.0))

    def history_term(self, player, name, terms):
        """The historical-averaging penalty of `player` ("generator" or "discriminator"), to add to its loss.

        A hook for subclasses that write their own update: 0 when the switch
        is off; otherwise the penalty is logged in `terms[name]` and returned
        weighted, as this replica's share.
        """
        if not self.historical_averaging:
            return 0.0
        penalty = self.history_averages[player].penalty()
        terms[name] = penalty
        return self.replica_share(self.historical_averaging * penalty)

    def after_update(self, player, optimizer):
        """Weight clipping and historical averaging after `player`'s update."""
        clip = bool(self.weight_clip) and player == "discriminator"
        average = bool(self.historical_averaging) and player in self.history_averages

        def update():
            if clip:
                stabilisers.clip_weights(self.discriminator.trainable_variables, self.weight_clip)
            if average:
                self.history_averages[player].update(optimizer.iterations)

        if clip or average:
            self.assign_once(update)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "loss": self.loss,
                "gradient_penalty_weight": self.gradient_penalty_weight,
                "gradient_penalty_on": self.gradient_penalty_on,
                "r1_weight": self.r1_weight,
                "weight_clip": self.weight_clip,
                "label_smoothing": self.label_smoothing,
                "instance_noise": self.instance_noise,
                "instance_noise_steps": self.instance_noise_steps,
                "feature_matching": self.feature_matching,
                "historical_averaging": self.historical_averaging,
                "diff_augment": self.diff_augment,
                "pack": self.pack,
            }
        )
        return config


def _check_options(loss, num_classes, **options):
    for name in ("gradient_penalty_weight", "r1_weight", "weight_clip", "instance_noise", "historical_averaging"):
        validation.check_number(name, options[name], "[0, inf)")
    validation.check_choice("gradient_penalty_on", options["gradient_penalty_on"], PENALTY_POINTS)
    smoothing = options["label_smoothing"]
    validation.check_number("label_smoothing", smoothing, "[0, 1)")
    if smoothing and loss not in losses.SMOOTHABLE_FAMILIES:
        raise ValueError(
            f"label_smoothing needs a loss with a real target, one of {losses.SMOOTHABLE_FAMILIES}. "
            f"Received: loss={loss!r} with label_smoothing={smoothing!r}"
        )
    validation.check_int("instance_noise_steps", options["instance_noise_steps"], minimum=0)
    pack = options["pack"]
    validation.check_int("pack", pack)
    if pack > 1 and num_classes is not None:
        raise ValueError(f"pack > 1 (PacGAN) is for unconditional models. "
                         f"Received: pack={pack!r} with num_classes={num_classes!r}")
