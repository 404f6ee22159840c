"""Keras 3 options lamina accepts only switched off: LoRA, quantization, ragged."""

import pytest

import lamina
from lamina.layers import Conv2D
from lamina.layers import Dense
from lamina.layers import Embedding
from lamina.layers import InputLayer


@pytest.mark.parametrize(
    "make",
    [
        lambda **kw: Dense(2, **kw),
        lambda **kw: Embedding(5, 2, **kw),
        lambda **kw: Conv2D(2, 3, **kw),
    ],
)
def test_lora_off_is_accepted_and_on_is_clear(make):
    make(lora_rank=None, lora_alpha=None)
    make(lora_rank=0, lora_alpha=4)
    with pytest.raises(ValueError, match=r"lora_rank=4.*does not implement LoRA"):
        make(lora_rank=4, lora_alpha=4)


@pytest.mark.parametrize(
    "make", [lambda **kw: Dense(2, **kw), lambda **kw: Embedding(5, 2, **kw)]
)
def test_quantization_off_is_accepted_and_on_is_clear(make):
    assert make(quantization_config=None).get_config()["quantization_config"] is None
    with pytest.raises(ValueError, match="no quantized layers yet"):
        make(quantization_config={"mode": "int8"})


def test_ragged_input_is_accepted_only_off():
    assert InputLayer(shape=(3,), ragged=False).get_config()["ragged"] is False
    assert lamina.Input(shape=(3,), ragged=None).shape == (None, 3)
    with pytest.raises(ValueError, match="no ragged tensors"):
        InputLayer(shape=(3,), ragged=True)


def test_declared_input_shape_stays_out_of_layer_config():
    config = Dense(2, input_shape=(3,)).get_config()
    assert "batch_input_shape" not in config
    assert Dense.from_config(config).units == 2
