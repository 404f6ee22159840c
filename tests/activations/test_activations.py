"""Unit tests for lamina.activations."""

import numpy as np
import pytest
import torch

from lamina import activations


def test_get_resolves_none_names_and_callables():
    assert activations.get(None) is activations.linear
    assert activations.get("relu") is activations.relu
    assert activations.get("swish") is activations.silu
    assert activations.get("hard_swish") is activations.hard_silu
    assert activations.get(torch.tanh) is torch.tanh


def test_get_reads_keras3_function_config():
    config = {
        "module": "builtins",
        "class_name": "function",
        "config": "gelu",
        "registered_name": "function",
    }
    assert activations.get(config) is activations.gelu


def test_get_unknown_name_lists_available():
    with pytest.raises(ValueError, match="Available activations: .*relu"):
        activations.get("rleu")


def test_get_rejects_non_callable():
    with pytest.raises(TypeError, match="Could not interpret activation"):
        activations.get(3)


def test_serialize_builtins_by_name():
    assert activations.serialize(activations.relu) == "relu"
    assert activations.serialize(activations.swish) == "silu"
    assert activations.serialize(None) is None


def _double(x):
    return 2 * x


def test_custom_function_round_trip_needs_custom_objects():
    config = activations.serialize(_double)
    assert config["class_name"] == "function" and config["config"] == "_double"
    with pytest.raises(ValueError, match="custom_objects"):
        activations.deserialize(config)
    assert activations.deserialize(config, {"_double": _double}) is _double


@pytest.mark.parametrize("function", [activations.softmax, activations.sigmoid])
def test_probability_functions_attach_logits(function):
    logits = torch.randn(2, 3)
    output = function(logits)
    assert output._lamina_logits is logits


def test_softmax_axis_tuple_and_none():
    x = torch.randn(2, 3, 4)
    assert torch.allclose(
        activations.softmax(x, axis=(1, 2)).sum((1, 2)), torch.ones(2)
    )
    assert torch.allclose(activations.softmax(x, axis=None).sum(), torch.tensor(1.0))
    log = activations.log_softmax(x, axis=(1, 2))
    assert torch.allclose(log.exp(), activations.softmax(x, axis=(1, 2)), atol=1e-6)


def test_softmax_gradients_flow_through_compile():
    x = torch.randn(4, 5, requires_grad=True)
    compiled = torch.compile(activations.softmax, backend="eager", fullgraph=False)
    compiled(x).sum().backward()
    assert x.grad is not None


def test_functions_accept_numpy_and_numbers():
    assert isinstance(activations.relu(np.array([-1.0, 1.0])), torch.Tensor)
    assert float(activations.sigmoid(0.0)) == 0.5


def test_relu_with_threshold_and_cap():
    x = torch.tensor([-2.0, 0.5, 1.5, 4.0])
    out = activations.relu(x, negative_slope=0.5, max_value=3.0, threshold=1.0)
    assert out.tolist() == [-1.5, -0.25, 1.5, 3.0]


def test_sparsemax_sums_to_one_and_is_sparse():
    x = torch.tensor([[1.0, 0.8, -3.0], [0.1, 0.2, 0.3]])
    out = activations.sparsemax(x)
    torch.testing.assert_close(out.sum(-1), torch.ones(2))
    torch.testing.assert_close(out[0], torch.tensor([0.6, 0.4, 0.0]))


def test_sparsemax_other_axis():
    x = torch.randn(5, 3)
    torch.testing.assert_close(
        activations.sparsemax(x, axis=0), activations.sparsemax(x.T).T
    )


def test_glu_rejects_odd_axis():
    with pytest.raises(ValueError, match="odd"):
        activations.glu(torch.ones(2, 3))


def test_hard_sigmoid_is_keras3_slope():
    assert activations.hard_sigmoid(torch.tensor([1.5])).item() == pytest.approx(0.75)


@pytest.mark.parametrize("name", sorted(activations.ALL_OBJECTS))
def test_every_activation_keeps_shape_and_dtype(name):
    function = activations.get(name)
    x = torch.randn(3, 4, dtype=torch.float64)
    output = function(x, 0.0, 1.0) if name == "threshold" else function(x)
    expected_shape = (3, 2) if name == "glu" else (3, 4)
    assert tuple(output.shape) == expected_shape
    assert output.dtype == torch.float64
