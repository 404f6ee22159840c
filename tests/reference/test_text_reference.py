"""Tokenizer, hashing helpers, to_categorical, normalize, text datasets vs Keras."""

import json

import numpy as np
import pytest

from lamina.preprocessing.text import Tokenizer
from lamina.preprocessing.text import hashing_trick
from lamina.preprocessing.text import one_hot
from lamina.preprocessing.text import text_to_word_sequence
from lamina.preprocessing.text import tokenizer_from_json
from lamina.utils import normalize
from lamina.utils import to_categorical
from lamina.utils.file_dataset import index_directory

WORDS = ["the", "Cat", "sat", "on", "mat", "dog!", "ran,", "a", "b", "zeta", "Ünï"]


def _texts(seed: int, count: int = 12) -> list[str]:
    rng = np.random.RandomState(seed)
    return [
        " ".join(rng.choice(WORDS, rng.randint(0, 12)).tolist())
        + rng.choice(["", ".", "\t\n"])
        for _ in range(count)
    ]


def _settings():
    yield {}
    yield {"num_words": 5}
    yield {"oov_token": "<oov>", "num_words": 6}
    yield {"lower": False, "filters": ""}
    yield {"char_level": True}


@pytest.mark.parametrize("seed", range(3))
def test_tokenizer_matches_keras(keras, seed):
    from keras.src.legacy.preprocessing import text as keras_text

    texts, unseen = _texts(seed), _texts(seed + 100, 5)
    for settings in _settings():
        ours, theirs = Tokenizer(**settings), keras_text.Tokenizer(**settings)
        ours.fit_on_texts(texts)
        theirs.fit_on_texts(texts)
        assert ours.word_index == theirs.word_index
        assert dict(ours.word_counts) == dict(theirs.word_counts)
        assert ours.texts_to_sequences(texts + unseen) == theirs.texts_to_sequences(
            texts + unseen
        )
        sequences = theirs.texts_to_sequences(texts)
        assert ours.sequences_to_texts(sequences) == theirs.sequences_to_texts(
            sequences
        )
        for mode in ("binary", "count", "tfidf", "freq"):
            np.testing.assert_allclose(
                ours.texts_to_matrix(texts + unseen, mode=mode),
                theirs.texts_to_matrix(texts + unseen, mode=mode),
            )
        assert json.loads(ours.to_json()) == json.loads(theirs.to_json())


def test_tokenizer_json_round_trips_with_keras(keras):
    from keras.src.legacy.preprocessing import text as keras_text

    texts = _texts(9)
    theirs = keras_text.Tokenizer(num_words=7, oov_token="?")
    theirs.fit_on_texts(texts)
    ours = tokenizer_from_json(theirs.to_json())
    assert ours.texts_to_sequences(texts) == theirs.texts_to_sequences(texts)
    back = keras_text.tokenizer_from_json(ours.to_json())
    np.testing.assert_allclose(
        back.texts_to_matrix(texts, "tfidf"), ours.texts_to_matrix(texts, "tfidf")
    )


def test_tokenizer_fit_on_sequences_matches_keras(keras):
    from keras.src.legacy.preprocessing import text as keras_text

    sequences = [[1, 2, 2, 5], [3], [], [5, 1]]
    ours, theirs = Tokenizer(num_words=6), keras_text.Tokenizer(num_words=6)
    ours.fit_on_sequences(sequences)
    theirs.fit_on_sequences(sequences)
    np.testing.assert_allclose(
        ours.sequences_to_matrix(sequences, "tfidf"),
        theirs.sequences_to_matrix(sequences, "tfidf"),
    )


def test_word_helpers_match_keras(keras):
    from keras.src.legacy.preprocessing import text as keras_text

    for text in _texts(4):
        assert text_to_word_sequence(text) == keras_text.text_to_word_sequence(text)
        assert text_to_word_sequence(text, lower=False, split="a") == (
            keras_text.text_to_word_sequence(text, lower=False, split="a")
        )
        assert one_hot(text, 17) == keras_text.one_hot(text, 17)
        assert hashing_trick(text, 31, "md5") == keras_text.hashing_trick(
            text, 31, "md5"
        )
        assert hashing_trick(text, 31) == keras_text.hashing_trick(text, 31)


@pytest.mark.parametrize(
    "labels", [[0, 2, 1, 2], [[1], [0], [3]], [[0, 1], [2, 0]], np.array(4)]
)
def test_to_categorical_matches_keras(keras, labels):
    from keras.src.utils.numerical_utils import to_categorical as keras_to_categorical

    for num_classes in (None, 5):
        expected = keras_to_categorical(np.array(labels), num_classes)
        actual = to_categorical(labels, num_classes)
        assert actual.shape == expected.shape and actual.dtype == expected.dtype
        np.testing.assert_array_equal(actual, expected)


def test_normalize_matches_keras(keras):
    from keras.src.utils.numerical_utils import normalize as keras_normalize

    x = np.random.RandomState(0).randn(4, 5)
    x[1] = 0.0
    for axis, order in ((-1, 2), (-1, 1), (1, 3)):
        np.testing.assert_allclose(
            normalize(x, axis, order), keras_normalize(x, axis, order)
        )
    # Keras turns axis=0 into -1 (`axis or -1`) and fails; lamina normalises
    # along axis 0 as asked.
    expected = x / np.linalg.norm(x, 2, axis=0, keepdims=True)
    np.testing.assert_allclose(normalize(x, axis=0), expected)


def test_text_file_order_matches_keras(keras, tmp_path):
    from keras.src.utils import dataset_utils

    for label in ("pos", "neg", "mid"):
        (tmp_path / label / "deep").mkdir(parents=True)
        for i in range(4):
            (tmp_path / label / f"{i}.txt").write_text(f"{label} {i}")
        (tmp_path / label / "deep" / "z.TXT").write_text("deep")
        (tmp_path / label / "skip.md").write_text("no")
    for shuffle, seed in ((False, None), (True, 7)):
        expected = dataset_utils.index_directory(
            str(tmp_path), "inferred", (".txt",), shuffle=shuffle, seed=seed,
            verbose=False,
        )  # fmt: skip
        actual = index_directory(
            str(tmp_path), "inferred", (".txt",), shuffle=shuffle, seed=seed
        )
        assert actual[0] == expected[0]
        assert actual[1].tolist() == list(expected[1])
        assert actual[2] == expected[2]
