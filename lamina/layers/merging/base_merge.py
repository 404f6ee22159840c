"""`Merge`: the base of layers that combine a list of tensors element-wise."""

from typing import Any

import torch

from lamina.layers.layer import Layer


class Merge(Layer):
    """Base of `Add`, `Multiply`, `Maximum`, ...: merges a list of tensors.

    Inputs of lower rank get axes of size 1 inserted after the batch axis, and
    the other axes broadcast as in NumPy (a size-1 axis stretches); the batch
    sizes must be equal. The output mask is the OR of the input masks when
    every input has one.

    Subclasses implement `_merge_function(inputs, masks)`.
    """

    _min_inputs = 1
    _max_inputs: int | None = None

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs: list[torch.Tensor], mask: Any = None) -> torch.Tensor:
        inputs = self._check_inputs(inputs)
        masks = list(mask) if isinstance(mask, (list, tuple)) else [None] * len(inputs)
        if len({tensor.ndim for tensor in inputs}) > 1:
            inputs = _expand_to_same_rank(inputs)
            masks = [None] * len(inputs)
        return self._merge_function(inputs, masks)

    def _merge_function(
        self, inputs: list[torch.Tensor], masks: list[Any]
    ) -> torch.Tensor:
        raise NotImplementedError

    def _check_inputs(self, inputs: Any) -> list[torch.Tensor]:
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) merges a list of "
                f"tensors, but received a single {type(inputs).__name__}. Call it "
                f"on a list: {type(self).__name__}()([x1, x2])."
            )
        inputs = list(inputs)
        count = len(inputs)
        if count < self._min_inputs or (
            self._max_inputs is not None and count > self._max_inputs
        ):
            expected = (
                f"exactly {self._max_inputs}"
                if self._max_inputs == self._min_inputs
                else f"at least {self._min_inputs}"
            )
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) expects {expected} "
                f"inputs, but received {count}: {_shapes(inputs)}."
            )
        self._check_shapes(inputs)
        return inputs

    def _check_shapes(self, inputs: list[torch.Tensor]) -> None:
        shapes = static_shapes(inputs)
        if shapes is None:  # traced or symbolic sizes: checked when first built
            return
        batch_sizes = {shape[0] for shape in shapes if shape}
        try:
            if len(batch_sizes) > 1:
                raise RuntimeError("batch sizes differ")
            torch.broadcast_shapes(*(shape[1:] for shape in shapes))
        except RuntimeError as err:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) cannot merge inputs "
                f"of shapes {_shapes(inputs)}: apart from the batch axis, each "
                f"axis must have equal sizes or size 1, and the batch sizes must "
                f"be equal. Reshape the inputs (e.g. with a Dense or Reshape "
                f"layer) so that their shapes match."
            ) from err

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        if not isinstance(mask, (list, tuple)) or any(m is None for m in mask):
            return None
        output_mask = mask[0]
        for one_mask in mask[1:]:
            output_mask = output_mask | one_mask  # broadcast OR
        return output_mask


def static_shapes(inputs: list[torch.Tensor]) -> list[tuple[int, ...]] | None:
    """The inputs' shapes as Python ints, or `None` while sizes are symbolic.

    Under `torch.jit.trace` (ONNX export) sizes are 0-d tensors, and under
    `torch.export`/`torch.compile` they may be `SymInt`s; comparing those
    would raise or bake the example's sizes into the graph, so the checks
    that use this skip such calls (the eager or symbolic first call checked).
    """
    if torch.jit.is_tracing():
        return None
    shapes = [tuple(tensor.shape) for tensor in inputs]
    for shape in shapes:
        if not all(type(size) is int for size in shape):
            return None
    return shapes


def _shapes(inputs: list[Any]) -> list[tuple[int | None, ...]]:
    return [
        (None, *tensor.shape[1:]) if isinstance(tensor, torch.Tensor) else tensor
        for tensor in inputs
    ]


def _expand_to_same_rank(inputs: list[torch.Tensor]) -> list[torch.Tensor]:
    """Inserts size-1 axes after the batch axis until all ranks are equal."""
    rank = max(tensor.ndim for tensor in inputs)
    expanded = []
    for tensor in inputs:
        new_shape = (tensor.shape[0], *([1] * (rank - tensor.ndim)), *tensor.shape[1:])
        expanded.append(tensor.reshape(new_shape))  # (batch, 1.., original axes)
    return expanded


def apply_masks_and_or(
    operation: Any, inputs: list[torch.Tensor], masks: list[Any]
) -> torch.Tensor:
    """Merges pairwise with `operation`, ignoring masked entries of either side.

    Where one side is masked, the other side's value wins; this is Keras's
    rule for `Maximum` and `Minimum`, which have no neutral element.
    """
    output = inputs[0]
    output_mask = _expand_mask(masks[0], output)
    for tensor, mask in zip(inputs[1:], masks[1:], strict=True):
        mask = _expand_mask(mask, tensor)
        if mask is not None:
            tensor = torch.where(mask, tensor, output)
        if output_mask is not None:
            output = torch.where(output_mask, output, tensor)
        if mask is not None and output_mask is not None:
            output_mask = output_mask | mask
        else:
            output_mask = None
        output = operation(output, tensor)
    return output


def _expand_mask(mask: Any, tensor: torch.Tensor) -> Any:
    if mask is None:
        return None
    return mask.unsqueeze(-1).expand(tensor.shape)  # (batch, ..., features)
