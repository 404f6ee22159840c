"""`Adadelta`: step sizes from running averages of gradients and updates."""

from typing import Any

import torch

from lamina.optimizers._docs import with_base_arguments
from lamina.optimizers.optimizer import LearningRate
from lamina.optimizers.optimizer import Optimizer


@with_base_arguments
class Adadelta(Optimizer):
    """Adadelta: adapts the step from moving windows of gradients and updates.

    `a = rho * a + (1 - rho) * g**2`,
    `d = -sqrt(u + epsilon) / sqrt(a + epsilon) * g`,
    `u = rho * u + (1 - rho) * d**2`, `w = w + lr * d`.
    See [Zeiler, 2012](https://arxiv.org/abs/1212.5701).

    Args:
        learning_rate: Float, schedule or callable. Defaults to `0.001`.
        rho: Float, the decay rate. Defaults to `0.95`.
        epsilon: Float, added inside the square roots. Defaults to `1e-7`.
        {base_arguments}

    Example:
    >>> weight = torch.nn.Parameter(torch.zeros(1))
    >>> _ = Adadelta(learning_rate=1.0).apply_gradients([(torch.ones(1), weight)])
    >>> round(weight.item(), 6)
    -0.001414
    """

    def __init__(
        self,
        learning_rate: LearningRate = 0.001,
        rho: float = 0.95,
        epsilon: float = 1e-7,
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
        self.rho = rho
        self.epsilon = epsilon

    def build(self, variables: list[torch.Tensor]) -> None:
        if self.built:
            return
        super().build(variables)
        self._accumulated_grads, self._accumulated_delta_vars = (
            self.add_optimizer_variables(
                variables, ["accumulated_grad", "accumulated_delta_var"]
            )
        )

    def _multi_tensor_update(self, grads, variables, learning_rate) -> None:
        accumulated_grads = self._gather(self._accumulated_grads)
        accumulated_deltas = self._gather(self._accumulated_delta_vars)
        torch._foreach_mul_(accumulated_grads, self.rho)
        torch._foreach_addcmul_(accumulated_grads, grads, grads, value=1 - self.rho)
        delta_rms = torch._foreach_add(accumulated_deltas, self.epsilon)
        torch._foreach_sqrt_(delta_rms)
        grad_rms = torch._foreach_add(accumulated_grads, self.epsilon)
        torch._foreach_sqrt_(grad_rms)
        deltas = torch._foreach_mul(delta_rms, grads)
        torch._foreach_div_(deltas, grad_rms)
        torch._foreach_neg_(deltas)
        torch._foreach_mul_(accumulated_deltas, self.rho)
        torch._foreach_addcmul_(accumulated_deltas, deltas, deltas, value=1 - self.rho)
        torch._foreach_mul_(deltas, learning_rate)
        torch._foreach_add_(variables, deltas)

    def get_config(self) -> dict[str, Any]:
        config = {
            "rho": self.rho,
            "epsilon": self.epsilon,
        }
        return {**super().get_config(), **config}
