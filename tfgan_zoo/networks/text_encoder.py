"""A small caption encoder, and its pre-training on the captions of the generated shapes.

StackGAN conditions on the embedding of a pre-trained, frozen text encoder
(Reed et al.'s char-CNN-RNN, trained to match images and their
descriptions). The zoo's captions come from a fixed grammar over four
attributes (`tfgan_zoo.data.captions`), so what a caption says is exactly
its attributes: here the encoder is pre-trained to predict them (a
classification head per attribute on the embedding), on one caption per
training combination, the held-out combinations excluded. The embedding is
the encoder's output, the heads are dropped after training.

The network uses builtin LiteRT ops only: a token embedding (`GATHER`), one
1-D convolution over neighbouring words, a max over positions, a dense
layer and a normalisation.
"""

import keras
import numpy as np

from tfgan_zoo.data import captions

_VOCABULARY_SIZE = len(captions.VOCABULARY)


def text_encoder(vocabulary_size=_VOCABULARY_SIZE, caption_length=captions.CAPTION_LENGTH, *, token_dim=32,
                 filters=64, embedding_dim=64, name="text_encoder"):
    """Token ids `caption` `[B, caption_length]` (int32, 0 = padding) -> embedding `[B, embedding_dim]`.

    Args:
        vocabulary_size: number of token ids.
        caption_length: tokens per caption.
        token_dim: width of the token embeddings.
        filters: filters of the convolution over three neighbouring tokens.
        embedding_dim: width of the caption embedding.
        name: name of the returned model.
    """
    caption = keras.Input(shape=(caption_length,), dtype="int32", name="caption")
    x = keras.layers.Embedding(vocabulary_size, token_dim, name="tokens")(caption)
    x = keras.layers.Conv1D(filters, 3, padding="same", activation="relu", name="words")(x)
    x = keras.layers.GlobalMaxPooling1D(name="pool")(x)
    x = keras.layers.Dense(embedding_dim, name="project")(x)
    # Zero mean and unit variance over each embedding: the attribute heads
    # would otherwise push its scale up, and Conditioning Augmentation's
    # Gaussians (and their KL term) would start far from N(0, I).
    embedding = keras.layers.LayerNormalization(center=False, scale=False, name="text_embedding")(x)
    return keras.Model(caption, embedding, name=name)


def pretrain_text_encoder(encoder, *, steps=300, batch_size=64, learning_rate=3e-3, seed=0):
    """Trains `encoder` to predict the attributes of its captions.

    Returns `{"train": {attribute: accuracy}, "heldout": {...}}`: how often
    the heads name the attributes of the training captions and of the
    held-out combinations' captions (never trained on).

    The training set holds one caption per training combination
    (`captions.HELDOUT_COMBINATIONS` excluded). The encoder is left
    trainable; callers freeze it.

    Args:
        encoder: a `text_encoder` network.
        steps: Adam updates.
        batch_size: captions per update.
        learning_rate: Adam's learning rate.
        seed: seed of the heads' weights and the caption order.
    """
    ids = np.setdiff1d(np.arange(captions.NUM_COMBINATIONS), captions.HELDOUT_COMBINATIONS)
    tokens, targets = captions.combination_tokens(ids), captions.combination_attributes(ids)
    keras.utils.set_random_seed(seed)
    heads = {name: keras.layers.Dense(count, name=f"{name}_logits")(encoder.output)
             for name, count in captions.ATTRIBUTES.items()}
    trainer = keras.Model(encoder.input, heads)
    trainer.compile(optimizer=keras.optimizers.Adam(learning_rate),
                    loss={name: keras.losses.SparseCategoricalCrossentropy(from_logits=True) for name in heads})
    order = np.random.default_rng(seed).integers(0, len(ids), steps * batch_size)
    trainer.fit(tokens[order], {name: targets[name][order] for name in heads}, batch_size=batch_size, epochs=1,
                shuffle=False, verbose=0)
    accuracy = {}
    for split, split_ids in (("train", ids), ("heldout", captions.HELDOUT_COMBINATIONS)):
        predicted = trainer.predict_on_batch(captions.combination_tokens(split_ids))
        wanted = captions.combination_attributes(split_ids)
        accuracy[split] = {name: float(np.mean(np.argmax(predicted[name], axis=-1) == wanted[name])) for name in heads}
    return accuracy
