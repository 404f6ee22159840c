import pytest
import torch

from lamina.layers.preprocessing import CategoryEncoding
from lamina.testing import check_layer


def test_category_encoding_conformance():
    check_layer(
        lambda: CategoryEncoding(5, output_mode="count"),
        torch.tensor([[0, 1, 1], [4, 2, 0]]),
        expected_output_shape=(2, 5),
        expected_num_weights=0,
    )


def test_category_encoding_multi_hot():
    out = CategoryEncoding(4)(torch.tensor([[3, 2, 0, 1], [0, 0, 3, 3]]))
    assert out.dtype == torch.float32
    assert out.tolist() == [[1.0, 1.0, 1.0, 1.0], [1.0, 0.0, 0.0, 1.0]]


def test_category_encoding_one_hot_shapes():
    layer = CategoryEncoding(3, output_mode="one_hot")
    assert layer(torch.tensor([0, 2])).tolist() == [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    assert tuple(layer(torch.tensor([[0], [2]])).shape) == (2, 3)
    assert tuple(layer(torch.tensor([[0, 1], [2, 1]])).shape) == (2, 2, 3)


def test_category_encoding_rank_one_is_one_sample():
    out = CategoryEncoding(3, output_mode="count")(torch.tensor([0, 2, 2]))
    assert out.tolist() == [1.0, 0.0, 2.0]


def test_category_encoding_count_weights():
    layer = CategoryEncoding(3, output_mode="count")
    out = layer(
        torch.tensor([[0, 1, 1]]), count_weights=torch.tensor([[0.5, 1.0, 2.0]])
    )
    assert out.tolist() == [[0.5, 3.0, 0.0]]


def test_category_encoding_negative_values_encode_as_zeros():
    out = CategoryEncoding(2, output_mode="one_hot")(torch.tensor([-1, 1]))
    assert out.tolist() == [[0.0, 0.0], [0.0, 1.0]]


def test_category_encoding_binary_is_multi_hot():
    assert CategoryEncoding(2, output_mode="binary").output_mode == "multi_hot"


def test_category_encoding_config():
    config = CategoryEncoding(7, output_mode="one_hot", name="enc").get_config()
    assert config["num_tokens"] == 7 and config["output_mode"] == "one_hot"
    assert "sparse" not in config  # Keras leaves it out too
    assert CategoryEncoding.from_config(config).num_tokens == 7


def test_category_encoding_rejects_value_too_large():
    with pytest.raises(ValueError, match=r"category 5, but num_tokens=3"):
        CategoryEncoding(3)(torch.tensor([[0, 5]]))


def test_category_encoding_rejects_count_weights_outside_count_mode():
    with pytest.raises(ValueError, match="count_weights"):
        CategoryEncoding(3)(torch.tensor([[0]]), count_weights=torch.tensor([[1.0]]))


def test_category_encoding_rejects_bad_arguments():
    with pytest.raises(ValueError, match="needs num_tokens"):
        CategoryEncoding()
    with pytest.raises(ValueError, match="num_tokens >= 1"):
        CategoryEncoding(0)
    with pytest.raises(TypeError, match="num_tokens=2.5"):
        CategoryEncoding(2.5)
    with pytest.raises(ValueError, match="output_mode='int'"):
        CategoryEncoding(3, output_mode="int")
    with pytest.raises(ValueError, match="sparse=True"):
        CategoryEncoding(3, sparse=True)
