import math

import numpy as np
import pytest
import torch

from lamina.layers.attention.multi_head_attention import MultiHeadAttention
from lamina.layers.core.embedding import Embedding
from lamina.layers.input_layer import Input
from lamina.models import Model
from lamina.saving import register_keras_serializable
from lamina.testing import check_layer

_WEIGHT_NAMES = ["kernel", "bias"] * 4


@register_keras_serializable(package="lamina_attention_tests")
class SelfAttention(MultiHeadAttention):
    """`check_layer` calls a layer on one input: attend the input to itself.

    A saved model records the call as `(query, value)`, so a reloaded one
    passes the value itself.
    """

    def __call__(self, inputs, *args, **kwargs):
        if not args and "value" not in kwargs:
            args = (inputs,)
        return super().__call__(inputs, *args, **kwargs)


@register_keras_serializable(package="lamina_attention_tests")
class CrossAttention(MultiHeadAttention):
    """`check_layer` calls a layer on one input: here `[query, value, key]`."""

    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, (list, tuple)):
            return super().__call__(*inputs, *args, **kwargs)
        return super().__call__(inputs, *args, **kwargs)


def _reference_attention(layer, query, value):
    """Multi-head attention written out with plain PyTorch ops."""
    weights = {w.path.split("/", 1)[1]: w for w in layer.weights}
    q = torch.einsum("btd,dnh->btnh", query, weights["query/kernel"])
    q = q + weights["query/bias"]
    k = torch.einsum("bsd,dnh->bsnh", value, weights["key/kernel"])
    k = k + weights["key/bias"]
    v = torch.einsum("bsd,dnh->bsnh", value, weights["value/kernel"])
    v = v + weights["value/bias"]
    scores = torch.einsum("btnh,bsnh->bnts", q, k) / math.sqrt(layer.key_dim)
    probabilities = torch.softmax(scores, dim=-1)
    heads = torch.einsum("bnts,bsnh->btnh", probabilities, v)
    output = torch.einsum("btnh,nhd->btd", heads, weights["attention_output/kernel"])
    return output + weights["attention_output/bias"], probabilities


def test_multi_head_attention_self_attention_conformance():
    check_layer(
        lambda: SelfAttention(num_heads=2, key_dim=3),
        torch.randn(2, 5, 4),
        (2, 5, 4),
        _WEIGHT_NAMES,
    )


def test_multi_head_attention_cross_attention_conformance():
    check_layer(
        lambda: CrossAttention(
            num_heads=2, key_dim=3, value_dim=2, output_shape=6, use_gate=True
        ),
        [torch.randn(2, 5, 4), torch.randn(2, 3, 7), torch.randn(2, 3, 8)],
        (2, 5, 6),
        ["kernel", "bias"] * 5,
    )


def test_multi_head_attention_with_dropout_conformance():
    check_layer(
        lambda: SelfAttention(num_heads=2, key_dim=3, dropout=0.5, use_bias=False),
        torch.randn(2, 5, 4),
        (2, 5, 4),
        ["kernel"] * 4,
    )


def test_multi_head_attention_matches_plain_pytorch():
    layer = MultiHeadAttention(num_heads=3, key_dim=4)
    query, value = torch.randn(2, 5, 6), torch.randn(2, 7, 6)
    output, scores = layer(query, value, return_attention_scores=True)
    expected, expected_scores = _reference_attention(layer, query, value)
    torch.testing.assert_close(output, expected, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(scores, expected_scores, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(layer(query, value), expected, rtol=1e-5, atol=1e-5)


def test_multi_head_attention_weight_layout_is_keras():
    layer = MultiHeadAttention(num_heads=2, key_dim=3, value_dim=5, name="mha")
    layer(torch.ones(1, 4, 6), torch.ones(1, 2, 7))
    assert [(w.path, tuple(w.shape)) for w in layer.weights] == [
        ("mha/query/kernel", (6, 2, 3)),
        ("mha/query/bias", (2, 3)),
        ("mha/key/kernel", (7, 2, 3)),
        ("mha/key/bias", (2, 3)),
        ("mha/value/kernel", (7, 2, 5)),
        ("mha/value/bias", (2, 5)),
        ("mha/attention_output/kernel", (2, 5, 6)),
        ("mha/attention_output/bias", (6,)),
    ]
    assert layer.get_build_config() == {
        "shapes_dict": {"query_shape": [None, 4, 6], "value_shape": [None, 2, 7]}
    }


def test_multi_head_attention_fused_path_equals_scores_path():
    layer = MultiHeadAttention(num_heads=2, key_dim=4)
    x = torch.randn(3, 6, 8)
    mask = torch.rand(3, 6, 6) > 0.3
    mask[:, :, 0] = True
    for kwargs in ({}, {"use_causal_mask": True}, {"attention_mask": mask}):
        fused = layer(x, x, **kwargs)
        with_scores, _ = layer(x, x, return_attention_scores=True, **kwargs)
        torch.testing.assert_close(fused, with_scores, rtol=1e-5, atol=1e-5)


def test_multi_head_attention_causal_mask_hides_the_future():
    layer = MultiHeadAttention(num_heads=2, key_dim=4)
    x = torch.randn(2, 6, 8)
    changed = x.clone()
    changed[:, 4:] = torch.randn(2, 2, 8)
    before = layer(x, x, use_causal_mask=True)
    after = layer(changed, changed, use_causal_mask=True)
    torch.testing.assert_close(before[:, :4], after[:, :4], rtol=1e-5, atol=1e-5)
    _, scores = layer(x, x, use_causal_mask=True, return_attention_scores=True)
    assert torch.all(scores.triu(diagonal=1) == 0)


def test_multi_head_attention_sliding_window_limits_the_reach():
    layer = MultiHeadAttention(num_heads=1, key_dim=4, sliding_window=2)
    x = torch.randn(1, 5, 8)
    _, scores = layer(x, x, return_attention_scores=True)
    distance = (torch.arange(5)[:, None] - torch.arange(5)[None, :]).abs()
    assert torch.all(scores[0, 0][distance >= 2] == 0)
    assert torch.all(scores[0, 0][distance < 2] > 0)


def test_multi_head_attention_uses_embedding_masks():
    embedding = Embedding(10, 8, mask_zero=True)
    layer = MultiHeadAttention(num_heads=2, key_dim=4)
    tokens = torch.tensor([[1, 2, 3, 0, 0], [4, 5, 0, 0, 0]])
    x = embedding(tokens)
    output, scores = layer(x, x, return_attention_scores=True)
    padding = tokens == 0
    padded_keys = padding[:, None, None, :].expand_as(scores)  # (B, N, T, S)
    assert torch.all(scores[padded_keys] == 0)
    assert torch.equal(output._keras_mask, ~padding)
    # explicit masks give the same result as the attached ones
    plain = x.detach().clone()
    explicit = layer(plain, plain, query_mask=~padding, value_mask=~padding)
    torch.testing.assert_close(explicit, layer(x, x))
    assert torch.equal(explicit._keras_mask, ~padding)
    # the inputs keep their masks (Keras deletes them; lamina does not mutate)
    assert torch.equal(x._keras_mask, ~padding)


def test_multi_head_attention_padded_keys_do_not_change_the_output():
    layer = MultiHeadAttention(num_heads=2, key_dim=4)
    query, value = torch.randn(2, 3, 8), torch.randn(2, 6, 8)
    value_mask = torch.tensor([[1, 1, 1, 0, 0, 0]] * 2, dtype=torch.bool)
    changed = value.clone()
    changed[:, 3:] = 100.0
    torch.testing.assert_close(
        layer(query, value, value_mask=value_mask),
        layer(query, changed, value_mask=value_mask),
        rtol=1e-5,
        atol=1e-5,
    )


def test_multi_head_attention_functional_model_propagates_masks():
    tokens = Input(shape=(5,), dtype="int32")
    x = Embedding(10, 8, mask_zero=True)(tokens)
    y = MultiHeadAttention(num_heads=2, key_dim=4)(x, x)
    model = Model(tokens, y)
    data = torch.tensor([[1, 2, 0, 0, 0]])
    output = model(data)
    assert torch.equal(output._keras_mask, data != 0)
    assert y.has_mask


def test_multi_head_attention_returns_scores_symbolically():
    query = Input(shape=(5, 8))
    value = Input(shape=(3, 8))
    output, scores = MultiHeadAttention(num_heads=2, key_dim=4)(
        query, value, return_attention_scores=True
    )
    assert output.shape == (None, 5, 8)
    assert scores.shape == (None, 2, 5, 3)


def test_multi_head_attention_multi_axis_attention():
    layer = MultiHeadAttention(num_heads=2, key_dim=3, attention_axes=(1, 2))
    x = torch.randn(2, 3, 4, 5)
    output, scores = layer(x, x, return_attention_scores=True)
    assert tuple(output.shape) == (2, 3, 4, 5)
    assert tuple(scores.shape) == (2, 2, 3, 4, 3, 4)
    torch.testing.assert_close(scores.sum(dim=(-2, -1)), torch.ones(2, 2, 3, 4))


def test_multi_head_attention_dropout_only_in_training():
    layer = MultiHeadAttention(num_heads=2, key_dim=4, dropout=0.5)
    x = torch.randn(2, 6, 8)
    torch.testing.assert_close(layer(x, x), layer(x, x, training=False))
    torch.manual_seed(0)
    assert not torch.allclose(layer(x, x, training=True), layer(x, x))


def test_multi_head_attention_activity_regularizer_goes_to_projections():
    layer = MultiHeadAttention(num_heads=2, key_dim=4, activity_regularizer="l2")
    x = torch.randn(2, 3, 8)
    layer(x, x)
    assert len(layer.losses) == 4
    assert layer.activity_regularizer is None
    assert layer.get_config()["activity_regularizer"]["class_name"] == "L2"


def test_multi_head_attention_config_round_trip():
    layer = MultiHeadAttention(
        num_heads=2,
        key_dim=4,
        value_dim=3,
        dropout=0.1,
        output_shape=[7],
        attention_axes=-2,
        sliding_window=3,
        use_gate=True,
        seed=5,
    )
    layer(torch.ones(1, 3, 8), torch.ones(1, 3, 8))
    config = layer.get_config()
    assert config["output_shape"] == (7,)
    assert config["attention_axes"] == (1,)
    rebuilt = MultiHeadAttention.from_config(config)
    assert rebuilt.get_config() == {**config, "attention_axes": (1,)}


def test_multi_head_attention_accepts_numpy_and_keyword_value():
    layer = MultiHeadAttention(num_heads=1, key_dim=2)
    x = np.random.default_rng(0).normal(size=(2, 3, 4))
    output = layer(query=x, value=x)
    assert output.dtype == torch.float32
    assert tuple(output.shape) == (2, 3, 4)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"num_heads": 0, "key_dim": 2}, "num_heads=0"),
        ({"num_heads": 2, "key_dim": 2.5}, "key_dim=2.5"),
        ({"num_heads": 2, "key_dim": 2, "value_dim": -1}, "value_dim=-1"),
        ({"num_heads": 2, "key_dim": 2, "dropout": 1.5}, "dropout=1.5"),
        ({"num_heads": 2, "key_dim": 2, "output_shape": "x"}, "output_shape='x'"),
        ({"num_heads": 2, "key_dim": 2, "attention_axes": "1"}, "attention_axes"),
        ({"num_heads": 2, "key_dim": 2, "sliding_window": 0}, "sliding_window=0"),
        (
            {"num_heads": 2, "key_dim": 2, "flash_attention": True, "dropout": 0.1},
            "flash_attention=True",
        ),
    ],
)
def test_multi_head_attention_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MultiHeadAttention(**kwargs)


def test_multi_head_attention_needs_a_value():
    with pytest.raises(TypeError, match="needs a value"):
        MultiHeadAttention(num_heads=1, key_dim=2)(torch.ones(1, 2, 3))


def test_multi_head_attention_rejects_mismatched_key():
    layer = MultiHeadAttention(num_heads=1, key_dim=2)
    with pytest.raises(ValueError, match="same shape except the last axis"):
        layer(torch.ones(1, 2, 3), torch.ones(1, 4, 3), torch.ones(1, 5, 3))


def test_multi_head_attention_rejects_attention_axes_out_of_range():
    layer = MultiHeadAttention(num_heads=1, key_dim=2, attention_axes=(3,))
    with pytest.raises(ValueError, match="attention_axes"):
        layer(torch.ones(1, 2, 3), torch.ones(1, 2, 3))


def test_multi_head_attention_rejects_query_without_steps():
    with pytest.raises(ValueError, match="steps"):
        MultiHeadAttention(num_heads=1, key_dim=2)(torch.ones(2, 3), torch.ones(2, 3))


def test_multi_head_attention_flash_refuses_scores():
    layer = MultiHeadAttention(num_heads=1, key_dim=2, flash_attention=True)
    x = torch.ones(1, 2, 3)
    with pytest.raises(ValueError, match="cannot return attention scores"):
        layer(x, x, return_attention_scores=True)


def test_multi_head_attention_subclass_computing_attention_gets_causal_mask():
    class Recording(MultiHeadAttention):
        def _compute_attention(self, query, key, value, attention_mask=None, *args):
            self.received_mask = attention_mask
            return super()._compute_attention(query, key, value, attention_mask, *args)

    layer = Recording(num_heads=1, key_dim=2)
    x = torch.randn(1, 3, 4)
    output = layer(x, x, use_causal_mask=True)
    assert torch.equal(layer.received_mask, torch.ones(1, 3, 3).tril().bool())
    reference = MultiHeadAttention(num_heads=1, key_dim=2)
    reference(x, x)
    reference.set_weights(layer.get_weights())
    expected = reference(x, x, use_causal_mask=True)
    torch.testing.assert_close(output, expected, rtol=1e-5, atol=1e-5)
