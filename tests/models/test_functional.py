import numpy as np
import pytest
import torch

import lamina
from lamina.layers import Dense


def test_functional_model_from_inputs_and_outputs():
    inputs = lamina.Input(shape=(4,))
    hidden = Dense(8, activation="relu")(inputs)
    outputs = Dense(2)(hidden)
    model = lamina.Model(inputs, outputs)
    assert isinstance(model, lamina.models.Functional)
    assert model.input_shape == (None, 4)
    assert model.output_shape == (None, 2)
    assert [type(layer).__name__ for layer in model.layers] == [
        "InputLayer",
        "Dense",
        "Dense",
    ]
    assert tuple(model(torch.ones(3, 4)).shape) == (3, 2)


def test_functional_multiple_inputs_and_outputs():
    first = lamina.Input(shape=(3,), name="first")
    second = lamina.Input(shape=(5,), name="second")
    merged = Dense(4)(first) + Dense(4)(second)
    out_a = Dense(1, name="a")(merged)
    out_b = Dense(2, name="b")(merged)
    model = lamina.Model([first, second], [out_a, out_b])
    a, b = model([torch.ones(2, 3), torch.ones(2, 5)])
    assert tuple(a.shape) == (2, 1) and tuple(b.shape) == (2, 2)
    by_name = model({"first": torch.ones(2, 3), "second": torch.ones(2, 5)})
    assert torch.allclose(by_name[0], a)


def test_functional_shared_layer_reuses_weights():
    shared = Dense(3)
    left, right = lamina.Input(shape=(2,)), lamina.Input(shape=(2,))
    model = lamina.Model([left, right], [shared(left), shared(right)])
    assert len(model.weights) == 2
    x = torch.randn(4, 2)
    a, b = model([x, x])
    assert torch.equal(a, b)


def test_functional_nested_model_as_a_layer():
    inner_in = lamina.Input(shape=(3,))
    inner = lamina.Model(inner_in, Dense(2)(inner_in), name="inner")
    outer_in = lamina.Input(shape=(3,))
    outer = lamina.Model(outer_in, Dense(1)(inner(outer_in)))
    assert outer.output_shape == (None, 1)
    assert len(outer.weights) == 4
    assert outer.get_layer("inner") is inner


def test_functional_rejects_non_symbolic_inputs():
    with pytest.raises(TypeError, match="lamina.Input"):
        lamina.Model(torch.ones(2), torch.ones(2))


def test_functional_wrong_number_of_inputs_is_clear():
    a, b = lamina.Input(shape=(1,)), lamina.Input(shape=(1,))
    model = lamina.Model([a, b], Dense(1)(a) + Dense(1)(b))
    with pytest.raises(ValueError, match="expects 2 input"):
        model.predict(np.ones((2, 1)), verbose=0)


def test_functional_tensor_arithmetic_and_slicing():
    inputs = lamina.Input(shape=(4,))
    outputs = inputs[:, :2] * 2.0 + 1.0
    model = lamina.Model(inputs, outputs)
    np.testing.assert_allclose(model(torch.ones(3, 4)).numpy(), np.full((3, 2), 3.0))


class TwoLayer(lamina.Model):
    def __init__(self):
        super().__init__()
        self.hidden = Dense(8, activation="relu")
        self.out = Dense(1)

    def call(self, inputs):
        return self.out(self.hidden(inputs))


def test_subclassed_model_trains_with_fit():
    model = TwoLayer()
    x = np.random.rand(128, 3).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(x, y, epochs=5, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert len(model.trainable_weights) == 4


def test_subclassed_model_holds_layers_in_a_list():
    class Stack(lamina.Model):
        def __init__(self):
            super().__init__()
            self.blocks = [Dense(4), Dense(2)]

        def call(self, inputs):
            for block in self.blocks:
                inputs = block(inputs)
            return inputs

    model = Stack()
    model(torch.ones(1, 3))
    assert len(model.weights) == 4
