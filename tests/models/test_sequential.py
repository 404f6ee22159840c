import numpy as np
import pytest
import torch

import lamina
from lamina.layers import Dense
from lamina.layers import Dropout
from lamina.layers import Flatten


def test_sequential_builds_from_declared_input_shape():
    model = lamina.Sequential([Flatten(input_shape=(28, 28)), Dense(16), Dense(10)])
    assert model.built
    assert model.input_shape == (None, 28, 28)
    assert model.output_shape == (None, 10)
    assert model.count_params() == 784 * 16 + 16 + 16 * 10 + 10


def test_sequential_add_and_pop():
    model = lamina.Sequential()
    model.add(lamina.Input(shape=(3,)))
    model.add(Dense(4))
    model.add(Dense(2))
    assert model.output_shape == (None, 2)
    popped = model.pop()
    assert isinstance(popped, Dense)
    assert model.output_shape == (None, 4)
    assert len(model.layers) == 1


def test_sequential_builds_lazily_without_input_shape():
    model = lamina.Sequential([Dense(4), Dense(1)])
    assert not model.built
    out = model(torch.ones(3, 5))
    assert tuple(out.shape) == (3, 1)
    assert model.built


def test_sequential_rejects_the_same_layer_twice():
    layer = Dense(2)
    model = lamina.Sequential([layer])
    with pytest.raises(ValueError, match="already in Sequential"):
        model.add(layer)


def test_sequential_wraps_plain_torch_modules():
    model = lamina.Sequential([Dense(4, input_shape=(3,)), torch.nn.ReLU(), Dense(1)])
    assert tuple(model(torch.ones(2, 3)).shape) == (2, 1)


def test_sequential_summary_lists_layers_and_totals():
    model = lamina.Sequential(
        [
            Flatten(input_shape=(28, 28)),
            Dense(512, activation="relu"),
            Dropout(0.5),
            Dense(10, activation="softmax"),
        ]
    )
    lines = []
    model.summary(print_fn=lines.append)
    text = lines[0]
    assert "(None, 784)" in text
    assert "401,920" in text
    assert "Total params: 407,050 (1.55 MB)" in text
    assert "Non-trainable params: 0 (0.00 B)" in text


def test_sequential_summary_of_unbuilt_model_says_how_to_build():
    with pytest.raises(ValueError, match="not been built"):
        lamina.Sequential([Dense(1)]).summary()


def test_sequential_get_layer_by_name_and_index():
    model = lamina.Sequential([Dense(2, input_shape=(3,), name="first"), Dense(1)])
    assert model.get_layer("first") is model.layers[0]
    assert model.get_layer(index=1) is model.layers[1]
    with pytest.raises(ValueError, match="Available layers"):
        model.get_layer("missing")


def test_sequential_predict_returns_numpy():
    model = lamina.Sequential([Dense(2, input_shape=(3,))])
    out = model.predict(np.ones((5, 3)), verbose=0)
    assert isinstance(out, np.ndarray)
    assert out.shape == (5, 2)
