"""EfficientNet: built-in normalization, the ImageNet-only rescaling, files."""

import numpy as np
import pytest

from lamina.applications import efficientnet


@pytest.fixture
def downloads(monkeypatch):
    """Records `(weights, file_name, origin, file_hash)` instead of loading."""
    calls = []
    monkeypatch.setattr(
        efficientnet, "load_weights", lambda model, *args: calls.append(args)
    )
    return calls


def test_efficientnet_imagenet_adds_the_stddev_rescaling(downloads):
    model = efficientnet.EfficientNetB0(include_top=False, input_shape=(32, 32, 3))
    kinds = [type(layer).__name__ for layer in model.layers[1:5]]
    assert kinds == ["Rescaling", "Normalization", "Rescaling", "ZeroPadding2D"]
    np.testing.assert_allclose(
        model.layers[3].scale, 1 / np.sqrt([0.229, 0.224, 0.225])
    )
    file_name = "efficientnetb0_notop.h5"
    assert downloads == [
        (
            "imagenet",
            file_name,
            "https://storage.googleapis.com/keras-applications/" + file_name,
            "50bc09e76180e00e4465e1a485ddc09d",
        )
    ]


def test_efficientnet_preprocess_input_returns_its_input():
    assert efficientnet.preprocess_input("images") == "images"


def test_efficientnet_rejects_imagenet_top_with_other_classes():
    with pytest.raises(ValueError, match="EfficientNetB7 received"):
        efficientnet.EfficientNetB7(classes=10)
