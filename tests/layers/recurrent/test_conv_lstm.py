import numpy as np
import pytest
import torch

import lamina.layers
from lamina.layers.recurrent.conv_lstm1d import ConvLSTM1D
from lamina.layers.recurrent.conv_lstm2d import ConvLSTM2D
from lamina.layers.recurrent.conv_lstm3d import ConvLSTM3D
from lamina.layers.recurrent.conv_lstm_cell import ConvLSTMCell
from lamina.testing import check_layer

NAMES = ["kernel", "recurrent_kernel", "bias"]
RNG = np.random.default_rng(0)
X1 = RNG.normal(size=(2, 3, 6, 2)).astype("float32")  # (batch, time, steps, c)
X2 = RNG.normal(size=(2, 3, 5, 5, 2)).astype("float32")
X3 = RNG.normal(size=(2, 2, 4, 4, 3, 2)).astype("float32")


def test_conv_lstm1d_passes_check_layer():
    check_layer(
        lambda: ConvLSTM1D(3, 3, padding="same", return_sequences=True),
        X1,
        (2, 3, 6, 3),
        expected_weight_names=NAMES,
    )


def test_conv_lstm2d_return_state_with_dropout_passes_check_layer():
    # one torch.compile check per family (above) keeps the suite fast
    check_layer(
        lambda: ConvLSTM2D(3, 2, return_state=True, dropout=0.3, recurrent_dropout=0.2),
        X2,
        [(2, 4, 4, 3)] * 3,
        expected_weight_names=NAMES,
        check_compile=False,
    )


def test_conv_lstm3d_channels_first_passes_check_layer():
    x = np.moveaxis(X3, -1, 2)  # (batch, time, channels, d1, d2, d3)
    check_layer(
        lambda: ConvLSTM3D(2, 2, data_format="channels_first", go_backwards=True),
        x,
        (2, 2, 3, 3, 2),
        expected_weight_names=NAMES,
        check_compile=False,
    )


def test_conv_lstm_weight_layout_and_paths():
    layer = ConvLSTM2D(4, (3, 2), name="clstm")
    layer(torch.as_tensor(X2))
    shapes = [tuple(w.shape) for w in layer.weights]
    assert shapes == [(3, 2, 2, 16), (3, 2, 4, 16), (16,)]
    assert layer.weights[0].path == "clstm/conv_lstm_cell/kernel"


def test_conv_lstm_unit_forget_bias_sets_forget_gate_to_one():
    layer = ConvLSTM1D(2, 3, bias_initializer="zeros")
    layer(torch.as_tensor(X1))
    np.testing.assert_array_equal(layer.cell.bias.numpy(), [0, 0, 1, 1, 0, 0, 0, 0])
    plain = ConvLSTM1D(2, 3, unit_forget_bias=False)
    plain(torch.as_tensor(X1))
    assert not plain.cell.bias.numpy().any()


def _reference_loop(layer, x, mask=None):
    """Steps the cell by hand with Keras's masking rule."""
    cell = layer.cell
    h, c = cell.get_initial_state(x.shape[0])
    outputs = []
    for t in range(x.shape[1]):
        out, (new_h, new_c) = cell(x[:, t], [h, c])
        keep = torch.ones(x.shape[0], dtype=torch.bool) if mask is None else mask[:, t]
        keep = keep.view(-1, *[1] * (out.ndim - 1))
        previous = outputs[-1] if outputs else torch.zeros_like(out)
        outputs.append(torch.where(keep, out, previous))
        h, c = torch.where(keep, new_h, h), torch.where(keep, new_c, c)
    return torch.stack(outputs, 1), h, c


@pytest.mark.parametrize("use_mask", [False, True])
def test_conv_lstm_matches_stepping_the_cell(use_mask):
    layer = ConvLSTM2D(3, 3, padding="same", return_sequences=True, return_state=True)
    x = torch.as_tensor(X2)
    mask = None
    if use_mask:
        mask = torch.tensor([[True, False, True], [False, True, True]])
    outputs, h, c = layer(x, mask=mask)
    expected = _reference_loop(layer, x, mask)
    for actual, wanted in zip((outputs, h, c), expected, strict=True):
        np.testing.assert_allclose(actual.detach(), wanted.detach(), atol=1e-6)


def test_conv_lstm_go_backwards_reads_the_reversed_sequence():
    forward = ConvLSTM2D(3, 2, return_sequences=True)
    backward = ConvLSTM2D(3, 2, return_sequences=True, go_backwards=True)
    x = torch.as_tensor(X2)
    forward(x)
    backward(x)
    backward.set_weights(forward.get_weights())
    np.testing.assert_allclose(
        backward(x).detach(), forward(x.flip(1)).detach(), atol=1e-6
    )


def test_conv_lstm_initial_state_and_stateful():
    layer = ConvLSTM1D(2, 3, stateful=True, return_state=True)
    x = torch.as_tensor(X1)
    _, h, c = layer(x)
    plain = ConvLSTM1D(2, 3, return_state=True)
    plain(x)
    plain.set_weights(layer.get_weights())
    second = layer(x)
    continued = plain(x, initial_state=[h, c])
    for a, b in zip(second, continued, strict=True):
        np.testing.assert_allclose(a.detach(), b.detach(), atol=1e-6)
    layer.reset_states()
    assert not layer.states[0].any()


def test_conv_lstm_output_mask_follows_return_sequences():
    x = torch.as_tensor(X1)
    mask = torch.tensor([[True, True, False], [True, False, False]])
    sequences = ConvLSTM1D(2, 3, return_sequences=True)(x, mask=mask)
    assert torch.equal(sequences._keras_mask, mask)
    assert getattr(ConvLSTM1D(2, 3)(x, mask=mask), "_keras_mask", None) is None


def test_conv_lstm_dropout_only_in_training():
    layer = ConvLSTM2D(3, 2, dropout=0.5, recurrent_dropout=0.5)
    x = torch.as_tensor(X2)
    inference = layer(x)
    np.testing.assert_array_equal(layer(x).detach(), inference.detach())
    assert not torch.allclose(layer(x, training=True), inference)


def test_conv_lstm_dropout_uses_one_mask_per_gate_and_sequence():
    layer = ConvLSTM1D(2, 3, dropout=0.5)
    layer(torch.as_tensor(X1))
    ones = torch.ones(2, 4, 6, 2)
    projected, _ = layer.cell._loop_parts(ones, training=True)
    clean, _ = layer.cell._loop_parts(ones, training=False)
    # one mask for every time step: all steps see the same projection
    assert torch.equal(projected[:, 0], projected[:, 3])
    assert not torch.equal(projected, clean)


def test_conv_lstm_cell_config_round_trip():
    cell = ConvLSTMCell(2, 4, 3, strides=2, padding="same")
    rebuilt = ConvLSTMCell.from_config(cell.get_config())
    assert rebuilt.get_config() == cell.get_config()


def test_conv_lstm_exposes_cell_arguments():
    layer = ConvLSTM2D(4, 3, padding="same", dropout=0.25)
    assert (layer.filters, layer.kernel_size, layer.padding) == (4, (3, 3), "same")
    assert layer.dropout == 0.25


@pytest.mark.parametrize(
    ("kwargs", "phrase"),
    [
        ({"filters": 0, "kernel_size": 3}, "filters to be a positive integer"),
        ({"filters": 2, "kernel_size": (3, 3, 3)}, "kernel_size"),
        ({"filters": 2, "kernel_size": 3, "padding": "causal"}, "padding"),
        ({"filters": 2, "kernel_size": 3, "dropout": 1.5}, "dropout to be a float"),
        (
            {"filters": 2, "kernel_size": 3, "strides": 2, "dilation_rate": 2},
            "cannot combine strides",
        ),
    ],
)
def test_conv_lstm_rejects_bad_arguments(kwargs, phrase):
    with pytest.raises(ValueError, match=phrase) as info:
        ConvLSTM2D(**kwargs)
    assert "ConvLSTM2D" in str(info.value)


def test_conv_lstm_rejects_wrong_rank():
    with pytest.raises(ValueError, match=r"expects a 5-D input \(batch, time, height"):
        ConvLSTM2D(2, 3)(torch.ones(2, 3, 5, 2))


def test_conv_lstm_rejects_unknown_spatial_size():
    inputs = lamina.layers.Input(batch_shape=(None, 3, None, 5, 2))
    with pytest.raises(ValueError, match="needs fixed sizes"):
        ConvLSTM2D(2, 3)(inputs)


def test_conv_lstm_rejects_kernel_larger_than_input():
    with pytest.raises(ValueError, match="larger than the input"):
        ConvLSTM1D(2, 7)(torch.as_tensor(X1))


def test_conv_lstm_cell_rejects_bad_rank_and_unknown_sizes():
    with pytest.raises(ValueError, match="expected rank to be 1, 2 or 3"):
        ConvLSTMCell(4, 2, 3)
    with pytest.raises(ValueError, match="needs fixed spatial sizes"):
        ConvLSTMCell(2, 2, 3).build((None, None, 5, 2))
