"""`Add` and `add`: the element-wise sum of a list of tensors."""

from typing import Any

import torch

from lamina.layers.merging.base_merge import Merge


class Add(Merge):
    """Adds a list of tensors element-wise.

    Shapes broadcast as described in `Merge`; the output mask is the OR of
    the input masks.

    Input shape:
        A list of tensors, e.g. `[(batch, d), (batch, d)]`.

    Output shape:
        The broadcast shape of the inputs.

    Example:
    >>> Add()([torch.ones(2, 3), torch.ones(2, 3)]).tolist()
    [[2.0, 2.0, 2.0], [2.0, 2.0, 2.0]]
    """

    def _merge_function(
        self, inputs: list[torch.Tensor], masks: list[Any]
    ) -> torch.Tensor:
        output = inputs[0]
        for tensor in inputs[1:]:
            output = output + tensor
        return output


def add(inputs: list[Any], **kwargs: Any) -> Any:
    """Functional form of `Add`: `add([x1, x2])` is `Add()([x1, x2])`.

    Args:
        inputs: List of tensors (symbolic or eager) to add.
        **kwargs: Layer arguments such as `name`.

    Returns:
        The sum.

    Example:
    >>> add([torch.ones(1, 2), torch.ones(1, 2)]).tolist()
    [[2.0, 2.0]]
    """
    return Add(**kwargs)(inputs)
