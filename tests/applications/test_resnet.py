"""ResNet50/101/152: the resnet50 alias module and the imagenet weight files."""

import numpy as np
import pytest

from lamina.applications import resnet
from lamina.applications import resnet50
from lamina.applications import resnet_v2


@pytest.fixture
def downloads(monkeypatch):
    """Records `(weights, file_name, origin, file_hash)` instead of loading."""
    calls = []
    monkeypatch.setattr(resnet, "load_weights", lambda model, *args: calls.append(args))
    return calls


def test_resnet50_module_reexports_resnet():
    assert resnet50.ResNet50 is resnet.ResNet50
    assert resnet50.preprocess_input is resnet.preprocess_input
    assert resnet50.decode_predictions is resnet.decode_predictions


@pytest.mark.parametrize(
    ("constructor", "weights_name"),
    [(resnet.ResNet152, "resnet152"), (resnet_v2.ResNet101V2, "resnet101v2")],
)
@pytest.mark.parametrize("include_top", [True, False])
def test_resnet_imagenet_files_come_from_the_resnet_folder(
    constructor, weights_name, include_top, downloads, monkeypatch
):
    # Only the weight files are under test: skip building the network.
    monkeypatch.setattr(resnet, "build_resnet", lambda *args, **kwargs: None)
    monkeypatch.setattr(resnet_v2, "build_resnet", lambda *args, **kwargs: None)
    constructor(include_top=include_top)
    suffix = ".h5" if include_top else "_notop.h5"
    file_name = f"{weights_name}_weights_tf_dim_ordering_tf_kernels{suffix}"
    file_hash = resnet.WEIGHTS_HASHES[weights_name][0 if include_top else 1]
    assert downloads == [
        ("imagenet", file_name, resnet.BASE_WEIGHTS_PATH + file_name, file_hash)
    ]
    assert resnet.BASE_WEIGHTS_PATH == (
        "https://storage.googleapis.com/tensorflow/keras-applications/resnet/"
    )


def test_resnet_v2_preprocess_input_is_tf_mode():
    out = resnet_v2.preprocess_input(np.full((1, 1, 3), 255.0))
    np.testing.assert_allclose(out, 1.0)
