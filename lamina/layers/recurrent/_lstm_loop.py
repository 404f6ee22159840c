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
"""

from typing import Any

import torch

Tensor = torch.Tensor


class LSTMSequence(torch.autograd.Function):
    """`(h for every step (time, batch, units), last h, last c)` of an LSTM.

    Inputs: `projected (time, batch, 4 * units)`, `h0`, `c0 (batch, units)`,
    `recurrent_kernel (units, 4 * units)` in Keras gate order i, f, c, o,
    `recurrent_mask (batch, units)` or `None`, and `step_mask (time, batch,
    1)` boolean or `None` (masked steps keep the previous h and c).
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
        for t in range(steps):
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
        ctx.save_for_backward(gates, tanh_c, hs, cs, recurrent_kernel)
        ctx.recurrent_mask = recurrent_mask
        ctx.step_mask = step_mask
        return hs[1:], hs[-1].clone(), cs[-1].clone()

    @staticmethod
    def backward(
        ctx: Any, grad_hs: Tensor | None, grad_h: Tensor | None, grad_c: Tensor | None
    ) -> tuple:
        gates, tanh_c, hs, cs, recurrent_kernel = ctx.saved_tensors
        recurrent_mask, step_mask = ctx.recurrent_mask, ctx.step_mask
        steps, batch, width = gates.shape
        units = width // 4
        partners, dc_from_h = _backward_factors(gates, tanh_c, cs)
        grad_z = gates.new_empty(steps, batch, width)
        scale = gates.new_empty(batch, 4, units)  # [dc, dc, dc, dh] per step
        dh = torch.zeros_like(hs[0]) if grad_h is None else grad_h.clone()
        dc = torch.zeros_like(cs[0]) if grad_c is None else grad_c.clone()
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
        previous = hs[:-1] if recurrent_mask is None else hs[:-1] * recurrent_mask
        grad_kernel = torch.mm(
            previous.reshape(-1, units).t(), grad_z.reshape(-1, width)
        )  # (units, 4 * units)
        return grad_z, dh, dc, grad_kernel, None, None


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
