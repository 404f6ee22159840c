"""`Attention`: dot-product (Luong-style) attention of a query over a value."""

from typing import Any

import torch

from lamina.layers.attention._attention_core import causal_mask
from lamina.layers.attention._attention_core import check_dropout
from lamina.layers.layer import Layer
from lamina.layers.regularization.dropout import scaled_keep_mask

Shape = tuple[int | None, ...]

_SCORE_MODES = ("dot", "concat")


class Attention(Layer):
    """Dot-product attention, a.k.a. Luong-style attention.

    With `query` `(batch, Tq, dim)`, `value` `(batch, Tv, dim)` and `key`
    (defaults to `value`): `scores = query @ key.T` (`"dot"`) or
    `sum(tanh(query + key))` (`"concat"`), `weights = softmax(scores)` over
    `Tv`, `output = weights @ value`.

    Args:
        use_scale: Whether to learn a scalar `scale` multiplying the scores
            (inside the `tanh` for `"concat"`). Defaults to `False`.
        score_mode: `"dot"` or `"concat"`. `"concat"` also learns a scalar
            `concat_score_weight`. Defaults to `"dot"`.
        dropout: Float in [0, 1), dropout rate on the attention weights during
            training. Defaults to `0.0`.
        seed: Integer seed of the dropout; accepted for Keras compatibility
            (use `lamina.utils.set_random_seed` for reproducible masks).
            Defaults to `None`.

    Input shape:
        A list `[query, value]` or `[query, value, key]`: `(batch, Tq, dim)`,
        `(batch, Tv, dim)`, `(batch, Tv, dim)`.

    Output shape:
        `(batch, Tq, dim)`; with `return_attention_scores=True` also the
        weights `(batch, Tq, Tv)`.

    Call arguments:
        inputs: `[query, value]` or `[query, value, key]`.
        mask: `[query_mask, value_mask]` booleans `(batch, Tq)`, `(batch, Tv)`:
            padded value steps get no weight and padded query steps output
            zeros. Defaults to the masks attached to the inputs.
        training: Whether dropout is active. Defaults to `False`.
        return_attention_scores: Whether to return `(output, weights)`.
            Defaults to `False`.
        use_causal_mask: Whether query step `i` may only attend to value steps
            `<= i` (decoder self-attention). Defaults to `False`.

    Example:
    >>> query, value = torch.ones(2, 3, 4), torch.ones(2, 5, 4)
    >>> tuple(Attention()([query, value]).shape)
    (2, 3, 4)
    """

    def __init__(
        self,
        use_scale: bool = False,
        score_mode: str = "dot",
        dropout: float = 0.0,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        if score_mode not in _SCORE_MODES:
            raise ValueError(
                f"{type(self).__name__} expected score_mode to be one of "
                f"{_SCORE_MODES}, but received score_mode={score_mode!r}."
            )
        check_dropout(type(self).__name__, dropout)
        super().__init__(**kwargs)
        self.supports_masking = True
        self.use_scale = use_scale
        self.score_mode = score_mode
        self.dropout = dropout
        self.seed = seed

    def build(self, input_shape: list[Shape]) -> None:
        self._check_inputs(input_shape)
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(
                name="scale", shape=(), initializer="ones", trainable=True
            )
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(
                name="concat_score_weight", shape=(), initializer="ones", trainable=True
            )

    def _calculate_scores(self, query: torch.Tensor, key: torch.Tensor) -> torch.Tensor:
        """Scores `(batch, Tq, Tv)` of each query step against each key step."""
        if self.score_mode == "dot":
            scores = torch.matmul(query, key.transpose(-2, -1))  # (B, Tq, Tv)
            return scores if self.scale is None else scores * self.scale
        summed = query.unsqueeze(-2) + key.unsqueeze(-3)  # (B, Tq, Tv, dim)
        if self.scale is not None:
            summed = self.scale * summed
        return self.concat_score_weight * torch.tanh(summed).sum(-1)  # (B, Tq, Tv)

    def _apply_scores(
        self,
        scores: torch.Tensor,
        value: torch.Tensor,
        scores_mask: torch.Tensor | None = None,
        training: bool | None = False,
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """`(weights @ value, weights)` with `weights = softmax(scores)`."""
        if scores_mask is not None:
            if scores_mask.ndim == 2:
                scores_mask = scores_mask.unsqueeze(-2)  # (B, 1, Tv)
            # Keras subtracts a large number (the float16 maximum there).
            large = 65504.0 if scores.dtype == torch.float16 else 1.0e9
            scores = torch.where(scores_mask, scores, scores - large)
        weights = torch.softmax(scores, dim=-1)  # (B, Tq, Tv)
        if training and self.dropout > 0:
            weights = weights * scaled_keep_mask(weights.shape, self.dropout, weights)
        return torch.matmul(weights, value), weights  # (B, Tq, dim)

    def call(
        self,
        inputs: list[torch.Tensor],
        mask: list[torch.Tensor | None] | None = None,
        training: bool | None = False,
        return_attention_scores: bool = False,
        use_causal_mask: bool = False,
    ) -> Any:
        self._check_inputs(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        query_mask = _as_bool(mask[0]) if mask else None
        value_mask = _as_bool(mask[1]) if mask else None
        scores = self._calculate_scores(query, key)  # (B, Tq, Tv)
        if use_causal_mask:
            causal = causal_mask(scores.shape[-2], scores.shape[-1], scores.device)
            value_mask = (
                causal if value_mask is None else value_mask.unsqueeze(-2) & causal
            )
        output, weights = self._apply_scores(scores, value, value_mask, training)
        if query_mask is not None:
            output = torch.where(query_mask.unsqueeze(-1), output, 0.0)  # (B, Tq, dim)
        if return_attention_scores:
            return output, weights
        return output

    def compute_mask(self, inputs: Any, mask: Any = None) -> torch.Tensor | None:
        self._check_inputs(inputs, mask)
        if not mask or mask[0] is None:
            return None
        return torch.as_tensor(mask[0])

    def _check_inputs(self, inputs: Any, mask: Any = None) -> None:
        label = f"Layer '{self.name}' ({type(self).__name__})"
        if not isinstance(inputs, (list, tuple)) or not 2 <= len(inputs) <= 3:
            received = (
                f"{len(inputs)} inputs"
                if isinstance(inputs, (list, tuple))
                else type(inputs).__name__
            )
            raise ValueError(
                f"{label} must be called on a list [query, value] or [query, "
                f"value, key], but received {received}. Example: "
                f"layer([query, value])."
            )
        if mask is not None and (
            not isinstance(mask, (list, tuple)) or not 2 <= len(mask) <= 3
        ):
            raise ValueError(
                f"{label} needs mask=[query_mask, value_mask] (a list of 2 or 3), "
                f"but received mask={mask!r}."
            )

    def get_config(self) -> dict[str, Any]:
        config = {
            "use_scale": self.use_scale,
            "score_mode": self.score_mode,
            "dropout": self.dropout,
            "seed": self.seed,
        }
        return {**super().get_config(), **config}


def _as_bool(mask: Any) -> torch.Tensor | None:
    if mask is None:
        return None
    mask = torch.as_tensor(mask)
    return mask if mask.dtype == torch.bool else mask != 0
