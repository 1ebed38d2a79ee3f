"""StackGAN (Zhang et al. 2017): text to image in two stages, with Conditioning Augmentation."""

import keras
import numpy as np
import tensorflow as tf

from tfgan_zoo import losses
from tfgan_zoo.data import captions
from tfgan_zoo.models.adversarial_model import AdversarialModel
from tfgan_zoo.models.network_model import batch_means
from tfgan_zoo.models.vae import check_normal_prior
from tfgan_zoo.networks import stackgan as stackgan_networks
from tfgan_zoo.utils import validation

# GAN switches StackGAN does not implement (its loss family is `loss`).

@keras.saving.register_keras_serializable(package="tfgan_zoo")
class StackGAN(AdversarialModel):
    """A Stage-I GAN at low resolution, then a Stage-II GAN refining its images, both conditioned on a caption.

    A frozen, pre-trained text encoder maps a caption (token ids, see
    `tfgan_zoo.data.captions`) to an embedding `phi`. Each stage's generator
    draws its condition by Conditioning Augmentation, `c = mu(phi) +
    sigma(phi) * eps`, and adds `kl_weight * KL(N(mu, sigma^2) || N(0, I))`
    per example to its loss. Each stage's discriminator is matching-aware
    (GAN-CLS): it scores real images with their captions (real), real images
    with mismatched captions (the global batch's captions rolled by one,
    also across replicas under `tf.distribute`, see `mismatched`: fake) and
    generated images with their captions (fake); per example its loss is the
    loss family's `0.5 * (L(real, wrong) + L(real, generated))`, i.e.
    `-log D(x, phi) - 0.5 * [log(1 - D(x, phi')) + log(1 - D(G, phi))]` for
    the sigmoid families, as in the authors' code.

    Schedule: one run trains both stages in sequence, switched by the step
    counter (so a resumed run continues in the right stage); each stage has
    its own compiled step (`phase_at`), so with `steps_per_execution > 1`
    the stage changes at an execution boundary. Steps below
    `stage1_steps` train Stage-I: its discriminator sees the real images
    average-pooled to Stage-I's size. Later steps train Stage-II on the
    images of the frozen Stage-I generator (run with `training=False`), as in
    the paper. Each network has its own optimizer: `generator_optimizer` and
    `discriminator_optimizer` move Stage-I, `stage2_generator_optimizer` and
    `stage2_discriminator_optimizer` (arguments of `compile`, default copies
    of the Stage-I settings) move Stage-II, so Adam's moments and bias
    correction start fresh for Stage-II. The text encoder never moves.

    The generator (`self.generator`, what is sampled and exported) is
    `[latent, caption] -> 32x32 image`: the text encoder, Stage-I and Stage-II
    with shared weights. `latent` is `[z, eps_I, eps_II]`, three parts as wide
    as the condition (see `tfgan_zoo.networks.stackgan`), so sampling,
    training and exported files draw every random number outside the network.

    Batches are `(images, caption token ids)` (see
    `tfgan_zoo.data.captions.load_captioned`).

    Args:
        text_encoder: caption token ids -> embedding (frozen here).
        stage1_generator: `[noise, condition_noise, text_embedding]` ->
            `[image, mean, log_variance]` at low resolution.
        stage1_discriminator: `[image, text_embedding]` -> score at Stage-I's size.
        stage2_generator: `[stage1_image, condition_noise, text_embedding]` ->
            `[image, mean, log_variance]`.
        stage2_discriminator: `[image, text_embedding]` -> score at full size.
        stage1_steps: steps that train Stage-I; Stage-II trains afterwards.
        loss: loss family name, one of `tfgan_zoo.losses.LOSS_FAMILIES`.
        kl_weight: weight of the Conditioning Augmentation KL term (the
            paper's lambda = 1).
        **kwargs: the `AdversarialModel` arguments (`latent_prior` must be
            `"normal"`; `num_classes` must stay None).

    Reference: Zhang et al., "StackGAN: Text to Photo-realistic Image
    Synthesis with Stacked Generative Adversarial Networks", ICCV 2017.
    """

    NETWORKS = ("text_encoder", "stage1_generator", "stage1_discriminator", "stage2_generator",
                "stage2_discriminator")
    # Stage-I trains with `generator_optimizer` and `discriminator_optimizer`;
    # Stage-II's optimizers, when not given, copy their settings.
    OPTIMIZERS = {"generator": None, "discriminator": None, "stage2_generator": "generator",
                  "stage2_discriminator": "discriminator"}
    # Stage-II's discriminator was stored as `discriminator` before networks were named.
    LEGACY_NAMES = {"discriminator": "stage2_discriminator"}

    def __init__(self, text_encoder, stage1_generator, stage1_discriminator, stage2_generator, stage2_discriminator,
                 *, stage1_steps, loss="non_saturating", kl_weight=1.0, **kwargs):
        generator_loss_fn, discriminator_loss_fn = losses.get_loss_family(loss)
        validation.check_int("stage1_steps", stage1_steps)
        validation.check_number("kl_weight", kl_weight, "[0, inf)")
        if kwargs.get("num_classes") is not None:
            raise ValueError(
                f"StackGAN is conditioned on captions, not classes. Received: num_classes={kwargs['num_classes']!r}")
        check_normal_prior(kwargs.get("latent_prior", "normal"))
        text_encoder.trainable = False
        generator = stackgan_networks.stackgan_generator(text_encoder, stage1_generator, stage2_generator)
        super().__init__({"text_encoder": text_encoder, "stage1_generator": stage1_generator,
                          "stage1_discriminator": stage1_discriminator, "stage2_generator": stage2_generator,
                          "stage2_discriminator": stage2_discriminator, "generator": generator}, **kwargs)
        # === Config ===
        self.stage1_steps = stage1_steps
        self.loss = loss
        self.kl_weight = float(kl_weight)
        self.generator_loss_fn = generator_loss_fn
        self.discriminator_loss_fn = discriminator_loss_fn
        self.stage1_size = int(stage1_generator.outputs[0].shape[1])

    # === Variables: the generator and discriminator optimizers move Stage-I's networks ===
    @property
    def generator_variables(self):
        return self.stage1_generator.trainable_variables

    @property
    def discriminator_variables(self):
        return self.stage1_discriminator.trainable_variables

    # === Batches of images and captions ===
    def unpack_batch(self, data):
        """`(images, caption token ids)`: the captions travel where labels do."""
        if not isinstance(data, (tuple, list)) or len(data) != 2:
            raise ValueError(f"StackGAN trains on (images, caption token ids) batches. Received: {type(data).__name__}")
        return data[0], tf.cast(data[1], tf.int32)

    @property
    def loss_names(self):
        return ("d_loss", "g_loss", "kl", "d_real", "d_wrong", "d_fake", "stage")

    # === Updates: one compiled step per stage, chosen by the step counter ===
    def phase_at(self, step):
        """The stage training step `step` trains: 1 or 2."""
        return 1 if step < self.stage1_steps else 2

    def discriminator_step(self, real, labels, stream):
        return self._discriminator_update(self.current_phase(), real, labels, stream)

    def generator_step(self, real, labels, stream):
        stage = self.current_phase()
        return {**self._generator_update(stage, real, labels, stream), "stage": tf.constant(float(stage))}

    def stage_noise(self, caption_ids, stream, batch_size):
        """`(text embedding, z, Stage-I condition noise, Stage-II condition noise)` for one update."""
        embedding = self.text_encoder(caption_ids, training=False)
        noise, stage1_noise, stage2_noise = tf.split(self.sample_latent(stream, batch_size), 3, axis=-1)
        return embedding, noise, stage1_noise, stage2_noise

    def _networks(self, stage):
        """`(generator, discriminator, generator's optimizer name, discriminator's optimizer name)` of `stage`."""
        if stage == 1:
            return self.stage1_generator, self.stage1_discriminator, "generator", "discriminator"
        return self.stage2_generator, self.stage2_discriminator, "stage2_generator", "stage2_discriminator"

    def _discriminator_update(self, stage, real, caption_ids, stream):
        generator, discriminator, _, optimizer = self._networks(stage)
        embedding, noise, stage1_noise, stage2_noise = self.stage_noise(caption_ids, stream, tf.shape(real)[0])
        # Stage-I runs in training mode while it trains, frozen (`training=False`) under Stage-II.
        fake, _, _ = self.stage1_generator([noise, stage1_noise, embedding], training=stage == 1)
        if stage == 1:
            real = self.downsample(real)
        else:
            fake, _, _ = generator([fake, stage2_noise, embedding], training=True)
        mismatched = self.mismatched(embedding)

        def loss_fn():
            real_scores = discriminator([real, embedding], training=True)
            wrong_scores = discriminator([real, mismatched], training=True)
            fake_scores = discriminator([fake, embedding], training=True)
            per_example = self.matching_aware_loss(real_scores, wrong_scores, fake_scores)
            return self.reduce_loss(per_example), batch_means(
                d_loss=per_example, d_real=real_scores, d_wrong=wrong_scores, d_fake=fake_scores)

        return self.update(optimizer, loss_fn, discriminator.trainable_variables)

    def _generator_update(self, stage, real, caption_ids, stream):
        generator, discriminator, optimizer, _ = self._networks(stage)
        embedding, noise, stage1_noise, stage2_noise = self.stage_noise(caption_ids, stream, tf.shape(real)[0])
        if stage == 1:
            inputs = [noise, stage1_noise, embedding]
        else:
            low, _, _ = self.stage1_generator([noise, stage1_noise, embedding], training=False)
            inputs = [tf.stop_gradient(low), stage2_noise, embedding]

        def loss_fn():
            fake, mean, log_variance = generator(inputs, training=True)
            adversarial = self.generator_loss_fn(discriminator([fake, embedding], training=True))
            kl = losses.kl_divergence(mean, log_variance)
            return self.reduce_loss(adversarial + self.kl_weight * kl), batch_means(g_loss=adversarial, kl=kl)

        return self.update(optimizer, loss_fn, generator.trainable_variables)

    def mismatched(self, embedding):
        """The wrong caption of each example: the global batch's embeddings rolled by one (`on_global_batch`).

        Under a strategy with several replicas a replica's first example gets
        the previous replica's last caption, as on one device.
        """
        return self.on_global_batch(lambda embeddings: tf.roll(embeddings, shift=1, axis=0), embedding)

    def matching_aware_loss(self, real_scores, wrong_scores, fake_scores):
        """Per-example discriminator loss: real pairs against mismatched pairs and against generated pairs, averaged."""
        return 0.5 * (self.discriminator_loss_fn(real_scores, wrong_scores)
                      + self.discriminator_loss_fn(real_scores, fake_scores))

    def downsample(self, images):
        """Real images at Stage-I's size: the mean of each block of pixels."""
        factor = images.shape[1] // self.stage1_size
        return tf.nn.avg_pool2d(images, factor, factor, "VALID")

    # === Sampling ===
    def generate_from(self, latent, labels=None, training=False, generator=None):
        """Runs a generator (default: the live one) on latent vectors and caption token ids (`labels`)."""
        if labels is None:
            raise ValueError("StackGAN generates from captions: pass caption token ids. Received: labels=None")
        return (generator or self.generator)([latent, labels], training=training)

    def call(self, inputs, training=False):
        latent, caption_ids = inputs
        return self.generate_from(latent, caption_ids, training=training)

    def example_captions(self, num, seed=0):
        """Token ids of `num` captions of scenes drawn as the data draws them, a pure function of `seed`."""
        return captions.example_tokens(num, seed)

    def generate(self, num=None, *, latent=None, captions=None, labels=None, seed=0, batch_size=256, use_ema=True):
        """Images for captions (token ids `[N, CAPTION_LENGTH]`), in batches, `training=False`.

        Args:
            num: number of samples; ignored when `latent` is given.
            latent: explicit latent vectors `[num, latent_dim]`.
            captions: caption token ids (`tfgan_zoo.data.captions.tokenize`);
                default `example_captions(num, seed)`.
            labels: must be None (accepted so that callers of class-conditional models work unchanged).
            seed: seed of the latent vectors and default captions.
            batch_size: samples per generator call.
            use_ema: sample from the EMA generator when the model has one.
        """
        if labels is not None:
            raise ValueError(f"StackGAN takes captions, not labels. Received: labels={labels!r}")
        if latent is None:
            if num is None or int(num) < 1:
                raise ValueError(f"num must be a positive int when latent is not given. Received: num={num!r}")
            latent = self.latent_for_seed(int(num), seed)
        if captions is None:
            captions = self.example_captions(len(latent), seed)
        captions = np.asarray(captions, np.int32)
        if captions.shape != (len(latent), self.text_encoder.input.shape[1]):
            raise ValueError(f"captions must be token ids [{len(latent)}, {self.text_encoder.input.shape[1]}]. "
                             f"Received: shape={captions.shape}")
        return super().generate(latent=latent, labels=captions, batch_size=batch_size, use_ema=use_ema)

    def generate_stage1(self, captions, *, latent=None, seed=0):
        """Stage-I's low-resolution images for caption token ids (`training=False`), float32 numpy."""
        captions = np.asarray(captions, np.int32)
        latent = self.latent_for_seed(len(captions), seed) if latent is None else np.asarray(latent, np.float32)
        noise, stage1_noise, _ = tf.split(tf.constant(latent), 3, axis=-1)
        embedding = self.text_encoder(tf.constant(captions), training=False)
        return np.asarray(self.stage1_generator([noise, stage1_noise, embedding], training=False)[0], np.float32)

    # === Config ===
    def get_config(self):
        config = super().get_config()
        config.update({"stage1_steps": self.stage1_steps, "loss": self.loss, "kl_weight": self.kl_weight})
        return config
