"""`lamina.Variable` is built from the same arguments as `keras.Variable`."""

import keras
import numpy as np
import pytest

import lamina

CASES = [
    ((np.zeros(3),), {}),
    ((np.arange(4, dtype="int32"),), {"trainable": False}),
    (([1.0, 2.5],), {}),
    ((1.5,), {}),
    ((np.ones((2, 2)),), {"dtype": "float16"}),
    (("zeros",), {"shape": (2, 3)}),
    (("ones",), {"shape": (4,), "dtype": "float64"}),
    ((np.full((2,), 7.0, "float32"),), {"name": "counter", "trainable": False}),
]


@pytest.mark.parametrize(("args", "kwargs"), CASES)
def test_variable_matches_keras(args, kwargs):
    keras.backend.clear_session()
    lamina.backend.clear_session()
    keras.Variable(0.0)  # a second unnamed variable is "variable_1" in both
    lamina.Variable(0.0)
    expected = keras.Variable(*args, **kwargs)
    variable = lamina.Variable(*args, **kwargs)

    assert str(variable.dtype).removeprefix("torch.") == expected.dtype
    assert variable.name == expected.name
    assert variable.trainable == expected.trainable
    np.testing.assert_array_equal(
        variable.numpy(), keras.ops.convert_to_numpy(expected)
    )


def test_initializer_without_shape_is_refused_like_keras():
    with pytest.raises(ValueError):
        keras.Variable("zeros")
    with pytest.raises(ValueError, match="without a shape"):
        lamina.Variable("zeros")
