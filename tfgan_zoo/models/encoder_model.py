"""The shared base of variants with an encoder E(x) -> z beside G and D (BiGAN, adversarial autoencoder)."""

import keras
import numpy as np

from tfgan_zoo import losses
from tfgan_zoo.models.adversarial_model import AdversarialModel
from tfgan_zoo.models.network_model import batch_means
from tfgan_zoo.utils import batching

# Name of the exported signature that runs the encoder.
ENCODE_SIGNATURE = "encode"


class EncoderAdversarialModel(AdversarialModel):
    """An `AdversarialModel` with a third network, an encoder, trained by the generator optimizer.

    The generator optimizer is built on the generator's and the encoder's
    trainable variables (`generator_variables`), so the encoder's moments are
    saved and restored with it; the discriminator optimizer moves the
    discriminator only. The encoder is saved in `get_config`, restored in
    `from_config`, and exported as the SavedModel signature `encode`.

    Args:
        generator: see `AdversarialModel`; its input is named `latent`.
        discriminator: see `AdversarialModel`.
        encoder: a built `keras.Model` mapping one sample of the generator's
            output shape to a code `[batch, latent_dim]`.
        **kwargs: the `AdversarialModel` arguments; these models are
            unconditional (`num_classes=None`).
    """

    NETWORKS = ("generator", "discriminator", "encoder")

    def __init__(self, generator, discriminator, encoder, **kwargs):
        if kwargs.get("num_classes") is not None:
            raise ValueError(
                f"{type(self).__name__} is unconditional. Received: num_classes={kwargs['num_classes']!r}"
            )
        super().__init__({"generator": generator, "discriminator": discriminator, "encoder": encoder}, **kwargs)
        check_encoder(encoder, generator, self.latent_dim)

    # === Variables and optimizers ===
    @property
    def generator_variables(self):
        """What the generator optimizer moves: the generator's and the encoder's trainable variables."""
        return [*self.generator.trainable_variables, *self.encoder.trainable_variables]

    # === Discriminator update ===
    def discriminator_update(self, score, real_inputs, fake_inputs, score_names):
        """One step of the discriminator optimizer: D learns to call `real_inputs` real and `fake_inputs` fake.

        The loss is the variant's `discriminator_loss_fn` of the two scores;
        only the discriminator's trainable variables move.

        Args:
            score: the model's scoring method, called inside the tape (the
                adversarial autoencoder's `score_codes`, BiGAN's `score_pairs`).
            real_inputs: the arguments of `score` for what D should call real.
            fake_inputs: the arguments of `score` for what D should call fake.
            score_names: the names of the logged mean real and fake scores.

        Returns:
            The logged terms: `d_loss` and the two mean scores.
        """
        real_name, fake_name = score_names

        def loss_fn():
            real_scores = score(*real_inputs)
            fake_scores = score(*fake_inputs)
            per_example = self.discriminator_loss_fn(real_scores, fake_scores)
            return self.reduce_loss(per_example), batch_means(
                d_loss=per_example, **{real_name: real_scores, fake_name: fake_scores})

        return self.update("discriminator", loss_fn, self.discriminator.trainable_variables)

    # === Encoder as a function ===
    def encode(self, samples, batch_size=256):
        """Codes E(x) of samples with `training=False`, in batches, as a float32 numpy array.

        Args:
            samples: `[num, *sample_shape]`, in the generator's output range.
            batch_size: samples per encoder call.
        """
        samples = np.asarray(samples, np.float32)
        expected = tuple(self.encoder.inputs[0].shape[1:])
        if samples.ndim < 1 or len(samples) == 0 or samples.shape[1:] != expected:
            raise ValueError(f"samples must have shape [num >= 1, *{expected}]. Received: shape={samples.shape}")
        codes = batching.map_in_batches(lambda batch: self.encoder(batch, training=False), samples, batch_size)
        return codes.astype(np.float32)

    def codes(self, samples, labels=None, *, batch_size=256):
        """The deterministic codes of `samples`, E(x) (as `encode`; `labels` is unused: the encoder takes none)."""
        del labels
        return self.encode(samples, batch_size=batch_size)

    def reconstruct(self, samples, batch_size=256, use_ema=False):
        """G(E(x)) with `training=False`.

        Args:
            samples: `[num, *sample_shape]`.
            batch_size: samples per network call.
            use_ema: decode with the EMA generator when the model has one;
                default the live generator, the one trained with the encoder.
        """
        return self.generate(latent=self.encode(samples, batch_size), batch_size=batch_size, use_ema=use_ema)

    def export_signatures(self):
        """The encoder as the SavedModel signature `encode` (input `image` or `sample`, output `code`)."""
        return {ENCODE_SIGNATURE: (self.encoder, [tensor.name for tensor in self.encoder.inputs])}


def reconstruction_update(model, encoder, decoder, real, kind):
    """One generator-optimizer step in which E and the decoder minimise the reconstruction error of `real`.

    The step moves `model.generator_variables`; the error is `kind` (see
    `tfgan_zoo.losses.reconstruction_error`). Shared by the autoencoder
    phases of the adversarial autoencoder and BAGAN. Returns the logged
    `{"reconstruction_loss": batch mean}`.
    """
    def loss_fn():
        reconstructions = decoder(encoder(real, training=True), training=True)
        per_example = losses.reconstruction_error(real, reconstructions, kind)
        return model.reduce_loss(per_example), batch_means(reconstruction_loss=per_example)

    return model.update("generator", loss_fn)


def check_encoder(encoder, generator, latent_dim):
    if not isinstance(encoder, keras.Model) or not encoder.built:
        raise ValueError(f"encoder must be a built keras.Model. Received: encoder={encoder!r}")
    if len(encoder.inputs) != 1 or len(encoder.outputs) != 1:
        raise ValueError(
            f"encoder must take one sample input and return one code. Received: encoder with "
            f"{len(encoder.inputs)} inputs and {len(encoder.outputs)} outputs"
        )
    sample_shape = tuple(generator.outputs[0].shape[1:])
    input_shape, code_shape = tuple(encoder.inputs[0].shape[1:]), tuple(encoder.outputs[0].shape[1:])
    if input_shape != sample_shape or code_shape != (latent_dim,):
        raise ValueError(
            f"encoder must map samples of the generator's shape {sample_shape} to codes of shape ({latent_dim},). "
            f"Received: encoder input shape {input_shape}, output shape {code_shape}"
        )
