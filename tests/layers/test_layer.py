import warnings

import numpy as np
import pytest
import torch

import lamina
from lamina.layers import Dense
from lamina.layers import Dropout
from lamina.layers import Flatten
from lamina.layers import Layer


class Scale(Layer):
    def __init__(self, factor_initializer="ones", **kwargs):
        super().__init__(**kwargs)
        self.factor_initializer = factor_initializer

    def build(self, input_shape):
        self.factor = self.add_weight(
            name="factor", shape=(input_shape[-1],), initializer=self.factor_initializer
        )
        self.offset = self.add_weight(
            name="offset", shape=(), initializer="zeros", trainable=False
        )

    def call(self, inputs):
        return inputs * self.factor + self.offset


def test_layer_builds_on_first_call_from_the_input_shape():
    layer = Scale()
    assert not layer.built
    layer(torch.ones(2, 5))
    assert layer.built
    assert tuple(layer.factor.shape) == (5,)


def test_layer_weights_keep_keras_order_and_paths():
    layer = Scale(name="scale")
    layer(torch.ones(1, 3))
    assert [w.path for w in layer.weights] == ["scale/factor", "scale/offset"]
    assert [w.name for w in layer.trainable_weights] == ["factor"]
    assert [w.name for w in layer.non_trainable_weights] == ["offset"]
    assert layer.count_params() == 4


def test_layer_weights_are_torch_parameters_registered_once():
    layer = Dense(3)
    layer(torch.ones(1, 2))
    names = [name for name, _ in layer.named_parameters()]
    assert names == ["kernel", "bias"]


def test_layer_set_weights_round_trips_numpy_arrays():
    layer = Dense(2)
    layer(torch.ones(1, 3))
    values = [np.arange(6, dtype="float32").reshape(3, 2), np.array([1, 2], "float32")]
    layer.set_weights(values)
    for got, want in zip(layer.get_weights(), values, strict=True):
        np.testing.assert_array_equal(got, want)


def test_layer_set_weights_rejects_wrong_count_naming_the_layer():
    layer = Dense(2, name="head")
    layer(torch.ones(1, 3))
    with pytest.raises(ValueError, match=r"Layer 'head' \(Dense\) has 2 weights"):
        layer.set_weights([np.zeros((3, 2))])


def test_layer_set_weights_rejects_wrong_shape():
    layer = Dense(2, name="head")
    layer(torch.ones(1, 3))
    with pytest.raises(ValueError, match="has shape"):
        layer.set_weights([np.zeros((4, 2)), np.zeros(2)])


def test_layer_names_are_unique_and_snake_case():
    first, second = Dense(1), Dense(1)
    assert first.name.startswith("dense")
    assert first.name != second.name
    assert lamina.layers.Layer.__name__ == "Layer"


def test_layer_trainable_false_freezes_weights_and_moves_them():
    layer = Dense(2)
    layer(torch.ones(1, 3))
    layer.trainable = False
    assert layer.trainable_weights == []
    assert len(layer.non_trainable_weights) == 2
    assert not layer.kernel.requires_grad
    layer.trainable = True
    assert layer.kernel.requires_grad


def test_layer_rejects_unknown_keyword_argument():
    with pytest.raises(TypeError, match="unexpected keyword argument"):
        Dense(2, unitz=3)


def test_layer_keras2_input_dim_declares_input_shape():
    model = lamina.Sequential([Dense(4, input_dim=7)])
    assert model.input_shape == (None, 7)


def test_layer_training_flag_reaches_nested_layers():
    model = lamina.Sequential([Dropout(0.5, input_shape=(1000,))])
    ones = torch.ones(4, 1000)
    assert torch.equal(model(ones), ones)
    dropped = model(ones, training=True)
    assert 0.3 < (dropped == 0).float().mean().item() < 0.7


def test_layer_kernel_regularizer_adds_to_losses():
    layer = Dense(2, kernel_regularizer=lamina.regularizers.L2(0.1))
    layer(torch.ones(1, 3))
    layer.set_weights([np.ones((3, 2)), np.zeros(2)])
    (penalty,) = layer.losses
    assert penalty.item() == pytest.approx(0.6)


def test_layer_activity_regularizer_averages_over_the_batch():
    layer = Dense(
        1, activity_regularizer=lamina.regularizers.L1(1.0), kernel_initializer="ones"
    )
    layer(torch.ones(4, 2))
    (penalty,) = layer.losses
    assert penalty.item() == pytest.approx(2.0)  # |2| * 4 samples / 4


def test_layer_call_error_names_layer_and_shapes():
    layer = Flatten(name="flat")
    layer(torch.ones(2, 3, 4))
    model = lamina.Sequential([Dense(3, input_shape=(12,), name="dense_head")])
    with pytest.raises(ValueError, match=r"Layer 'dense_head' \(Dense\).*12 features"):
        model(torch.ones(2, 5))


def test_layer_mismatched_declared_shape_warns_once_and_computes():
    model = lamina.Sequential([Flatten(input_shape=(28, 28)), Dense(3)])
    with pytest.warns(UserWarning, match=r"'flatten.*' \(Flatten\) was declared"):
        out = model(torch.ones(2, 784))
    assert tuple(out.shape) == (2, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model(torch.ones(2, 784))


def test_layer_config_round_trip_rebuilds_equal_layer():
    layer = Dense(5, activation="relu", use_bias=False, name="d")
    rebuilt = Dense.from_config(layer.get_config())
    assert rebuilt.get_config() == layer.get_config()


def test_layer_works_inside_plain_torch_training_loop():
    model = lamina.Sequential([Dense(8, activation="relu", input_shape=(4,)), Dense(1)])
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    x, y = torch.randn(64, 4), torch.randn(64, 1)
    first = None
    for _ in range(20):
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        first = first if first is not None else loss.item()
    assert loss.item() < first


def test_layer_symbolic_call_records_unknown_axes():
    inputs = lamina.Input(shape=(None, 3))
    outputs = Dense(2)(inputs)
    assert outputs.shape == (None, None, 2)


def test_a_reversed_numpy_view_is_accepted_as_input():
    layer = lamina.layers.Dense(2)
    data = np.arange(8.0, dtype="float32").reshape(2, 4)
    reversed_view = data[:, ::-1]
    assert layer(reversed_view).shape == (2, 2)
    np.testing.assert_allclose(
        layer(reversed_view).detach().numpy(),
        layer(np.ascontiguousarray(reversed_view)).detach().numpy(),
    )
