"""The Keras 2 `backend` functions (`K`), and custom code built on ops and K."""

import numpy as np
import pytest
import torch

import lamina
from lamina import backend as K
from lamina import ops
from lamina.backend.variable import Variable


def test_get_value_reads_tensors_numbers_variables_and_learning_rates():
    assert K.get_value(torch.tensor(2.5)) == 2.5
    assert K.get_value(3) == 3
    assert K.get_value(Variable(torch.tensor(0.5))) == 0.5
    optimizer = lamina.optimizers.Adam(learning_rate=0.01)
    assert K.get_value(optimizer.learning_rate) == pytest.approx(0.01)


def test_set_value_assigns_in_place():
    optimizer = lamina.optimizers.SGD(learning_rate=0.1)
    K.set_value(optimizer.learning_rate, 0.02)
    assert K.get_value(optimizer.learning_rate) == pytest.approx(0.02)
    variable = K.variable(np.zeros(2))
    K.set_value(variable, [1.0, 2.0])
    assert K.eval(variable).tolist() == [1.0, 2.0]


def test_set_value_rejects_numbers():
    with pytest.raises(TypeError, match="cannot be changed in place"):
        K.set_value(1.0, 2.0)


def test_keras2_defaults():
    x = torch.tensor([[1.0, 5.0], [3.0, 2.0]])
    assert K.argmax(x).tolist() == [1, 0]
    assert K.concatenate([x, x]).shape == (2, 4)
    assert K.int_shape(x) == (2, 2)
    assert K.ndim(x) == 2
    assert K.dtype(x) == "float32"
    assert K.epsilon() == 1e-7
    assert K.floatx() == "float32"
    assert K.learning_phase() == 0


def test_batch_dot_matches_keras2_shapes():
    assert K.batch_dot(torch.ones(4, 2, 3), torch.ones(4, 3, 5)).shape == (4, 2, 5)
    assert K.batch_dot(torch.ones(4, 3), torch.ones(4, 3)).shape == (4, 1)
    assert K.batch_dot(torch.ones(4, 3, 2), torch.ones(4, 3), axes=1).shape == (4, 2)


def test_switch_picks_elementwise():
    result = K.switch(torch.tensor([True, False]), torch.ones(2), torch.zeros(2))
    assert result.tolist() == [1.0, 0.0]


def test_relu_keras2_options():
    x = torch.tensor([-2.0, 0.5, 3.0])
    assert K.relu(x, alpha=0.1, max_value=1.0).tolist() == pytest.approx(
        [-0.2, 0.5, 1.0]
    )


def test_random_functions_are_seeded():
    assert torch.equal(K.random_normal((3,), seed=1), K.random_normal((3,), seed=1))
    assert K.random_uniform((100,), seed=1).max() < 1


def test_clear_session_resets_layer_names():
    lamina.layers.Dense(2)
    K.clear_session()
    assert lamina.layers.Dense(2).name == "dense"


def test_crossentropies_match_ops():
    target = torch.tensor([[0.0, 1.0]])
    output = torch.tensor([[0.3, 0.7]])
    assert torch.equal(
        K.categorical_crossentropy(target, output),
        ops.categorical_crossentropy(target, output),
    )
    assert torch.equal(
        K.binary_crossentropy(target, output), ops.binary_crossentropy(target, output)
    )


def _data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 4)).astype("float32")
    y = (x @ np.array([1.0, -2.0, 0.5, 3.0], dtype="float32"))[:, None]
    return x, y


def _train(loss, metric, layer):
    x, y = _data()
    model = lamina.Sequential([lamina.Input((4,)), layer, lamina.layers.Dense(1)])
    model.compile(optimizer="adam", loss=loss, metrics=[metric])
    history = model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    return history.history


class _OpsScale(lamina.layers.Layer):
    def build(self, input_shape):
        self.factor = self.add_weight(
            shape=(input_shape[-1],), initializer="ones", name="factor"
        )

    def call(self, inputs):
        return ops.multiply(ops.tanh(inputs), self.factor)


class _BackendScale(lamina.layers.Layer):
    def build(self, input_shape):
        self.factor = self.add_weight(
            shape=(input_shape[-1],), initializer="ones", name="factor"
        )

    def call(self, inputs):
        return K.tanh(inputs) * self.factor


def test_custom_loss_metric_layer_written_with_ops_train():
    def loss(y_true, y_pred):
        return ops.mean(ops.square(y_true - y_pred), axis=-1)

    def max_error(y_true, y_pred):
        return ops.max(ops.abs(y_true - y_pred), axis=-1)

    history = _train(loss, max_error, _OpsScale())
    assert history["loss"][-1] < history["loss"][0]
    assert "max_error" in history


def test_custom_loss_metric_layer_written_with_backend_train():
    def loss(y_true, y_pred):
        return K.mean(K.square(y_pred - y_true), axis=-1)

    def rmse(y_true, y_pred):
        return K.sqrt(K.mean(K.square(y_pred - y_true), axis=-1))

    history = _train(loss, rmse, _BackendScale())
    assert history["loss"][-1] < history["loss"][0]
    assert "rmse" in history


def test_every_keras3_backend_name_exists():
    import keras

    missing = [
        n for n in dir(keras.backend) if not n.startswith("_") and not hasattr(K, n)
    ]
    assert not missing, f"lamina.backend lacks: {missing}"
