"""Overridden train_step/test_step/predict_step and their data, as in Keras."""

import numpy as np
import pytest
import torch

import lamina
from lamina.layers import Dense
from lamina.layers import Input


class Recorder(lamina.Model):
    """Records the form of `data` each step receives."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.seen = []

    def train_step(self, data):
        self.seen.append(("train", _form(data)))
        return {"steps": torch.tensor(len(self.seen), dtype=torch.float32)}

    def test_step(self, data):
        self.seen.append(("test", _form(data)))
        return {"steps": torch.tensor(1.0)}

    def predict_step(self, data):
        self.seen.append(("predict", _form(data)))
        return self(data, training=False)


def _form(data):
    return len(data) if isinstance(data, tuple) else type(data).__name__


@pytest.fixture
def recorder():
    inputs = Input((3,))
    model = Recorder(inputs, Dense(1)(inputs))
    model.compile(optimizer="sgd", loss="mse")
    return model


def test_a_model_subclass_made_from_inputs_and_outputs_is_functional(recorder):
    assert isinstance(recorder, lamina.models.functional.Functional)
    assert isinstance(recorder, Recorder)
    assert recorder.output_shape == (None, 1)
    assert recorder.seen == []  # its own __init__ ran after the graph was built


def test_steps_receive_data_in_keras_forms(recorder):
    x = np.zeros((4, 3), "float32")
    y = np.zeros((4, 1), "float32")

    recorder.fit(x, y, batch_size=4, verbose=0)
    recorder.fit(x, y, sample_weight=np.ones(4), batch_size=4, verbose=0)
    recorder.fit(x, batch_size=4, verbose=0)
    recorder.evaluate(x, y, batch_size=4, verbose=0)
    recorder.predict(x, batch_size=4, verbose=0)

    assert recorder.seen == [
        ("train", 2),
        ("train", 3),
        ("train", "Tensor"),
        ("test", 2),
        ("predict", "Tensor"),
    ]


def test_logs_of_a_custom_step_are_what_it_returned(recorder):
    x = np.zeros((8, 3), "float32")
    history = recorder.fit(x, np.zeros((8, 1)), batch_size=4, epochs=1, verbose=0)
    assert history.history == {"steps": [2.0]}


def test_metrics_kept_as_attributes_are_tracked_and_reset():
    class Tracked(lamina.Model):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.seen_count = lamina.metrics.Sum(name="seen")

        def train_step(self, data):
            x, _ = data
            self.seen_count.update_state(torch.ones(x.shape[0]))
            return {"seen": self.seen_count.result()}

    inputs = Input((2,))
    model = Tracked(inputs, Dense(1)(inputs))
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(
        np.zeros((6, 2)), np.zeros((6, 1)), batch_size=2, epochs=2, verbose=0
    )
    assert model.seen_count in model.metrics
    assert history.history["seen"] == [6.0, 6.0]  # reset at each epoch


def test_compiled_metrics_are_in_model_metrics_before_the_first_batch():
    inputs = Input((2,))
    model = lamina.Model(inputs, Dense(1)(inputs))
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    assert [metric.name for metric in model.metrics] == ["loss", "compile_metrics"]

    model.fit(np.zeros((4, 2)), np.ones((4, 1)), verbose=0)

    assert [metric.name for metric in model.metrics] == ["loss", "mae"]


def test_metrics_do_not_keep_the_autograd_graph_of_their_inputs():
    weight = torch.ones(3, requires_grad=True)
    metric = lamina.metrics.Mean()
    for _ in range(3):
        metric.update_state((weight * 2).sum())
    assert not metric.result().requires_grad
    assert float(metric.result()) == 6.0


def test_variable_value_is_the_parameter_holding_the_gradient():
    variable = lamina.Variable(np.ones(2, "float32"))
    (variable.value * 3).sum().backward()
    assert variable.value is variable
    assert variable.value.grad.tolist() == [3.0, 3.0]


def test_get_weights_returns_copies_that_training_leaves_alone():
    model = lamina.Sequential([Input((3,)), Dense(2)])
    model.compile(optimizer="sgd", loss="mse")
    saved = model.get_weights()
    before = [array.copy() for array in saved]

    model.fit(np.ones((8, 3)), np.ones((8, 2)), verbose=0)

    for array, original in zip(saved, before, strict=True):
        np.testing.assert_array_equal(array, original)
    model.set_weights(saved)
    np.testing.assert_array_equal(model.get_weights()[0], before[0])
