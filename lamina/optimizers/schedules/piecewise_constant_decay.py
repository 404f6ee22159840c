"""`PiecewiseConstantDecay`: a step function of the iteration count."""

from typing import Any

import torch

from lamina.optimizers.schedules.learning_rate_schedule import LearningRateSchedule


class PiecewiseConstantDecay(LearningRateSchedule):
    """Uses `values[i]` while `boundaries[i-1] < step <= boundaries[i]`.

    Args:
        boundaries: Increasing list of step numbers.
        values: List of learning rates, one longer than `boundaries`:
            `values[0]` up to and including `boundaries[0]`, `values[-1]`
            after `boundaries[-1]`.
        name: String. Defaults to `"PiecewiseConstant"`.

    Example:
    >>> schedule = PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
    >>> [round(float(schedule(step)), 6) for step in (10, 11, 21)]
    [1.0, 0.5, 0.1]
    """

    def __init__(
        self,
        boundaries: list[int],
        values: list[float],
        name: str = "PiecewiseConstant",
    ):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                f"Learning rate schedule PiecewiseConstantDecay expected one "
                f"more value than boundaries, but received "
                f"boundaries={boundaries!r} ({len(boundaries)} items) and "
                f"values={values!r} ({len(values)} items). Pass "
                f"len(values) == len(boundaries) + 1."
            )
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step: torch.Tensor | int) -> torch.Tensor:
        step = torch.as_tensor(step)
        boundaries = self.boundaries
        if not step.is_floating_point():
            # Keras compares in the step's dtype, truncating float boundaries.
            boundaries = [int(boundary) for boundary in boundaries]
        # Exactly one indicator is 1, so the sum is exactly that range's value.
        result = (step <= boundaries[0]).to(torch.float32) * float(self.values[0])
        result = result + (step > boundaries[-1]) * float(self.values[-1])
        for low, high, value in zip(
            boundaries[:-1], boundaries[1:], self.values[1:-1], strict=True
        ):
            result = result + ((step > low) & (step <= high)) * float(value)
        return result

    def get_config(self) -> dict[str, Any]:
        return {
            "boundaries": self.boundaries,
            "values": self.values,
            "name": self.name,
        }
