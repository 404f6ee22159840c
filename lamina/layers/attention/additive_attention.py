"""`AdditiveAttention`: Bahdanau-style attention of a query over a value."""

from typing import Any

import torch

from lamina.layers.attention.attention import Attention

Shape = tuple[int | None, ...]


class AdditiveAttention(Attention):
    """Additive attention, a.k.a. Bahdanau-style attention.

    With `query` `(batch, Tq, dim)`, `value` `(batch, Tv, dim)` and `key`
    (defaults to `value`): `scores = sum(scale * tanh(query + key), axis=-1)`
    over every query/key pair, `weights = softmax(scores)` over `Tv`,
    `output = weights @ value`.

    Args:
        use_scale: Whether to learn a `(dim,)` vector `scale` weighting the
            `tanh` terms. Defaults to `True`.
        dropout: Float in [0, 1), dropout rate on the attention weights during
            training. Defaults to `0.0`.

    Input shape:
        A list `[query, value]` or `[query, value, key]`: `(batch, Tq, dim)`,
        `(batch, Tv, dim)`, `(batch, Tv, dim)`.

    Output shape:
        `(batch, Tq, dim)`; with `return_attention_scores=True` also the
        weights `(batch, Tq, Tv)`.

    Call arguments:
        inputs: `[query, value]` or `[query, value, key]`.
        mask: `[query_mask, value_mask]`, as for `Attention`. Defaults to the
            masks attached to the inputs.
        training: Whether dropout is active. Defaults to `False`.
        return_attention_scores: Whether to return `(output, weights)`.
            Defaults to `False`.
        use_causal_mask: Whether query step `i` may only attend to value steps
            `<= i`. Defaults to `False`.

    Example:
    >>> query, value = torch.ones(2, 3, 4), torch.ones(2, 5, 4)
    >>> tuple(AdditiveAttention()([query, value]).shape)
    (2, 3, 4)
    """

    def __init__(self, use_scale: bool = True, dropout: float = 0.0, **kwargs: Any):
        super().__init__(use_scale=use_scale, dropout=dropout, **kwargs)

    def build(self, input_shape: list[Shape]) -> None:
        self._check_inputs(input_shape)
        self.scale = None
        if self.use_scale:
            self.scale = self.add_weight(
                name="scale",
                shape=(input_shape[0][-1],),
                initializer="glorot_uniform",
                trainable=True,
            )

    def _calculate_scores(self, query: torch.Tensor, key: torch.Tensor) -> torch.Tensor:
        terms = torch.tanh(query.unsqueeze(-2) + key.unsqueeze(-3))  # (B, Tq, Tv, dim)
        if self.scale is not None:
            terms = self.scale * terms
        return terms.sum(-1)  # (B, Tq, Tv)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        del config["score_mode"]
        return config
