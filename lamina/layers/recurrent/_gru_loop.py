"""The GRU time loop with a hand-derived backward pass, run in C.

Used on CPU (float32, float64) when PyTorch's fused kernel cannot run a
standard GRU (recurrent dropout, or a mask with gaps); elsewhere the layer
keeps its step-by-step autograd loop. The input projection `inputs @ kernel +
input_bias` is computed for all steps outside (by autograd); this runs the
recurrent part (Keras's `reset_after=True`, gates z, r, h):

    inner_t = (h_{t-1} * recurrent_mask) @ recurrent_kernel + recurrent_bias
    z = sigmoid(x_z + inner_z);  r = sigmoid(x_r + inner_r)
    n = tanh(x_h + r * inner_h);  h_t = z * h_{t-1} + (1 - z) * n

Both directions are one C call each (`_rnn_native`); the recurrent kernel's
and bias's gradients are one matmul and one sum over all steps (issue 5).
"""

from typing import Any

import torch

from lamina.layers.recurrent import _rnn_native

Tensor = torch.Tensor


class GRUSequence(torch.autograd.Function):
    """`(h for every step (time, batch, units), last h)` of a GRU.

    Inputs: `projected (time, batch, 3 * units)`, `h0 (batch, units)`,
    `recurrent_kernel (units, 3 * units)`, `recurrent_bias (3 * units,)` or
    `None`, `recurrent_mask (batch, units)` or `None`, and `step_mask (time,
    batch)` uint8 or `None` (masked steps keep the previous h). All tensors
    contiguous, on CPU, of one floating dtype (`_rnn_native.is_supported`).
    """

    @staticmethod
    def forward(
        ctx: Any,
        projected: Tensor,
        h0: Tensor,
        recurrent_kernel: Tensor,
        recurrent_bias: Tensor | None,
        recurrent_mask: Tensor | None,
        step_mask: Tensor | None,
    ) -> tuple[Tensor, Tensor]:
        ctx.set_materialize_grads(False)
        steps, batch, width = projected.shape
        units = width // 3
        gates = projected.new_empty(steps, batch, width)  # z, r, n
        inner_h = projected.new_empty(steps, batch, units)
        hs = projected.new_empty(steps + 1, batch, units)
        hs[0] = h0
        _rnn_native.gru_forward(
            projected,
            recurrent_mask,
            step_mask,
            recurrent_kernel,
            recurrent_bias,
            gates,
            inner_h,
            hs,
        )
        ctx.save_for_backward(gates, inner_h, hs, recurrent_kernel)
        ctx.has_bias = recurrent_bias is not None
        ctx.recurrent_mask = recurrent_mask
        ctx.step_mask = step_mask
        return hs[1:], hs[-1].clone()

    @staticmethod
    def backward(ctx: Any, grad_hs: Tensor | None, grad_h: Tensor | None) -> tuple:
        gates, inner_h, hs, recurrent_kernel = ctx.saved_tensors
        recurrent_mask = ctx.recurrent_mask
        steps, batch, width = gates.shape
        units = width // 3
        grad_x = gates.new_empty(steps, batch, width)
        grad_inner = gates.new_empty(steps, batch, width)
        dh = torch.zeros_like(hs[0])
        if grad_h is not None:
            dh.copy_(grad_h)
        _rnn_native.gru_backward(
            None if grad_hs is None else grad_hs.contiguous(),
            recurrent_mask,
            ctx.step_mask,
            recurrent_kernel,
            gates,
            inner_h,
            hs,
            dh,
            grad_x,
            grad_inner,
        )
        previous = hs[:-1] if recurrent_mask is None else hs[:-1] * recurrent_mask
        grad_inner = grad_inner.reshape(-1, width)
        grad_kernel = torch.mm(previous.reshape(-1, units).t(), grad_inner)
        grad_bias = grad_inner.sum(0) if ctx.has_bias else None
        return grad_x, dh, grad_kernel, grad_bias, None, None


def gru_sequence(
    projected: Tensor,
    h0: Tensor,
    recurrent_kernel: Tensor,
    recurrent_bias: Tensor | None,
    recurrent_mask: Tensor | None,
    step_mask: Tensor | None,
) -> tuple[Tensor, Tensor]:
    """Runs `GRUSequence`; see its docstring for the arguments."""
    return GRUSequence.apply(
        projected, h0, recurrent_kernel, recurrent_bias, recurrent_mask, step_mask
    )
