"""`Maximum` and `maximum`: the element-wise maximum of a list of tensors."""

from typing import Any

import torch

from lamina.layers.merging.base_merge import Merge
from lamina.layers.merging.base_merge import apply_masks_and_or


class Maximum(Merge):
    """Takes the element-wise maximum of a list of tensors.

    Masked entries of one input are ignored in favour of the others.

    Input shape:
        A list of tensors with broadcastable shapes.

    Output shape:
        The broadcast shape of the inputs.

    Example:
    >>> Maximum()([torch.tensor([[1.0, 5.0]]), torch.tensor([[3.0, 2.0]])]).tolist()
    [[3.0, 5.0]]
    """

    def _merge_function(
        self, inputs: list[torch.Tensor], masks: list[Any]
    ) -> torch.Tensor:
        return apply_masks_and_or(torch.maximum, inputs, masks)


def maximum(inputs: list[Any], **kwargs: Any) -> Any:
    """Functional form of `Maximum`.

    Args:
        inputs: List of tensors.
        **kwargs: Layer arguments such as `name`.

    Returns:
        The element-wise maximum.

    Example:
    >>> maximum([torch.zeros(1, 2), torch.ones(1, 2)]).tolist()
    [[1.0, 1.0]]
    """
    return Maximum(**kwargs)(inputs)
