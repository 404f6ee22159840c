"""A tiny transformer classifier, as in Keras's text-classification tutorial,
trains with `fit` on real IMDB reviews."""

from pathlib import Path

import numpy as np
import pytest

import lamina
from lamina import layers
from lamina.datasets import imdb
from lamina.layers.attention.multi_head_attention import MultiHeadAttention
from lamina.preprocessing.sequence import pad_sequences

DATA = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
needs_data = pytest.mark.skipif(
    not (DATA / "imdb.npz").is_file(), reason="shared data not present"
)

_VOCABULARY = 2000
_MAXLEN = 80
_EMBED_DIM = 32


def _transformer_classifier() -> lamina.Model:
    tokens = layers.Input(shape=(_MAXLEN,), dtype="int32")
    x = layers.Embedding(_VOCABULARY, _EMBED_DIM, mask_zero=True)(tokens)
    attention = MultiHeadAttention(num_heads=2, key_dim=16)(x, x)
    x = layers.LayerNormalization(epsilon=1e-6)(x + attention)
    feed_forward = layers.Dense(32, activation="relu")(x)
    feed_forward = layers.Dense(_EMBED_DIM)(feed_forward)
    x = layers.LayerNormalization(epsilon=1e-6)(x + feed_forward)
    x = layers.GlobalAveragePooling1D()(x)
    x = layers.Dropout(0.1)(x)
    outputs = layers.Dense(1, activation="sigmoid")(x)
    return lamina.Model(tokens, outputs)


@needs_data
def test_transformer_classifier_learns_imdb():
    (reviews, labels), _ = imdb.load_data(
        path=str((DATA / "imdb.npz").resolve()), num_words=_VOCABULARY
    )
    x = pad_sequences(reviews[:2000], maxlen=_MAXLEN)
    y = np.asarray(labels[:2000], dtype="float32")
    lamina.utils.set_random_seed(0)
    model = _transformer_classifier()
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, batch_size=64, epochs=2, verbose=0)
    losses = history.history["loss"]
    assert losses[1] < losses[0] - 0.05
    assert history.history["accuracy"][1] > 0.6
