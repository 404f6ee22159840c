import pytest
import torch

import lamina
from lamina.layers import Reshape
from lamina.testing import check_layer


def test_reshape_conformance():
    check_layer(
        lambda: Reshape((3, 4)), torch.randn(2, 12), expected_output_shape=(2, 3, 4)
    )


def test_reshape_infers_minus_one():
    assert tuple(Reshape((-1, 2))(torch.ones(5, 3, 4)).shape) == (5, 6, 2)


def test_reshape_symbolic_shape():
    inputs = lamina.Input(shape=(6,))
    assert Reshape((2, -1))(inputs).shape == (None, 2, 3)


def test_reshape_rejects_impossible_target():
    with pytest.raises(
        ValueError,
        match=r"'reshape.*\(Reshape\) cannot reshape input shape \(None, 12\)",
    ):
        Reshape((5, 2), name="reshape_bad")(torch.ones(2, 12))


def test_reshape_rejects_two_unknown_axes():
    with pytest.raises(ValueError, match="at most one -1"):
        Reshape((-1, -1))


def test_reshape_config_round_trip_from_json_list():
    layer = Reshape.from_config(
        {**Reshape((2, 3)).get_config(), "target_shape": [2, 3]}
    )
    assert layer.target_shape == (2, 3)
