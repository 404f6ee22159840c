"""`Adam`: adaptive moment estimation, with Keras's epsilon placement."""

import math
from typing import Any

import torch

from lamina.optimizers._docs import with_base_arguments
from lamina.optimizers.optimizer import LearningRate
from lamina.optimizers.optimizer import Optimizer


@with_base_arguments
class Adam(Optimizer):
    """Adam: per-weight step sizes from running moments of the gradient.

    `m = beta_1 * m + (1 - beta_1) * g`, `v = beta_2 * v + (1 - beta_2) * g**2`,
    `w = w - lr * sqrt(1 - beta_2**t) / (1 - beta_1**t) * m / (sqrt(v) + epsilon)`.
    Epsilon is added outside the bias correction, as in Keras (and unlike
    `torch.optim.Adam`). See [Kingma & Ba, 2014](https://arxiv.org/abs/1412.6980).

    Args:
        learning_rate: Float, schedule or callable. Defaults to `0.001`.
        beta_1: Float, decay of the first moment. Defaults to `0.9`.
        beta_2: Float, decay of the second moment. Defaults to `0.999`.
        epsilon: Float, added to the denominator. Defaults to `1e-7`.
        amsgrad: Bool, use the running maximum of `v` (AMSGrad). Defaults to
            `False`.
        {base_arguments}

    Example:
    >>> weight = torch.nn.Parameter(torch.zeros(2))
    >>> _ = Adam(learning_rate=0.1).apply_gradients([(torch.ones(2), weight)])
    >>> [round(x, 4) for x in weight.tolist()]
    [-0.1, -0.1]
    """

    def __init__(
        self,
        learning_rate: LearningRate = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        use_ema: bool = False,
        ema_momentum: float = 0.99,
        ema_overwrite_frequency: int | None = None,
        loss_scale_factor: float | None = None,
        gradient_accumulation_steps: int | None = None,
        name: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(
            learning_rate=learning_rate,
            weight_decay=weight_decay,
            clipnorm=clipnorm,
            clipvalue=clipvalue,
            global_clipnorm=global_clipnorm,
            use_ema=use_ema,
            ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps,
            name=name,
            **kwargs,
        )
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.amsgrad = amsgrad

    def build(self, variables: list[torch.Tensor]) -> None:
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(
            variables, ["momentum", "velocity"]
        )
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(
                variables, "velocity_hat"
            )

    def _multi_tensor_update(self, grads, variables, learning_rate) -> None:
        if _can_fuse(variables) and not torch.compiler.is_compiling():
            self._fused_update(grads, variables, learning_rate)
            return
        momentums = self._gather(self._momentums)
        velocities = self._gather(self._velocities)
        step = (self.iterations + 1).to(learning_rate.dtype)
        beta_1_power = torch.pow(torch.full_like(step, self.beta_1), step)
        beta_2_power = torch.pow(torch.full_like(step, self.beta_2), step)
        alpha = learning_rate * torch.sqrt(1 - beta_2_power) / (1 - beta_1_power)
        torch._foreach_mul_(momentums, self.beta_1)
        torch._foreach_add_(momentums, grads, alpha=1 - self.beta_1)
        torch._foreach_mul_(velocities, self.beta_2)
        torch._foreach_addcmul_(velocities, grads, grads, value=1 - self.beta_2)
        if self.amsgrad:
            velocity_hats = self._gather(self._velocity_hats)
            torch._foreach_maximum_(velocity_hats, velocities)
            velocities = velocity_hats
        denominators = torch._foreach_sqrt(velocities)
        torch._foreach_add_(denominators, self.epsilon)
        steps = torch._foreach_mul(momentums, alpha)
        torch._foreach_div_(steps, denominators)
        torch._foreach_sub_(variables, steps)

    def _fused_update(self, grads, variables, learning_rate) -> None:
        """Keras's Adam step through PyTorch's fused kernel (one pass per weight).

        PyTorch adds epsilon after dividing by `sqrt(1 - beta_2**t)`, Keras
        before; passing `epsilon / sqrt(1 - beta_2**t)` makes them equal. The
        step count comes from the host copy of `iterations`, so no sync.
        """
        step = self._host_iteration_count() + 1
        epsilon = self.epsilon / math.sqrt(1.0 - self.beta_2**step)
        step_tensor = torch.full((), float(step), device=variables[0].device)
        velocity_hats = self._gather(self._velocity_hats) if self.amsgrad else []
        torch._fused_adam_(
            variables,
            grads,
            self._gather(self._momentums),
            self._gather(self._velocities),
            velocity_hats,
            [step_tensor] * len(variables),
            lr=learning_rate,
            beta1=self.beta_1,
            beta2=self.beta_2,
            weight_decay=0.0,
            eps=epsilon,
            amsgrad=self.amsgrad,
            maximize=False,
        )

    def get_config(self) -> dict[str, Any]:
        config = {
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
            "amsgrad": self.amsgrad,
        }
        return {**super().get_config(), **config}


def _can_fuse(variables: list[torch.Tensor]) -> bool:
    """Whether PyTorch's fused Adam kernel can update these weights at once."""
    if not hasattr(torch, "_fused_adam_") or not variables:
        return False
    device = variables[0].device
    return device.type in ("cpu", "cuda") and all(
        v.device == device and v.dtype in _FUSED_DTYPES for v in variables
    )


_FUSED_DTYPES = (torch.float16, torch.bfloat16, torch.float32, torch.float64)
