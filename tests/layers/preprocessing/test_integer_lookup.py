import numpy as np
import pytest
import torch

from lamina.layers.preprocessing import IntegerLookup
from lamina.testing import check_layer

VOCAB = [12, 36, 1138, 42]
DATA = np.array([[12, 1138, 42, 42], [42, 7, 36, 7]])


def test_integer_lookup_conformance():
    check_layer(
        lambda: IntegerLookup(vocabulary=VOCAB),
        DATA,
        expected_output_shape=(2, 4),
        expected_num_weights=0,
    )


@pytest.mark.parametrize("mode", ["one_hot", "multi_hot", "tf_idf"])
def test_integer_lookup_conformance_vector_modes(mode):
    weights = [0.25, 0.75, 0.6, 0.4] if mode == "tf_idf" else None
    check_layer(
        lambda: IntegerLookup(vocabulary=VOCAB, output_mode=mode, idf_weights=weights),
        DATA,
        check_compile=mode == "tf_idf",  # one compile check covers the encoder
    )


def test_integer_lookup_conformance_adapted_invert():
    def make():
        layer = IntegerLookup(invert=True, mask_token=0)
        layer.adapt(DATA)
        return layer

    check_layer(make, np.array([[0, 1, 2], [3, 4, 9]]), expected_output_shape=(2, 3))


def test_integer_lookup_matches_keras_docstring_examples():
    assert IntegerLookup(vocabulary=VOCAB)(DATA).tolist() == [
        [1, 3, 4, 4],
        [4, 0, 2, 0],
    ]
    count = IntegerLookup(vocabulary=VOCAB, output_mode="count")(DATA)
    assert count.dtype == torch.int64
    assert count.tolist() == [[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]]
    tf_idf = IntegerLookup(
        output_mode="tf_idf", vocabulary=VOCAB, idf_weights=[0.25, 0.75, 0.6, 0.4]
    )(DATA)
    np.testing.assert_allclose(
        tf_idf.numpy(), [[0.0, 0.25, 0.0, 0.6, 0.8], [1.0, 0.0, 0.75, 0.0, 0.4]]
    )


def test_integer_lookup_one_hot_and_multi_hot():
    layer = IntegerLookup(vocabulary=VOCAB, output_mode="one_hot")
    assert layer(np.array([12, 7])).tolist() == [[0, 1, 0, 0, 0], [1, 0, 0, 0, 0]]
    multi_hot = IntegerLookup(vocabulary=VOCAB, output_mode="multi_hot")(DATA)
    assert multi_hot.tolist() == [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]]


def test_integer_lookup_oov_methods_match_keras():
    values = np.array([10, 20, 7, 8, 9, -1])
    floormod = IntegerLookup(vocabulary=[10, 20], num_oov_indices=3)
    assert floormod(values).tolist() == [3, 4, 1, 2, 0, 2]
    farmhash = IntegerLookup(
        vocabulary=[10, 20], num_oov_indices=3, oov_method="farmhash"
    )
    assert farmhash(values).tolist() == [3, 4, 1, 1, 2, 0]
    salted = IntegerLookup(
        vocabulary=[10, 20], num_oov_indices=3, oov_method="farmhash", salt=5
    )
    assert salted(values).tolist() == [3, 4, 1, 2, 1, 1]


def test_integer_lookup_farmhash_under_torch_compile():
    layer = IntegerLookup(vocabulary=[10, 20], num_oov_indices=3, oov_method="farmhash")
    torch._dynamo.reset()
    compiled = torch.compile(layer)
    assert compiled(torch.tensor([10, 7, 8])).tolist() == [3, 1, 1]


def test_integer_lookup_invert_matches_keras():
    layer = IntegerLookup(vocabulary=[1, 2], mask_token=0, invert=True)
    out = layer(np.array([0, 1, 2, 3, 7, -3]))
    assert out.dtype == torch.int64 and out.tolist() == [0, -1, 1, 2, -1, -1]
    assert IntegerLookup(vocabulary=[5, 7, 9], invert=True)([0, 1, 3]).tolist() == [
        -1,
        5,
        9,
    ]


def test_integer_lookup_mask_token():
    layer = IntegerLookup(vocabulary=[5, 6], mask_token=0)
    assert layer(np.array([[5, 0, 6, 9]])).tolist() == [[2, 0, 3, 1]]
    assert layer.get_vocabulary() == [0, -1, 5, 6]
    multi_hot = IntegerLookup(vocabulary=[5, 6], mask_token=0, output_mode="multi_hot")
    assert multi_hot(np.array([[0, 5]])).tolist() == [[0, 1, 0]]


def test_integer_lookup_adapt_orders_by_count_then_larger_value():
    layer = IntegerLookup()
    layer.adapt(np.array([3, 1, 2, 1, 3, 7, -1]))
    assert layer.get_vocabulary() == [-1, 3, 1, 7, 2]


def test_integer_lookup_adapt_tf_idf_weights():
    layer = IntegerLookup(output_mode="tf_idf")
    layer.adapt(np.array([[1, 1, 2], [1, 3, 3]]))
    # idf = log(1 + documents / (1 + documents with the token)); OOV gets the mean.
    idf_1, idf_2 = np.log(1 + 2 / 3), np.log(1 + 2 / 2)
    expected = [np.mean(np.float32([idf_1, idf_2, idf_2])), idf_1, idf_2, idf_2]
    assert layer.get_vocabulary() == [-1, 1, 3, 2]
    np.testing.assert_allclose(layer._idf_weights.numpy(), expected, rtol=1e-6)


def test_integer_lookup_pad_to_max_tokens():
    layer = IntegerLookup(max_tokens=6, pad_to_max_tokens=True, output_mode="multi_hot")
    layer.adapt(np.array([4, 5]))
    assert tuple(layer(np.array([[4]])).shape) == (1, 6)


def test_integer_lookup_runs_on_input_device_tables():
    layer = IntegerLookup(vocabulary=VOCAB)
    assert layer._sorted_keys.device == layer(torch.tensor([12])).device


def test_integer_lookup_config():
    config = IntegerLookup(vocabulary=np.array(VOCAB), mask_token=0).get_config()
    assert config["vocabulary"] == VOCAB and config["vocabulary_dtype"] == "int64"
    assert config["oov_token"] == -1 and config["vocabulary_size"] == 6
    assert IntegerLookup.from_config(config)(np.array([42])).tolist() == [5]


def test_integer_lookup_rejects_bad_arguments():
    with pytest.raises(ValueError, match="vocabulary_dtype='int64'"):
        IntegerLookup(vocabulary_dtype="int32")
    with pytest.raises(TypeError, match="mask_token='x'"):
        IntegerLookup(mask_token="x")
    with pytest.raises(ValueError, match="oov_method='farmhash' uses"):
        IntegerLookup(salt=3)
    with pytest.raises(ValueError, match="oov_method='mod'"):
        IntegerLookup(oov_method="mod")
    with pytest.raises(ValueError, match="invert=True with oov_token=None"):
        IntegerLookup(invert=True, oov_token=None)


def test_integer_lookup_rejects_non_integers():
    with pytest.raises(TypeError, match="integer vocabulary"):
        IntegerLookup(vocabulary=["a", "b"])
    with pytest.raises(TypeError, match="dtype float32.*int64"):
        IntegerLookup(vocabulary=VOCAB)(torch.tensor([1.0]))
    with pytest.raises(TypeError, match="received strings"):
        IntegerLookup(vocabulary=VOCAB)(["a"])
    with pytest.raises(TypeError, match="integer adapt\\(\\) data"):
        IntegerLookup().adapt(np.array([1.5]))


def test_integer_lookup_rejects_oov_with_no_oov_slots():
    layer = IntegerLookup(vocabulary=VOCAB, num_oov_indices=0)
    with pytest.raises(ValueError, match=r"received \[7\]"):
        layer(np.array([12, 7]))
