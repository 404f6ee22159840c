"""`MultiHeadAttention`: scaled dot-product attention over several heads."""

import math
from typing import Any

import torch

from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.backend.config import is_flash_attention_enabled
from lamina.backend.name_scope import name_scope
from lamina.layers.activations.softmax import Softmax
from lamina.layers.attention._attention_core import as_list
from lamina.layers.attention._attention_core import attention_equations
from lamina.layers.attention._attention_core import call_shape
from lamina.layers.attention._attention_core import causal_mask
from lamina.layers.attention._attention_core import check_dropout
from lamina.layers.attention._attention_core import check_flash_attention
from lamina.layers.attention._attention_core import check_sliding_window
from lamina.layers.attention._attention_core import clone_initializer
from lamina.layers.attention._attention_core import expand_mask
from lamina.layers.attention._attention_core import fused_attention
from lamina.layers.attention._attention_core import projection_equation
from lamina.layers.attention._attention_core import resolve_call_masks
from lamina.layers.attention._attention_core import standardize_attention_axes
from lamina.layers.attention._attention_core import standardize_output_shape
from lamina.layers.core.einsum_dense import EinsumDense
from lamina.layers.keras_tensor import any_symbolic
from lamina.layers.layer import Layer
from lamina.layers.regularization.dropout import Dropout

Shape = tuple[int | None, ...]


class MultiHeadAttention(Layer):
    """Multi-head attention ([Vaswani et al., 2017](https://arxiv.org/abs/1706.03762)).

    `query`, `key` and `value` are projected to `num_heads` heads (`query`
    and `key` to `key_dim` channels, `value` to `value_dim`); each query
    step attends to the key steps with `softmax(q . k / sqrt(key_dim))`, the
    heads' weighted values are concatenated and projected to `output_shape`.
    Calling it on `(x, x)` is self-attention. The weights live in four
    `EinsumDense` sublayers named `query`, `key`, `value` and
    `attention_output` (kernels `(dim, num_heads, key_dim)`, ...,
    `(num_heads, value_dim, dim)`), as in Keras, so weights and `.keras`
    files move both ways.

    Masks attached by `Embedding(mask_zero=True)` (or `Masking`) to the
    query, value and key are used automatically: padded keys get no
    attention, and the output carries the query's mask.

    Args:
        num_heads: Positive integer, number of attention heads.
        key_dim: Positive integer, size of each head for query and key.
        value_dim: Size of each head for value. Defaults to `None` (`key_dim`).
        dropout: Float in [0, 1), dropout rate on the attention weights.
            Defaults to `0.0`.
        use_bias: Whether the projections have biases. Defaults to `True`.
        output_shape: Int or tuple, the output's shape after the batch and
            sequence axes. Defaults to `None` (the query's last axis).
        attention_axes: Int or tuple of query axes attention runs over.
            Defaults to `None` (all axes but batch, heads and features).
        sliding_window: Positive integer: each query step sees only keys less
            than `sliding_window` steps away. Defaults to `None` (all keys).
        flash_attention: `True` to require PyTorch's flash kernel, `None` to
            let PyTorch choose (the global `lamina.config` setting decides).
            Not saved in the config, as in Keras. Defaults to `None`.
        kernel_initializer: Initializer of the projection kernels. Defaults
            to `"glorot_uniform"`.
        bias_initializer: Initializer of the projection biases. Defaults to
            `"zeros"`.
        kernel_regularizer: Regularizer of the kernels. Defaults to `None`.
        bias_regularizer: Regularizer of the biases. Defaults to `None`.
        activity_regularizer: Regularizer of each projection's output.
            Defaults to `None`.
        kernel_constraint: Constraint on the kernels. Defaults to `None`.
        bias_constraint: Constraint on the biases. Defaults to `None`.
        use_gate: Whether to gate the heads' output with a sigmoid projection
            of the query ([Gated Attention](https://arxiv.org/abs/2505.06708)).
            Defaults to `False`.
        seed: Integer seed of the dropout. Defaults to `None`.

    Input shape:
        `query`: `(batch, target_steps, query_dim)`; `value`: `(batch,
        source_steps, value_dim)`; `key`: `(batch, source_steps, key_dim)`
        (more axes are allowed, see `attention_axes`).

    Output shape:
        `(batch, target_steps, *output_shape)`, by default the query's shape.
        With `return_attention_scores=True` also the scores `(batch,
        num_heads, target_steps, source_steps)`.

    Call arguments:
        query: Query tensor.
        value: Value tensor.
        key: Key tensor. Defaults to `None` (use `value`).
        query_mask: Boolean `(batch, target_steps)`; `False` marks padding.
            Defaults to the mask attached to `query`.
        value_mask: Boolean `(batch, source_steps)`. Defaults to the mask
            attached to `value`.
        key_mask: Boolean `(batch, source_steps)`. Defaults to the mask
            attached to `key` (when `key` is given).
        attention_mask: Boolean `(batch, target_steps, source_steps)`, true
            where a query step may attend to a key step.
        return_attention_scores: Whether to return `(output, scores)`.
            Defaults to `False`.
        training: Whether dropout is active.
        use_causal_mask: Whether step `i` may only attend to steps `<= i`
            (decoder self-attention). Defaults to `False`.

    Example:
    >>> layer = MultiHeadAttention(num_heads=2, key_dim=4)
    >>> x = torch.ones(3, 5, 8)
    >>> tuple(layer(x, x).shape)
    (3, 5, 8)
    """

    def __init__(
        self,
        num_heads: int,
        key_dim: int,
        value_dim: int | None = None,
        dropout: float = 0.0,
        use_bias: bool = True,
        output_shape: int | tuple[int, ...] | None = None,
        attention_axes: int | tuple[int, ...] | None = None,
        sliding_window: int | None = None,
        flash_attention: bool | None = None,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        use_gate: bool = False,
        seed: int | None = None,
        **kwargs: Any,
    ) -> None:
        _check_positive("num_heads", num_heads)
        _check_positive("key_dim", key_dim)
        if value_dim is not None:
            _check_positive("value_dim", value_dim)
        check_dropout("MultiHeadAttention", dropout)
        output_shape = standardize_output_shape(output_shape)
        attention_axes = standardize_attention_axes(attention_axes)
        check_sliding_window("MultiHeadAttention", sliding_window)
        flash_attention = flash_attention or is_flash_attention_enabled()
        check_flash_attention("MultiHeadAttention", flash_attention, dropout)
        super().__init__(**kwargs)
        self.supports_masking = True
        self._num_heads = num_heads
        self._key_dim = key_dim
        self._value_dim = value_dim if value_dim else key_dim
        self._dropout = dropout
        self._use_bias = use_bias
        self._use_gate = use_gate
        self._output_shape = output_shape
        self._attention_axes = attention_axes
        self._sliding_window = sliding_window
        self._flash_attention = flash_attention
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        # Keras regularizes each projection's output, not the layer's output.
        self._activity_regularizer = regularizers.get(activity_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(key_dim))
        self._build_shapes_dict: dict[str, list] | None = None

    @property
    def num_heads(self) -> int:
        return self._num_heads

    @property
    def key_dim(self) -> int:
        return self._key_dim

    @property
    def value_dim(self) -> int:
        return self._value_dim

    @property
    def dropout(self) -> float:
        return self._dropout

    @property
    def use_bias(self) -> bool:
        return self._use_bias

    @property
    def attention_axes(self) -> tuple[int, ...] | None:
        return self._attention_axes

    # ------------------------------------------------------------------- build
    def __call__(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        value = args[0] if args else kwargs.get("value")
        key = args[1] if len(args) > 1 else kwargs.get("key")
        if value is None:
            raise TypeError(
                f"Layer '{self.name}' (MultiHeadAttention) needs a value "
                f"tensor: call it as layer(query, value), e.g. layer(x, x) for "
                f"self-attention."
            )
        if not self.built:
            self.build(call_shape(query), call_shape(value), call_shape(key))
            self._load_initial_weights()
        if not any_symbolic(query):
            args = tuple(self._to_input_tensor(arg) for arg in args)
            kwargs = {
                name: self._to_input_tensor(item) if name in ("value", "key") else item
                for name, item in kwargs.items()
            }
        return super().__call__(query, *args, **kwargs)

    def _load_initial_weights(self) -> None:
        if self._initial_weights is not None:  # Keras 2 style `weights=[...]`
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def build(
        self, query_shape: Shape, value_shape: Shape, key_shape: Shape | None = None
    ) -> None:
        self._build_shapes_dict = {
            "query_shape": as_list(query_shape),
            "value_shape": as_list(value_shape),
        }
        if key_shape is not None:
            self._build_shapes_dict["key_shape"] = as_list(key_shape)
        key_shape = value_shape if key_shape is None else key_shape
        self._check_shapes(query_shape, value_shape, key_shape)
        with name_scope(self.name, caller=self):  # paths like Keras: "mha/query/kernel"
            self._build_sublayers(query_shape, value_shape, key_shape)

    def _build_sublayers(
        self, query_shape: Shape, value_shape: Shape, key_shape: Shape
    ) -> None:
        self.query_dense = self._projection(query_shape, self._key_dim, "query")
        self.key_dense = self._projection(key_shape, self._key_dim, "key")
        if self._use_gate:
            self._gate_dense = self._projection(
                query_shape, self._value_dim, "gate", activation="sigmoid"
            )
        self.value_dense = self._projection(value_shape, self._value_dim, "value")
        self._build_attention(len(query_shape) + 1)
        self.output_dense = self._make_output_dense(
            query_shape, self._sublayer_kwargs(), "attention_output"
        )
        projected = (*query_shape[:-1], self._num_heads, self._value_dim)
        self.output_dense.build(projected)

    def _check_shapes(self, query: Shape, value: Shape, key: Shape) -> None:
        if tuple(value[1:-1]) != tuple(key[1:-1]):
            raise ValueError(
                f"Layer '{self.name}' (MultiHeadAttention) needs value and key "
                f"with the same shape except the last axis, but received "
                f"value shape {tuple(value)} and key shape {tuple(key)}. Pass a "
                f"key with as many steps as the value."
            )
        if len(query) < 3:
            raise ValueError(
                f"Layer '{self.name}' (MultiHeadAttention) needs a query of "
                f"shape (batch, steps, features) or more axes, but received "
                f"query shape {tuple(query)}. Add a steps axis."
            )

    def _projection(
        self, input_shape: Shape, head_dim: int, name: str, activation: Any = None
    ) -> EinsumDense:
        equation, bias_axes, output_rank = projection_equation(
            len(input_shape) - 1, bound_dims=1, output_dims=2
        )
        layer = EinsumDense(
            equation,
            output_shape=[None] * (output_rank - 3) + [self._num_heads, head_dim],
            activation=activation,
            bias_axes=bias_axes if self._use_bias else None,
            name=name,
            **self._sublayer_kwargs(),
        )
        layer.build(input_shape)
        return layer

    def _make_output_dense(
        self, query_shape: Shape, common_kwargs: dict[str, Any], name: str
    ) -> EinsumDense:
        """The projection of the concatenated heads to `output_shape`."""
        output_shape = self._output_shape or (query_shape[-1],)
        equation, bias_axes, output_rank = projection_equation(
            len(query_shape) - 1, bound_dims=2, output_dims=len(output_shape)
        )
        free_axes = output_rank - 1 - len(output_shape)
        return EinsumDense(
            equation,
            output_shape=[None] * free_axes + list(output_shape),
            bias_axes=bias_axes if self._use_bias else None,
            name=name,
            **common_kwargs,
        )

    def _sublayer_kwargs(self) -> dict[str, Any]:
        return {
            "kernel_initializer": clone_initializer(self._kernel_initializer),
            "bias_initializer": clone_initializer(self._bias_initializer),
            "kernel_regularizer": self._kernel_regularizer,
            "bias_regularizer": self._bias_regularizer,
            "activity_regularizer": self._activity_regularizer,
            "kernel_constraint": self._kernel_constraint,
            "bias_constraint": self._bias_constraint,
            "dtype": self.dtype_policy,
        }

    def _build_attention(self, rank: int) -> None:
        """Equations, softmax and dropout of the attention over `rank`-D
        projected tensors `(batch, ..., heads, channels)`."""
        if self._attention_axes is None:
            self._attention_axes = tuple(range(1, rank - 2))
        else:
            self._attention_axes = tuple(
                axis if axis >= 0 else rank - 1 + axis for axis in self._attention_axes
            )
        invalid = [axis for axis in self._attention_axes if not 1 <= axis <= rank - 3]
        if invalid:
            raise ValueError(
                f"Layer '{self.name}' (MultiHeadAttention) received "
                f"attention_axes={self._attention_axes}, but the query has "
                f"{rank - 1} axes, so attention can run over axes 1 to "
                f"{rank - 3} (not the batch or feature axis)."
            )
        self._dot_product_equation, self._combine_equation = attention_equations(
            rank, self._attention_axes
        )
        scores_rank = rank - 1 + len(self._attention_axes)
        normalized_axes = list(
            range(scores_rank - len(self._attention_axes), scores_rank)
        )
        self._softmax = Softmax(axis=normalized_axes, dtype=self.dtype_policy)
        self._dropout_layer = Dropout(
            rate=self._dropout, seed=self.seed, dtype=self.dtype_policy
        )

    def get_build_config(self) -> dict[str, Any] | None:
        """The shapes the layer was built for, in Keras's `shapes_dict` form."""
        if self._build_shapes_dict is None:
            return None
        return {"shapes_dict": self._build_shapes_dict}

    # -------------------------------------------------------------------- call
    def call(
        self,
        query: torch.Tensor,
        value: torch.Tensor,
        key: torch.Tensor | None = None,
        query_mask: torch.Tensor | None = None,
        value_mask: torch.Tensor | None = None,
        key_mask: torch.Tensor | None = None,
        attention_mask: torch.Tensor | None = None,
        return_attention_scores: bool = False,
        training: bool | None = None,
        use_causal_mask: bool = False,
    ) -> Any:
        masks = resolve_call_masks(
            query,
            value,
            key,
            (query_mask, value_mask, key_mask, attention_mask),
            use_causal_mask,
            self._sliding_window,
            type(self)._compute_attention is MultiHeadAttention._compute_attention,
        )
        gate = self._gate_dense(query) if self._use_gate else None
        query = self.query_dense(query)  # (B, T, N, key_dim)
        key = self.key_dense(masks.key)  # (B, S, N, key_dim)
        value = self.value_dense(value)  # (B, S, N, value_dim)
        extra = {"use_causal_mask": True} if masks.causal_only else {}
        attention_output, attention_scores = self._compute_attention(
            query,
            key,
            value,
            masks.attention_mask,
            training,
            return_attention_scores,
            **extra,
        )  # (B, T, N, value_dim)
        if gate is not None:
            attention_output = attention_output * gate
        attention_output = self.output_dense(attention_output)  # (B, T, *out)
        if masks.query_mask is not None:
            attention_output._keras_mask = masks.query_mask
        if return_attention_scores:
            return attention_output, attention_scores
        return attention_output

    def _compute_attention(
        self,
        query: torch.Tensor,
        key: torch.Tensor,
        value: torch.Tensor,
        attention_mask: torch.Tensor | None = None,
        training: bool | None = None,
        return_attention_scores: bool = False,
        use_causal_mask: bool = False,
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Attention on projected `(B, T, N, H)` tensors: `(output, scores)`.

        Subclasses may override it, as in Keras. The fused PyTorch kernel
        runs whenever Keras uses it (no dropout, no scores wanted, one
        attention axis); the scores are `None` then.
        """
        if self._flash_attention and return_attention_scores:
            raise ValueError(
                f"Layer '{self.name}' (MultiHeadAttention) cannot return "
                f"attention scores with flash_attention=True: the flash kernel "
                f"never forms them. Pass flash_attention=None, or "
                f"return_attention_scores=False."
            )
        fused = not (self._dropout > 0.0 or return_attention_scores or query.ndim != 4)
        if use_causal_mask and (attention_mask is not None or not fused):
            causal = causal_mask(query.shape[1], value.shape[1], query.device)
            attention_mask = (
                causal if attention_mask is None else attention_mask.bool() & causal
            )  # (B, T, S)
            use_causal_mask = False
        if fused:
            if attention_mask is not None:
                attention_mask = expand_mask(attention_mask, 4, 1)  # (B, 1, T, S)
            output = fused_attention(
                query,
                key,
                value,
                attention_mask,
                self._inverse_sqrt_key_dim,
                use_causal_mask,
                self._flash_attention,
            )
            return output, None
        query = query * self._inverse_sqrt_key_dim
        scores = torch.einsum(self._dot_product_equation, key, query)  # (B, N, T, S)
        scores = self._masked_softmax(scores, attention_mask)
        dropped = (
            self._dropout_layer(scores, training=training)
            if self._dropout > 0
            else scores
        )
        output = torch.einsum(self._combine_equation, dropped, value)  # (B, T, N, Hv)
        return output, scores

    def _masked_softmax(
        self, attention_scores: torch.Tensor, attention_mask: torch.Tensor | None = None
    ) -> torch.Tensor:
        if attention_mask is not None:
            attention_mask = expand_mask(
                attention_mask, attention_scores.ndim, len(self._attention_axes)
            )  # (B, 1, T, S)
        return self._softmax(attention_scores, mask=attention_mask)

    # ------------------------------------------------------------------ config
    def get_config(self) -> dict[str, Any]:
        config = {
            "num_heads": self._num_heads,
            "key_dim": self._key_dim,
            "value_dim": self._value_dim,
            "dropout": self._dropout,
            "use_bias": self._use_bias,
            "use_gate": self._use_gate,
            "output_shape": self._output_shape,
            "attention_axes": self._attention_axes,
            "sliding_window": self._sliding_window,
            "kernel_initializer": initializers.serialize(self._kernel_initializer),
            "bias_initializer": initializers.serialize(self._bias_initializer),
            "kernel_regularizer": regularizers.serialize(self._kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self._bias_regularizer),
            "activity_regularizer": regularizers.serialize(self._activity_regularizer),
            "kernel_constraint": constraints.serialize(self._kernel_constraint),
            "bias_constraint": constraints.serialize(self._bias_constraint),
            "seed": self.seed,
        }
        return {**super().get_config(), **config}


def _check_positive(argument: str, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(
            f"MultiHeadAttention expected {argument} to be a positive integer, "
            f"but received {argument}={value!r}. Example: "
            f"MultiHeadAttention(num_heads=2, key_dim=64)."
        )
