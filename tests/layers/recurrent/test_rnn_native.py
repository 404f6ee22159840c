import numpy as np
import pytest
import torch

from lamina.layers import GRU
from lamina.layers import LSTM
from lamina.layers.recurrent import _rnn_native
from lamina.layers.recurrent._gru_loop import gru_sequence
from lamina.layers.recurrent._lstm_loop import double_candidate_block
from lamina.layers.recurrent._lstm_loop import lstm_sequence

needs_compiler = pytest.mark.skipif(
    _rnn_native.library() is None, reason="no C compiler or no MKL BLAS"
)


def _run_sequence(step_mask_kind, with_sequence_grad):
    generator = torch.Generator().manual_seed(0)
    steps, batch, units = 7, 3, 5
    projected = torch.randn(steps, batch, 4 * units, generator=generator)
    h0 = torch.randn(batch, units, generator=generator)
    c0 = torch.randn(batch, units, generator=generator)
    kernel = torch.randn(units, 4 * units, generator=generator) * 0.3
    inputs = [t.requires_grad_(True) for t in (projected, h0, c0, kernel)]
    recurrent_mask = (torch.rand(batch, units, generator=generator) > 0.3) / 0.7
    step_mask = None
    if step_mask_kind == "gaps":
        step_mask = torch.rand(steps, batch, 1, generator=generator) > 0.3
    scale = double_candidate_block(units, projected)
    hs, h, c = lstm_sequence(
        projected * scale, h0, c0, kernel * scale, recurrent_mask, step_mask
    )
    loss = 0.3 * h.sum() + 0.2 * c.sum()
    if with_sequence_grad:
        loss = loss + hs.square().sum()
    return [hs, h, c, *torch.autograd.grad(loss, inputs)]


@needs_compiler
@pytest.mark.parametrize("step_mask_kind", [None, "gaps"])
@pytest.mark.parametrize("with_sequence_grad", [False, True])
def test_rnn_native_loop_matches_torch_loop(
    monkeypatch, step_mask_kind, with_sequence_grad
):
    native = _run_sequence(step_mask_kind, with_sequence_grad)
    monkeypatch.setattr(_rnn_native, "is_supported", lambda *tensors: False)
    reference = _run_sequence(step_mask_kind, with_sequence_grad)
    for a, b in zip(native, reference, strict=True):
        np.testing.assert_allclose(a.detach(), b.detach(), rtol=1e-5, atol=1e-5)


def test_rnn_native_missing_library_falls_back_to_torch_loop(monkeypatch):
    monkeypatch.setattr(_rnn_native, "library", lambda: None)
    layer = LSTM(4, recurrent_dropout=0.5)
    output = layer(torch.ones(2, 3, 5), training=True)
    output.sum().backward()
    assert output.shape == (2, 4) and layer.cell.recurrent_kernel.grad is not None


def test_rnn_native_build_without_compiler_returns_none(monkeypatch):
    monkeypatch.setenv("CC", "no-such-compiler-lamina")
    assert _rnn_native._build() is None


def _gru_outputs_and_grads(layer, inputs, mask):
    torch.manual_seed(1)  # the same dropout masks on both paths
    output = layer(inputs, mask=mask, training=True)
    grads = torch.autograd.grad(output.square().sum(), layer.trainable_weights)
    return [output, *grads]


@needs_compiler
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("mask_kind", [None, "middle"])
@pytest.mark.parametrize("use_bias", [True, False])
def test_gru_native_loop_matches_autograd_loop(
    monkeypatch, go_backwards, mask_kind, use_bias
):
    layer = GRU(
        5,
        return_sequences=True,
        go_backwards=go_backwards,
        use_bias=use_bias,
        dropout=0.3,
        recurrent_dropout=0.3,
        bias_initializer="random_normal",
    )
    inputs = torch.randn(3, 6, 4, generator=torch.Generator().manual_seed(0))
    layer(inputs)  # build first: initializers draw from the global generator
    mask = None
    if mask_kind == "middle":
        mask = torch.ones(3, 6, dtype=torch.bool)
        mask[0, 4:] = False
        mask[1, 2] = False
    native = _gru_outputs_and_grads(layer, inputs, mask)
    monkeypatch.setattr(_rnn_native, "is_supported", lambda *tensors: False)
    reference = _gru_outputs_and_grads(layer, inputs, mask)
    for a, b in zip(native, reference, strict=True):
        np.testing.assert_allclose(a.detach(), b.detach(), rtol=1e-5, atol=1e-5)


@needs_compiler
def test_gru_sequence_gradients_match_finite_differences():
    generator = torch.Generator().manual_seed(0)
    steps, batch, units = 5, 2, 3

    def randn(*shape):
        return torch.randn(*shape, generator=generator, dtype=torch.float64)

    inputs = [randn(steps, batch, 3 * units), randn(batch, units)]
    inputs += [randn(units, 3 * units), randn(3 * units)]
    recurrent_mask = torch.tensor([[2.0, 0, 2], [0, 2, 2]], dtype=torch.float64)
    step_mask = torch.tensor([[1, 1], [0, 1], [1, 0], [1, 1], [0, 0]])
    step_mask = step_mask.to(torch.uint8)
    for tensor in inputs:
        tensor.requires_grad_(True)

    def run(*tensors):
        return gru_sequence(*tensors, recurrent_mask, step_mask)

    assert torch.autograd.gradcheck(run, tuple(inputs))
