"""`Dot` and `dot`: per-sample dot products of two tensors."""

from typing import Any

import torch

from lamina import backend
from lamina.layers.merging.base_merge import Merge
from lamina.layers.merging.base_merge import _shapes
from lamina.layers.merging.base_merge import static_shapes


class Dot(Merge):
    """Dot product of two tensors along one axis each, sample by sample.

    For inputs `x` of shape `(batch, ..., n, ...)` and `y` of shape
    `(batch, ..., n, ...)`, sums `x * y` over axis `axes[0]` of `x` and
    `axes[1]` of `y`. The output keeps `x`'s remaining axes, then `y`'s
    (batch axis once); a result of shape `(batch,)` becomes `(batch, 1)`.
    With `normalize=True` both inputs are L2-normalized along the dot axes
    first, so the output is the cosine similarity.

    Args:
        axes: Int, or a pair of ints, the axis of each input to sum over;
            never 0 (the batch axis). Negative values count from the end.
        normalize: Whether to L2-normalize the inputs first. Defaults to
            `False`.

    Input shape:
        A list of two tensors, e.g. `[(batch, n), (batch, n)]`.

    Output shape:
        E.g. `(batch, 1)` for two vectors, `(batch, m, k)` for
        `(batch, m, n)` and `(batch, n, k)` with `axes=(2, 1)`.

    Example:
    >>> Dot(axes=1)([torch.ones(2, 3), torch.ones(2, 3)]).tolist()
    [[3.0], [3.0]]
    """

    _min_inputs = 2
    _max_inputs = 2

    def __init__(
        self, axes: int | tuple[int, int], normalize: bool = False, **kwargs: Any
    ) -> None:
        if isinstance(axes, (list, tuple)):
            if len(axes) != 2 or not all(
                isinstance(a, int) and not isinstance(a, bool) for a in axes
            ):
                raise ValueError(
                    f"Dot expected axes to be an int or a pair of ints, but "
                    f"received axes={axes!r}. Pass e.g. Dot(axes=(1, 2))."
                )
            axes = list(axes)
        elif not isinstance(axes, int) or isinstance(axes, bool):
            raise TypeError(
                f"Dot expected axes to be an int or a pair of ints, but received "
                f"axes={axes!r}."
            )
        super().__init__(**kwargs)
        self.axes = axes
        self.normalize = normalize

    def _dot_axes(self, inputs: list[torch.Tensor]) -> tuple[int, int]:
        axes = self.axes if isinstance(self.axes, list) else [self.axes] * 2
        return tuple(a % t.ndim for a, t in zip(axes, inputs, strict=True))

    def _check_shapes(self, inputs: list[torch.Tensor]) -> None:
        x, y = inputs
        if x.ndim >= 2 and y.ndim >= 2:
            axis_x, axis_y = self._dot_axes(inputs)
            shapes = static_shapes(inputs)
            sizes_ok = shapes is None or (  # traced sizes were checked eagerly
                shapes[0][0] == shapes[1][0] and shapes[0][axis_x] == shapes[1][axis_y]
            )
            if 0 not in (axis_x, axis_y) and sizes_ok:
                return
        raise ValueError(
            f"Layer '{self.name}' (Dot) with axes={self.axes} cannot take the dot "
            f"product of inputs of shapes {_shapes(inputs)}: both need rank >= 2, "
            f"equal batch sizes, and equal sizes on the dot axes (never axis 0). "
            f"Pick axes whose sizes match."
        )

    def call(self, inputs: list[torch.Tensor]) -> torch.Tensor:
        inputs = self._check_inputs(inputs)  # no rank alignment, unlike Merge
        return self._merge_function(inputs, [None, None])

    def _merge_function(
        self, inputs: list[torch.Tensor], masks: list[Any]
    ) -> torch.Tensor:
        axis_x, axis_y = self._dot_axes(inputs)
        x, y = inputs
        if self.normalize:
            x = _l2_normalize(x, axis_x)
            y = _l2_normalize(y, axis_y)
        x = torch.movedim(x, axis_x, -1)  # (batch, X..., n)
        y = torch.movedim(y, axis_y, 1)  # (batch, n, Y...)
        batch, size = x.shape[0], x.shape[-1]
        x_rest, y_rest = x.shape[1:-1], y.shape[2:]
        output = torch.bmm(
            x.reshape(batch, -1, size), y.reshape(batch, size, -1)
        )  # (batch, prod X, prod Y)
        output = output.reshape(batch, *x_rest, *y_rest)  # (batch, X..., Y...)
        if output.ndim == 1:
            output = output.unsqueeze(1)  # (batch, 1)
        return output

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        return None

    def get_config(self) -> dict[str, Any]:
        config = {"axes": self.axes, "normalize": self.normalize}
        return {**super().get_config(), **config}


def _l2_normalize(x: torch.Tensor, axis: int) -> torch.Tensor:
    """`x / norm`, with the inverse norm capped at `1 / epsilon()` as Keras does."""
    inverse_norm = torch.rsqrt(x.square().sum(dim=axis, keepdim=True))
    return x * torch.clamp(inverse_norm, max=1.0 / backend.epsilon())


def dot(inputs: list[Any], axes: int | tuple[int, int] = -1, **kwargs: Any) -> Any:
    """Functional form of `Dot`.

    Args:
        inputs: List of two tensors.
        axes: Axis (or pair of axes) to sum over. Defaults to `-1`.
        **kwargs: `normalize` and layer arguments such as `name`.

    Returns:
        The per-sample dot products.

    Example:
    >>> dot([torch.ones(2, 3), torch.ones(2, 3)], axes=1).tolist()
    [[3.0], [3.0]]
    """
    return Dot(axes=axes, **kwargs)(inputs)
