"""Recurrent layers against real Keras 3 with the same weights."""

import itertools

import numpy as np
import pytest
import torch

import lamina
from lamina import layers
from lamina.utils import tree

BATCH, STEPS, FEATURES, UNITS = 3, 6, 4, 5


def _inputs() -> np.ndarray:
    return (
        np.random.default_rng(0).normal(size=(BATCH, STEPS, FEATURES)).astype("float32")
    )


def _mask(kind: str | None) -> np.ndarray | None:
    if kind is None:
        return None
    mask = np.ones((BATCH, STEPS), dtype=bool)
    if kind == "end":
        mask[0, 4:] = False
        mask[2, 2:] = False
    else:  # gaps in the middle, and a row starting masked
        mask[0, 2:4] = False
        mask[1, 0] = False
        mask[2, 1::2] = False
    return mask


def _compare(keras, keras_layer, lamina_layer, mask_kind, **call_kwargs):
    x = _inputs()
    mask = _mask(mask_kind)
    keras_kwargs = dict(call_kwargs)
    lamina_kwargs = dict(call_kwargs)
    if mask is not None:
        keras_kwargs["mask"] = keras.ops.convert_to_tensor(mask)
        lamina_kwargs["mask"] = torch.as_tensor(mask)
    expected = keras_layer(keras.ops.convert_to_tensor(x), **keras_kwargs)
    lamina_layer(torch.as_tensor(x))
    lamina_layer.set_weights(
        [keras.ops.convert_to_numpy(w) for w in keras_layer.weights]
    )
    actual = lamina_layer(torch.as_tensor(x), **lamina_kwargs)
    expected, actual = tree.flatten(expected), tree.flatten(actual)
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected, strict=True):
        np.testing.assert_allclose(
            a.detach().numpy(), keras.ops.convert_to_numpy(e), rtol=1e-5, atol=1e-5
        )


KINDS = {
    "lstm": ("LSTM", {}),
    "gru": ("GRU", {}),
    "gru_reset_before": ("GRU", {"reset_after": False}),
    "simple_rnn": ("SimpleRNN", {}),
}


@pytest.mark.parametrize(
    "kind, return_sequences, return_state, go_backwards, mask_kind, use_cudnn",
    [
        (kind, seq, state, back, mask, cudnn)
        for kind, seq, state, back, mask, cudnn in itertools.product(
            KINDS,
            [False, True],
            [False, True],
            [False, True],
            [None, "end", "middle"],
            ["auto", False],
        )
        if not (state and cudnn is False and mask == "middle")
    ],
)
def test_recurrent_layer_matches_keras(
    keras, kind, return_sequences, return_state, go_backwards, mask_kind, use_cudnn
):
    class_name, extra = KINDS[kind]
    config = dict(
        return_sequences=return_sequences,
        return_state=return_state,
        go_backwards=go_backwards,
        **extra,
    )
    keras_layer = getattr(keras.layers, class_name)(UNITS, **config)
    if class_name != "SimpleRNN":
        config["use_cudnn"] = use_cudnn
    elif use_cudnn is False:
        config["use_cudnn"] = False
    lamina_layer = getattr(layers, class_name)(UNITS, **config)
    _compare(keras, keras_layer, lamina_layer, mask_kind)


@pytest.mark.parametrize("class_name", ["LSTM", "GRU"])
def test_recurrent_layer_with_custom_activations_matches_keras(keras, class_name):
    config = dict(
        activation="relu", recurrent_activation="hard_sigmoid", return_sequences=True
    )
    keras_layer = getattr(keras.layers, class_name)(UNITS, **config)
    lamina_layer = getattr(layers, class_name)(UNITS, **config)
    _compare(keras, keras_layer, lamina_layer, "middle")


@pytest.mark.parametrize("class_name", ["LSTM", "GRU", "SimpleRNN"])
def test_recurrent_layer_initial_state_matches_keras(keras, class_name):
    num_states = 2 if class_name == "LSTM" else 1
    rng = np.random.default_rng(1)
    states = [
        rng.normal(size=(BATCH, UNITS)).astype("float32") for _ in range(num_states)
    ]
    keras_layer = getattr(keras.layers, class_name)(UNITS, return_state=True)
    lamina_layer = getattr(layers, class_name)(UNITS, return_state=True)
    x = _inputs()
    expected = keras_layer(
        keras.ops.convert_to_tensor(x),
        initial_state=[keras.ops.convert_to_tensor(s) for s in states],
    )
    lamina_layer(torch.as_tensor(x))
    lamina_layer.set_weights(
        [keras.ops.convert_to_numpy(w) for w in keras_layer.weights]
    )
    actual = lamina_layer(
        torch.as_tensor(x), initial_state=[torch.as_tensor(s) for s in states]
    )
    for a, e in zip(actual, expected, strict=True):
        np.testing.assert_allclose(
            a.detach().numpy(), keras.ops.convert_to_numpy(e), rtol=1e-5, atol=1e-5
        )


@pytest.mark.parametrize(
    "merge_mode, return_sequences, mask_kind",
    itertools.product(
        ["concat", "sum", "mul", "ave", None], [False, True], [None, "end", "middle"]
    ),
)
def test_bidirectional_matches_keras(keras, merge_mode, return_sequences, mask_kind):
    keras_layer = keras.layers.Bidirectional(
        keras.layers.LSTM(UNITS, return_sequences=return_sequences),
        merge_mode=merge_mode,
    )
    lamina_layer = layers.Bidirectional(
        layers.LSTM(UNITS, return_sequences=return_sequences), merge_mode=merge_mode
    )
    _compare(keras, keras_layer, lamina_layer, mask_kind)


def test_bidirectional_gru_return_state_matches_keras(keras):
    keras_layer = keras.layers.Bidirectional(
        keras.layers.GRU(UNITS, return_sequences=True, return_state=True)
    )
    lamina_layer = layers.Bidirectional(
        layers.GRU(UNITS, return_sequences=True, return_state=True)
    )
    _compare(keras, keras_layer, lamina_layer, "end")


def test_stacked_cells_match_keras(keras):
    keras_layer = keras.layers.RNN(
        [keras.layers.LSTMCell(UNITS), keras.layers.GRUCell(3)], return_state=True
    )
    lamina_layer = layers.RNN(
        [layers.LSTMCell(UNITS), layers.GRUCell(3)], return_state=True
    )
    _compare(keras, keras_layer, lamina_layer, "middle")


def test_time_distributed_dense_matches_keras(keras):
    keras_layer = keras.layers.TimeDistributed(keras.layers.Dense(7, activation="relu"))
    lamina_layer = layers.TimeDistributed(layers.Dense(7, activation="relu"))
    _compare(keras, keras_layer, lamina_layer, None)


@pytest.mark.parametrize("class_name", ["LSTM", "GRU", "SimpleRNN", "Bidirectional"])
def test_recurrent_weight_paths_and_config_match_keras(keras, class_name):
    def make(module):
        if class_name == "Bidirectional":
            return module.layers.Bidirectional(module.layers.LSTM(UNITS, name="lstm"))
        return getattr(module.layers, class_name)(UNITS)

    keras_layer, lamina_layer = make(keras), make(lamina)
    keras_layer.build((None, STEPS, FEATURES))
    lamina_layer(torch.as_tensor(_inputs()))
    keras_paths = [w.path.split("/", 1)[1] for w in keras_layer.weights]
    lamina_paths = [w.path.split("/", 1)[1] for w in lamina_layer.weights]
    assert lamina_paths == keras_paths
    keras_config = keras_layer.get_config()
    lamina_config = lamina_layer.get_config()
    assert set(keras_config) <= set(lamina_config) | {"activity_regularizer"}


def test_keras_config_loads_in_lamina(keras):
    keras_layer = keras.layers.Bidirectional(
        keras.layers.GRU(UNITS, dropout=0.1, return_sequences=True), merge_mode="sum"
    )
    keras_layer.build((None, STEPS, FEATURES))
    lamina_layer = layers.Bidirectional.from_config(keras_layer.get_config())
    assert lamina_layer.merge_mode == "sum"
    assert lamina_layer.forward_layer.dropout == 0.1
    assert lamina_layer.backward_layer.go_backwards
