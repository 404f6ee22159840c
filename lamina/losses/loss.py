"""`Loss`: the base class of losses, and Keras's reduction rules."""

from typing import Any

import numpy as np
import torch

from lamina.backend import dtype_name
from lamina.backend import floatx
from lamina.backend import standardize_dtype
from lamina.losses._serialization import auto_name

REDUCTIONS = (
    "sum_over_batch_size",
    "sum",
    "mean",
    "mean_with_sample_weight",
    "none",
    None,
)
# Keras 2 spelled the default reduction "auto"; it means the same thing.
_KERAS2_REDUCTIONS = {"auto": "sum_over_batch_size"}


class Loss:
    """Base class of losses: computes per-sample losses, then reduces them.

    Subclasses implement `call(y_true, y_pred)`, which returns the loss of
    each sample; `__call__` applies `sample_weight` and the reduction.

    Args:
        name: Name of the loss instance. Defaults to the snake-case class name.
        reduction: How to reduce per-sample losses: `"sum_over_batch_size"`
            (sum divided by the number of elements), `"mean"` (the same),
            `"sum"`, `"mean_with_sample_weight"` (sum divided by the sum of
            the sample weights), or `"none"`/`None` (no reduction).
            Defaults to `"sum_over_batch_size"`.
        dtype: Dtype of the computation. Defaults to `floatx()`.

    Example:
    >>> class Absolute(Loss):
    ...     def call(self, y_true, y_pred):
    ...         return (y_true - y_pred).abs().mean(dim=-1)
    >>> float(Absolute()(torch.zeros(2, 2), torch.ones(2, 2)))
    1.0
    """

    def __init__(
        self,
        name: str | None = None,
        reduction: str | None = "sum_over_batch_size",
        dtype: Any = None,
    ):
        self.name = name or auto_name(type(self).__name__)
        self.reduction = standardize_reduction(reduction, self.name)
        self._dtype = standardize_dtype(dtype or floatx())

    @property
    def dtype(self) -> str:
        """The computation dtype as a Keras name, e.g. `"float32"`."""
        return dtype_name(self._dtype)

    def __call__(
        self, y_true: Any, y_pred: Any, sample_weight: Any = None
    ) -> torch.Tensor:
        y_pred = convert_prediction(y_pred, self._dtype)
        y_true = convert_to_tensor(y_true, self._dtype, y_pred.device)
        try:
            losses = self.call(y_true, y_pred)
        except RuntimeError as err:  # a torch broadcasting or shape failure
            raise ValueError(
                f"Loss '{self.name}' ({type(self).__name__}) cannot compare "
                f"y_true of shape {tuple(y_true.shape)} with y_pred of shape "
                f"{tuple(y_pred.shape)}: {err}. Make the labels match the model "
                f"output, or pick a loss that fits the labels."
            ) from err
        mask = getattr(losses, "_lamina_mask", None)
        if sample_weight is None and mask is None and losses.dtype == self._dtype:
            return reduce_values(losses, None, self.reduction)
        return reduce_weighted_values(
            losses, sample_weight, mask, self.reduction, self._dtype
        )

    def call(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        """Returns the per-sample loss; subclasses implement it."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement call(y_true, y_pred)."
        )

    def get_config(self) -> dict[str, Any]:
        """Returns the constructor arguments as a JSON-serialisable dict."""
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Loss":
        """Rebuilds a loss from `get_config()`'s dict."""
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"


def standardize_reduction(reduction: str | None, name: str = "loss") -> str | None:
    """Validates a reduction name and maps Keras 2's `"auto"` to the default.

    Example:
    >>> standardize_reduction("auto")
    'sum_over_batch_size'
    """
    reduction = _KERAS2_REDUCTIONS.get(reduction, reduction)
    if reduction not in REDUCTIONS:
        raise ValueError(
            f"Loss '{name}' received reduction={reduction!r}, but expected one "
            f"of {list(REDUCTIONS)}. Pass one of those."
        )
    return reduction


def convert_to_tensor(
    value: Any, dtype: torch.dtype | None = None, device: Any = None
) -> torch.Tensor:
    """Turns arrays, lists and numbers into a tensor (of `dtype` if given).

    Example:
    >>> convert_to_tensor([1, 2], torch.float32)
    tensor([1., 2.])
    """
    if isinstance(value, torch.Tensor):
        return value if dtype is None or value.dtype == dtype else value.to(dtype)
    if isinstance(value, np.ndarray) and value.dtype == np.float64 and dtype:
        value = value.astype(np.dtype(str(dtype).removeprefix("torch.")))
    return torch.as_tensor(value, dtype=dtype, device=device)


def convert_prediction(y_pred: Any, dtype: torch.dtype) -> torch.Tensor:
    """Casts `y_pred` to `dtype`, keeping the logits that softmax/sigmoid attach.

    Example:
    >>> convert_prediction([0.5], torch.float32)
    tensor([0.5000])
    """
    converted = convert_to_tensor(y_pred, dtype)
    logits = getattr(y_pred, "_lamina_logits", None)
    if converted is not y_pred and logits is not None:
        converted._lamina_logits = logits.to(dtype)
        converted._lamina_activation = getattr(y_pred, "_lamina_activation", None)
        converted._lamina_source = y_pred
    return converted


def squeeze_or_expand_to_same_rank(
    x1: torch.Tensor, x2: torch.Tensor, expand_rank_1: bool = True
) -> tuple[torch.Tensor, torch.Tensor]:
    """Aligns ranks differing by one where the longer has a last axis of 1.

    Example:
    >>> a, b = squeeze_or_expand_to_same_rank(torch.zeros(4, 1), torch.zeros(4))
    >>> tuple(a.shape), tuple(b.shape)
    ((4, 1), (4, 1))
    """
    rank1, rank2 = x1.dim(), x2.dim()
    if rank1 == rank2 + 1 and x1.shape[-1] == 1:
        if rank2 == 1 and expand_rank_1:
            return x1, x2.unsqueeze(-1)
        return x1.squeeze(-1), x2
    if rank2 == rank1 + 1 and x2.shape[-1] == 1:
        if rank1 == 1 and expand_rank_1:
            return x1.unsqueeze(-1), x2
        return x1, x2.squeeze(-1)
    return x1, x2


def reduce_values(
    values: torch.Tensor,
    sample_weight: torch.Tensor | None = None,
    reduction: str | None = "sum_over_batch_size",
) -> torch.Tensor:
    """Reduces already-weighted losses to a scalar as `reduction` says.

    Example:
    >>> reduce_values(torch.tensor([1.0, 3.0]))
    tensor(2.)
    """
    if reduction in (None, "none") or values.dim() == 0 or values.shape == (0,):
        return values
    total = values.sum()
    if reduction == "sum":
        return total
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        divisor = sample_weight.sum().to(total.dtype)
        return torch.where(divisor == 0, torch.zeros_like(total), total / divisor)
    count = values.numel()
    return total / count if count else torch.zeros_like(total)


def apply_mask(
    sample_weight: torch.Tensor | None,
    mask: torch.Tensor | None,
    dtype: torch.dtype,
    reduction: str | None,
) -> torch.Tensor | None:
    """Folds a boolean mask of valid entries into the sample weights.

    For the averaging reductions, valid entries get weight `total / valid`,
    so that the average runs over the valid entries only (as Keras does).

    Example:
    >>> apply_mask(None, torch.tensor([True, False]), torch.float32, "sum")
    tensor([1., 0.])
    """
    if mask is None:
        return sample_weight
    mask = mask.to(torch.bool)
    if reduction in ("mean", "sum_over_batch_size"):
        valid = mask.sum().to(dtype)
        mask_weight = torch.where(valid == 0, 0.0, mask.numel() / valid)
        float_mask = torch.where(mask, mask_weight, 0.0).to(dtype)
    else:
        float_mask = mask.to(dtype)
    if sample_weight is None:
        return float_mask
    float_mask, sample_weight = squeeze_or_expand_to_same_rank(
        float_mask, sample_weight.to(dtype)
    )
    return sample_weight * float_mask


def reduce_weighted_values(
    values: torch.Tensor,
    sample_weight: Any = None,
    mask: torch.Tensor | None = None,
    reduction: str | None = "sum_over_batch_size",
    dtype: torch.dtype | None = None,
) -> torch.Tensor:
    """Weights per-sample losses, then reduces them (Keras's rules).

    `sample_weight` is aligned with the losses by squeezing or expanding a
    trailing axis of size 1, then broadcast.

    Example:
    >>> losses = torch.tensor([1.0, 2.0])
    >>> reduce_weighted_values(losses, torch.tensor([1.0, 0.0]), reduction="sum")
    tensor(1.)
    """
    reduction = standardize_reduction(reduction)
    values = values.to(dtype) if dtype is not None else values
    if sample_weight is not None:
        sample_weight = convert_to_tensor(sample_weight, values.dtype, values.device)
    sample_weight = apply_mask(sample_weight, mask, values.dtype, reduction)
    if sample_weight is not None:
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        try:
            values = values * sample_weight
        except RuntimeError as err:
            raise ValueError(
                f"sample_weight of shape {tuple(sample_weight.shape)} cannot be "
                f"broadcast to the per-sample losses of shape "
                f"{tuple(values.shape)}. Pass one weight per sample, shape "
                f"({values.shape[0] if values.dim() else 1},)."
            ) from err
    return reduce_values(values, sample_weight, reduction)
