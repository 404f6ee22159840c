"""`clone_model`: same architecture, new layers and weights."""

import numpy as np
import pytest

import lamina


def test_clone_sequential_has_new_layers_same_shapes():
    model = lamina.Sequential(
        [lamina.layers.Dense(4, input_shape=(3,)), lamina.layers.Dense(1)]
    )
    clone = lamina.models.clone_model(model)
    assert clone.output_shape == (None, 1)
    assert all(a is not b for a, b in zip(clone.layers, model.layers, strict=True))
    clone.set_weights(model.get_weights())
    x = np.random.rand(2, 3).astype("float32")
    np.testing.assert_allclose(
        clone.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6
    )


def test_clone_functional_keeps_shared_layers_shared():
    a = lamina.Input(shape=(3,))
    b = lamina.Input(shape=(3,))
    shared = lamina.layers.Dense(2)
    model = lamina.Model([a, b], lamina.layers.Add()([shared(a), shared(b)]))
    clone = lamina.models.clone_model(model)
    assert len(clone.layers) == len(model.layers)
    assert len(clone.weights) == len(model.weights)


def test_clone_function_replaces_layers():
    model = lamina.Sequential(
        [lamina.layers.Dense(4, input_shape=(3,)), lamina.layers.Dropout(0.5)]
    )

    def no_dropout(layer):
        if isinstance(layer, lamina.layers.Dropout):
            return lamina.layers.Activation("linear")
        return layer.__class__.from_config(layer.get_config())

    clone = lamina.models.clone_model(model, clone_function=no_dropout)
    assert isinstance(clone.layers[1], lamina.layers.Activation)


def test_clone_on_new_input_tensor():
    model = lamina.Sequential([lamina.layers.Dense(2, input_shape=(3,))])
    clone = lamina.models.clone_model(model, input_tensors=lamina.Input(shape=(3,)))
    assert clone.output_shape == (None, 2)


def test_clone_subclassed_model_is_clear():
    class Net(lamina.Model):
        def call(self, inputs):
            return inputs

    with pytest.raises(ValueError, match="subclassed"):
        lamina.models.clone_model(Net())
