"""DenseNet: channels_last only, torch-mode preprocessing."""

import numpy as np
import pytest

from lamina.applications import densenet
from lamina.backend.config import image_data_format
from lamina.backend.config import set_image_data_format


@pytest.fixture
def channels_first():
    previous = image_data_format()
    set_image_data_format("channels_first")
    yield
    set_image_data_format(previous)


def test_densenet_rejects_channels_first(channels_first):
    with pytest.raises(ValueError, match="channels_last"):
        densenet.DenseNet121(weights=None)


def test_densenet_rejects_imagenet_top_with_other_classes():
    with pytest.raises(ValueError, match="classes=5"):
        densenet.DenseNet169(classes=5)


def test_densenet_preprocess_input_is_torch_mode():
    out = densenet.preprocess_input(np.full((1, 1, 3), 255.0))
    expected = (1.0 - np.array([0.485, 0.456, 0.406])) / np.array([0.229, 0.224, 0.225])
    np.testing.assert_allclose(out[0, 0], expected)
