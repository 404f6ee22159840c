"""`ReversibleEmbedding`: an embedding that can also project back to the vocabulary."""

from typing import Any

import torch

from lamina import backend
from lamina.layers.core.embedding import Embedding

Tensor = torch.Tensor


class ReversibleEmbedding(Embedding):
    """An `Embedding` that, called with `reverse=True`, gives vocabulary logits.

    The forward call looks up vectors as `Embedding` does. The reverse call
    projects hidden states back to `input_dim` logits: `inputs @
    embeddings.T` with tied weights (Press & Wolf, 2016), or `inputs @
    reverse_embeddings` with a separate `(output_dim, input_dim)` matrix.
    `logit_soft_cap` then bounds the logits: `tanh(logits / cap) * cap`.

    Args:
        input_dim: Positive integer, size of the vocabulary.
        output_dim: Positive integer, size of each vector.
        tie_weights: Whether the reverse projection reuses `embeddings`
            (transposed) instead of its own `reverse_embeddings` weight.
            Defaults to `True`.
        embeddings_initializer: Initializer of both matrices. Defaults to
            `"uniform"`.
        embeddings_regularizer: Regularizer of `embeddings`. Defaults to
            `None`.
        embeddings_constraint: Constraint on `embeddings`. Defaults to
            `None`.
        mask_zero: Whether index 0 is padding (forward call only). Defaults
            to `False`.
        reverse_dtype: Dtype of the reverse projection's computation, e.g.
            `"float32"` under mixed precision. Defaults to `None` (the
            layer's dtype).
        logit_soft_cap: Positive float bounding the reverse logits to
            `(-logit_soft_cap, logit_soft_cap)`. Defaults to `None` (off).

    Input shape:
        Forward: `(batch, ...)` integer indices. Reverse: `(batch, ...,
        output_dim)` hidden states.

    Output shape:
        Forward: `(batch, ..., output_dim)`. Reverse: `(batch, ...,
        input_dim)`.

    Call arguments:
        inputs: Indices, or hidden states with `reverse=True`.
        reverse: Whether to project back to the vocabulary. Defaults to
            `False`.

    Example:
    >>> import torch
    >>> embedding = ReversibleEmbedding(100, 8)
    >>> hidden = embedding(torch.tensor([[1, 2, 3]]))
    >>> tuple(hidden.shape), tuple(embedding(hidden, reverse=True).shape)
    ((1, 3, 8), (1, 3, 100))
    """

    def __init__(
        self,
        input_dim: int,
        output_dim: int,
        tie_weights: bool = True,
        embeddings_initializer: Any = "uniform",
        embeddings_regularizer: Any = None,
        embeddings_constraint: Any = None,
        mask_zero: bool = False,
        reverse_dtype: Any = None,
        logit_soft_cap: float | None = None,
        **kwargs: Any,
    ) -> None:
        if logit_soft_cap is not None and (
            isinstance(logit_soft_cap, bool)
            or not isinstance(logit_soft_cap, (int, float))
            or logit_soft_cap <= 0
        ):
            raise ValueError(
                f"ReversibleEmbedding expected logit_soft_cap to be None or a "
                f"positive float, but received logit_soft_cap={logit_soft_cap!r}. "
                f"Pass e.g. logit_soft_cap=30.0, or None to leave logits as they are."
            )
        if reverse_dtype is not None:
            reverse_dtype = backend.dtype_name(backend.standardize_dtype(reverse_dtype))
        super().__init__(
            input_dim,
            output_dim,
            embeddings_initializer=embeddings_initializer,
            embeddings_regularizer=embeddings_regularizer,
            embeddings_constraint=embeddings_constraint,
            mask_zero=mask_zero,
            **kwargs,
        )
        self.tie_weights = tie_weights
        self.reverse_dtype = reverse_dtype
        self.logit_soft_cap = logit_soft_cap

    def build(self, input_shape: Any = None) -> None:
        super().build(input_shape)
        if not self.tie_weights:
            self.reverse_embeddings = self.add_weight(
                name="reverse_embeddings",
                shape=(self.output_dim, self.input_dim),
                initializer=self.embeddings_initializer,
            )

    def call(self, inputs: Tensor, reverse: bool = False) -> Tensor:
        if not reverse:
            outputs = super().call(inputs)  # (batch, ..., output_dim)
            if self.mask_zero:
                # set here, not in compute_mask: a reverse call has no mask
                outputs._keras_mask = inputs != 0  # (batch, ...)
            return outputs
        kernel = self.embeddings.T if self.tie_weights else self.reverse_embeddings
        dtype = backend.standardize_dtype(self.reverse_dtype or self.compute_dtype)
        logits = torch.matmul(inputs.to(dtype), kernel.to(dtype))  # (..., input_dim)
        if self.logit_soft_cap is not None:
            cap = self.logit_soft_cap
            logits = torch.tanh(logits / cap) * cap
        return logits

    def compute_mask(self, inputs: Tensor, mask: Any = None) -> Any:
        return None

    def get_config(self) -> dict[str, Any]:
        config = {
            "tie_weights": self.tie_weights,
            "reverse_dtype": self.reverse_dtype,
            "logit_soft_cap": self.logit_soft_cap,
        }
        return {**super().get_config(), **config}
