"""`Softmax`: the softmax activation as a layer, with mask support."""

from typing import Any

import torch

from lamina import activations
from lamina.layers.layer import Layer


class Softmax(Layer):
    """Softmax over `axis`; masked positions get probability 0.

    Args:
        axis: Int or list of ints, the axes to normalize over. Defaults to
            `-1`.

    Input shape:
        Any.

    Output shape:
        Same as the input.

    Call arguments:
        mask: Optional boolean tensor broadcastable to the input; `False`
            entries are left out of the softmax.

    Example:
    >>> Softmax()(torch.tensor([[0.0, 0.0]])).tolist()
    [[0.5, 0.5]]
    """

    def __init__(self, axis: int | list[int] = -1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else axis
        self.supports_masking = True

    def call(self, inputs: torch.Tensor, mask: Any = None) -> torch.Tensor:
        if mask is None:
            return activations.softmax(inputs, axis=self.axis)
        mask = self._boolean_mask(inputs, mask)
        logits = torch.where(
            mask, inputs, torch.full_like(inputs, _large_negative(inputs))
        )
        outputs = activations.softmax(logits, axis=self.axis)
        return torch.where(mask, outputs, torch.zeros_like(outputs))

    def _boolean_mask(self, inputs: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        if mask.ndim > inputs.ndim or any(
            m != 1 and m != i
            for m, i in zip(reversed(mask.shape), reversed(inputs.shape), strict=False)
        ):
            raise ValueError(
                f"Layer '{self.name}' (Softmax) needs a mask broadcastable to its "
                f"input, but received mask shape {tuple(mask.shape)} for input "
                f"shape {tuple(inputs.shape)}. Give the mask size 1 or the "
                f"input's size on each axis."
            )
        if mask.dtype != torch.bool:
            mask = mask > 0.5
        return mask

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "axis": self.axis}


def _large_negative(inputs: torch.Tensor) -> float:
    """Keras's stand-in for minus infinity: finite, so softmax stays defined."""
    return -3e4 if inputs.dtype == torch.float16 else -1e9
