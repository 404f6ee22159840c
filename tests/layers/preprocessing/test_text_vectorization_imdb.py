"""End to end: raw IMDB review text -> TextVectorization -> a small classifier."""

import time
from pathlib import Path

import numpy as np
import pytest
import torch

import lamina
from lamina.datasets import imdb
from lamina.datasets._safe_pickle import load_npz
from lamina.layers.preprocessing import TextVectorization

_SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data"
DATA = _SHARED if _SHARED.is_dir() else Path("/work/shared/data")
NUM_REVIEWS = 2000


def _word_names() -> dict[int, str]:
    """Rank -> word from the real word index; empty when the file is missing."""
    word_index_file = DATA / "imdb_word_index.json"
    if not word_index_file.is_file():
        return {}
    ranks = imdb.get_word_index(path=str(word_index_file))
    return {rank: word for word, rank in ranks.items()}


def _review_texts(words: dict[int, str]) -> tuple[list[str], np.ndarray]:
    """2,000 random training reviews as text.

    Without the word index each word id stands for itself (`w42`).
    """
    arrays = load_npz(str(DATA / "imdb.npz"))  # raw ranks; load_data shuffles all
    reviews, labels = arrays["x_train"], arrays["y_train"]
    # The file stores all positive reviews first: sample both classes.
    picked = np.random.RandomState(0).permutation(len(reviews))[:NUM_REVIEWS]
    texts = [
        " ".join(words.get(rank, f"w{rank}") for rank in reviews[index])
        for index in picked
    ]
    return texts, labels[picked].astype("float32")


@pytest.mark.skipif(
    not (DATA / "imdb.npz").is_file(), reason="shared IMDB data not present"
)
def test_text_vectorization_feeds_a_model_that_learns_imdb():
    started = time.perf_counter()
    lamina.utils.set_random_seed(0)
    words = _word_names()
    texts, labels = _review_texts(words)
    vectorizer = TextVectorization(max_tokens=10_000, output_sequence_length=200)
    vectorizer.adapt(texts)
    vocabulary = vectorizer.get_vocabulary()
    # Ranks 1 and 2 of the word index ("the", "and") stay the most frequent.
    top_two = [words.get(rank, f"w{rank}") for rank in (1, 2)]
    assert vocabulary[:4] == ["", "[UNK]", *top_two]
    sequences = vectorizer(texts)
    assert sequences.dtype == torch.int64 and tuple(sequences.shape) == (2000, 200)

    model = lamina.Sequential(
        [
            lamina.Input((200,), dtype="int64"),
            lamina.layers.Embedding(10_000, 16),
            lamina.layers.GlobalAveragePooling1D(),
            lamina.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(sequences.numpy(), labels, epochs=2, batch_size=32, verbose=0)
    losses = history.history["loss"]
    assert 0.3 < labels.mean() < 0.7
    assert losses[1] < losses[0]
    # About 7 s on an idle 2-core machine; the bound only catches pathologies.
    assert time.perf_counter() - started < 60
