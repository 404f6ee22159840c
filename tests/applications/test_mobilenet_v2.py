"""MobileNetV2: width multiplier, default names, published input sizes."""

import pytest

import lamina
from lamina.applications import mobilenet_v2


@pytest.fixture
def downloads(monkeypatch):
    """Records `(weights, file_name, origin, file_hash)` instead of loading."""
    calls = []
    monkeypatch.setattr(
        mobilenet_v2, "load_weights", lambda model, *args: calls.append(args)
    )
    return calls


def test_mobilenet_v2_name_records_alpha_and_size():
    model = mobilenet_v2.MobileNetV2(
        input_shape=(96, 96, 3), alpha=0.35, weights=None, include_top=False
    )
    assert model.name == "mobilenetv2_0.35_96"
    assert model.output_shape == (None, 3, 3, 1280)


def test_mobilenet_v2_imagenet_rejects_unpublished_alpha():
    with pytest.raises(ValueError, match="alpha=0.6"):
        mobilenet_v2.MobileNetV2(alpha=0.6, include_top=False, input_shape=(96, 96, 3))


def test_mobilenet_v2_imagenet_falls_back_to_224_weights(downloads):
    with pytest.warns(UserWarning, match="224x224"):
        model = mobilenet_v2.MobileNetV2(
            input_shape=(100, 100, 3), alpha=0.35, include_top=False
        )
    file_name = "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top.h5"
    assert downloads == [
        ("imagenet", file_name, mobilenet_v2.BASE_WEIGHT_PATH + file_name, None)
    ]
    assert model.name == "mobilenetv2_0.35_224"


def test_mobilenet_v2_input_tensor_must_agree_with_input_shape():
    inputs = lamina.Input(shape=(96, 96, 3))
    with pytest.raises(ValueError, match="disagree"):
        mobilenet_v2.MobileNetV2(
            input_shape=(128, 128, 3), input_tensor=inputs, weights=None
        )
