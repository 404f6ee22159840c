"""`Concatenate` and `concatenate`: joins a list of tensors along one axis."""

from typing import Any

import torch

from lamina.layers.merging.base_merge import Merge
from lamina.layers.merging.base_merge import _shapes
from lamina.layers.merging.base_merge import static_shapes


class Concatenate(Merge):
    """Concatenates a list of tensors along `axis`.

    All other axes must have equal sizes. Masks are concatenated too (an
    input without a mask counts as unmasked), then reduced over the last
    axis, as Keras does.

    Args:
        axis: Axis to join along. Defaults to `-1`.

    Input shape:
        A list of tensors of equal rank, e.g. `[(batch, a), (batch, b)]`.

    Output shape:
        The common shape with the sizes along `axis` summed, e.g.
        `(batch, a + b)`.

    Example:
    >>> tuple(Concatenate()([torch.ones(2, 3), torch.ones(2, 4)]).shape)
    (2, 7)
    """

    def __init__(self, axis: int = -1, **kwargs: Any) -> None:
        if not isinstance(axis, int) or isinstance(axis, bool):
            raise TypeError(
                f"Concatenate expected axis to be an int, but received axis={axis!r}."
            )
        super().__init__(**kwargs)
        self.axis = axis

    def _check_shapes(self, inputs: list[torch.Tensor]) -> None:
        ranks = {tensor.ndim for tensor in inputs}
        rank = inputs[0].ndim
        axis = self.axis % rank if rank else 0
        matching = len(ranks) == 1 and -rank <= self.axis < rank
        shapes = static_shapes(inputs)
        if matching and shapes is not None:  # skipped while sizes are symbolic
            others = {
                tuple(size for i, size in enumerate(shape) if i != axis)
                for shape in shapes
            }
            matching = len(others) == 1
        if not matching:
            raise ValueError(
                f"Layer '{self.name}' (Concatenate) with axis={self.axis} needs "
                f"inputs of equal rank whose sizes agree on every axis except "
                f"the concatenation axis, but received shapes {_shapes(inputs)}. "
                f"Reshape the inputs, or pick the axis on which they differ."
            )

    def call(self, inputs: list[torch.Tensor], mask: Any = None) -> torch.Tensor:
        inputs = self._check_inputs(inputs)
        return torch.cat(inputs, dim=self.axis)  # (..., sum of sizes on axis, ...)

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        if not isinstance(mask, (list, tuple)) or all(m is None for m in mask):
            return None
        masks = []
        for tensor, one_mask in zip(inputs, mask, strict=True):
            if one_mask is None:
                one_mask = torch.ones_like(tensor, dtype=torch.bool)
            elif one_mask.ndim < tensor.ndim:
                one_mask = one_mask.unsqueeze(-1).expand(tensor.shape)
            masks.append(one_mask)
        return torch.cat(masks, dim=self.axis).any(dim=-1)  # (batch, ...)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis}


def concatenate(inputs: list[Any], axis: int = -1, **kwargs: Any) -> Any:
    """Functional form of `Concatenate`.

    Args:
        inputs: List of tensors to join.
        axis: Axis to join along. Defaults to `-1`.
        **kwargs: Layer arguments such as `name`.

    Returns:
        The concatenated tensor.

    Example:
    >>> tuple(concatenate([torch.ones(2, 3), torch.ones(2, 1)]).shape)
    (2, 4)
    """
    return Concatenate(axis=axis, **kwargs)(inputs)
