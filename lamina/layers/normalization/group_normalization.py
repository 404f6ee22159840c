"""`GroupNormalization`: normalizes groups of channels within each sample."""

from typing import Any

import torch
import torch.nn.functional as F

from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.layers.layer import Layer


class GroupNormalization(Layer):
    """Splits the channels into `groups` and normalizes each group per sample.

    Wu & He, 2018 (https://arxiv.org/abs/1803.08494). `groups=1` is layer
    normalization over all axes, `groups=-1` (one channel per group) is
    instance normalization.

    Args:
        groups: Number of groups; must divide the number of channels; `-1`
            means one group per channel. Defaults to `32`.
        axis: Integer, the channels axis. Defaults to `-1`.
        epsilon: Small float added to the variance. Defaults to `1e-3`.
        center: Whether to add the learned offset `beta`. Defaults to `True`.
        scale: Whether to multiply by the learned `gamma`. Defaults to `True`.
        beta_initializer: Defaults to `"zeros"`.
        gamma_initializer: Defaults to `"ones"`.
        beta_regularizer: Defaults to `None`.
        gamma_regularizer: Defaults to `None`.
        beta_constraint: Defaults to `None`.
        gamma_constraint: Defaults to `None`.

    Input shape:
        `(batch, ..., channels)` (or channels on `axis`).

    Output shape:
        Same as the input.

    Example:
    >>> tuple(GroupNormalization(groups=2)(torch.randn(3, 5, 4)).shape)
    (3, 5, 4)
    """

    def __init__(
        self,
        groups: int = 32,
        axis: int = -1,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        beta_initializer: Any = "zeros",
        gamma_initializer: Any = "ones",
        beta_regularizer: Any = None,
        gamma_regularizer: Any = None,
        beta_constraint: Any = None,
        gamma_constraint: Any = None,
        **kwargs: Any,
    ) -> None:
        if (
            not isinstance(groups, int)
            or isinstance(groups, bool)
            or not (groups > 0 or groups == -1)
        ):
            raise ValueError(
                f"GroupNormalization expected groups to be a positive integer "
                f"or -1, but received groups={groups!r}."
            )
        super().__init__(**kwargs)
        self.groups = groups
        self.axis = axis
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        rank = len(input_shape)
        channels = input_shape[self.axis] if -rank <= self.axis < rank else None
        if channels is None:
            raise ValueError(
                f"Layer '{self.name}' (GroupNormalization) has axis={self.axis}, "
                f"which needs a known size in input shape {input_shape}."
            )
        if self.groups == -1:
            self.groups = channels
        if channels % self.groups != 0:
            raise ValueError(
                f"Layer '{self.name}' (GroupNormalization) has groups="
                f"{self.groups}, which does not divide the {channels} channels "
                f"of input shape {input_shape}. Pick groups among the divisors "
                f"of {channels}."
            )
        self._channel_axis = self.axis % rank
        self.gamma = None
        self.beta = None
        if self.scale:
            self.gamma = self.add_weight(
                name="gamma",
                shape=(channels,),
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
        if self.center:
            self.beta = self.add_weight(
                name="beta",
                shape=(channels,),
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        channels_first = torch.movedim(inputs, self._channel_axis, 1)  # (N, C, ...)
        if channels_first.ndim == 2:
            channels_first = channels_first.unsqueeze(-1)  # (N, C, 1)
        outputs = F.group_norm(
            channels_first, self.groups, self.gamma, self.beta, self.epsilon
        )
        outputs = outputs.reshape(torch.movedim(inputs, self._channel_axis, 1).shape)
        return torch.movedim(outputs, 1, self._channel_axis)

    def get_config(self) -> dict[str, Any]:
        config = {
            "groups": self.groups,
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }
        return {**super().get_config(), **config}
