"""`GroupedQueryAttention` (public name `GroupQueryAttention`): attention whose
query heads share fewer key/value heads."""

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
from lamina.layers.attention._attention_core import call_shape
from lamina.layers.attention._attention_core import causal_mask
from lamina.layers.attention._attention_core import check_dropout
from lamina.layers.attention._attention_core import check_flash_attention
from lamina.layers.attention._attention_core import check_sliding_window
from lamina.layers.attention._attention_core import clone_initializer
from lamina.layers.attention._attention_core import expand_mask
from lamina.layers.attention._attention_core import fused_attention
from lamina.layers.attention._attention_core import resolve_call_masks
from lamina.layers.core.einsum_dense import EinsumDense
from lamina.layers.keras_tensor import any_symbolic
from lamina.layers.layer import Layer
from lamina.layers.regularization.dropout import Dropout

Shape = tuple[int | None, ...]


class GroupedQueryAttention(Layer):
    """Grouped-query attention ([Ainslie et al., 2023](https://arxiv.org/abs/2305.13245)).

    Like `MultiHeadAttention`, but `num_query_heads` query heads share
    `num_key_value_heads` key and value heads (each key/value head serves
    `num_query_heads // num_key_value_heads` consecutive query heads), which
    shrinks the key/value projections. Exported as `GroupQueryAttention`,
    Keras's public name; the class keeps Keras's class name so that weight
    paths in `.keras` files match.

    Args:
        head_dim: Positive integer, size of each head.
        num_query_heads: Positive integer, number of query heads.
        num_key_value_heads: Positive integer dividing `num_query_heads`,
            number of key and value heads.
        dropout: Float in [0, 1), dropout rate on the attention weights.
            Defaults to `0.0`.
        use_bias: Whether the projections have biases. Defaults to `True`.
        sliding_window: Positive integer: each query step sees only keys less
            than `sliding_window` steps away. Defaults to `None` (all keys).
        flash_attention: `True` to require PyTorch's flash kernel, `None` to
            let PyTorch choose. Not saved in the config, as in Keras.
            Defaults to `None`.
        kernel_initializer: Initializer of the projection kernels. Defaults
            to `"glorot_uniform"`.
        bias_initializer: Initializer of the projection biases. Defaults to
            `"zeros"`.
        kernel_regularizer: Regularizer of the kernels. Defaults to `None`.
        bias_regularizer: Regularizer of the biases. Defaults to `None`.
        activity_regularizer: Regularizer of the layer's and each
            projection's output (as Keras applies it). Defaults to `None`.
        kernel_constraint: Constraint on the kernels. Defaults to `None`.
        bias_constraint: Constraint on the biases. Defaults to `None`.
        use_gate: Whether to gate the heads' output with a sigmoid projection
            of the query. Defaults to `False`.
        seed: Integer seed of the dropout. Defaults to `None`.

    Input shape:
        `query`: `(batch, target_steps, features)`; `value` and `key`:
        `(batch, source_steps, features)`.

    Output shape:
        `(batch, target_steps, features)`; with `return_attention_scores=True`
        also the scores `(batch, num_query_heads, target_steps, source_steps)`.

    Call arguments:
        query: Query tensor.
        value: Value tensor.
        key: Key tensor. Defaults to `None` (use `value`).
        query_mask: Boolean `(batch, target_steps)`. Defaults to the mask
            attached to `query`.
        value_mask: Boolean `(batch, source_steps)`. Defaults to the mask
            attached to `value`.
        key_mask: Boolean `(batch, source_steps)`. Defaults to the mask
            attached to `key` (when `key` is given).
        attention_mask: Boolean `(batch, target_steps, source_steps)`, true
            where a query step may attend to a key step.
        return_attention_scores: Whether to return `(output, scores)`.
            Defaults to `False`.
        training: Whether dropout is active.
        use_causal_mask: Whether step `i` may only attend to steps `<= i`.
            Defaults to `False`.

    Example:
    >>> layer = GroupedQueryAttention(head_dim=4, num_query_heads=4,
    ...                               num_key_value_heads=2)
    >>> x = torch.ones(3, 5, 8)
    >>> tuple(layer(x, x).shape)
    (3, 5, 8)
    """

    def __init__(
        self,
        head_dim: int,
        num_query_heads: int,
        num_key_value_heads: int,
        dropout: float = 0.0,
        use_bias: bool = True,
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
        for argument, value in (
            ("head_dim", head_dim),
            ("num_query_heads", num_query_heads),
            ("num_key_value_heads", num_key_value_heads),
        ):
            _check_positive(argument, value)
        if num_query_heads % num_key_value_heads != 0:
            raise ValueError(
                f"GroupQueryAttention needs num_query_heads divisible by "
                f"num_key_value_heads, but received num_query_heads="
                f"{num_query_heads} and num_key_value_heads={num_key_value_heads}. "
                f"Pick a divisor, e.g. num_key_value_heads=1."
            )
        check_dropout("GroupQueryAttention", dropout)
        check_sliding_window("GroupQueryAttention", sliding_window)
        flash_attention = flash_attention or is_flash_attention_enabled()
        check_flash_attention("GroupQueryAttention", flash_attention, dropout)
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.supports_masking = True
        self.head_dim = head_dim
        self.num_query_heads = num_query_heads
        self.num_key_value_heads = num_key_value_heads
        self.num_repeats = num_query_heads // num_key_value_heads
        self.dropout = dropout
        self.use_bias = use_bias
        self.use_gate = use_gate
        self.sliding_window = sliding_window
        self._flash_attention = flash_attention
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._inverse_sqrt_head_dim = 1.0 / math.sqrt(float(head_dim))
        self._build_shapes_dict: dict[str, list] | None = None

    # ------------------------------------------------------------------- build
    def __call__(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        value = args[0] if args else kwargs.get("value")
        key = args[1] if len(args) > 1 else kwargs.get("key")
        if value is None:
            raise TypeError(
                f"Layer '{self.name}' (GroupQueryAttention) needs a value "
                f"tensor: call it as layer(query, value), e.g. layer(x, x) for "
                f"self-attention."
            )
        if not self.built:
            self.build(call_shape(query), call_shape(value), call_shape(key))
            if self._initial_weights is not None:  # Keras 2 style `weights=[...]`
                self.set_weights(self._initial_weights)
                self._initial_weights = None
        if not any_symbolic(query):
            args = tuple(self._to_input_tensor(arg) for arg in args)
            kwargs = {
                name: self._to_input_tensor(item) if name in ("value", "key") else item
                for name, item in kwargs.items()
            }
        return super().__call__(query, *args, **kwargs)

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
        self.feature_dim = query_shape[-1]
        heads, kv_heads = self.num_query_heads, self.num_key_value_heads
        self._query_dense = self._projection("bqm,muh->bquh", heads, "uh", "query")
        self._query_dense.build(query_shape)
        self._key_dense = self._projection("bkm,mvh->bkvh", kv_heads, "vh", "key")
        self._key_dense.build(key_shape)
        if self.use_gate:
            self._gate_dense = self._projection(
                "bqm,muh->bquh", heads, "uh", "gate", activation="sigmoid"
            )
            self._gate_dense.build(query_shape)
        self._value_dense = self._projection("bkm,mvh->bkvh", kv_heads, "vh", "value")
        self._value_dense.build(value_shape)
        self._softmax = Softmax(axis=-1, dtype=self.dtype_policy)
        self._dropout_layer = Dropout(
            rate=self.dropout, seed=self.seed, dtype=self.dtype_policy
        )
        self._dot_product_equation = "bquh,bkuh->buqk"
        self._combine_equation = "buqk,bkuh->bquh"
        self._output_dense = EinsumDense(
            "bquh,uhm->bqm",
            output_shape=(None, self.feature_dim),
            bias_axes="m" if self.use_bias else None,
            name="attention_output",
            **self._sublayer_kwargs(),
        )
        self._output_dense.build((None, None, heads, self.head_dim))

    def _check_shapes(self, query: Shape, value: Shape, key: Shape) -> None:
        if len(query) != 3 or len(value) != 3 or len(key) != 3:
            raise ValueError(
                f"Layer '{self.name}' (GroupQueryAttention) needs query, value "
                f"and key of shape (batch, steps, features), but received "
                f"shapes {tuple(query)}, {tuple(value)}, {tuple(key)}."
            )
        if query[-1] != value[-1]:
            raise ValueError(
                f"Layer '{self.name}' (GroupQueryAttention) needs query and value "
                f"with the same feature size, but received query shape "
                f"{tuple(query)} and value shape {tuple(value)}. Project one of "
                f"them (e.g. with Dense) first."
            )
        if tuple(value[1:-1]) != tuple(key[1:-1]):
            raise ValueError(
                f"Layer '{self.name}' (GroupQueryAttention) needs value and key "
                f"with the same number of steps, but received value shape "
                f"{tuple(value)} and key shape {tuple(key)}."
            )

    def _projection(
        self,
        equation: str,
        heads: int,
        bias_axes: str,
        name: str,
        activation: Any = None,
    ) -> EinsumDense:
        return EinsumDense(
            equation,
            output_shape=(None, heads, self.head_dim),
            activation=activation,
            bias_axes=bias_axes if self.use_bias else None,
            name=name,
            **self._sublayer_kwargs(),
        )

    def _sublayer_kwargs(self) -> dict[str, Any]:
        return {
            "kernel_initializer": clone_initializer(self.kernel_initializer),
            "bias_initializer": clone_initializer(self.bias_initializer),
            "kernel_regularizer": self.kernel_regularizer,
            "bias_regularizer": self.bias_regularizer,
            "activity_regularizer": self.activity_regularizer,
            "kernel_constraint": self.kernel_constraint,
            "bias_constraint": self.bias_constraint,
            "dtype": self.dtype_policy,
        }

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
            self.sliding_window,
            may_skip_causal=True,
        )
        gate = self._gate_dense(query) if self.use_gate else None
        query = self._query_dense(query)  # (B, T, Nq, H)
        key = self._key_dense(masks.key)  # (B, S, Nkv, H)
        value = self._value_dense(value)  # (B, S, Nkv, H)
        key = key.repeat_interleave(self.num_repeats, dim=2)  # (B, S, Nq, H)
        value = value.repeat_interleave(self.num_repeats, dim=2)  # (B, S, Nq, H)
        output, scores = self._attend(
            query,
            key,
            value,
            masks.attention_mask,
            masks.causal_only,
            training,
            return_attention_scores,
        )  # (B, T, Nq, H)
        if gate is not None:
            output = output * gate
        output = self._output_dense(output)  # (B, T, features)
        if masks.query_mask is not None:
            output._keras_mask = masks.query_mask
        if return_attention_scores:
            return output, scores
        return output

    def _attend(
        self,
        query: torch.Tensor,
        key: torch.Tensor,
        value: torch.Tensor,
        attention_mask: torch.Tensor | None,
        causal_only: bool,
        training: bool | None,
        return_attention_scores: bool,
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        if self._flash_attention and return_attention_scores:
            raise ValueError(
                f"Layer '{self.name}' (GroupQueryAttention) cannot return "
                f"attention scores with flash_attention=True: the flash kernel "
                f"never forms them. Pass flash_attention=None, or "
                f"return_attention_scores=False."
            )
        if not (self.dropout > 0.0 or return_attention_scores):
            if attention_mask is not None:
                attention_mask = expand_mask(attention_mask, 4, 1)  # (B, 1, T, S)
            output = fused_attention(
                query,
                key,
                value,
                attention_mask,
                self._inverse_sqrt_head_dim,
                causal_only,
                self._flash_attention,
            )
            return output, None
        if causal_only:
            attention_mask = causal_mask(query.shape[1], value.shape[1], query.device)
        query = query * self._inverse_sqrt_head_dim
        scores = torch.einsum(self._dot_product_equation, query, key)  # (B, N, T, S)
        if attention_mask is not None:
            attention_mask = expand_mask(attention_mask, scores.ndim, 1)  # (B,1,T,S)
        scores = self._softmax(scores, mask=attention_mask)
        dropped = (
            self._dropout_layer(scores, training=training)
            if self.dropout > 0
            else scores
        )
        output = torch.einsum(self._combine_equation, dropped, value)  # (B, T, N, H)
        return output, scores

    # ------------------------------------------------------------------ config
    def get_config(self) -> dict[str, Any]:
        config = {
            "head_dim": self.head_dim,
            "num_query_heads": self.num_query_heads,
            "num_key_value_heads": self.num_key_value_heads,
            "use_bias": self.use_bias,
            "use_gate": self.use_gate,
            "sliding_window": self.sliding_window,
            "dropout": self.dropout,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "seed": self.seed,
        }
        return {**super().get_config(), **config}


GroupQueryAttention = GroupedQueryAttention


def _check_positive(argument: str, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(
            f"GroupQueryAttention expected {argument} to be a positive integer, "
            f"but received {argument}={value!r}. Example: GroupQueryAttention("
            f"head_dim=64, num_query_heads=8, num_key_value_heads=2)."
        )
