"""`UnitNormalization`: scales each sample to unit L2 norm."""

from typing import Any

import torch

from lamina.layers.layer import Layer


class UnitNormalization(Layer):
    """Scales inputs to unit L2 norm over `axis`: `x / max(||x||, 1e-12)`.

    Args:
        axis: Int or list of ints, the axes whose norm becomes 1. Defaults
            to `-1`.

    Input shape:
        Any.

    Output shape:
        Same as the input.

    Example:
    >>> UnitNormalization()(torch.tensor([[3.0, 4.0]])).tolist()
    [[0.6000000238418579, 0.800000011920929]]
    """

    def __init__(self, axis: int | list[int] = -1, **kwargs: Any) -> None:
        if isinstance(axis, (list, tuple)):
            axis = list(axis)
        elif not isinstance(axis, int) or isinstance(axis, bool):
            raise TypeError(
                f"UnitNormalization expected axis to be an int or a list of "
                f"ints, but received axis={axis!r}."
            )
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        square_sum = inputs.square().sum(dim=self.axis, keepdim=True)
        # Capped so that zero vectors stay zero, also in float16.
        cap = min(1e12, torch.finfo(inputs.dtype).max)
        inverse_norm = torch.clamp(torch.rsqrt(square_sum), max=cap)
        return inputs * inverse_norm

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis}
