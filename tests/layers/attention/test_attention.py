import numpy as np
import pytest
import torch

from lamina.layers.attention.additive_attention import AdditiveAttention
from lamina.layers.attention.attention import Attention
from lamina.layers.core.embedding import Embedding
from lamina.layers.input_layer import Input
from lamina.models import Model
from lamina.testing import check_layer


def _softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def _inputs(seed=0):
    rng = np.random.default_rng(seed)
    query = rng.normal(size=(2, 3, 4)).astype("float32")
    value = rng.normal(size=(2, 5, 4)).astype("float32")
    return query, value


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"use_scale": True},
        {"score_mode": "concat", "use_scale": True, "dropout": 0.5},
    ],
)
def test_attention_conformance(kwargs):
    names = {
        (): [],
        ("use_scale",): ["scale"],
        ("dropout", "score_mode", "use_scale"): ["scale", "concat_score_weight"],
    }[tuple(sorted(kwargs))]
    check_layer(
        lambda: Attention(**kwargs),
        [torch.randn(2, 3, 4), torch.randn(2, 5, 4), torch.randn(2, 5, 4)],
        (2, 3, 4),
        names,
    )


def test_additive_attention_conformance():
    check_layer(
        lambda: AdditiveAttention(dropout=0.2),
        [torch.randn(2, 3, 4), torch.randn(2, 5, 4)],
        (2, 3, 4),
        ["scale"],
    )


def test_attention_dot_matches_numpy():
    query, value = _inputs()
    output, weights = Attention()(
        [torch.as_tensor(query), torch.as_tensor(value)], return_attention_scores=True
    )
    expected_weights = _softmax(query @ value.transpose(0, 2, 1))
    np.testing.assert_allclose(weights.numpy(), expected_weights, rtol=1e-5)
    np.testing.assert_allclose(output.numpy(), expected_weights @ value, rtol=1e-5)


def test_attention_concat_with_scale_matches_numpy():
    query, value = _inputs()
    layer = Attention(use_scale=True, score_mode="concat")
    layer([torch.as_tensor(query), torch.as_tensor(value)])
    layer.set_weights([np.float32(0.5), np.float32(2.0)])
    output = layer([torch.as_tensor(query), torch.as_tensor(value)])
    scores = 2.0 * np.tanh(0.5 * (query[:, :, None] + value[:, None])).sum(-1)
    np.testing.assert_allclose(
        output.detach().numpy(), _softmax(scores) @ value, rtol=1e-5, atol=1e-6
    )


def test_additive_attention_matches_numpy():
    query, value = _inputs()
    layer = AdditiveAttention()
    output = layer([torch.as_tensor(query), torch.as_tensor(value)])
    scale = layer.scale.detach().numpy()
    scores = (scale * np.tanh(query[:, :, None] + value[:, None])).sum(-1)
    np.testing.assert_allclose(
        output.detach().numpy(), _softmax(scores) @ value, rtol=1e-5, atol=1e-6
    )


def test_additive_attention_without_scale_has_no_weights():
    layer = AdditiveAttention(use_scale=False)
    layer([torch.ones(1, 2, 3), torch.ones(1, 4, 3)])
    assert layer.weights == []
    assert "score_mode" not in layer.get_config()


def test_attention_uses_the_key_for_scores():
    query, value = _inputs()
    key = np.zeros_like(value)
    output = Attention()([torch.as_tensor(a) for a in (query, value, key)])
    expected = np.broadcast_to(value.mean(1, keepdims=True), output.shape)
    np.testing.assert_allclose(output.numpy(), expected, rtol=1e-5, atol=1e-6)


def test_attention_masks_values_and_zeroes_padded_queries():
    query, value = (torch.as_tensor(a) for a in _inputs())
    query_mask = torch.tensor([[True, True, False]] * 2)
    value_mask = torch.tensor([[True, True, True, False, False]] * 2)
    layer = Attention()
    output, weights = layer(
        [query, value], mask=[query_mask, value_mask], return_attention_scores=True
    )
    assert torch.all(weights[..., 3:] == 0)
    assert torch.all(output[:, 2] == 0)
    assert torch.equal(output._keras_mask, query_mask)


def test_attention_causal_mask():
    query, value = (torch.as_tensor(a) for a in _inputs())
    _, weights = Attention()(
        [query, value], use_causal_mask=True, return_attention_scores=True
    )
    assert torch.all(weights.triu(diagonal=1) == 0)
    torch.testing.assert_close(weights.sum(-1), torch.ones(2, 3))


def test_attention_dropout_only_in_training():
    query, value = (torch.as_tensor(a) for a in _inputs())
    layer = Attention(dropout=0.5)
    torch.testing.assert_close(layer([query, value]), layer([query, value]))
    torch.manual_seed(0)
    assert not torch.allclose(
        layer([query, value], training=True), layer([query, value])
    )


def test_attention_reads_embedding_masks_in_a_model():
    tokens = Input(shape=(4,), dtype="int32")
    embedded = Embedding(6, 3, mask_zero=True)(tokens)
    output = Attention()([embedded, embedded])
    model = Model(tokens, output)
    data = torch.tensor([[1, 2, 0, 0]])
    result = model(data)
    assert torch.all(result[0, 2:] == 0)
    assert torch.equal(result._keras_mask, data != 0)


def test_attention_symbolic_scores_shape():
    query, value = Input(shape=(3, 4)), Input(shape=(5, 4))
    output, scores = Attention()([query, value], return_attention_scores=True)
    assert output.shape == (None, 3, 4)
    assert scores.shape == (None, 3, 5)


def test_attention_rejects_bad_score_mode():
    with pytest.raises(ValueError, match="score_mode='add'"):
        Attention(score_mode="add")


def test_attention_rejects_bad_dropout():
    with pytest.raises(ValueError, match="dropout=2"):
        AdditiveAttention(dropout=2)


@pytest.mark.parametrize("inputs", [torch.ones(1, 2, 3), [torch.ones(1, 2, 3)]])
def test_attention_rejects_inputs_that_are_not_a_pair(inputs):
    with pytest.raises(ValueError, match=r"\[query, value\]"):
        Attention()(inputs)


def test_attention_rejects_a_bad_mask():
    x = torch.ones(1, 2, 3)
    with pytest.raises(ValueError, match="mask="):
        Attention()([x, x], mask=torch.ones(1, 2, dtype=torch.bool))
