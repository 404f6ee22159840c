"""`UpSampling2D`: enlarges images by integer factors."""

from typing import Any

import torch
import torch.nn.functional as F

from lamina.backend.config import standardize_data_format
from lamina.layers.convolutional import _spatial
from lamina.layers.layer import Layer

_INTERPOLATIONS = ("nearest", "bilinear", "bicubic")


class UpSampling2D(Layer):
    """Enlarges the height and width of images by integer factors.

    `"nearest"` repeats rows and columns; `"bilinear"` and `"bicubic"`
    interpolate with half-pixel centres (PyTorch's `interpolate` with
    `align_corners=False`, as Keras's torch backend does).

    Args:
        size: Int or tuple of 2 ints, the `(rows, cols)` factors. Defaults to
            `(2, 2)`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to the
            global `image_data_format()` (`"channels_last"`).
        interpolation: One of `"nearest"`, `"bilinear"`, `"bicubic"`. Defaults
            to `"nearest"`.

    Input shape:
        `(batch, height, width, channels)`, or with `channels_first`
        `(batch, channels, height, width)`.

    Output shape:
        The same axes with `height * rows` and `width * cols`.

    Example:
    >>> import torch
    >>> tuple(UpSampling2D((2, 3))(torch.ones(1, 2, 2, 3)).shape)
    (1, 4, 6, 3)
    """

    def __init__(
        self,
        size: Any = (2, 2),
        data_format: str | None = None,
        interpolation: str = "nearest",
        **kwargs: Any,
    ) -> None:
        size = _spatial.standardize_tuple("UpSampling2D", size, 2, "size")
        data_format = standardize_data_format(data_format)
        if not isinstance(interpolation, str) or (
            interpolation.lower() not in _INTERPOLATIONS
        ):
            raise ValueError(
                f"UpSampling2D expected interpolation to be one of "
                f"{_INTERPOLATIONS}, but received interpolation={interpolation!r}."
            )
        super().__init__(**kwargs)
        self.size = size
        self.data_format = data_format
        self.interpolation = interpolation.lower()

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        _spatial.check_rank(self, tuple(inputs.shape), 2, self.data_format)
        channels_first = _spatial.to_channels_first(inputs, self.data_format)
        if self.interpolation == "nearest":
            rows, cols = self.size
            outputs = channels_first.repeat_interleave(rows, dim=2)  # (b, c, h*r, w)
            outputs = outputs.repeat_interleave(cols, dim=3)  # (b, c, h*r, w*c)
        else:
            height, width = channels_first.shape[2:]
            outputs = F.interpolate(
                channels_first,
                size=(height * self.size[0], width * self.size[1]),
                mode=self.interpolation,
                align_corners=False,
            )  # (batch, channels, new_height, new_width)
        return _spatial.from_channels_first(outputs, self.data_format)

    def get_config(self) -> dict[str, Any]:
        config = {
            "size": self.size,
            "data_format": self.data_format,
            "interpolation": self.interpolation,
        }
        return {**super().get_config(), **config}
