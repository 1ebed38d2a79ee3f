"""The caption encoder StackGAN conditions on: pre-trained on the captions' attributes, then read on unseen ones."""

import numpy as np

from tfgan_zoo.data import captions
from tfgan_zoo.networks import text_encoder


def test_pretrained_encoder_reads_every_attribute_even_of_heldout_combinations():
    encoder = text_encoder.text_encoder(token_dim=8, filters=32, embedding_dim=32)
    accuracy = text_encoder.pretrain_text_encoder(encoder, steps=300)
    assert min(accuracy["train"].values()) == 1.0
    assert min(accuracy["heldout"].values()) >= 0.95, accuracy["heldout"]
    embedding = encoder(captions.example_tokens(64)).numpy()
    assert embedding.shape == (64, 32)
    np.testing.assert_allclose(embedding.mean(axis=1), 0.0, atol=1e-5)
    assert np.all((embedding.std(axis=1) > 0.5) & (embedding.std(axis=1) <= 1.0))
