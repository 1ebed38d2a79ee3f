"""Unrolled GAN: the generator optimises against a discriminator k updates ahead."""

import keras
import tensorflow as tf

from tfgan_zoo.models.gan import GAN, REAL
from tfgan_zoo.utils import validation

UNROLL_OPTIMIZERS = ("discriminator", "adam", "sgd")
_ADAM_PAPER_BETAS = (0.5, 0.999, 1e-7)


@keras.saving.register_keras_serializable(package="tfgan_zoo")
class UnrolledGAN(GAN):
    """GAN whose generator loss looks through `unroll_steps` discriminator updates.

    In each generator update the discriminator's weights are copied into
    tensors, updated `unroll_steps` times on the step's real and generated
    batches (functionally: nothing is assigned), and the generator's loss is
    the loss against those unrolled weights. With `second_order=True`
    the generator's gradient flows through the unrolled updates, so the
    generator is penalised for moves the discriminator would answer: the
    remedy for mode collapse of Metz et al. The discriminator's real variables
    are never touched by the unrolling; its own update is the GAN one.

    Args:
        generator, discriminator, **kwargs: as for `GAN` (feature matching
            excepted).
        unroll_steps: k, the number of unrolled discriminator updates.
        unroll_learning_rate: step size of the unrolled updates; None (the
            default) takes the discriminator optimizer's learning rate.
        unroll_optimizer: `"discriminator"` (the default, as in the paper's
            code: the unrolled steps continue the discriminator's own Adam,
            from its current moments, step count, betas and epsilon; needs
            an Adam discriminator optimizer), `"adam"` (bias-corrected Adam
            from zero moments, betas 0.5 / 0.999) or `"sgd"`. Fresh Adam
            moments make the first unrolled step `lr * g / |g|`, whose
            derivative explodes where `g` is near 0: with
            `second_order=True` prefer `"discriminator"` or `"sgd"`.
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
        unroll_learning_rate=None,
        unroll_optimizer="discriminator",
        second_order=True,
        **kwargs,
    ):
        validation.check_int("unroll_steps", unroll_steps, minimum=0)
        if unroll_learning_rate is not None:
            validation.check_number("unroll_learning_rate", unroll_learning_rate, "(0, inf)")
        validation.check_choice("unroll_optimizer", unroll_optimizer, UNROLL_OPTIMIZERS)
        if kwargs.get("feature_matching"):
            raise ValueError(
                "UnrolledGAN's generator loss is the unrolled adversarial loss. Received: feature_matching=True"
            )
        super().__init__(generator, discriminator, **kwargs)
        self.unroll_steps = unroll_steps
        self.unroll_learning_rate = None if unroll_learning_rate is None else float(unroll_learning_rate)
        self.unroll_optimizer = unroll_optimizer
        self.second_order = bool(second_order)

    def check_compiled(self):
        if self.unroll_optimizer == "discriminator" and not isinstance(self._adam(), keras.optimizers.Adam):
            raise ValueError(
                'unroll_optimizer="discriminator" continues the discriminator\'s Adam; use "adam" or "sgd" with '
                f"another optimizer. Received: discriminator_optimizer={type(self._adam()).__name__}"
            )

    def _adam(self):
        """The discriminator optimizer without its loss-scale wrapper."""
        optimizer = self.discriminator_optimizer
        return getattr(optimizer, "inner_optimizer", optimizer)

    def unroll_start(self):
        """`(moments, first_step, (beta_1, beta_2, epsilon), learning_rate)` the unrolling starts from."""
        variables = self.discriminator.trainable_variables
        if self.unroll_optimizer != "discriminator":
            rate = self.unroll_learning_rate or self._adam().learning_rate
            zeros = [(tf.zeros_like(v), tf.zeros_like(v)) for v in variables]
            return zeros, tf.constant(1.0), _ADAM_PAPER_BETAS, tf.cast(rate, tf.float32)
        adam = self._adam()
        # Keras 3 keeps Adam's slots in `_momentums`/`_velocities`, indexed per variable.
        index = adam._get_variable_index
        moments = [(tf.convert_to_tensor(adam._momentums[index(v)]), tf.convert_to_tensor(adam._velocities[index(v)]))
                   for v in variables]
        rate = self.unroll_learning_rate or adam.learning_rate
        first_step = tf.cast(adam.iterations, tf.float32) + 1.0
        return moments, first_step, (adam.beta_1, adam.beta_2, adam.epsilon), tf.cast(rate, tf.float32)

    def generator_objective(self, real, fake_in, labels, stream, latent=None):
        real_in = self.critic_inputs(real, stream, REAL)
        weights = [tf.convert_to_tensor(variable) for variable in self.discriminator.trainable_variables]
        moments, first_step, adam, rate = self.unroll_start()
        for step in range(self.unroll_steps):
            weights, moments = self.unrolled_update(
                weights, moments, first_step + step, real_in, fake_in, labels, adam=adam, rate=rate)
        per_example = self.generator_loss_fn(self.discriminate(fake_in, labels, weights=weights))
        return self.reduce_loss(per_example), {"g_loss": tf.reduce_mean(per_example)}

    def unrolled_update(self, weights, moments, step, real_in, fake_in, labels, *, adam=_ADAM_PAPER_BETAS, rate=None):
        """One functional discriminator update of `weights`; returns the new weights and moments.

        `step` is the (1-based) Adam step for bias correction, `adam` its
        `(beta_1, beta_2, epsilon)`, `rate` the step size (default
        `unroll_learning_rate`).
        """
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
        rate = self.unroll_learning_rate if rate is None else rate
        if self.unroll_optimizer == "sgd":
            return [w - rate * g for w, g in zip(weights, gradients)], moments
        beta_1, beta_2, epsilon = adam
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
