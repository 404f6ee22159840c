import pytest
import torch

from lamina.layers.attention.grouped_query_attention import GroupedQueryAttention
from lamina.layers.attention.grouped_query_attention import GroupQueryAttention
from lamina.layers.attention.multi_head_attention import MultiHeadAttention
from lamina.layers.core.embedding import Embedding
from lamina.layers.input_layer import Input
from lamina.models import Model
from lamina.saving import load_model
from lamina.saving import register_keras_serializable
from lamina.testing import check_layer


@register_keras_serializable(package="lamina_attention_tests")
class SelfGroupQueryAttention(GroupedQueryAttention):
    """`check_layer` calls a layer on one input: attend the input to itself."""

    def __call__(self, inputs, *args, **kwargs):
        if not args and "value" not in kwargs:
            args = (inputs,)
        return super().__call__(inputs, *args, **kwargs)


def test_group_query_attention_is_keras_public_name():
    assert GroupQueryAttention is GroupedQueryAttention
    assert GroupQueryAttention(4, 2, 1).name.startswith("grouped_query_attention")


def test_group_query_attention_conformance():
    check_layer(
        lambda: SelfGroupQueryAttention(
            head_dim=3, num_query_heads=4, num_key_value_heads=2
        ),
        torch.randn(2, 5, 6),
        (2, 5, 6),
        ["kernel", "bias"] * 4,
    )


def test_group_query_attention_with_gate_and_dropout_conformance():
    check_layer(
        lambda: SelfGroupQueryAttention(
            head_dim=3,
            num_query_heads=2,
            num_key_value_heads=1,
            dropout=0.5,
            use_gate=True,
            use_bias=False,
        ),
        torch.randn(2, 5, 6),
        (2, 5, 6),
        ["kernel"] * 5,
    )


def test_group_query_attention_weight_layout_is_keras():
    layer = GroupQueryAttention(3, 4, 2, name="gqa")
    layer(torch.ones(1, 5, 6), torch.ones(1, 2, 6))
    assert [(w.path, tuple(w.shape)) for w in layer.weights] == [
        ("gqa/query/kernel", (6, 4, 3)),
        ("gqa/query/bias", (4, 3)),
        ("gqa/key/kernel", (6, 2, 3)),
        ("gqa/key/bias", (2, 3)),
        ("gqa/value/kernel", (6, 2, 3)),
        ("gqa/value/bias", (2, 3)),
        ("gqa/attention_output/kernel", (4, 3, 6)),
        ("gqa/attention_output/bias", (6,)),
    ]


def test_group_query_attention_with_all_heads_equals_multi_head_attention():
    grouped = GroupQueryAttention(head_dim=4, num_query_heads=3, num_key_value_heads=3)
    multi = MultiHeadAttention(num_heads=3, key_dim=4)
    query, value = torch.randn(2, 5, 8), torch.randn(2, 6, 8)
    grouped(query, value)
    multi(query, value)
    multi.set_weights(grouped.get_weights())
    mask = torch.rand(2, 5, 6) > 0.4
    mask[..., 0] = True
    for kwargs in ({}, {"use_causal_mask": True}, {"attention_mask": mask}):
        torch.testing.assert_close(
            grouped(query, value, **kwargs),
            multi(query, value, **kwargs),
            rtol=1e-5,
            atol=1e-5,
        )


def test_group_query_attention_shares_key_value_heads():
    layer = GroupQueryAttention(head_dim=2, num_query_heads=4, num_key_value_heads=2)
    x = torch.randn(1, 3, 4)
    _, scores = layer(x, x, return_attention_scores=True)
    assert tuple(scores.shape) == (1, 4, 3, 3)
    with torch.no_grad():
        # query heads 0 and 1 read key head 0: equal queries give equal scores
        layer._query_dense.kernel[:, 1] = layer._query_dense.kernel[:, 0]
        layer._query_dense.bias[1] = layer._query_dense.bias[0]
    _, scores = layer(x, x, return_attention_scores=True)
    torch.testing.assert_close(scores[:, 0], scores[:, 1])


def test_group_query_attention_uses_embedding_masks():
    tokens = torch.tensor([[1, 2, 0, 0]])
    x = Embedding(5, 4, mask_zero=True)(tokens)
    layer = GroupQueryAttention(head_dim=2, num_query_heads=2, num_key_value_heads=1)
    output, scores = layer(x, x, return_attention_scores=True)
    assert torch.all(scores[..., 2:] == 0)
    assert torch.equal(output._keras_mask, tokens != 0)


def test_group_query_attention_fused_path_equals_scores_path():
    layer = GroupQueryAttention(head_dim=4, num_query_heads=4, num_key_value_heads=2)
    x = torch.randn(2, 5, 8)
    value_mask = torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], dtype=torch.bool)
    for kwargs in ({}, {"use_causal_mask": True}, {"value_mask": value_mask}):
        fused = layer(x, x, **kwargs)
        with_scores, _ = layer(x, x, return_attention_scores=True, **kwargs)
        torch.testing.assert_close(fused, with_scores, rtol=1e-5, atol=1e-5)


def test_group_query_attention_activity_regularizer_like_keras():
    layer = GroupQueryAttention(2, 2, 1, activity_regularizer="l2")
    x = torch.randn(2, 3, 4)
    layer(x, x)
    assert len(layer.losses) == 5  # four projections and the layer's output


def test_group_query_attention_config_round_trip():
    layer = GroupQueryAttention(
        head_dim=2, num_query_heads=4, num_key_value_heads=2, sliding_window=3, seed=1
    )
    config = layer.get_config()
    assert GroupQueryAttention.from_config(config).get_config() == config


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        ((0, 2, 1), {}, "head_dim=0"),
        ((2, 3, 2), {}, "divisible"),
        ((2, 2, 1), {"dropout": -0.1}, "dropout=-0.1"),
        ((2, 2, 1), {"sliding_window": 1.5}, "sliding_window=1.5"),
        ((2, 2, 1), {"flash_attention": True, "dropout": 0.2}, "flash_attention"),
    ],
)
def test_group_query_attention_rejects_bad_arguments(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        GroupQueryAttention(*args, **kwargs)


def test_group_query_attention_rejects_other_feature_sizes():
    layer = GroupQueryAttention(2, 2, 1)
    with pytest.raises(ValueError, match="same feature size"):
        layer(torch.ones(1, 2, 4), torch.ones(1, 2, 5))


def test_group_query_attention_rejects_other_ranks():
    layer = GroupQueryAttention(2, 2, 1)
    with pytest.raises(ValueError, match=r"\(batch, steps, features\)"):
        layer(torch.ones(1, 2, 3, 4), torch.ones(1, 2, 3, 4))


def test_group_query_attention_needs_a_value():
    with pytest.raises(TypeError, match="needs a value"):
        GroupQueryAttention(2, 2, 1)(torch.ones(1, 2, 4))


def test_group_query_attention_saves_under_keras_public_name(tmp_path):
    inputs = Input(shape=(4, 6))
    model = Model(inputs, GroupQueryAttention(3, 2, 1)(inputs, inputs))
    config = model.get_config()["layers"][1]
    assert config["class_name"] == "GroupQueryAttention"
    assert config["module"] == "keras.layers"
    model.save(tmp_path / "gqa.keras")
    restored = load_model(tmp_path / "gqa.keras")
    x = torch.randn(2, 4, 6)
    torch.testing.assert_close(restored(x), model(x))
