"""`RMSNormalization`: scales inputs by the inverse of their root mean square."""

from typing import Any

import torch
import torch.nn.functional as F

from lamina.layers.layer import Layer

Tensor = torch.Tensor


class RMSNormalization(Layer):
    """Root mean square normalization (Zhang & Sennrich, 2019).

    `outputs = inputs * rsqrt(mean(square(inputs), axis) + epsilon) * scale`,
    with a learned `scale` over the normalized axes and no centering
    (https://arxiv.org/abs/1910.07467). Computed in at least float32.

    Args:
        axis: Int or list of ints, the axes to normalize over. Building
            stores it as a sorted list, as Keras does. Defaults to `-1`.
        epsilon: Small float added to the mean square. Defaults to `1e-6`.

    Input shape:
        Any, with the normalized axes known.

    Output shape:
        Same as the input.

    Example:
    >>> import torch
    >>> RMSNormalization()(torch.tensor([[3.0, 4.0]])).round(decimals=4).tolist()
    [[0.8485000133514404, 1.1313999891281128]]
    """

    def __init__(
        self, axis: int | list[int] = -1, epsilon: float = 1e-6, **kwargs: Any
    ) -> None:
        if isinstance(axis, (list, tuple)):
            axis = list(axis)
        items = axis if isinstance(axis, list) else [axis]
        if not items or not all(_is_int(item) for item in items):
            raise TypeError(
                f"RMSNormalization expected axis to be an int or a list of ints, "
                f"but received axis={axis!r}. Pass e.g. axis=-1."
            )
        if isinstance(epsilon, bool) or not isinstance(epsilon, (int, float)):
            raise TypeError(
                f"RMSNormalization expected epsilon to be a float, but received "
                f"epsilon={epsilon!r}. Pass e.g. epsilon=1e-6."
            )
        super().__init__(**kwargs)
        self.axis = axis
        self.epsilon = epsilon

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        axes = sorted(self.axis) if isinstance(self.axis, list) else [self.axis]
        rank = len(input_shape)
        bad = [axis for axis in axes if not -rank <= axis < rank]
        if bad or len({axis % rank for axis in axes}) != len(axes):
            raise ValueError(
                f"Layer '{self.name}' (RMSNormalization) received axis="
                f"{self.axis}, but inputs of shape {tuple(input_shape)} have "
                f"axes -{rank}..{rank - 1} and each may appear once. Pick axes "
                f"that exist in the input."
            )
        shape = tuple(input_shape[axis] for axis in axes)
        if None in shape:
            raise ValueError(
                f"Layer '{self.name}' (RMSNormalization) needs known sizes on "
                f"the normalized axes {axes}, but received input shape "
                f"{tuple(input_shape)}. Give the Input a fixed size there."
            )
        self.axis = axes
        self.scale = self.add_weight(name="scale", shape=shape, initializer="ones")

    def call(self, inputs: Tensor) -> Tensor:
        compute_dtype = torch.promote_types(inputs.dtype, torch.float32)
        x = inputs.to(compute_dtype)
        scale = self.scale.to(compute_dtype)
        rank = x.ndim
        positions = [axis % rank for axis in self.axis]
        trailing = list(range(rank - len(positions), rank))
        if positions == trailing:
            outputs = F.rms_norm(x, tuple(scale.shape), scale, self.epsilon)
        else:
            outputs = self._normalize_inner_axes(x, scale, positions)
        return outputs.to(inputs.dtype)

    def _normalize_inner_axes(
        self, x: Tensor, scale: Tensor, positions: list[int]
    ) -> Tensor:
        """Axes other than the trailing ones: broadcast `scale` onto them."""
        mean_square = x.square().mean(dim=positions, keepdim=True)
        normalized = x * torch.rsqrt(mean_square + self.epsilon)
        order = sorted(range(len(positions)), key=lambda index: positions[index])
        scale = scale.permute(order)  # scale axes in input order
        shape = [1] * x.ndim
        for position in sorted(positions):
            shape[position] = x.shape[position]
        return normalized * scale.reshape(shape)  # (same as inputs)

    def get_config(self) -> dict[str, Any]:
        config = {"axis": self.axis, "epsilon": self.epsilon}
        return {**super().get_config(), **config}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
