"""`device_scope` (`lamina.device`): where new weights go, and its names."""

import pytest
import torch

import lamina
from lamina.backend import device as device_module


def test_device_scope_places_weights_and_restores_choice():
    before = device_module.get_device()
    with lamina.device("cpu") as chosen:
        assert chosen == torch.device("cpu")
        assert device_module.get_device() == torch.device("cpu")
        layer = lamina.layers.Dense(2)
        layer.build((None, 3))
    assert layer.kernel.device.type == "cpu"
    assert device_module.get_device() == before


def test_device_scope_restores_choice_after_an_error():
    before = device_module._DEVICE
    with pytest.raises(RuntimeError, match="inside"), lamina.device("meta"):
        raise RuntimeError("inside")
    assert device_module._DEVICE is before


def test_device_scope_reads_keras_gpu_names():
    assert device_module._parse_device_name("GPU:1") == torch.device("cuda:1")
    assert device_module._parse_device_name("gpu") == torch.device("cuda")
    assert device_module._parse_device_name(torch.device("cpu")).type == "cpu"


def test_device_scope_rejects_unknown_names():
    with pytest.raises(ValueError, match="'tpu:0', which is not a device"):
        device_module._parse_device_name("tpu:0")
    with pytest.raises(ValueError, match="expected a device name"):
        device_module._parse_device_name(0)
