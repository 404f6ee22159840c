"""`Nadam`: Adam with Nesterov momentum."""

from typing import Any

import torch

from lamina.optimizers._docs import with_base_arguments
from lamina.optimizers.optimizer import LearningRate
from lamina.optimizers.optimizer import Optimizer


@with_base_arguments
class Nadam(Optimizer):
    """Nadam: Adam with Nesterov momentum and a momentum schedule.

    The momentum at step `t` is `u_t = beta_1 * (1 - 0.5 * 0.96**t)`; the update
    uses `m_hat = u_{t+1} * m / (1 - prod(u_1..u_{t+1})) + (1 - u_t) * g /
    (1 - prod(u_1..u_t))` and `v_hat = v / (1 - beta_2**t)`:
    `w = w - lr * m_hat / (sqrt(v_hat) + epsilon)`.
    See [Dozat, 2015](http://cs229.stanford.edu/proj2015/054_report.pdf).

    Args:
        learning_rate: Float, schedule or callable. Defaults to `0.001`.
        beta_1: Float, decay of the first moment. Defaults to `0.9`.
        beta_2: Float, decay of the second moment. Defaults to `0.999`.
        epsilon: Float, added to the denominator. Defaults to `1e-7`.
        {base_arguments}

    Example:
    >>> weight = torch.nn.Parameter(torch.zeros(1))
    >>> _ = Nadam(learning_rate=0.1).apply_gradients([(torch.ones(1), weight)])
    >>> round(weight.item(), 4)
    -0.1063
    """

    def __init__(
        self,
        learning_rate: LearningRate = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
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
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, variables: list[torch.Tensor]) -> None:
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(
            variables, ["momentum", "velocity"]
        )
        dtype = variables[0].dtype if variables else None
        # The running product of the momentum schedule, last as in Keras.
        self._u_product = self.add_variable((), initializer="ones", dtype=dtype)

    def _multi_tensor_update(self, grads, variables, learning_rate) -> None:
        momentums = self._gather(self._momentums)
        velocities = self._gather(self._velocities)
        step = (self.iterations + 1).to(self._u_product.dtype)
        decay = torch.full_like(step, 0.96)
        u_t = self.beta_1 * (1.0 - 0.5 * torch.pow(decay, step))
        u_t_next = self.beta_1 * (1.0 - 0.5 * torch.pow(decay, step + 1))
        u_product = self._u_product * u_t
        u_product_next = u_product * u_t_next
        beta_2_power = torch.pow(torch.full_like(step, self.beta_2), step)
        self._u_product.copy_(u_product)
        torch._foreach_mul_(momentums, self.beta_1)
        torch._foreach_add_(momentums, grads, alpha=1 - self.beta_1)
        torch._foreach_mul_(velocities, self.beta_2)
        torch._foreach_addcmul_(velocities, grads, grads, value=1 - self.beta_2)
        m_hat = torch._foreach_mul(momentums, u_t_next)
        torch._foreach_div_(m_hat, 1 - u_product_next)
        grad_part = torch._foreach_mul(grads, 1 - u_t)
        torch._foreach_div_(grad_part, 1 - u_product)
        torch._foreach_add_(m_hat, grad_part)
        denominators = torch._foreach_div(velocities, 1 - beta_2_power)
        torch._foreach_sqrt_(denominators)
        torch._foreach_add_(denominators, self.epsilon)
        torch._foreach_mul_(m_hat, learning_rate)
        torch._foreach_div_(m_hat, denominators)
        torch._foreach_sub_(variables, m_hat)

    def get_config(self) -> dict[str, Any]:
        config = {
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
        }
        return {**super().get_config(), **config}
