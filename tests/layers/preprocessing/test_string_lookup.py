import copy
import json
import os

import numpy as np
import pytest
import torch

import lamina
from lamina.layers.preprocessing import StringLookup

VOCAB = ["a", "b", "c"]
DATA = np.array([["a", "z"], ["c", "c"]])


def _string_layer_checks(make_layer, inputs, tmp_path):
    """The parts of check_layer that apply to a layer taking strings.

    `check_layer` turns its input into tensors, which strings cannot be, and
    its gradient and `torch.compile` checks need tensor inputs: a string
    lookup has no weights and runs host code. So: config round trip through
    JSON, deep copy, and a `.keras` round trip of a model holding the layer.
    """
    layer = make_layer()
    expected = layer(inputs)
    config = json.loads(json.dumps(layer.get_config()))
    assert torch.equal(type(layer).from_config(config)(inputs), expected)
    assert torch.equal(copy.deepcopy(layer)(inputs), expected)
    path = os.path.join(tmp_path, "lookup.keras")
    lamina.Sequential([layer]).save(path)
    restored = lamina.models.load_model(path).layers[0]
    assert torch.equal(restored(inputs), expected)
    return layer


@pytest.mark.parametrize("mode", ["int", "one_hot", "multi_hot", "count"])
def test_string_lookup_checks_with_vocabulary(mode, tmp_path):
    _string_layer_checks(
        lambda: StringLookup(vocabulary=VOCAB, output_mode=mode), DATA, tmp_path
    )


def test_string_lookup_checks_adapted_tf_idf(tmp_path):
    def make():
        layer = StringLookup(output_mode="tf_idf")
        layer.adapt([["a", "b"], ["a", "c"], ["a", "a"]])
        return layer

    layer = _string_layer_checks(make, DATA, tmp_path)
    assert layer.get_config()["vocabulary"] == ["[UNK]", "a", "c", "b"]


def test_string_lookup_int_output_matches_keras():
    out = StringLookup(vocabulary=VOCAB)(DATA)
    assert out.dtype == torch.int64 and out.tolist() == [[1, 0], [3, 3]]
    assert StringLookup(vocabulary=VOCAB)(["b"]).tolist() == [2]
    assert StringLookup(vocabulary=VOCAB)("c").tolist() == 3


def test_string_lookup_vector_modes_match_keras():
    def encode(mode):
        return StringLookup(vocabulary=VOCAB, output_mode=mode)(DATA)

    assert encode("multi_hot").tolist() == [[1, 1, 0, 0], [0, 0, 0, 1]]
    assert encode("count").tolist() == [[1, 1, 0, 0], [0, 0, 0, 2]]
    assert encode("count").dtype == torch.int64  # as Keras on torch
    assert tuple(encode("one_hot").shape) == (2, 2, 4)


def test_string_lookup_tf_idf_with_given_weights():
    layer = StringLookup(vocabulary=VOCAB, output_mode="tf_idf", idf_weights=[1, 2, 3])
    out = layer(DATA)
    assert out.dtype == torch.float32
    # The OOV slot gets the average weight, 2.0.
    assert out.tolist() == [[2.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 6.0]]


def test_string_lookup_mask_token():
    layer = StringLookup(vocabulary=["a", "b"], mask_token="[M]")
    assert layer(np.array([["a", "[M]"], ["b", "zz"]])).tolist() == [[2, 0], [3, 1]]
    assert layer.get_vocabulary() == ["[M]", "[UNK]", "a", "b"]
    multi_hot = StringLookup(
        vocabulary=["a", "b"], mask_token="[M]", output_mode="multi_hot"
    )
    assert multi_hot(np.array([["a", "[M]"]])).tolist() == [[0, 1, 0]]


def test_string_lookup_several_oov_slots_hash_like_keras():
    strings = np.array(["a", "q", "r", "s", "t"])
    layer = StringLookup(vocabulary=["a", "b"], num_oov_indices=3)
    assert layer(strings).tolist() == [3, 2, 1, 1, 1]
    salted = StringLookup(vocabulary=["a", "b"], num_oov_indices=3, salt=[1, 2])
    assert salted(strings).tolist() == [3, 0, 0, 1, 1]


def test_string_lookup_invert_returns_strings():
    layer = StringLookup(vocabulary=VOCAB, invert=True)
    assert layer(np.array([0, 1, 3])) == ["[UNK]", "a", "c"]
    assert layer(torch.tensor([[1, 2], [3, 9]])) == [["a", "b"], ["c", "[UNK]"]]
    masked = StringLookup(vocabulary=["x", "y"], mask_token="", invert=True)
    assert masked(np.array([0, 1, 2, 3, 7, -3])) == [
        "",
        "[UNK]",
        "x",
        "y",
        "[UNK]",
        "[UNK]",
    ]


def test_string_lookup_adapt_orders_by_count_then_larger_token():
    layer = StringLookup()
    layer.adapt(["b", "a", "c", "a", "d", "c", "[UNK]"])
    assert layer.get_vocabulary() == ["[UNK]", "c", "a", "d", "b"]
    assert layer.vocabulary_size() == 5


def test_string_lookup_adapt_max_tokens_and_iterables():
    layer = StringLookup(max_tokens=3)
    layer.adapt(iter([np.array(["x", "y", "y"]), np.array(["z", "z", "z"])]))
    assert layer.get_vocabulary() == ["[UNK]", "z", "y"]


def test_string_lookup_adapt_decodes_bytes():
    layer = StringLookup()
    layer.adapt(np.array([b"caf\xc3\xa9", b"tea"]))
    assert sorted(layer.get_vocabulary(include_special_tokens=False)) == ["café", "tea"]


def test_string_lookup_set_vocabulary_strips_special_tokens():
    layer = StringLookup(mask_token="")
    layer.set_vocabulary(["", "[UNK]", "a", "b"])
    assert layer.get_vocabulary(include_special_tokens=False) == ["a", "b"]


def test_string_lookup_vocabulary_file(tmp_path):
    path = os.path.join(tmp_path, "vocab.txt")
    with open(path, "w", encoding="utf-8") as stream:
        stream.write("a\nb\nc\n")
    layer = StringLookup(vocabulary=path)
    assert layer(["c"]).tolist() == [3]
    # The config holds the tokens, never the path: a saved model is whole.
    assert layer.get_config()["vocabulary"] == ["[UNK]", "a", "b", "c"]
    assert layer.get_config()["vocabulary_size"] == 4


def test_string_lookup_from_config_refuses_file_path_in_safe_mode(tmp_path):
    path = os.path.join(tmp_path, "vocab.txt")
    with open(path, "w", encoding="utf-8") as stream:
        stream.write("a\n")
    config = {**StringLookup().get_config(), "vocabulary": path}
    with pytest.raises(ValueError, match="names the vocabulary file.*safe_mode=False"):
        StringLookup.from_config(config)
    assert StringLookup.from_config(config, safe_mode=False)(["a"]).tolist() == [1]


def test_string_lookup_keras_vocabulary_asset_sets_vocabulary():
    layer = StringLookup.from_config(
        {**StringLookup().get_config(), "vocabulary_size": 3}
    )
    layer.load_asset_files({"vocabulary.txt": b"[UNK]\nthe\ncat"})
    assert layer(["cat", "dog"]).tolist() == [2, 0]


def test_string_lookup_config_carries_adapted_vocabulary():
    layer = StringLookup(mask_token="[M]")
    layer.adapt(["x", "y", "y"])
    config = layer.get_config()
    assert config["vocabulary"] == ["[M]", "[UNK]", "y", "x"]
    assert config["vocabulary_size"] == 4
    assert "vocabulary_dtype" not in config and config["encoding"] == "utf-8"


def test_string_lookup_before_vocabulary():
    layer = StringLookup()
    assert layer.get_vocabulary() == ["[UNK]"] and layer.vocabulary_size() == 1
    assert layer(["q"]).tolist() == [0]
    with pytest.raises(RuntimeError, match="has no vocabulary yet"):
        StringLookup(output_mode="multi_hot")(["q"])


def test_string_lookup_frozen_width_in_vector_modes():
    layer = StringLookup(output_mode="multi_hot")
    layer.adapt(["a", "b"])
    with pytest.raises(RuntimeError, match="would change it"):
        layer.adapt(["a", "b", "c"])


def test_string_lookup_rejects_bad_vocabularies():
    with pytest.raises(ValueError, match=r"repeats \['a'\]"):
        StringLookup(vocabulary=["a", "b", "a"])
    with pytest.raises(ValueError, match="mask token"):
        StringLookup(vocabulary=["a", ""], mask_token="")
    with pytest.raises(ValueError, match="empty vocabulary"):
        StringLookup(vocabulary=[])
    with pytest.raises(ValueError, match="more than max_tokens=3"):
        StringLookup(vocabulary=["a", "b", "c"], max_tokens=3)
    with pytest.raises(TypeError, match="vocabulary of strings"):
        StringLookup(vocabulary=[1, 2])


def test_string_lookup_rejects_bad_arguments():
    with pytest.raises(ValueError, match="max_tokens=1"):
        StringLookup(max_tokens=1)
    with pytest.raises(ValueError, match="pad_to_max_tokens=True without max_tokens"):
        StringLookup(pad_to_max_tokens=True)
    with pytest.raises(ValueError, match="num_oov_indices=-1"):
        StringLookup(num_oov_indices=-1)
    with pytest.raises(ValueError, match="invert=True with output_mode='count'"):
        StringLookup(invert=True, output_mode="count")
    with pytest.raises(ValueError, match="sparse=True"):
        StringLookup(output_mode="count", sparse=True)
    with pytest.raises(ValueError, match="idf_weights=\\[...\\]"):
        StringLookup(vocabulary=["a"], output_mode="tf_idf")
    with pytest.raises(ValueError, match="only output_mode='tf_idf' uses"):
        StringLookup(vocabulary=["a"], idf_weights=[1.0])


def test_string_lookup_rejects_oov_with_no_oov_slots():
    layer = StringLookup(vocabulary=["a"], num_oov_indices=0)
    with pytest.raises(ValueError, match=r"received \['zz'\].*num_oov_indices=1"):
        layer(["a", "zz"])


def test_string_lookup_rejects_integers_and_symbolic_inputs():
    with pytest.raises(TypeError, match="expected strings"):
        StringLookup(vocabulary=VOCAB)(torch.tensor([1, 2]))
    with pytest.raises(TypeError, match="symbolic lamina.Input cannot hold"):
        StringLookup(vocabulary=VOCAB)(lamina.Input((2,)))
