import math

import numpy as np
import pytest
import torch

from lamina.layers.core.einsum_dense import EinsumDense
from lamina.testing import check_layer

_SHAPES = [
    # equation, output_shape, bias_axes, input shape, kernel shape, bias shape
    ("ab,bc->ac", 4, "c", (2, 3), (3, 4), (4,)),
    ("abc,cd->abd", (None, 4), "d", (2, 5, 3), (3, 4), (4,)),
    ("abc,cde->abde", (None, 2, 4), "de", (2, 5, 3), (3, 2, 4), (2, 4)),
    ("abcd,cde->abe", (None, 6), "e", (2, 5, 2, 4), (2, 4, 6), (6,)),
    ("...b,bc->...c", 4, "c", (2, 3, 5, 6), (6, 4), (4,)),
    ("abc...,cd->abd...", (None, 4), "bd", (2, 5, 3, 7), (3, 4), (5, 4, 1)),
    ("abc,cd->abd", (5, 4), "b", (2, 5, 3), (3, 4), (5, 1)),
    ("abc,dc->abd", (None, 4), None, (2, 5, 3), (4, 3), None),
]


@pytest.mark.parametrize(
    ("equation", "output_shape", "bias_axes", "input_shape", "kernel", "bias"),
    _SHAPES,
)
def test_einsum_dense_weight_shapes(
    equation, output_shape, bias_axes, input_shape, kernel, bias
):
    layer = EinsumDense(equation, output_shape, bias_axes=bias_axes)
    layer(torch.ones(input_shape))
    assert tuple(layer.kernel.shape) == kernel
    assert (None if layer.bias is None else tuple(layer.bias.shape)) == bias


@pytest.mark.parametrize(
    ("equation", "output_shape", "bias_axes", "input_shape"),
    [case[:4] for case in _SHAPES[:6]],
)
def test_einsum_dense_conformance(equation, output_shape, bias_axes, input_shape):
    names = ["kernel"] if bias_axes is None else ["kernel", "bias"]
    check_layer(
        lambda: EinsumDense(equation, output_shape, "relu", bias_axes=bias_axes),
        torch.randn(input_shape),
        expected_weight_names=names,
    )


def test_einsum_dense_matches_torch_einsum():
    layer = EinsumDense("abc,cde->abde", (None, 2, 4), "tanh", bias_axes="de")
    x = torch.randn(3, 5, 6)
    actual = layer(x)
    expected = torch.tanh(torch.einsum("abc,cde->abde", x, layer.kernel) + layer.bias)
    torch.testing.assert_close(actual, expected)


def test_einsum_dense_equals_dense_for_a_matrix_equation():
    from lamina.layers.core.dense import Dense

    einsum = EinsumDense("ab,bc->ac", 4, bias_axes="c")
    dense = Dense(4)
    x = torch.randn(6, 3)
    einsum(x)
    dense(x)
    dense.set_weights(einsum.get_weights())
    torch.testing.assert_close(einsum(x), dense(x))


def test_einsum_dense_glorot_fans_use_kernel_letters():
    # kernel (dim, heads, head_dim): fan_in = dim, fan_out = heads * head_dim
    layer = EinsumDense(
        "abc,cde->abde", (None, 8, 16), kernel_initializer="glorot_uniform"
    )
    layer(torch.ones(1, 2, 64))
    limit = math.sqrt(6.0 / (64 + 8 * 16))
    values = layer.kernel.detach().abs()
    assert float(values.max()) <= limit
    assert float(values.max()) > 0.9 * limit  # not the (8 * 64, 16 * 64) fans
    config = layer.get_config()["kernel_initializer"]["config"]
    assert config["input_axes"] is None  # the stored config keeps the user's


def test_einsum_dense_config_round_trip_keeps_arguments():
    layer = EinsumDense(
        "...b,bc->...c", 4, activation="relu", bias_axes="c", name="proj"
    )
    config = layer.get_config()
    assert config["equation"] == "...b,bc->...c"
    assert config["output_shape"] == (4,)
    assert config["activation"] == "relu"
    assert config["bias_axes"] == "c"
    rebuilt = EinsumDense.from_config(config)
    assert rebuilt.partial_output_shape == (4,)


def test_einsum_dense_applies_constraint_and_regularizer():
    layer = EinsumDense(
        "ab,bc->ac", 3, bias_axes="c", kernel_regularizer="l2", bias_regularizer="l1"
    )
    layer(torch.ones(2, 4))
    assert len(layer.losses) == 2


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"equation": "ab->c", "output_shape": 2}, ValueError, "not of the form"),
        ({"equation": 3, "output_shape": 2}, ValueError, "not of the form"),
        ({"equation": "abc,cd->abd", "output_shape": 4}, ValueError, "2 size"),
        ({"equation": "ab,bc->ad", "output_shape": 4}, ValueError, r"\['d'\]"),
        (
            {"equation": "ab,bc->ac", "output_shape": 4, "bias_axes": "x"},
            ValueError,
            "bias_axes='x'",
        ),
        (
            {"equation": "ab,bc->ac", "output_shape": 4, "bias_axes": 1},
            TypeError,
            "bias_axes=1",
        ),
        ({"equation": "ab,bc->ac", "output_shape": "4"}, TypeError, "output_shape"),
        (
            {"equation": "ab,bc->ac", "output_shape": 4, "lora_rank": 2},
            ValueError,
            "lora_rank=2",
        ),
        (
            {"equation": "ab,bc->ac", "output_shape": 4, "quantization_config": {}},
            ValueError,
            "quantization_config",
        ),
        (
            {
                "equation": "ab,bc->ac",
                "output_shape": 4,
                "gptq_unpacked_column_size": 3,
            },
            ValueError,
            "gptq_unpacked_column_size=3",
        ),
    ],
)
def test_einsum_dense_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        EinsumDense(**kwargs)


def test_einsum_dense_rejects_input_of_wrong_rank():
    with pytest.raises(ValueError, match="expects inputs with 3 axes"):
        EinsumDense("abc,cd->abd", (None, 4))(torch.ones(2, 3))


def test_einsum_dense_rejects_conflicting_shared_axis():
    with pytest.raises(ValueError, match="input axis 'b' of size 5"):
        EinsumDense("abc,cd->abd", (7, 4))(torch.ones(2, 5, 3))


def test_einsum_dense_rejects_unknown_kernel_letter():
    with pytest.raises(ValueError, match="kernel letter 'x'"):
        EinsumDense("ab,bx->ab", (3,))(torch.ones(2, 3))


def test_einsum_dense_rejects_unknown_kernel_size():
    with pytest.raises(ValueError, match="known size for every kernel axis"):
        EinsumDense("abc,cd->abd", (None, None))(torch.ones(2, 5, 3))


def test_einsum_dense_numpy_input():
    layer = EinsumDense("ab,bc->ac", 2)
    output = layer(np.ones((3, 4), dtype="float32"))
    assert tuple(output.shape) == (3, 2)
