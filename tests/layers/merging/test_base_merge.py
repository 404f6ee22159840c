import pytest
import torch

import lamina
from lamina.layers import Add
from lamina.layers import Average
from lamina.layers import Maximum
from lamina.layers import Minimum
from lamina.layers import Multiply
from lamina.layers import Subtract
from lamina.layers import add
from lamina.layers import average
from lamina.layers import maximum
from lamina.layers import minimum
from lamina.layers import multiply
from lamina.layers import subtract
from lamina.testing import check_layer

A = torch.tensor([[1.0, 5.0, -1.0]])
B = torch.tensor([[3.0, 2.0, -4.0]])


@pytest.mark.parametrize(
    "layer_class", [Add, Subtract, Multiply, Average, Maximum, Minimum]
)
def test_merge_conformance(layer_class):
    check_layer(
        layer_class,
        [torch.randn(2, 3), torch.randn(2, 3)],
        (2, 3),
        expected_num_weights=0,
    )


@pytest.mark.parametrize(
    ("function", "expected"),
    [
        (add, [[4.0, 7.0, -5.0]]),
        (subtract, [[-2.0, 3.0, 3.0]]),
        (multiply, [[3.0, 10.0, 4.0]]),
        (average, [[2.0, 3.5, -2.5]]),
        (maximum, [[3.0, 5.0, -1.0]]),
        (minimum, [[1.0, 2.0, -4.0]]),
    ],
)
def test_merge_functional_forms(function, expected):
    assert function([A, B]).tolist() == expected


def test_merge_broadcasts_size_one_and_lower_rank():
    out = Add()([torch.ones(2, 4, 3), torch.ones(2, 1, 3)])
    assert tuple(out.shape) == (2, 4, 3)
    out = Add()([torch.ones(2, 4, 3), torch.ones(2, 3)])  # (2, 3) -> (2, 1, 3)
    assert tuple(out.shape) == (2, 4, 3)


def test_merge_rejects_incompatible_shapes_naming_layer_and_shapes():
    with pytest.raises(
        ValueError,
        match=r"'add_x' \(Add\) cannot merge inputs of shapes "
        r"\[\(None, 3\), \(None, 4\)\]",
    ):
        Add(name="add_x")([torch.ones(2, 3), torch.ones(2, 4)])


def test_merge_rejects_symbolic_mismatch():
    a, b = lamina.Input(shape=(3,)), lamina.Input(shape=(5,))
    with pytest.raises(ValueError, match="cannot merge"):
        add([a, b])


def test_merge_rejects_single_tensor_and_wrong_count():
    with pytest.raises(ValueError, match="list of tensors"):
        Add()(torch.ones(2, 3))
    with pytest.raises(ValueError, match="exactly 2 inputs"):
        Subtract()([A, A, A])


def test_merge_output_mask_is_or_of_masks():
    a, b = torch.ones(1, 2, 3), torch.ones(1, 2, 3)
    a._keras_mask = torch.tensor([[True, False]])
    b._keras_mask = torch.tensor([[False, False]])
    assert Add()([a, b])._keras_mask.tolist() == [[True, False]]


def test_multiply_ignores_masked_entries():
    a, b = torch.full((1, 2, 1), 2.0), torch.full((1, 2, 1), 3.0)
    a._keras_mask = torch.tensor([[True, False]])
    b._keras_mask = torch.tensor([[False, False]])
    assert Multiply()([a, b]).flatten().tolist() == [2.0, 0.0]


def test_maximum_ignores_masked_entries():
    a, b = torch.full((1, 2, 1), -5.0), torch.full((1, 2, 1), 3.0)
    a._keras_mask = torch.tensor([[True, True]])
    b._keras_mask = torch.tensor([[False, True]])
    assert Maximum()([a, b]).flatten().tolist() == [-5.0, 3.0]


def test_merge_in_functional_model():
    a, b = lamina.Input(shape=(3,)), lamina.Input(shape=(3,))
    model = lamina.Model([a, b], average([a, b]))
    assert model.output_shape == (None, 3)
    assert model.predict([A.numpy(), B.numpy()], verbose=0).tolist() == [
        [2.0, 3.5, -2.5]
    ]
