"""lamina.preprocessing.text: behaviour and error messages."""

import numpy as np
import pytest

from lamina.preprocessing.text import Tokenizer
from lamina.preprocessing.text import hashing_trick
from lamina.preprocessing.text import one_hot
from lamina.preprocessing.text import tokenizer_from_json


def test_tokenizer_orders_by_frequency_and_handles_oov():
    tokenizer = Tokenizer(num_words=3, oov_token="<unk>")
    tokenizer.fit_on_texts(["b a b", "c b a"])
    assert tokenizer.word_index == {"<unk>": 1, "b": 2, "a": 3, "c": 4}
    assert tokenizer.texts_to_sequences(["b a zzz"]) == [[2, 1, 1]]
    assert tokenizer.sequences_to_texts([[2, 3, 9]]) == ["b <unk> <unk>"]


def test_tokenizer_matrix_modes():
    tokenizer = Tokenizer()
    tokenizer.fit_on_texts(["a a b", "b"])
    counts = tokenizer.texts_to_matrix(["a a b"], mode="count")
    assert counts.tolist() == [[0.0, 2.0, 1.0]]  # a and b tie: first seen first
    freq = tokenizer.texts_to_matrix(["a a b"], mode="freq")
    assert freq[0, 1] == pytest.approx(2 / 3)
    tfidf = tokenizer.texts_to_matrix(["a a b"], mode="tfidf")
    expected = (1 + np.log(2)) * np.log(1 + 2 / (1 + 1))
    assert tfidf[0, 1] == pytest.approx(expected)


def test_tokenizer_clear_errors():
    with pytest.raises(ValueError, match="num_words= or a vocabulary"):
        Tokenizer().sequences_to_matrix([[1]])
    with pytest.raises(ValueError, match="one of"):
        Tokenizer(num_words=3).sequences_to_matrix([[1]], mode="onehot")
    with pytest.raises(ValueError, match="fit_on_texts"):
        Tokenizer(num_words=3).sequences_to_matrix([[1]], mode="tfidf")
    with pytest.raises(TypeError, match="unexpected keyword arguments"):
        Tokenizer(colour="red")
    with pytest.raises(ValueError, match="no 'word_counts'"):
        tokenizer_from_json('{"config": {}}')


def test_tokenizer_keras1_nb_words_warns():
    with pytest.warns(UserWarning, match="nb_words"):
        assert Tokenizer(nb_words=7).num_words == 7


def test_tokenizer_json_round_trip_and_char_level():
    tokenizer = Tokenizer(char_level=True, document_count=0)
    tokenizer.fit_on_texts(["abA"])
    restored = tokenizer_from_json(tokenizer.to_json())
    assert restored.word_index == {"a": 1, "b": 2}
    assert restored.index_word == {1: "a", 2: "b"}
    assert restored.texts_to_sequences(["ba"]) == [[2, 1]]


def test_hashing_trick_md5_is_stable_and_in_range():
    codes = hashing_trick("a b c a", 7, hash_function="md5")
    assert codes[0] == codes[3] and all(1 <= c < 7 for c in codes)
    assert hashing_trick("x", 7, hash_function=lambda w: 5) == [6]
    assert len(one_hot("x y", 5)) == 2
    with pytest.raises(ValueError, match="n >= 2"):
        hashing_trick("x", 1)
    with pytest.raises(ValueError, match="hash_function='md5'"):
        hashing_trick("x", 5, hash_function="sha1")
