"""`Subtract` and `subtract`: the difference of two tensors."""

from typing import Any

import torch

from lamina.layers.merging.base_merge import Merge


class Subtract(Merge):
    """Subtracts the second input from the first: `inputs[0] - inputs[1]`.

    Input shape:
        A list of exactly two tensors with broadcastable shapes.

    Output shape:
        The broadcast shape of the inputs.

    Example:
    >>> Subtract()([torch.ones(1, 2) * 3, torch.ones(1, 2)]).tolist()
    [[2.0, 2.0]]
    """

    _min_inputs = 2
    _max_inputs = 2

    def _merge_function(
        self, inputs: list[torch.Tensor], masks: list[Any]
    ) -> torch.Tensor:
        return inputs[0] - inputs[1]


def subtract(inputs: list[Any], **kwargs: Any) -> Any:
    """Functional form of `Subtract`: `subtract([a, b])` is `a - b`.

    Args:
        inputs: List of exactly two tensors.
        **kwargs: Layer arguments such as `name`.

    Returns:
        The difference.

    Example:
    >>> subtract([torch.ones(1, 2), torch.ones(1, 2)]).tolist()
    [[0.0, 0.0]]
    """
    return Subtract(**kwargs)(inputs)
