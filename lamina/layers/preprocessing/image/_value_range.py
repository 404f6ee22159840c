"""Private: maps pixel values between value ranges, as the colour layers do.

Keras's colour augmentations work on pixels in `[0, 255]` whatever the
layer's `value_range`; these helpers move the images there and back.

Example:
>>> import torch
>>> rescale_values(torch.tensor([0.0, 0.5, 1.0]), (0, 1), (0, 255)).tolist()
[0.0, 127.5, 255.0]
"""

from typing import Any

import torch


def rescale_values(images: torch.Tensor, source: Any, target: Any) -> torch.Tensor:
    """Maps `images` linearly from the range `source` onto the range `target`."""
    if source[0] == target[0] and source[1] == target[1]:
        return images
    unit = (images - source[0]) / (source[1] - source[0])
    return unit * (target[1] - target[0]) + target[0]
