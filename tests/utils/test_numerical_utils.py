"""to_categorical and normalize: NumPy and tensor inputs, Keras 2 module, errors."""

import numpy as np
import pytest
import torch

from lamina.utils import normalize
from lamina.utils import to_categorical
from lamina.utils.np_utils import normalize as np_normalize
from lamina.utils.np_utils import to_categorical as np_to_categorical


def test_np_utils_is_the_keras2_alias():
    assert np_to_categorical is to_categorical and np_normalize is normalize


def test_to_categorical_squeezes_trailing_one():
    assert to_categorical(np.array([[1], [0]])).shape == (2, 2)
    assert to_categorical([1, 0], num_classes=4).dtype == np.float64


def test_to_categorical_tensor_input():
    out = to_categorical(torch.tensor([[2], [0]]), num_classes=3)
    assert isinstance(out, torch.Tensor) and out.dtype == torch.float32
    assert out.tolist() == [[0, 0, 1], [1, 0, 0]]


def test_to_categorical_clear_errors():
    with pytest.raises(ValueError, match="num_classes=2. Raise num_classes"):
        to_categorical([0, 5], num_classes=2)
    with pytest.raises(ValueError, match="labels >= 0"):
        to_categorical([-1, 1])
    with pytest.raises(ValueError, match="num_classes=3"):
        to_categorical(torch.tensor([4]), num_classes=3)


def test_normalize_tensor():
    out = normalize(torch.tensor([[3.0, 4.0], [0.0, 0.0]]))
    torch.testing.assert_close(out, torch.tensor([[0.6, 0.8], [0.0, 0.0]]))
    out = normalize(torch.tensor([[1.0, 3.0]]), order=1)
    torch.testing.assert_close(out, torch.tensor([[0.25, 0.75]]))
    with pytest.raises(ValueError, match="order >= 1"):
        normalize(torch.ones(2), order=0)
