"""`PReLU`: leaky ReLU with a learned slope."""

from typing import Any

import torch

from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.layers.layer import Layer


class PReLU(Layer):
    """Parametric ReLU: `x` if `x >= 0`, else `alpha * x`, `alpha` learned.

    `alpha` has the shape of one sample, with size 1 on `shared_axes`.

    Args:
        alpha_initializer: Initializer of `alpha`. Defaults to `"Zeros"`.
        alpha_regularizer: Regularizer of `alpha`. Defaults to `None`.
        alpha_constraint: Constraint on `alpha`. Defaults to `None`.
        shared_axes: Int or list of ints (1-based, not the batch axis) along
            which `alpha` is shared, e.g. `[1, 2]` for one slope per channel
            of `(batch, height, width, channels)` images. Defaults to `None`.

    Input shape:
        `(batch, ...)`.

    Output shape:
        Same as the input.

    Example:
    >>> layer = PReLU(alpha_initializer="ones")
    >>> layer(torch.tensor([[-2.0, 3.0]])).tolist()
    [[-2.0, 3.0]]
    """

    def __init__(
        self,
        alpha_initializer: Any = "Zeros",
        alpha_regularizer: Any = None,
        alpha_constraint: Any = None,
        shared_axes: int | list[int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is not None and not isinstance(shared_axes, (list, tuple)):
            shared_axes = [shared_axes]
        self.shared_axes = None if shared_axes is None else list(shared_axes)
        self.supports_masking = True

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        shape = list(input_shape[1:])
        for axis in self.shared_axes or []:
            if not 1 <= axis < len(input_shape):
                raise ValueError(
                    f"Layer '{self.name}' (PReLU) has shared_axes="
                    f"{self.shared_axes}, but axis {axis} is not a non-batch "
                    f"axis of input shape {input_shape}. Use axes 1.."
                    f"{len(input_shape) - 1}."
                )
            shape[axis - 1] = 1
        if None in shape:
            raise ValueError(
                f"Layer '{self.name}' (PReLU) needs known sizes for the axes "
                f"that are not shared, but received input shape {input_shape}. "
                f"Share the unknown axes with shared_axes=[...]."
            )
        self.alpha = self.add_weight(
            name="alpha",
            shape=tuple(shape),
            initializer=self.alpha_initializer,
            regularizer=self.alpha_regularizer,
            constraint=self.alpha_constraint,
        )

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return torch.relu(inputs) - self.alpha * torch.relu(-inputs)

    def get_config(self) -> dict[str, Any]:
        config = {
            "alpha_initializer": initializers.serialize(self.alpha_initializer),
            "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
            "alpha_constraint": constraints.serialize(self.alpha_constraint),
            "shared_axes": self.shared_axes,
        }
        return {**super().get_config(), **config}
