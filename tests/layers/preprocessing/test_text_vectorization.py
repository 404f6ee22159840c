import copy
import json
import os

import numpy as np
import pytest
import torch

import lamina
from lamina.layers.preprocessing import TextVectorization
from lamina.saving import register_keras_serializable

TEXTS = ["The cat sat.", "the dog, the CAT!", "a b c d e f"]


def _adapted(**kwargs):
    layer = TextVectorization(**kwargs)
    layer.adapt(TEXTS)
    return layer


@pytest.mark.parametrize("mode", ["int", "multi_hot", "count", "tf_idf"])
def test_text_vectorization_string_layer_checks(mode, tmp_path):
    # check_layer turns inputs into tensors, which strings cannot be; the
    # gradient and torch.compile checks need tensors too. What applies: a
    # JSON config round trip, a deep copy and a `.keras` round trip.
    layer = _adapted(output_mode=mode, max_tokens=6)
    texts = ["the cat", "zzz dog"]
    expected = layer(texts)
    config = json.loads(json.dumps(layer.get_config()))
    assert torch.equal(TextVectorization.from_config(config)(texts), expected)
    assert torch.equal(copy.deepcopy(layer)(texts), expected)
    path = os.path.join(tmp_path, "text.keras")
    lamina.Sequential([layer]).save(path)
    restored = lamina.models.load_model(path).layers[0]
    assert torch.equal(restored(texts), expected)


def test_text_vectorization_outputs_match_keras():
    # Expected values from Keras 3.15.1 on the same texts.
    assert _adapted(max_tokens=6).get_vocabulary() == [
        "",
        "[UNK]",
        "the",
        "cat",
        "sat",
        "f",
    ]
    assert _adapted(max_tokens=6)(["the cat", "zzz dog"]).tolist() == [[2, 3], [1, 1]]
    counts = _adapted(max_tokens=6, output_mode="count")(["the cat", "zzz dog"])
    assert counts.dtype == torch.int64
    assert counts.tolist() == [[0, 1, 1, 0, 0, 0], [2, 0, 0, 0, 0, 0]]
    tf_idf = _adapted(max_tokens=6, output_mode="tf_idf")(["the cat", "zzz dog"])
    np.testing.assert_allclose(
        tf_idf.numpy(),
        [[0, 0.6931472, 0.6931472, 0, 0, 0], [1.6540667, 0, 0, 0, 0, 0]],
        rtol=1e-6,
    )


def test_text_vectorization_standardization_is_ascii_like_tensorflow():
    layer = TextVectorization(split=None, vocabulary=["x"])
    texts = np.array(["ÉCOLE ÄB Straße", "a-b,c.d'e\"f«g»—h"])
    assert layer._standardized(texts.astype(object)).tolist() == [
        "École Äb straße",
        "abcdef«g»—h",
    ]


def test_text_vectorization_splits_on_ascii_whitespace_only():
    layer = TextVectorization(standardize=None)
    rows = layer._token_rows(
        np.array(["a\u00a0b a\x1cb", " x\ty\r\nz\x0bw\x0cv "], dtype=object)
    )
    assert rows == [["a\u00a0b", "a\x1cb"], ["x", "y", "z", "w", "v"]]


def test_text_vectorization_character_split_and_ngrams():
    characters = TextVectorization(vocabulary=["a", "b"], split="character")
    assert characters(["abé", "ba"]).tolist() == [[2, 3, 1], [3, 2, 0]]
    bigrams = TextVectorization(vocabulary=["a", "b", "a b"], ngrams=2)
    assert bigrams(["a b a", "b"]).tolist() == [[2, 3, 2, 4, 1], [3, 0, 0, 0, 0]]
    assert bigrams.get_config()["ngrams"] == 2


def test_text_vectorization_split_none_and_one_hot():
    whole = TextVectorization(vocabulary=["a", "b"], split=None)
    assert whole(["a", "b", "c"]).tolist() == [2, 3, 1]
    assert whole(np.array([["a"], ["b"]])).tolist() == [[2], [3]]
    one_hot = TextVectorization(
        vocabulary=["a", "b"], split=None, output_mode="one_hot"
    )
    assert one_hot(["a", "b"]).tolist() == [[0, 1, 0], [0, 0, 1]]


def test_text_vectorization_output_sequence_length():
    layer = TextVectorization(vocabulary=["a", "b"], output_sequence_length=4)
    assert layer(["a b a b a b", "b"]).tolist() == [[2, 3, 2, 3], [3, 0, 0, 0]]
    assert layer(np.array([["a"], [""]])).tolist() == [[2, 0, 0, 0], [0, 0, 0, 0]]


def test_text_vectorization_single_string():
    assert TextVectorization(vocabulary=["a", "b"])("a b a").tolist() == [2, 3, 2]


def test_text_vectorization_adapt_on_batches_and_datasets():
    batches = [np.array(TEXTS[:2]), np.array(TEXTS[2:])]
    from_list = _adapted().get_vocabulary()
    layer = TextVectorization()
    layer.adapt(iter(batches))
    assert layer.get_vocabulary() == from_list
    labelled = TextVectorization()
    labelled.adapt(iter([(np.array(TEXTS), np.zeros(3))]))
    assert labelled.get_vocabulary() == from_list
    loader = torch.utils.data.DataLoader(TEXTS, batch_size=2)
    from_loader = TextVectorization()
    from_loader.adapt(loader)
    assert from_loader.get_vocabulary() == from_list


def test_text_vectorization_adapt_steps():
    layer = TextVectorization()
    layer.adapt(iter([["x y"], ["z"]]), steps=1)
    assert layer.get_vocabulary() == ["", "[UNK]", "y", "x"]


def test_text_vectorization_callable_standardize_and_split():
    def keep_upper(texts):
        return np.char.upper(texts)

    def split_commas(texts):
        return [text.split(",") for text in texts]

    layer = TextVectorization(standardize=keep_upper, split=split_commas)
    layer.adapt(["a,b", "b,c"])
    assert layer.get_vocabulary() == ["", "[UNK]", "B", "C", "A"]
    assert layer(["c,a"]).tolist() == [[3, 4]]


def test_text_vectorization_registered_callable_round_trips():
    @register_keras_serializable(package="preprocessing_test")
    def shout(texts):
        return np.char.upper(texts)

    layer = TextVectorization(standardize=shout, vocabulary=["HI"])
    config = lamina.saving.serialize_keras_object(layer)["config"]
    rebuilt = TextVectorization.from_config(config)
    assert rebuilt(["hi"]).tolist() == [[2]]


def test_text_vectorization_set_vocabulary_and_idf():
    layer = TextVectorization(output_mode="tf_idf")
    layer.set_vocabulary(["a", "b"], idf_weights=[0.5, 1.5])
    assert layer(["a b b"]).tolist() == [[0.0, 0.5, 3.0]]
    assert layer.vocabulary_size() == 3


def test_text_vectorization_config_carries_adapted_vocabulary():
    config = _adapted(max_tokens=4).get_config()
    assert config["vocabulary"] == ["", "[UNK]", "the", "cat"]
    assert config["vocabulary_size"] == 4
    assert config["standardize"] == "lower_and_strip_punctuation"


def test_text_vectorization_keras_vocabulary_asset_sets_vocabulary():
    layer = TextVectorization(vocabulary_size=4)
    layer.load_asset_files({"vocabulary.txt": b"\n[UNK]\nthe\ncat"})
    assert layer(["the cat dog"]).tolist() == [[2, 3, 1]]


def test_text_vectorization_from_config_refuses_file_path(tmp_path):
    path = os.path.join(tmp_path, "vocab.txt")
    with open(path, "w", encoding="utf-8") as stream:
        stream.write("hello\n")
    assert TextVectorization(vocabulary=path)(["hello"]).tolist() == [[2]]
    config = {**TextVectorization().get_config(), "vocabulary": path}
    with pytest.raises(ValueError, match="names the vocabulary file"):
        TextVectorization.from_config(config)


def test_text_vectorization_rejects_bad_arguments():
    with pytest.raises(ValueError, match="standardize='upper'"):
        TextVectorization(standardize="upper")
    with pytest.raises(ValueError, match="split='comma'"):
        TextVectorization(split="comma")
    with pytest.raises(ValueError, match="ngrams=0"):
        TextVectorization(ngrams=0)
    with pytest.raises(ValueError, match="only output_mode='int' has sequences"):
        TextVectorization(output_mode="count", output_sequence_length=3)
    with pytest.raises(ValueError, match="one-hot needs one token per string"):
        TextVectorization(output_mode="one_hot")
    with pytest.raises(ValueError, match="ragged=True"):
        TextVectorization(ragged=True)
    with pytest.raises(ValueError, match="sparse=True"):
        TextVectorization(output_mode="count", sparse=True)


def test_text_vectorization_rejects_wide_inputs_and_non_strings():
    layer = TextVectorization(vocabulary=["a"])
    with pytest.raises(ValueError, match=r"shape \(batch,\) or \(batch, 1\)"):
        layer(np.array([["a", "b"]]))
    with pytest.raises(TypeError, match="expected strings"):
        layer(torch.tensor([1, 2]))
    with pytest.raises(TypeError, match="symbolic lamina.Input cannot hold"):
        layer(lamina.Input((1,)))
