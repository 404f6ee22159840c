"""`Adafactor`: Adam-like steps with factored second moments."""

from typing import Any

import torch

from lamina.optimizers._docs import with_base_arguments
from lamina.optimizers.optimizer import LearningRate
from lamina.optimizers.optimizer import Optimizer


@with_base_arguments
class Adafactor(Optimizer):
    """Adafactor: memory-light adaptive steps from factored second moments.

    Weights with 2 or more axes keep running means of the squared gradient over
    their last axis (`r`) and second-to-last axis (`c`) instead of a full
    second moment; the update is clipped to an RMS of `clip_threshold` and
    scaled by the weight's own RMS.
    See [Shazeer & Stern, 2018](https://arxiv.org/abs/1804.04235).

    Args:
        learning_rate: Float, schedule or callable. Defaults to `0.001`.
        beta_2_decay: Float, the decay exponent of `beta_2`. Defaults to `-0.8`.
        epsilon_1: Float, added to squared gradients. Defaults to `1e-30`.
        epsilon_2: Float, the smallest weight RMS used to scale steps.
            Defaults to `1e-3`.
        clip_threshold: Float, the update RMS limit. Defaults to `1.0`.
        relative_step: Bool; with a float `learning_rate`, cap the rate by
            `1 / sqrt(step)`. Defaults to `True`.
        {base_arguments}

    Example:
    >>> weight = torch.nn.Parameter(torch.ones(2, 2))
    >>> _ = Adafactor(learning_rate=0.1).apply_gradients([(torch.ones(2, 2), weight)])
    >>> [round(x, 4) for x in weight[0].tolist()]
    [0.9, 0.9]
    """

    def __init__(
        self,
        learning_rate: LearningRate = 0.001,
        beta_2_decay: float = -0.8,
        epsilon_1: float = 1e-30,
        epsilon_2: float = 1e-3,
        clip_threshold: float = 1.0,
        relative_step: bool = True,
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
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def build(self, variables: list[torch.Tensor]) -> None:
        if self.built:
            return
        super().build(variables)
        self._r, self._c, self._v = [], [], []
        for variable in variables:
            if variable.dim() < 2:
                # Unfactored: Keras keeps two int placeholders, kept here too
                # so that saved state lines up.
                self._r.append(self.add_variable((), dtype="int32"))
                self._c.append(self.add_variable((), dtype="int32"))
            else:
                shape = tuple(variable.shape)
                self._r.append(self._add_factor(shape[:-1], variable))
                self._c.append(self._add_factor(shape[:-2] + shape[-1:], variable))
            self._v.append(self.add_variable_from_reference(variable, "velocity"))

    def _add_factor(self, shape: tuple[int, ...], variable: torch.Tensor):
        factor = variable.new_zeros(shape)
        self._variables.append(factor)
        return factor

    def _multi_tensor_update(self, grads, variables, learning_rate) -> None:
        step = (self.iterations + 1).to(learning_rate.dtype)
        step_cap = 1.0 / torch.sqrt(step)
        rho = torch.minimum(learning_rate, step_cap)
        beta_2 = 1.0 - torch.pow(step, self.beta_2_decay)
        factors = zip(
            self._gather(self._r),
            self._gather(self._c),
            self._gather(self._v),
            strict=True,
        )
        # Reductions over chosen axes have no multi-tensor kernel: per weight.
        for grad, variable, (r, c, v) in zip(grads, variables, factors, strict=True):
            self._update_one(grad, variable, r, c, v, rho, beta_2)

    def _update_one(self, grad, variable, r, c, v, rho, beta_2) -> None:
        alpha = torch.clamp(_rms(variable), min=self.epsilon_2) * rho
        squared = torch.square(grad) + self.epsilon_1
        if variable.dim() >= 2:
            r.copy_(beta_2 * r + (1.0 - beta_2) * squared.mean(dim=-1))
            c.copy_(beta_2 * c + (1.0 - beta_2) * squared.mean(dim=-2))
            row_share = (r / r.mean(dim=-1, keepdim=True)).unsqueeze(-1)
            v.copy_(row_share * c.unsqueeze(-2))
        else:
            v.copy_(beta_2 * v + (1.0 - beta_2) * squared)
        update = grad / torch.sqrt(v)
        update = update / torch.clamp(_rms(update) / self.clip_threshold, min=1.0)
        variable.sub_(alpha * update)

    def get_config(self) -> dict[str, Any]:
        config = {
            "beta_2_decay": self.beta_2_decay,
            "epsilon_1": self.epsilon_1,
            "epsilon_2": self.epsilon_2,
            "clip_threshold": self.clip_threshold,
            "relative_step": self.relative_step,
        }
        return {**super().get_config(), **config}


def _rms(tensor: torch.Tensor) -> torch.Tensor:
    return torch.sqrt(torch.mean(torch.square(tensor)))
