"""`LossScaleOptimizer`: dynamic loss scaling around another optimizer."""

from typing import Any

import torch

from lamina.optimizers.optimizer import Optimizer


class LossScaleOptimizer(Optimizer):
    """Wraps an optimizer with dynamic loss scaling for float16 training.

    The loss is multiplied by a scale before backpropagation (`scale_loss`),
    so that small float16 gradients do not round to zero, and gradients are
    divided by it before the inner optimizer's step. A step with a
    non-finite gradient is skipped and halves the scale; after
    `dynamic_growth_steps` finite steps in a row the scale doubles.
    `compile()` wraps the optimizer in one when the model's dtype policy is
    `"mixed_float16"`. An eager step reads one flag from the device to
    decide whether to skip, as `torch.amp.GradScaler` does; a compiled step
    (`jit_compile=True`) decides on the device, without a host sync.

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
        with torch.no_grad():
            finite = _all_finite(grads)
            if not bool(finite):  # the one host sync per step
                self._update_scale(finite)
                return
            unscaled = [None if g is None else g / self.dynamic_scale for g in grads]
        self.inner_optimizer.apply(unscaled, trainable_variables)
        with torch.no_grad():
            self._update_scale(finite)

    def _apply_update(self, grads: list[torch.Tensor], variables: list) -> None:
        """The compiled step's update: skips a non-finite step on the device.

        The inner optimizer updates the weights and its state; where the
        gradients were not finite, the values from before are put back, so
        nothing is read on the host.
        """
        finite = _all_finite(grads)
        unscaled = torch._foreach_div(grads, self.dynamic_scale)
        state = [*variables, *self.inner_optimizer.variables]
        before = [tensor.clone() for tensor in state]
        self.inner_optimizer._apply_update(unscaled, variables)
        for tensor, previous in zip(state, before, strict=True):
            tensor.copy_(torch.where(finite, tensor, previous))
        self._update_scale(finite)

    def _after_traced_update(self, was_in_sync: bool) -> None:
        """Nothing to record: `iterations` is the inner optimizer's, which
        re-reads its count once a compiled step changed it."""

    def _update_scale(self, finite: torch.Tensor) -> None:
        """Halves the scale after a non-finite step; doubles it after
        `dynamic_growth_steps` finite ones in a row."""
        grow = finite & (self.step_counter == self.dynamic_growth_steps - 1)
        factor = torch.where(grow, 2.0, torch.where(finite, 1.0, 0.5))
        self.dynamic_scale.mul_(factor)
        counted = torch.where(finite & ~grow, self.step_counter + 1, 0)
        self.step_counter.copy_(counted)

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


def _all_finite(grads: list[torch.Tensor | None]) -> torch.Tensor:
    """A 0-d bool tensor: whether every gradient is free of inf and NaN."""
    present = [g for g in grads if g is not None]
    if not present:
        return torch.ones((), dtype=torch.bool)
    largest = torch.stack(torch._foreach_norm(present, float("inf")))
    return torch.isfinite(largest).all()


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
