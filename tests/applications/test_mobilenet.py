"""MobileNet: ImageNet options and the published file names."""

import pytest

from lamina.applications import mobilenet


@pytest.fixture
def downloads(monkeypatch):
    """Records `(weights, file_name, origin, file_hash)` instead of loading."""
    calls = []
    monkeypatch.setattr(
        mobilenet, "load_weights", lambda model, *args: calls.append(args)
    )
    return calls


def test_mobilenet_imagenet_file_names_encode_alpha_and_size(downloads):
    model = mobilenet.MobileNet(input_shape=(160, 160, 3), alpha=0.5, include_top=False)
    file_name = "mobilenet_5_0_160_tf_no_top.h5"
    assert downloads == [
        ("imagenet", file_name, mobilenet.BASE_WEIGHT_PATH + file_name, None)
    ]
    assert model.name == "mobilenet_0.50_160"


def test_mobilenet_imagenet_rejects_depth_multiplier():
    with pytest.raises(ValueError, match="depth_multiplier=2"):
        mobilenet.MobileNet(depth_multiplier=2)


def test_mobilenet_imagenet_rejects_unpublished_alpha():
    with pytest.raises(ValueError, match="alpha=0.35"):
        mobilenet.MobileNet(alpha=0.35)
