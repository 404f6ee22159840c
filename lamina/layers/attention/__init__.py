"""Attention layers: dot-product, additive, multi-head and grouped-query."""

from lamina.layers.attention.additive_attention import AdditiveAttention
from lamina.layers.attention.attention import Attention
from lamina.layers.attention.grouped_query_attention import GroupQueryAttention
from lamina.layers.attention.multi_head_attention import MultiHeadAttention
