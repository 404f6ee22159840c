"""`ReLU`: the rectified linear unit as a layer."""

from typing import Any

import torch

from lamina import activations
from lamina.layers.layer import Layer


class ReLU(Layer):
    """Rectified linear unit, optionally leaky, capped and thresholded.

    `output = min(x, max_value)` for `x >= threshold`, and
    `negative_slope * (x - threshold)` otherwise.

    Args:
        max_value: Float >= 0, the largest output, or `None` for no cap.
            Defaults to `None`.
        negative_slope: Float >= 0, slope below the threshold. Defaults to
            `0.0`.
        threshold: Float >= 0, where the unit switches on. Defaults to `0.0`.

    Input shape:
        Any.

    Output shape:
        Same as the input.

    Example:
    >>> ReLU(max_value=6.0)(torch.tensor([-1.0, 3.0, 9.0])).tolist()
    [0.0, 3.0, 6.0]
    """

    def __init__(
        self,
        max_value: float | None = None,
        negative_slope: float = 0.0,
        threshold: float = 0.0,
        **kwargs: Any,
    ) -> None:
        bad = []
        if max_value is not None and max_value < 0:
            bad.append(f"max_value={max_value!r}")
        if negative_slope is None or negative_slope < 0:
            bad.append(f"negative_slope={negative_slope!r}")
        if threshold is None or threshold < 0:
            bad.append(f"threshold={threshold!r}")
        if bad:
            raise ValueError(
                f"ReLU expects max_value, negative_slope and threshold to be "
                f"non-negative numbers, but received {', '.join(bad)}."
            )
        super().__init__(**kwargs)
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold
        self.supports_masking = True

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        return activations.relu(
            inputs,
            negative_slope=self.negative_slope,
            max_value=self.max_value,
            threshold=self.threshold,
        )

    def get_config(self) -> dict[str, Any]:
        config = {
            "max_value": self.max_value,
            "negative_slope": self.negative_slope,
            "threshold": self.threshold,
        }
        return {**super().get_config(), **config}
