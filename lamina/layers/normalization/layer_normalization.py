"""`LayerNormalization`: normalizes each sample over its feature axes."""

import warnings
from typing import Any

import torch
import torch.nn.functional as F

from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.layers.layer import Layer


class LayerNormalization(Layer):
    """Normalizes each sample over `axis` to zero mean and unit variance.

    `output = gamma * (x - mean) / sqrt(variance + epsilon) + beta`, with the
    statistics of each sample taken over `axis` (the same in training and
    inference).

    Args:
        axis: Int or list of ints, the axes to normalize over; `gamma` and
            `beta` have their shape. Defaults to `-1`.
        epsilon: Small float added to the variance. Defaults to `1e-3`.
        center: Whether to add the learned offset `beta`. Defaults to `True`.
        scale: Whether to multiply by the learned `gamma`. Defaults to `True`.
        rms_scaling: Deprecated Keras option: divide by
            `sqrt(variance + epsilon)` without centring, scale by `gamma`,
            and use no `beta`. Defaults to `False`.
        beta_initializer: Defaults to `"zeros"`.
        gamma_initializer: Defaults to `"ones"`.
        beta_regularizer: Defaults to `None`.
        gamma_regularizer: Defaults to `None`.
        beta_constraint: Defaults to `None`.
        gamma_constraint: Defaults to `None`.

    Input shape:
        Any, e.g. `(batch, steps, features)`.

    Output shape:
        Same as the input.

    Example:
    >>> y = LayerNormalization()(torch.tensor([[1.0, 3.0]]))
    >>> [round(v, 4) for v in y.flatten().tolist()]
    [-0.9995, 0.9995]
    """

    def __init__(
        self,
        axis: int | list[int] = -1,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        beta_initializer: Any = "zeros",
        gamma_initializer: Any = "ones",
        beta_regularizer: Any = None,
        gamma_regularizer: Any = None,
        beta_constraint: Any = None,
        gamma_constraint: Any = None,
        rms_scaling: bool = False,
        **kwargs: Any,
    ) -> None:
        if isinstance(axis, (list, tuple)):
            axis = list(axis)
        elif not isinstance(axis, int) or isinstance(axis, bool):
            raise TypeError(
                f"LayerNormalization expected axis to be an int or a list of "
                f"ints, but received axis={axis!r}."
            )
        if rms_scaling:
            warnings.warn(
                "LayerNormalization received rms_scaling=True, which Keras "
                "deprecated: it scales by the variance, not the root mean "
                "square. It is kept for loading old models; for new ones use "
                "rms_scaling=False.",
                stacklevel=2,
            )
        super().__init__(**kwargs)
        self.axis = axis
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.rms_scaling = rms_scaling
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        rank = len(input_shape)
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        if any(not -rank <= axis < rank or input_shape[axis] is None for axis in axes):
            raise ValueError(
                f"Layer '{self.name}' (LayerNormalization) has axis={self.axis}, "
                f"which needs known sizes in input shape {input_shape}. Pass "
                f"axes of the input, e.g. axis=-1."
            )
        self._axes = sorted(axis % rank for axis in axes)
        self.axis = sorted(axes)  # Keras keeps (and saves) a sorted list once built
        shape = tuple(input_shape[axis] for axis in self._axes)
        self.gamma = None
        self.beta = None
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(
                name="gamma",
                shape=shape,
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(
                name="beta",
                shape=shape,
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        rank = inputs.ndim
        trailing = self._axes == list(range(rank - len(self._axes), rank))
        if self.rms_scaling:
            variance = inputs.var(dim=self._axes, keepdim=True, correction=0)
            outputs = inputs * torch.rsqrt(variance + self.epsilon)
            return (
                outputs
                if self.gamma is None
                else outputs * self._broadcast(self.gamma, rank)
            )
        if trailing:
            normalized_shape = tuple(inputs.shape[axis] for axis in self._axes)
            return F.layer_norm(
                inputs, normalized_shape, self.gamma, self.beta, self.epsilon
            )
        variance, mean = torch.var_mean(
            inputs, dim=self._axes, keepdim=True, correction=0
        )
        outputs = (inputs - mean) * torch.rsqrt(variance + self.epsilon)
        if self.gamma is not None:
            outputs = outputs * self._broadcast(self.gamma, rank)
        if self.beta is not None:
            outputs = outputs + self._broadcast(self.beta, rank)
        return outputs

    def _broadcast(self, weight: torch.Tensor, rank: int) -> torch.Tensor:
        """Reshapes a weight over `self._axes` to broadcast against the input."""
        shape = [1] * rank
        for axis, size in zip(self._axes, weight.shape, strict=True):
            shape[axis] = size
        return weight.reshape(shape)

    def get_config(self) -> dict[str, Any]:
        config = {
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "rms_scaling": self.rms_scaling,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }
        return {**super().get_config(), **config}
