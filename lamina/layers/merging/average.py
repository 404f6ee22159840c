"""`Average` and `average`: the element-wise mean of a list of tensors."""

from typing import Any

import torch

from lamina.layers.merging.base_merge import Merge


class Average(Merge):
    """Averages a list of tensors element-wise.

    Input shape:
        A list of tensors with broadcastable shapes.

    Output shape:
        The broadcast shape of the inputs.

    Example:
    >>> Average()([torch.zeros(1, 2), torch.ones(1, 2)]).tolist()
    [[0.5, 0.5]]
    """

    def _merge_function(
        self, inputs: list[torch.Tensor], masks: list[Any]
    ) -> torch.Tensor:
        output = inputs[0]
        for tensor in inputs[1:]:
            output = output + tensor
        return output / len(inputs)


def average(inputs: list[Any], **kwargs: Any) -> Any:
    """Functional form of `Average`.

    Args:
        inputs: List of tensors to average.
        **kwargs: Layer arguments such as `name`.

    Returns:
        The element-wise mean.

    Example:
    >>> average([torch.zeros(1, 2), torch.ones(1, 2)]).tolist()
    [[0.5, 0.5]]
    """
    return Average(**kwargs)(inputs)
