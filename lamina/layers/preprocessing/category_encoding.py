"""`CategoryEncoding`: one-hot, multi-hot or count vectors of integer categories."""

from typing import Any

import torch

from lamina.backend.compilation import run_eagerly
from lamina.layers.layer import Layer
from lamina.layers.preprocessing._encoding import encode_categorical

_MODES = ("one_hot", "multi_hot", "count")


class CategoryEncoding(Layer):
    """Encodes integer categories in `[0, num_tokens)` as fixed-size vectors.

    `"one_hot"` turns each value into a vector with a 1 at its index (a last
    axis of size 1 is replaced); `"multi_hot"` marks every category present
    in a sample; `"count"` counts them, optionally weighted by
    `count_weights`. A sample is the last axis of `(batch, values)` data.
    Negative values encode as all zeros, as in Keras.

    Args:
        num_tokens: Positive integer, the number of categories.
        output_mode: `"one_hot"`, `"multi_hot"` or `"count"`. Defaults to
            `"multi_hot"`.
        sparse: Must be `False`: torch has no sparse output here.

    Input shape:
        `(batch,)` or `(batch, values)` of integers.

    Output shape:
        `(batch, num_tokens)`; `"one_hot"` on `(batch, values)` with
        `values > 1` gives `(batch, values, num_tokens)`.

    Call arguments:
        inputs: The integer categories.
        count_weights: Optional weights of `inputs`' shape, summed in
            `"count"` mode.

    Example:
    >>> CategoryEncoding(4, output_mode="count")(torch.tensor([[0, 1, 1]])).tolist()
    [[1.0, 2.0, 0.0, 0.0]]
    """

    def __init__(
        self,
        num_tokens: int | None = None,
        output_mode: str = "multi_hot",
        sparse: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if output_mode == "binary":  # the Keras 2 name
            output_mode = "multi_hot"
        self._check_arguments(num_tokens, output_mode, sparse)
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = sparse
        self.autocast = False  # categories stay integers

    def _check_arguments(self, num_tokens: Any, output_mode: str, sparse: bool) -> None:
        prefix = f"Layer '{self.name}' (CategoryEncoding)"
        if output_mode not in _MODES:
            raise ValueError(
                f"{prefix} received output_mode={output_mode!r}. Expected one "
                f"of {', '.join(_MODES)}."
            )
        if num_tokens is None:
            raise ValueError(
                f"{prefix} needs num_tokens, the number of categories. If it is "
                f"not known beforehand, use IntegerLookup, which learns it."
            )
        if not isinstance(num_tokens, int) or isinstance(num_tokens, bool):
            raise TypeError(
                f"{prefix} expected num_tokens to be an integer, but received "
                f"num_tokens={num_tokens!r}."
            )
        if num_tokens < 1:
            raise ValueError(
                f"{prefix} expected num_tokens >= 1, but received "
                f"num_tokens={num_tokens}."
            )
        if sparse:
            raise ValueError(
                f"{prefix} received sparse=True, but lamina returns dense torch "
                f"tensors only. Pass sparse=False."
            )

    def call(
        self, inputs: torch.Tensor, count_weights: torch.Tensor | None = None
    ) -> torch.Tensor:
        if count_weights is not None:
            if self.output_mode != "count":
                raise ValueError(
                    f"Layer '{self.name}' (CategoryEncoding) received "
                    f"count_weights, which only output_mode='count' uses; it "
                    f"has output_mode={self.output_mode!r}."
                )
            count_weights = torch.as_tensor(count_weights, device=inputs.device)
            count_weights = count_weights.to(self._dtype)
        indices = inputs.to(torch.int64)
        if indices.device.type != "meta":
            self._check_range(indices)
        return encode_categorical(
            indices, self.output_mode, self.num_tokens, self._dtype, count_weights
        )

    @run_eagerly  # the check needs a Python branch
    def _check_range(self, indices: torch.Tensor) -> None:
        if indices.numel() == 0:
            return
        highest = int(indices.max())
        if highest >= self.num_tokens:
            raise ValueError(
                f"Layer '{self.name}' (CategoryEncoding) received category "
                f"{highest}, but num_tokens={self.num_tokens} allows only "
                f"[0, {self.num_tokens}). Raise num_tokens or map the values "
                f"into range first (IntegerLookup does)."
            )

    def get_config(self) -> dict[str, Any]:
        config = {"num_tokens": self.num_tokens, "output_mode": self.output_mode}
        return {**super().get_config(), **config}
