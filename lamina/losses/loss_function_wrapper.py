"""`LossFunctionWrapper`: turns a per-sample loss function into a `Loss`."""

from collections.abc import Callable
from typing import Any

import torch

from lamina.losses.loss import Loss
from lamina.losses.loss import squeeze_or_expand_to_same_rank


class LossFunctionWrapper(Loss):
    """Wraps a function `fn(y_true, y_pred, **kwargs)` as a `Loss`.

    Ranks of `y_true` and `y_pred` that differ by a trailing axis of size 1
    are aligned before `fn` runs.

    Args:
        fn: The per-sample loss function.
        reduction: See `Loss`. Defaults to `"sum_over_batch_size"`.
        name: Name of the loss. Defaults to the snake-case class name.
        dtype: Dtype of the computation. Defaults to `floatx()`.
        **kwargs: Extra keyword arguments passed to `fn`.

    Example:
    >>> def l1(y_true, y_pred):
    ...     return (y_true - y_pred).abs().mean(dim=-1)
    >>> float(LossFunctionWrapper(l1)(torch.zeros(2, 3), torch.ones(2, 3)))
    1.0
    """

    def __init__(
        self,
        fn: Callable,
        reduction: str | None = "sum_over_batch_size",
        name: str | None = None,
        dtype: Any = None,
        **kwargs: Any,
    ):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        y_true, aligned = squeeze_or_expand_to_same_rank(y_true, y_pred)
        logits = getattr(y_pred, "_lamina_logits", None)
        if aligned is not y_pred and logits is not None:
            # Squeezed like y_pred, so the stable cross-entropy path still sees it.
            aligned._lamina_logits = logits.reshape(aligned.shape)
            aligned._lamina_source = y_pred
        return self.fn(y_true, aligned, **self._fn_kwargs)

    def get_config(self) -> dict[str, Any]:
        """The loss's arguments; a named subclass (`BinaryCrossentropy`, ...)
        fixes `fn` by its class, so only a plain wrapper records it."""
        if type(self) is not LossFunctionWrapper:
            return {**super().get_config(), **self._fn_kwargs}
        from lamina.losses._lookup import serialize

        return {**super().get_config(), "fn": serialize(self.fn), **self._fn_kwargs}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "LossFunctionWrapper":
        from lamina.losses._lookup import deserialize

        config = dict(config)
        if "fn" in config:
            config["fn"] = deserialize(config["fn"])
        return cls(**config)

    def __repr__(self) -> str:
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"
