"""`BatchNormalization`: normalizes with batch statistics, tracks moving ones."""

from typing import Any

import torch
import torch.nn.functional as F

from lamina import backend
from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.layers.layer import Layer


class BatchNormalization(Layer):
    """Normalizes the features of `axis` to zero mean and unit variance.

    In training (`training=True` and the layer trainable) it uses the
    batch's mean and biased variance and updates the moving statistics as
    Keras does: `moving = moving * momentum + batch * (1 - momentum)`. In
    inference, or when the layer is frozen (`trainable=False`, as in Keras 3
    fine-tuning), it uses the moving statistics.
    `output = gamma * (x - mean) / sqrt(variance + epsilon) + beta`.

    Args:
        axis: Integer, the features axis (`-1` for channels_last, `1` for
            channels_first). Defaults to `-1`.
        momentum: Momentum of the moving statistics. Defaults to `0.99`.
        epsilon: Small float added to the variance. Defaults to `1e-3`.
        center: Whether to add the learned offset `beta`. Defaults to `True`.
        scale: Whether to multiply by the learned `gamma`. Defaults to `True`.
        beta_initializer: Defaults to `"zeros"`.
        gamma_initializer: Defaults to `"ones"`.
        moving_mean_initializer: Defaults to `"zeros"`.
        moving_variance_initializer: Defaults to `"ones"`.
        beta_regularizer: Defaults to `None`.
        gamma_regularizer: Defaults to `None`.
        beta_constraint: Defaults to `None`.
        gamma_constraint: Defaults to `None`.
        synchronized: Whether to average the batch statistics over all
            processes of a `torch.distributed` run. Defaults to `False`.
        renorm: Batch renormalization; only `False` is supported.

    Input shape:
        Any, e.g. `(batch, features)` or `(batch, height, width, channels)`.

    Output shape:
        Same as the input.

    Call arguments:
        training: Whether to use and update batch statistics.
        mask: Optional `(batch, ...)` boolean mask, one rank below the input;
            masked entries are left out of the batch statistics.

    Example:
    >>> layer = BatchNormalization()
    >>> y = layer(torch.tensor([[1.0], [3.0]]), training=True)
    >>> [round(v, 4) for v in y.flatten().tolist()]
    [-0.9995, 0.9995]
    """

    def __init__(
        self,
        axis: int = -1,
        momentum: float = 0.99,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        beta_initializer: Any = "zeros",
        gamma_initializer: Any = "ones",
        moving_mean_initializer: Any = "zeros",
        moving_variance_initializer: Any = "ones",
        beta_regularizer: Any = None,
        gamma_regularizer: Any = None,
        beta_constraint: Any = None,
        gamma_constraint: Any = None,
        synchronized: bool = False,
        renorm: bool = False,
        renorm_clipping: Any = None,
        renorm_momentum: float = 0.99,
        **kwargs: Any,
    ) -> None:
        if isinstance(axis, (list, tuple)) and len(axis) == 1:
            axis = axis[0]  # Keras 2 configs may hold [axis]
        if not isinstance(axis, int) or isinstance(axis, bool):
            raise TypeError(
                f"BatchNormalization expected axis to be an int, but received "
                f"axis={axis!r}. Pass -1 (channels_last) or 1 (channels_first)."
            )
        if renorm:
            raise ValueError(
                "BatchNormalization received renorm=True, but lamina does not "
                "implement batch renormalization. Pass renorm=False."
            )
        super().__init__(**kwargs)
        self.axis = axis
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.synchronized = synchronized
        self.renorm_clipping = renorm_clipping
        self.renorm_momentum = renorm_momentum
        self.supports_masking = True

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        rank = len(input_shape)
        if not -rank <= self.axis < rank or input_shape[self.axis] is None:
            raise ValueError(
                f"Layer '{self.name}' (BatchNormalization) has axis={self.axis}, "
                f"which needs a known size in input shape {input_shape}. Pass "
                f"the features axis, e.g. axis=-1 for channels_last data."
            )
        self._channel_axis = self.axis % rank
        shape = (input_shape[self.axis],)
        self.gamma = None
        self.beta = None
        if self.scale:
            self.gamma = self.add_weight(
                name="gamma",
                shape=shape,
                initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
        if self.center:
            self.beta = self.add_weight(
                name="beta",
                shape=shape,
                initializer=self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )
        self.moving_mean = self.add_weight(
            name="moving_mean",
            shape=shape,
            initializer=self.moving_mean_initializer,
            trainable=False,
        )
        self.moving_variance = self.add_weight(
            name="moving_variance",
            shape=shape,
            initializer=self.moving_variance_initializer,
            trainable=False,
        )

    def call(
        self,
        inputs: torch.Tensor,
        training: bool | None = None,
        mask: torch.Tensor | None = None,
    ) -> torch.Tensor:
        # PyTorch's kernels want the features on axis 1: a view, no copy.
        channels_first = torch.movedim(inputs, self._channel_axis, 1)
        if training and self.trainable:
            if mask is not None or self._is_synchronized():
                mean, variance = self._moments(channels_first, mask)
                self._update_moving_statistics(mean, variance)
                outputs = self._normalize(channels_first, mean, variance)
            else:
                outputs = self._train_with_batch_statistics(channels_first)
        else:
            outputs = F.batch_norm(
                channels_first,
                self.moving_mean,
                self.moving_variance,
                self.gamma,
                self.beta,
                training=False,
                eps=self.epsilon,
            )
        return torch.movedim(outputs, 1, self._channel_axis)

    def _train_with_batch_statistics(self, inputs: torch.Tensor) -> torch.Tensor:
        """One fused kernel for output and batch moments."""
        channels = inputs.shape[1]
        batch_mean = inputs.new_zeros(channels, dtype=self.moving_mean.dtype)
        batch_variance = inputs.new_zeros(channels, dtype=self.moving_mean.dtype)
        # momentum=1 makes the kernel write the batch moments themselves into
        # the buffers; it writes the *unbiased* variance, Keras wants biased.
        outputs = F.batch_norm(
            inputs,
            batch_mean,
            batch_variance,
            self.gamma,
            self.beta,
            training=True,
            momentum=1.0,
            eps=self.epsilon,
        )
        count = inputs.numel() // max(channels, 1)
        if count > 1:
            batch_variance = batch_variance * ((count - 1) / count)
        else:
            batch_variance = torch.zeros_like(batch_variance)
        self._update_moving_statistics(batch_mean, batch_variance)
        return outputs

    def _moments(
        self, inputs: torch.Tensor, mask: torch.Tensor | None
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """Biased mean and variance per channel (axis 1); masked entries left out."""
        axes = [axis for axis in range(inputs.ndim) if axis != 1]
        shape = (1, -1, *([1] * (inputs.ndim - 2)))  # broadcast on axis 1
        if mask is None:
            weights = torch.ones_like(inputs[:, :1])  # (batch, 1, ...)
            fuzz = 0.0
        else:
            self._check_mask(inputs, mask)
            # Keras broadcasts the mask over the last input axis.
            weights = mask.to(inputs.dtype).unsqueeze(-1)  # (batch, ..., 1)
            weights = torch.movedim(weights, self._channel_axis, 1)
            fuzz = backend.epsilon()
        weights = weights.expand_as(inputs)
        count = self._sum(weights.sum(dim=axes)) + fuzz  # (channels,)
        mean = self._sum((inputs * weights).sum(dim=axes)) / count
        centered = (inputs - mean.reshape(shape)) * weights
        variance = self._sum(centered.square().sum(dim=axes)) / count
        return mean, variance

    def _sum(self, values: torch.Tensor) -> torch.Tensor:
        """Sums `values` over processes when the layer is synchronized."""
        if not self._is_synchronized():
            return values
        import torch.distributed.nn.functional as distributed_functional

        return distributed_functional.all_reduce(values)

    def _check_mask(self, inputs: torch.Tensor, mask: torch.Tensor) -> None:
        if mask.ndim != inputs.ndim - 1:
            raise ValueError(
                f"Layer '{self.name}' (BatchNormalization) expects a mask one "
                f"rank below its input, but received mask shape "
                f"{tuple(mask.shape)} for input shape {tuple(inputs.shape)}."
            )

    def _normalize(
        self, inputs: torch.Tensor, mean: torch.Tensor, variance: torch.Tensor
    ) -> torch.Tensor:
        shape = (1, -1, *([1] * (inputs.ndim - 2)))  # broadcast on axis 1
        inverse = torch.rsqrt(variance + self.epsilon)
        if self.gamma is not None:
            inverse = inverse * self.gamma
        offset = -mean * inverse
        if self.beta is not None:
            offset = offset + self.beta
        return inputs * inverse.reshape(shape) + offset.reshape(shape)

    def _update_moving_statistics(
        self, mean: torch.Tensor, variance: torch.Tensor
    ) -> None:
        with torch.no_grad():
            for moving, batch in (
                (self.moving_mean, mean),
                (self.moving_variance, variance),
            ):
                moving.copy_(
                    moving * self.momentum
                    + batch.detach().to(moving.dtype) * (1.0 - self.momentum)
                )

    def _is_synchronized(self) -> bool:
        return (
            self.synchronized
            and torch.distributed.is_available()
            and torch.distributed.is_initialized()
            and torch.distributed.get_world_size() > 1
        )

    def get_config(self) -> dict[str, Any]:
        config = {
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "moving_mean_initializer": initializers.serialize(
                self.moving_mean_initializer
            ),
            "moving_variance_initializer": initializers.serialize(
                self.moving_variance_initializer
            ),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
            "synchronized": self.synchronized,
            "renorm": False,
            "renorm_clipping": self.renorm_clipping,
            "renorm_momentum": self.renorm_momentum,
        }
        return {**super().get_config(), **config}
