import numpy as np
import pytest
import torch

from lamina.layers import LSTM
from lamina.layers.recurrent._lstm_loop import double_candidate_block
from lamina.layers.recurrent._lstm_loop import lstm_sequence
from lamina.testing import check_layer

X = np.random.default_rng(0).normal(size=(3, 6, 4)).astype("float32")
NAMES = ["kernel", "recurrent_kernel", "bias"]


def test_lstm_fused_passes_check_layer():
    check_layer(lambda: LSTM(5), X, (3, 5), expected_weight_names=NAMES)


def test_lstm_loop_passes_check_layer():
    # torch.compile of the hand-derived autograd.Function loop is slow to
    # trace (a graph break per call), so the compile check runs on the fused path
    check_layer(
        lambda: LSTM(5, return_sequences=True, use_cudnn=False),
        X,
        (3, 6, 5),
        expected_weight_names=NAMES,
        check_compile=False,
    )


def test_lstm_return_state_shapes():
    output, h, c = LSTM(5, return_state=True)(torch.as_tensor(X))
    assert output.shape == h.shape == c.shape == (3, 5)


def _copy_weights(source, target):
    target(torch.as_tensor(X))
    target.set_weights(source.get_weights())


@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("mask_kind", [None, "end", "middle"])
def test_lstm_fused_and_loop_paths_agree(go_backwards, mask_kind):
    fused = LSTM(5, return_sequences=True, go_backwards=go_backwards)
    loop = LSTM(5, return_sequences=True, go_backwards=go_backwards, use_cudnn=False)
    fused(torch.as_tensor(X))
    _copy_weights(fused, loop)
    mask = None
    if mask_kind is not None:
        mask = torch.ones(3, 6, dtype=torch.bool)
        mask[0, 4:] = False
        if mask_kind == "middle":
            mask[1, 2] = False
    outputs = [layer(torch.as_tensor(X), mask=mask) for layer in (fused, loop)]
    np.testing.assert_allclose(
        outputs[0].detach(), outputs[1].detach(), rtol=1e-5, atol=1e-5
    )
    grads = []
    for layer, output in zip((fused, loop), outputs, strict=True):
        grads.append(
            torch.autograd.grad(output.square().sum(), layer.trainable_weights)
        )
    for a, b in zip(*grads, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_lstm_sequence_gradients_match_autograd():
    torch.manual_seed(0)
    steps, batch, units = 5, 2, 3
    projected = torch.randn(steps, batch, 4 * units, dtype=torch.float64)
    h0 = torch.randn(batch, units, dtype=torch.float64)
    c0 = torch.randn(batch, units, dtype=torch.float64)
    kernel = torch.randn(units, 4 * units, dtype=torch.float64)
    recurrent_mask = torch.tensor([[2.0, 0, 2], [0, 2, 2]], dtype=torch.float64)
    step_mask = torch.tensor([1, 0, 1, 1, 0], dtype=torch.bool)[:, None, None].expand(
        steps, batch, 1
    )
    for tensor in (projected, h0, c0, kernel):
        tensor.requires_grad_(True)

    def run(projected, h0, c0, kernel):
        scale = double_candidate_block(units, projected)
        return lstm_sequence(
            projected * scale, h0, c0, kernel * scale, recurrent_mask, step_mask
        )

    assert torch.autograd.gradcheck(run, (projected, h0, c0, kernel))


def test_lstm_training_false_ignores_dropout():
    plain = LSTM(5, return_sequences=True)
    dropping = LSTM(5, return_sequences=True, dropout=0.5, recurrent_dropout=0.5)
    plain(torch.as_tensor(X))
    _copy_weights(plain, dropping)
    expected = plain(torch.as_tensor(X))
    np.testing.assert_allclose(
        dropping(torch.as_tensor(X), training=False).detach(),
        expected.detach(),
        rtol=1e-5,
        atol=1e-6,
    )
    assert not torch.allclose(dropping(torch.as_tensor(X), training=True), expected)


def test_lstm_recurrent_dropout_masks_are_per_sequence():
    torch.manual_seed(0)
    layer = LSTM(5, return_sequences=True, recurrent_dropout=0.5)
    out = layer(torch.as_tensor(X), training=True)
    assert out.shape == (3, 6, 5) and torch.isfinite(out).all()


def test_lstm_rejects_2d_input():
    with pytest.raises(ValueError, match=r"expects input of shape \(batch, timesteps"):
        LSTM(4)(torch.ones(2, 3))


def test_lstm_rejects_bad_units_and_use_cudnn():
    with pytest.raises(ValueError, match="units to be a positive integer"):
        LSTM(0)
    with pytest.raises(ValueError, match="use_cudnn"):
        LSTM(3, use_cudnn="yes")


def test_lstm_use_cudnn_true_refuses_recurrent_dropout():
    layer = LSTM(3, recurrent_dropout=0.2, use_cudnn=True)
    with pytest.raises(ValueError, match="use_cudnn=True"):
        layer(torch.as_tensor(X), training=True)


def test_lstm_unit_forget_bias_initializes_forget_gate_to_one():
    layer = LSTM(3)
    layer(torch.as_tensor(X))
    np.testing.assert_array_equal(layer.get_weights()[2], [0] * 3 + [1] * 3 + [0] * 6)


def test_lstm_stateful_carries_and_resets_states():
    layer = LSTM(3, stateful=True)
    first = layer(torch.as_tensor(X))
    second = layer(torch.as_tensor(X))
    assert not torch.allclose(first, second)
    layer.reset_states()
    np.testing.assert_allclose(
        layer(torch.as_tensor(X)).detach(), first.detach(), rtol=1e-6
    )
    with pytest.raises(ValueError, match="stateful with batch size 3"):
        layer(torch.ones(2, 6, 4))


def test_lstm_initial_state_count_is_checked():
    with pytest.raises(ValueError, match="initial_state holds 1"):
        LSTM(3)(torch.as_tensor(X), initial_state=[torch.zeros(3, 3)])


def test_lstm_return_sequences_propagates_mask():
    inputs = torch.as_tensor(X)
    mask = torch.ones(3, 6, dtype=torch.bool)
    mask[0, 5] = False
    inputs._keras_mask = mask
    assert LSTM(3, return_sequences=True)(inputs)._keras_mask is not None
    assert getattr(LSTM(3)(inputs), "_keras_mask", None) is None
