"""Unrolled GAN: the generator optimises against a discriminator k updates ahead."""

import keras
import tensorflow as tf

from tfgan_zoo.models.gan import GAN, REAL

UNROLL_OPTIMIZERS = ("sgd", "adam")


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class UnrolledGAN(GAN):
    """GAN whose generator loss looks through `unroll_steps` discriminator updates.

    In each generator update the discriminator's weights are copied into
    tensors, updated `unroll_steps` times on the step's real and generated
    batches (functionally, with fresh optimizer moments), and the generator's
    loss is the loss against those unrolled weights. With `second_order=True`
    the generator's gradient flows through the unrolled updates, so the
    generator is penalised for moves the discriminator would answer: the
    remedy for mode collapse of Metz et al. The discriminator's real variables
    are never touched by the unrolling; its own update is the GAN one.

    Args:
        generator, discriminator, **kwargs: as for `GAN` (feature matching
            excepted).
        unroll_steps: k, the number of unrolled discriminator updates.
        unroll_learning_rate: step size of the unrolled updates.
        unroll_optimizer: `"adam"` (bias-corrected Adam from zero moments,
            beta 0.5 / 0.999 as in the paper's 2-D experiments) or `"sgd"`.
        second_order: differentiate through the unrolled updates (the paper's
            method); False keeps only the first-order term.

    Reference: Metz et al., "Unrolled Generative Adversarial Networks", ICLR 2017.
    """

    def __init__(
        self,
        generator,
        discriminator,
        *,
        unroll_steps=5,
        unroll_learning_rate=1e-3,
        unroll_optimizer="adam",
        second_order=True,
        **kwargs,
    ):
        if not isinstance(unroll_steps, int) or unroll_steps < 0:
            raise ValueError(f"unroll_steps must be an int >= 0. Received: unroll_steps={unroll_steps!r}")
        if not unroll_learning_rate > 0:
            raise ValueError(f"unroll_learning_rate must be > 0. Received: unroll_learning_rate={unroll_learning_rate!r}")
        if unroll_optimizer not in UNROLL_OPTIMIZERS:
            raise ValueError(
                f"unroll_optimizer must be one of {UNROLL_OPTIMIZERS}. Received: unroll_optimizer={unroll_optimizer!r}"
            )
        if kwargs.get("feature_matching"):
            raise ValueError("UnrolledGAN's generator loss is the unrolled adversarial loss. Received: feature_matching=True")
        super().__init__(generator, discriminator, **kwargs)
        self.unroll_steps = unroll_steps
        self.unroll_learning_rate = float(unroll_learning_rate)
        self.unroll_optimizer = unroll_optimizer
        self.second_order = bool(second_order)

    def generator_objective(self, real, fake_in, labels, stream):
        real_in = self.critic_inputs(real, stream, REAL)
        weights = [tf.convert_to_tensor(variable) for variable in self.discriminator.trainable_variables]
        moments = [(tf.zeros_like(w), tf.zeros_like(w)) for w in weights]
        for step in range(1, self.unroll_steps + 1):
            weights, moments = self.unrolled_update(weights, moments, step, real_in, fake_in, labels)
        per_example = self.generator_loss_fn(self.discriminate(fake_in, labels, weights=weights))
        return self.reduce_loss(per_example), {"g_loss": tf.reduce_mean(per_example)}

    def unrolled_update(self, weights, moments, step, real_in, fake_in, labels):
        """One functional discriminator update of `weights`; returns the new weights and moments."""
        with tf.GradientTape() as tape:
            tape.watch(weights)
            real_scores = self.discriminate(real_in, labels, weights=weights)
            fake_scores = self.discriminate(fake_in, labels, weights=weights)
            loss = self.reduce_loss(self.discriminator_loss(real_scores, fake_scores))
        gradients = tape.gradient(loss, weights)
        # Under tf.distribute every replica unrolls with its own share of the
        # gradient; summing it makes each replica unroll the global update.
        context = tf.distribute.get_replica_context()
        if context.num_replicas_in_sync > 1:
            gradients = context.all_reduce("sum", gradients)
        if not self.second_order:
            gradients = [tf.stop_gradient(g) for g in gradients]
        rate = self.unroll_learning_rate
        if self.unroll_optimizer == "sgd":
            return [w - rate * g for w, g in zip(weights, gradients)], moments
        beta_1, beta_2, epsilon = 0.5, 0.999, 1e-7
        new_weights, new_moments = [], []
        for w, g, (m, v) in zip(weights, gradients, moments):
            m = beta_1 * m + (1.0 - beta_1) * g
            v = beta_2 * v + (1.0 - beta_2) * tf.square(g)
            m_hat = m / (1.0 - beta_1**step)
            v_hat = v / (1.0 - beta_2**step)
            # epsilon inside the root keeps the second-order gradient finite where g = 0.
            new_weights.append(w - rate * m_hat / tf.sqrt(v_hat + epsilon**2))
            new_moments.append((m, v))
        return new_weights, new_moments

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "unroll_steps": self.unroll_steps,
                "unroll_learning_rate": self.unroll_learning_rate,
                "unroll_optimizer": self.unroll_optimizer,
                "second_order": self.second_order,
            }
        )
        return config
