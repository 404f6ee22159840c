"""Rescaling."""

import json

import numpy as np
import pytest
import torch
from _image_layer_testing import check_image_layer

from lamina.backend.config import image_data_format
from lamina.backend.config import set_image_data_format
from lamina.layers.preprocessing.image.rescaling import Rescaling


@pytest.mark.parametrize(
    ("scale", "offset"),
    [(1 / 255, 0.0), (1 / 127.5, -1), ([1.0, 2.0, 3.0], [0.0, 0.5, 1.0])],
)
def test_rescaling_passes_check_layer(scale, offset):
    check_image_layer(
        lambda: Rescaling(scale, offset),
        np.random.default_rng(0).random((2, 4, 4, 3), dtype="float32"),
        (2, 4, 4, 3),
    )


def test_rescaling_maps_integers_to_floats():
    outputs = Rescaling(1 / 255)(torch.tensor([0, 51, 255], dtype=torch.uint8))
    assert outputs.dtype == torch.float32
    np.testing.assert_allclose(outputs, [0.0, 0.2, 1.0], rtol=1e-6)


def test_rescaling_per_channel_follows_the_global_data_format():
    previous = image_data_format()
    set_image_data_format("channels_first")
    try:
        outputs = Rescaling([1.0, 10.0])(torch.ones(1, 2, 3, 3))
    finally:
        set_image_data_format(previous)
    assert float(outputs[0, 0].max()) == 1.0 and float(outputs[0, 1].min()) == 10.0


def test_rescaling_config_keeps_arrays_in_keras_form():
    config = Rescaling(np.array([0.5, 2.0], "float32"), offset=1.0).get_config()
    assert config["scale"]["class_name"] == "__numpy__"
    rebuilt = Rescaling.from_config(json.loads(json.dumps(config)))
    np.testing.assert_array_equal(rebuilt(torch.ones(1, 2)), [[1.5, 3.0]])


def test_rescaling_rejects_non_numbers():
    with pytest.raises(TypeError, match="scale to be a float or a list of floats"):
        Rescaling("half")
    with pytest.raises(TypeError, match="offset to be a float"):
        Rescaling(1.0, offset=True)
