import numpy as np
import pytest
import torch

from lamina.layers import GRU
from lamina.layers import LSTM
from lamina.layers import RNN
from lamina.layers import Bidirectional
from lamina.layers import Dense
from lamina.layers import GRUCell
from lamina.layers import LSTMCell
from lamina.layers import SimpleRNN
from lamina.layers import SimpleRNNCell
from lamina.layers import StackedRNNCells
from lamina.layers import TimeDistributed
from lamina.layers.naming import reset_name_counters
from lamina.testing import check_layer

X = np.random.default_rng(0).normal(size=(3, 6, 4)).astype("float32")
NAMES = ["kernel", "recurrent_kernel", "bias"]


@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_passes_check_layer(reset_after):
    check_layer(
        lambda: GRU(5, reset_after=reset_after), X, (3, 5), expected_weight_names=NAMES
    )


def test_gru_bias_shape_follows_reset_after():
    assert GRU(5)(torch.as_tensor(X)) is not None
    layer = GRU(5)
    layer(torch.as_tensor(X))
    assert layer.get_weights()[2].shape == (2, 15)
    layer = GRU(5, reset_after=False)
    layer(torch.as_tensor(X))
    assert layer.get_weights()[2].shape == (15,)


def test_simple_rnn_passes_check_layer():
    check_layer(
        lambda: SimpleRNN(5, return_sequences=True),
        X,
        (3, 6, 5),
        expected_weight_names=NAMES,
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda **kw: GRU(5, return_sequences=True, **kw),
        lambda **kw: SimpleRNN(5, return_sequences=True, **kw),
        lambda **kw: SimpleRNN(5, activation="relu", return_sequences=True, **kw),
    ],
)
@pytest.mark.parametrize("mask_kind", [None, "end"])
def test_fused_and_loop_paths_agree(make, mask_kind):
    fused, loop = make(), make(use_cudnn=False)
    fused(torch.as_tensor(X))
    loop(torch.as_tensor(X))
    loop.set_weights(fused.get_weights())
    mask = None
    if mask_kind == "end":
        mask = torch.ones(3, 6, dtype=torch.bool)
        mask[0, 3:] = False
    a = fused(torch.as_tensor(X), mask=mask)
    b = loop(torch.as_tensor(X), mask=mask)
    np.testing.assert_allclose(a.detach(), b.detach(), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("layer_class", [GRU, SimpleRNN])
def test_training_false_ignores_dropout(layer_class):
    plain = layer_class(5, return_sequences=True)
    dropping = layer_class(5, return_sequences=True, dropout=0.5, recurrent_dropout=0.5)
    plain(torch.as_tensor(X))
    dropping(torch.as_tensor(X))
    dropping.set_weights(plain.get_weights())
    np.testing.assert_allclose(
        dropping(torch.as_tensor(X), training=False).detach(),
        plain(torch.as_tensor(X)).detach(),
        rtol=1e-5,
        atol=1e-6,
    )
    assert dropping(torch.as_tensor(X), training=True).shape == (3, 6, 5)


def test_rnn_with_stacked_cells_passes_check_layer():
    check_layer(
        lambda: RNN([LSTMCell(5), GRUCell(3)], return_sequences=True),
        X,
        (3, 6, 3),
        expected_num_weights=6,
        check_compile=False,
    )


def test_stacked_cells_weight_paths_nest_like_keras():
    reset_name_counters()
    layer = RNN(StackedRNNCells([LSTMCell(5), SimpleRNNCell(3)]), name="rnn")
    layer(torch.as_tensor(X))
    assert [w.path for w in layer.weights][::3] == [
        "rnn/stacked_rnn_cells/lstm_cell/kernel",
        "rnn/stacked_rnn_cells/simple_rnn_cell/kernel",
    ]


def test_rnn_rejects_non_cell():
    with pytest.raises(ValueError, match="expected cell to be an RNN cell"):
        RNN(Dense(3))


@pytest.mark.parametrize("merge_mode", ["concat", "sum", "mul", "ave", None])
def test_bidirectional_passes_check_layer(merge_mode):
    expected = (3, 6, 10) if merge_mode == "concat" else (3, 6, 5)
    check_layer(
        lambda: Bidirectional(LSTM(5, return_sequences=True), merge_mode=merge_mode),
        X,
        expected if merge_mode else [(3, 6, 5), (3, 6, 5)],
        expected_num_weights=6,
        check_compile=merge_mode == "concat",
    )


def test_bidirectional_weight_paths_and_names():
    layer = Bidirectional(GRU(5), name="bidirectional")
    layer(torch.as_tensor(X))
    assert layer.weights[0].path == "bidirectional/forward_gru/gru_cell/kernel"
    assert layer.weights[3].path == "bidirectional/backward_gru/gru_cell/kernel"


def test_bidirectional_rejects_bad_merge_mode_and_same_direction():
    with pytest.raises(ValueError, match="merge_mode"):
        Bidirectional(LSTM(3), merge_mode="max")
    with pytest.raises(ValueError, match="different go_backwards"):
        Bidirectional(LSTM(3), backward_layer=LSTM(3))


def test_bidirectional_custom_backward_layer():
    layer = Bidirectional(LSTM(3), backward_layer=GRU(3, go_backwards=True))
    assert layer(torch.as_tensor(X)).shape == (3, 6)


def test_time_distributed_passes_check_layer():
    check_layer(
        lambda: TimeDistributed(Dense(7)),
        X,
        (3, 6, 7),
        expected_weight_names=["kernel", "bias"],
    )


def test_time_distributed_rejects_2d_input():
    with pytest.raises(ValueError, match="at least 3 axes"):
        TimeDistributed(Dense(2))(torch.ones(2, 3))
