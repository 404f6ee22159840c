"""The LSTM time loop with a hand-derived backward pass.

Used when PyTorch's fused kernel cannot run the layer (recurrent dropout, or a
mask with gaps). The input projection `inputs @ kernel + bias` is computed for
all steps outside (by autograd); this function runs only the recurrent part:

    z_t = projected_t + (h_{t-1} * recurrent_mask) @ recurrent_kernel
    i, f, g, o = sigmoid(z_i), sigmoid(z_f), tanh(z_c), sigmoid(z_o)
    c_t = f * c_{t-1} + i * g;  h_t = o * tanh(c_t)

The caller passes the c block of `projected` and `recurrent_kernel` doubled
(see `double_candidate_block`): one sigmoid then serves all four gates, with
`tanh(x) = 2 * sigmoid(2 * x) - 1`; PyTorch's CPU tanh is several times
slower than its sigmoid at these sizes (measured in `bench/lstm_kernels.py`).

Autograd would record about fifteen nodes per step; the backward below runs
one matmul and a few fused element-wise ops per step instead, and computes
the recurrent kernel's gradient with one matmul over all steps (issue 5, W2).

On CPU (float32, float64) both loops run in C, one call per sequence
(`_rnn_native`): no per-step dispatch, and the gate nonlinearities and cell
update in one pass per step. That halves W2's loop time; the PyTorch loops
below remain for GPUs, other dtypes and machines without a C compiler.
"""

from typing import Any

import torch

from lamina.layers.recurrent import _rnn_native

Tensor = torch.Tensor


class LSTMSequence(torch.autograd.Function):
    """`(h for every step (time, batch, units), last h, last c)` of an LSTM.

    Inputs: `projected (time, batch, 4 * units)`, `h0`, `c0 (batch, units)`,
    `recurrent_kernel (units, 4 * units)` in Keras gate order i, f, c, o,
    `recurrent_mask (batch, units)` or `None`, and `step_mask (time, batch,
    1)` boolean or `None` (masked steps keep the previous h and c).

    On CPU in float32/float64 both loops run in C (`_rnn_native`), else
    in PyTorch ops (`_forward_torch`, `_backward_torch`); both compute the
    same arithmetic.
    """

    @staticmethod
    def forward(
        ctx: Any,
        projected: Tensor,
        h0: Tensor,
        c0: Tensor,
        recurrent_kernel: Tensor,
        recurrent_mask: Tensor | None,
        step_mask: Tensor | None,
    ) -> tuple[Tensor, Tensor, Tensor]:
        ctx.set_materialize_grads(False)
        steps, batch, width = projected.shape
        units = width // 4
        gates = projected.new_empty(steps, batch, width)  # activated i, f, g, o
        tanh_c = projected.new_empty(steps, batch, units)
        hs = projected.new_empty(steps + 1, batch, units)
        cs = projected.new_empty(steps + 1, batch, units)
        hs[0] = h0
        cs[0] = c0
        ctx.is_native = _rnn_native.is_supported(
            projected, recurrent_kernel, recurrent_mask
        )
        if ctx.is_native:
            recurrent_kernel = recurrent_kernel.contiguous()
            recurrent_mask = _contiguous(recurrent_mask)
            if step_mask is not None:
                step_mask = step_mask.reshape(steps, batch).to(torch.uint8).contiguous()
            projected = projected.contiguous()
            run = _rnn_native.lstm_forward
        else:
            run = _forward_torch
        run(
            projected,
            recurrent_mask,
            step_mask,
            recurrent_kernel,
            gates,
            tanh_c,
            hs,
            cs,
        )
        ctx.save_for_backward(gates, tanh_c, hs, cs, recurrent_kernel)
        ctx.recurrent_mask = recurrent_mask
        ctx.step_mask = step_mask
        return hs[1:], hs[-1].clone(), cs[-1].clone()

    @staticmethod
    def backward(
        ctx: Any, grad_hs: Tensor | None, grad_h: Tensor | None, grad_c: Tensor | None
    ) -> tuple:
        gates, tanh_c, hs, cs, recurrent_kernel = ctx.saved_tensors
        recurrent_mask = ctx.recurrent_mask
        steps, batch, width = gates.shape
        units = width // 4
        grad_z = gates.new_empty(steps, batch, width)
        dh = torch.zeros_like(hs[0]) if grad_h is None else _contiguous_copy(grad_h)
        dc = torch.zeros_like(cs[0]) if grad_c is None else _contiguous_copy(grad_c)
        if ctx.is_native:
            _rnn_native.lstm_backward(
                _contiguous(grad_hs),
                recurrent_mask,
                ctx.step_mask,
                recurrent_kernel,
                gates,
                tanh_c,
                cs,
                dh,
                dc,
                grad_z,
            )
        else:
            dh, dc = _backward_torch(
                grad_hs,
                recurrent_mask,
                ctx.step_mask,
                recurrent_kernel,
                gates,
                tanh_c,
                cs,
                dh,
                dc,
                grad_z,
            )
        previous = hs[:-1] if recurrent_mask is None else hs[:-1] * recurrent_mask
        grad_kernel = torch.mm(
            previous.reshape(-1, units).t(), grad_z.reshape(-1, width)
        )  # (units, 4 * units)
        return grad_z, dh, dc, grad_kernel, None, None


def _contiguous(tensor: Tensor | None) -> Tensor | None:
    return None if tensor is None else tensor.contiguous()


def _contiguous_copy(tensor: Tensor) -> Tensor:
    """A row-major copy: the C loop writes the state gradients in place."""
    return tensor.clone(memory_format=torch.contiguous_format)


def _forward_torch(
    projected: Tensor,
    recurrent_mask: Tensor | None,
    step_mask: Tensor | None,
    recurrent_kernel: Tensor,
    gates: Tensor,
    tanh_c: Tensor,
    hs: Tensor,
    cs: Tensor,
) -> None:
    """The forward loop in PyTorch ops; arguments as `lstm_native.lstm_forward`."""
    for t in range(projected.shape[0]):
        h = hs[t] if recurrent_mask is None else hs[t] * recurrent_mask
        z = torch.mm(h, recurrent_kernel).add_(projected[t])  # (batch, 4 * units)
        act = torch.sigmoid(z, out=gates[t])
        i, f, g, o = act.chunk(4, 1)
        g.mul_(2).sub_(1)  # tanh(x) = 2 * sigmoid(2 * x) - 1, z_c is doubled
        c = torch.mul(f, cs[t], out=cs[t + 1]).addcmul_(i, g)
        tanh = torch.mul(c, 2, out=tanh_c[t]).sigmoid_().mul_(2).sub_(1)
        torch.mul(o, tanh, out=hs[t + 1])
        if step_mask is not None:
            torch.where(step_mask[t], c, cs[t], out=cs[t + 1])
            torch.where(step_mask[t], hs[t + 1], hs[t], out=hs[t + 1])


def _backward_torch(
    grad_hs: Tensor | None,
    recurrent_mask: Tensor | None,
    step_mask: Tensor | None,
    recurrent_kernel: Tensor,
    gates: Tensor,
    tanh_c: Tensor,
    cs: Tensor,
    dh: Tensor,
    dc: Tensor,
    grad_z: Tensor,
) -> tuple[Tensor, Tensor]:
    """The backward loop in PyTorch ops; fills `grad_z`, returns h0's, c0's grads."""
    steps, batch, width = gates.shape
    units = width // 4
    partners, dc_from_h = _backward_factors(gates, tanh_c, cs)
    scale = gates.new_empty(batch, 4, units)  # [dc, dc, dc, dh] per step
    kernel_t = recurrent_kernel.t().contiguous()  # (4 * units, units)
    forget = gates[..., units : 2 * units]
    for t in range(steps - 1, -1, -1):
        if grad_hs is not None:
            dh = dh + grad_hs[t]
        if step_mask is not None:
            keep = step_mask[t]
            dh_carry = torch.where(keep, 0.0, dh)
            dc_carry = torch.where(keep, 0.0, dc)
            dh = torch.where(keep, dh, 0.0)
            dc = torch.where(keep, dc, 0.0)
        dc = torch.addcmul(dc, dh, dc_from_h[t])
        scale[:, :3] = dc[:, None]
        scale[:, 3] = dh
        dz = torch.mul(scale.view(batch, width), partners[t], out=grad_z[t])
        dc = dc * forget[t]
        dh = torch.mm(dz, kernel_t)
        if recurrent_mask is not None:
            dh = dh * recurrent_mask
        if step_mask is not None:
            dh = dh + dh_carry
            dc = dc + dc_carry
    return dh, dc


def _backward_factors(
    gates: Tensor, tanh_c: Tensor, cs: Tensor
) -> tuple[Tensor, Tensor]:
    """Per-step factors of the backward pass, computed for all steps at once.

    `dz = [dc, dc, dc, dh] * partners`, with `partners = [g * i', c_prev *
    f', i * g', tanh(c) * o']` (`'` the activation's slope), and `dc +=
    dh * dc_from_h` with `dc_from_h = o * (1 - tanh(c)^2)`.
    """
    units = tanh_c.shape[-1]
    i, f, g, o = gates.chunk(4, -1)
    slopes = gates * (1 - gates)  # sigmoid slopes; the g block is replaced below
    partners = torch.empty_like(gates)
    p_i, p_f, p_g, p_o = partners.chunk(4, -1)
    torch.mul(g, slopes[..., :units], out=p_i)
    torch.mul(cs[:-1], slopes[..., units : 2 * units], out=p_f)
    torch.mul(i, (1 - g * g) / 2, out=p_g)  # z_c is doubled: d g / d z_c = ...
    torch.mul(tanh_c, slopes[..., 3 * units :], out=p_o)
    dc_from_h = o * (1 - tanh_c * tanh_c)
    return partners, dc_from_h


def double_candidate_block(units: int, like: Tensor) -> Tensor:
    """`[1, 1, 2, 1]` repeated per unit: scales the c block of the weights."""
    scale = like.new_ones(4, units)
    scale[2] = 2
    return scale.reshape(4 * units)


def lstm_sequence(
    projected: Tensor,
    h0: Tensor,
    c0: Tensor,
    recurrent_kernel: Tensor,
    recurrent_mask: Tensor | None,
    step_mask: Tensor | None,
) -> tuple[Tensor, Tensor, Tensor]:
    """Runs `LSTMSequence`; see its docstring for the arguments.

    `projected` and `recurrent_kernel` have their c block doubled
    (`double_candidate_block`).
    """
    return LSTMSequence.apply(
        projected, h0, c0, recurrent_kernel, recurrent_mask, step_mask
    )
