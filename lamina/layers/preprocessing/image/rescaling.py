"""`Rescaling`: multiplies inputs by a scale and adds an offset."""

from typing import Any

import numpy as np
import torch

from lamina.backend.config import image_data_format
from lamina.backend.device import get_device
from lamina.layers.layer import Layer
from lamina.saving.serialization_lib import deserialize_keras_object
from lamina.saving.serialization_lib import serialize_keras_object


class Rescaling(Layer):
    """Computes `inputs * scale + offset`, in training and inference alike.

    `scale=1/255` maps `[0, 255]` to `[0, 1]`; `scale=1/127.5, offset=-1`
    maps it to `[-1, 1]`. Integer inputs become floats of the layer's dtype.
    `scale` and `offset` may also be per-channel lists; with the global
    `image_data_format()` set to `"channels_first"` they apply to axis -3.

    Args:
        scale: Float, or a list/array of per-channel floats.
        offset: Float, or a list/array of per-channel floats. Defaults to
            `0.0`.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Input shape:
        Any.

    Output shape:
        Same as the input.

    Example:
    >>> Rescaling(1 / 127.5, offset=-1)(torch.tensor([0, 255])).tolist()
    [-1.0, 1.0]
    """

    def __init__(self, scale: Any, offset: Any = 0.0, **kwargs: Any) -> None:
        _check_floats("scale", scale)
        _check_floats("offset", offset)
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset
        self.supports_masking = True

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        # Per-channel factors become buffers once, so no call copies them to
        # the device; `persistent=False` keeps them out of the weights.
        for name, value in (
            ("_scale_tensor", self.scale),
            ("_offset_tensor", self.offset),
        ):
            tensor = None
            if not isinstance(value, (int, float)):
                tensor = torch.as_tensor(
                    np.asarray(value, "float32"), device=get_device()
                )
            self.register_buffer(name, tensor, persistent=False)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        inputs = inputs.to(self._dtype)
        scale = _factor(self.scale, self._scale_tensor, inputs)
        offset = _factor(self.offset, self._offset_tensor, inputs)
        return inputs * scale + offset

    def get_config(self) -> dict[str, Any]:
        config = {
            "scale": serialize_keras_object(self.scale),
            "offset": serialize_keras_object(self.offset),
        }
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Rescaling":
        config = dict(config)
        for key in ("scale", "offset"):
            if key in config:
                config[key] = deserialize_keras_object(config[key])
        return cls(**config)


def _factor(
    value: Any, tensor: torch.Tensor | None, inputs: torch.Tensor
) -> float | torch.Tensor:
    if tensor is None:
        return value
    factor = tensor.to(device=inputs.device, dtype=inputs.dtype)
    if factor.ndim > 0 and image_data_format() == "channels_first":
        factor = factor.reshape(*factor.shape, *(1,) * (3 - factor.ndim))
    return factor  # broadcasts against (..., channels) or (..., C, H, W)


def _check_floats(argument: str, value: Any) -> None:
    message = (
        f"Rescaling expected {argument} to be a float or a list of floats, "
        f"but received {argument}={value!r}."
    )
    if isinstance(value, bool):
        raise TypeError(message)
    try:
        array = np.asarray(value, dtype="float64")
    except (TypeError, ValueError) as err:
        raise TypeError(message) from err
    if array.ndim > 3:
        raise ValueError(message)
