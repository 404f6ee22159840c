"""`Multiply` and `multiply`: the element-wise product of a list of tensors."""

from typing import Any

import torch

from lamina.layers.merging.base_merge import Merge


class Multiply(Merge):
    """Multiplies a list of tensors element-wise.

    Masked entries count as 1 (they do not affect the product); where every
    input is masked, the output is 0. The output mask is the OR of the input
    masks when every input has one.

    Input shape:
        A list of tensors with broadcastable shapes.

    Output shape:
        The broadcast shape of the inputs.

    Example:
    >>> Multiply()([torch.ones(1, 2) * 2, torch.ones(1, 2) * 3]).tolist()
    [[6.0, 6.0]]
    """

    _min_inputs = 1

    def _merge_function(
        self, inputs: list[torch.Tensor], masks: list[Any]
    ) -> torch.Tensor:
        has_output_mask = all(mask is not None for mask in masks)
        output = None
        output_mask = None
        for tensor, mask in zip(inputs, masks, strict=True):
            if mask is not None:
                mask = mask.unsqueeze(-1).expand(tensor.shape)  # (batch, ..., f)
                tensor = torch.where(mask, tensor, torch.ones_like(tensor))
                if has_output_mask:
                    output_mask = mask if output_mask is None else output_mask | mask
            output = tensor if output is None else output * tensor
        if has_output_mask:
            output = torch.where(output_mask, output, torch.zeros_like(output))
        return output


def multiply(inputs: list[Any], **kwargs: Any) -> Any:
    """Functional form of `Multiply`.

    Args:
        inputs: List of tensors to multiply.
        **kwargs: Layer arguments such as `name`.

    Returns:
        The element-wise product.

    Example:
    >>> multiply([torch.ones(1, 2) * 2, torch.ones(1, 2) * 2]).tolist()
    [[4.0, 4.0]]
    """
    return Multiply(**kwargs)(inputs)
