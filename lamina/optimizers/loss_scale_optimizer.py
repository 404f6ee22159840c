"""`LossScaleOptimizer`: dynamic loss scaling around another optimizer."""

from typing import Any

import torch

from lamina.optimizers.optimizer import Optimizer


class LossScaleOptimizer(Optimizer):
    """Wraps an optimizer with dynamic loss scaling for float16 training.

    The loss is multiplied by a scale before backpropagation (`scale_loss`),
    and gradients are divided by it before the inner optimizer's step. A
    step with a non-finite gradient is skipped and halves the scale; after
    `dynamic_growth_steps` finite steps in a row the scale doubles. Deciding
    whether to skip reads one flag from the device per step, as
    `torch.amp.GradScaler` does.

    Args:
        inner_optimizer: The `Optimizer` to wrap.
        initial_scale: Float, the starting loss scale. Defaults to `2**15`.
        dynamic_growth_steps: Int, finite steps between doublings. Defaults
            to `2000`.
        name: String. Defaults to `"loss_scale_optimizer"`, made unique.

    Example:
    >>> from lamina.optimizers import SGD
    >>> weight = torch.nn.Parameter(torch.zeros(1))
    >>> optimizer = LossScaleOptimizer(SGD(1.0), initial_scale=4.0)
    >>> optimizer.apply([torch.tensor([float("inf")])], [weight])
    >>> float(optimizer.dynamic_scale), weight.tolist()
    (2.0, [0.0])
    >>> optimizer.apply([torch.tensor([2.0])], [weight])
    >>> weight.tolist()
    [-1.0]
    """

    def __init__(
        self,
        inner_optimizer: Optimizer,
        initial_scale: float = 2.0**15,
        dynamic_growth_steps: int = 2000,
        name: str | None = None,
        **kwargs: Any,
    ):
        if not kwargs.pop("dynamic", True):
            raise ValueError(
                "LossScaleOptimizer received dynamic=False, which is no longer "
                "supported. Set loss_scale_factor on the inner optimizer instead."
            )
        for key in list(kwargs):
            if key in _INNER_ONLY_DEFAULTS and kwargs[key] == _INNER_ONLY_DEFAULTS[key]:
                kwargs.pop(key)
        if kwargs:
            raise ValueError(
                f"LossScaleOptimizer does not accept {sorted(kwargs)}. Set these "
                f"arguments on the inner optimizer."
            )
        super().__init__(learning_rate=0.0, name=name)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = initial_scale
        self.dynamic_growth_steps = dynamic_growth_steps
        # The inner optimizer must not unscale a second time.
        self.inner_optimizer.loss_scale_factor = None

    def build(self, variables: list[torch.Tensor]) -> None:
        if self.built:
            return
        self._move_state_to(variables[0].device if variables else None)
        self.step_counter = self.add_variable((), dtype="int64")
        self.dynamic_scale = self.add_variable(
            (), initializer=float(self.initial_scale), dtype="float32"
        )
        self.inner_optimizer.build(variables)
        super().build(variables)

    @property
    def variables(self) -> list[torch.Tensor]:
        return list(self._variables) + self.inner_optimizer.variables

    @property
    def learning_rate(self) -> torch.Tensor:
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, learning_rate: Any) -> None:
        self.inner_optimizer.learning_rate = learning_rate

    lr = learning_rate

    @property
    def iterations(self) -> torch.Tensor:
        return self.inner_optimizer.iterations

    def apply(self, grads, trainable_variables=None) -> None:
        grads = list(grads)
        if trainable_variables is not None:
            trainable_variables = list(trainable_variables)
        if not self.built:
            self.build(trainable_variables or [])
        present = [g for g in grads if g is not None]
        with torch.no_grad():
            finite = torch.stack([torch.isfinite(g).all() for g in present]).all()
            if not bool(finite):  # the one host sync per step
                self.step_counter.zero_()
                self.dynamic_scale.mul_(0.5)
                return
            unscaled = [None if g is None else g / self.dynamic_scale for g in grads]
        self.inner_optimizer.apply(unscaled, trainable_variables)
        with torch.no_grad():
            grow = self.step_counter == self.dynamic_growth_steps - 1
            self.dynamic_scale.mul_(torch.where(grow, 2.0, 1.0))
            self.step_counter.add_(1).mul_((~grow).to(self.step_counter.dtype))

    def scale_loss(self, loss: torch.Tensor) -> torch.Tensor:
        scale = self.dynamic_scale if self.built else self.initial_scale
        return loss * scale

    def finalize_variable_values(self, var_list: list[torch.Tensor]) -> None:
        self.inner_optimizer.finalize_variable_values(var_list)

    def get_config(self) -> dict[str, Any]:
        # Imported here: _serialization imports this module (a cycle).
        from lamina.optimizers._serialization import serialize

        return {
            "name": self.name,
            "inner_optimizer": serialize(self.inner_optimizer),
            "initial_scale": self.initial_scale,
            "dynamic_growth_steps": self.dynamic_growth_steps,
        }

    @classmethod
    def from_config(
        cls, config: dict[str, Any], custom_objects: dict[str, Any] | None = None
    ) -> "LossScaleOptimizer":
        # Imported here: _serialization imports this module (a cycle).
        from lamina.optimizers._serialization import deserialize

        config = dict(config)
        inner = deserialize(config.pop("inner_optimizer"), custom_objects)
        return cls(inner, **config)


# Base-optimizer arguments older configs carry; accepted only at defaults.
_INNER_ONLY_DEFAULTS = {
    "learning_rate": 0.0,
    "weight_decay": None,
    "clipnorm": None,
    "global_clipnorm": None,
    "clipvalue": None,
    "use_ema": False,
    "ema_momentum": 0.99,
    "ema_overwrite_frequency": None,
    "loss_scale_factor": None,
    "gradient_accumulation_steps": None,
}
