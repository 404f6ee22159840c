"""Private: moving image batches between Keras layouts and NCHW."""

from typing import Any

import torch

from lamina.backend.config import standardize_data_format
from lamina.ops._convert import to_tensor


def to_nchw(images: Any, data_format: str | None) -> tuple[torch.Tensor, str, bool]:
    """Returns `(NCHW batch, data_format, was_single_image)`."""
    images = to_tensor(images)
    data_format = standardize_data_format(data_format)
    if images.ndim not in (3, 4):
        raise ValueError(
            f"Expected images of rank 3 (one image) or 4 (a batch), but "
            f"received shape {tuple(images.shape)}."
        )
    single = images.ndim == 3
    if single:
        images = images.unsqueeze(0)
    if data_format == "channels_last":
        images = images.permute(0, 3, 1, 2)
    return images, data_format, single


def from_nchw(images: torch.Tensor, data_format: str, single: bool) -> torch.Tensor:
    """Inverse of `to_nchw`."""
    if data_format == "channels_last":
        images = images.permute(0, 2, 3, 1)
    return images.squeeze(0) if single else images


def channel_axis(data_format: str | None) -> int:
    """The channel axis of an image (batch) in `data_format`."""
    return -1 if standardize_data_format(data_format) == "channels_last" else -3
