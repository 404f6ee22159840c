import numpy as np
import pytest
import torch

import lamina.layers
from lamina.layers.core.reversible_embedding import ReversibleEmbedding
from lamina.testing import check_layer

IDS = np.array([[1, 2, 0], [3, 0, 0]])
HIDDEN = np.random.default_rng(0).normal(size=(2, 3, 4)).astype("float32")


class _Reverse(ReversibleEmbedding):
    """Runs the reverse projection as the layer's plain call, for check_layer."""

    def call(self, inputs, reverse=True):
        return super().call(inputs, reverse=reverse)


def test_reversible_embedding_passes_check_layer():
    check_layer(
        lambda: ReversibleEmbedding(6, 4, tie_weights=False),
        IDS,
        (2, 3, 4),
        expected_weight_names=["embeddings", "reverse_embeddings"],
        # reverse_embeddings gets no gradient from a forward lookup
        check_training=False,
        check_compile=False,
    )


def test_reversible_embedding_reverse_passes_check_layer():
    check_layer(
        lambda: _Reverse(6, 4, logit_soft_cap=2.0),
        HIDDEN,
        (2, 3, 6),
        expected_weight_names=["embeddings"],
        check_saving=False,  # a test-only subclass that saving cannot look up
    )


def test_reversible_embedding_tied_reverse_uses_embeddings():
    layer = ReversibleEmbedding(6, 4)
    layer(torch.as_tensor(IDS))
    logits = layer(torch.as_tensor(HIDDEN), reverse=True)
    expected = HIDDEN @ layer.embeddings.detach().numpy().T
    np.testing.assert_allclose(logits.detach(), expected, atol=1e-6)
    assert [w.name for w in layer.weights] == ["embeddings"]


def test_reversible_embedding_untied_reverse_uses_its_own_weight():
    layer = ReversibleEmbedding(6, 4, tie_weights=False)
    layer(torch.as_tensor(IDS))
    assert tuple(layer.reverse_embeddings.shape) == (4, 6)
    logits = layer(torch.as_tensor(HIDDEN), reverse=True)
    expected = HIDDEN @ layer.reverse_embeddings.detach().numpy()
    np.testing.assert_allclose(logits.detach(), expected, atol=1e-6)


def test_reversible_embedding_soft_cap_bounds_logits():
    layer = ReversibleEmbedding(6, 4, embeddings_initializer="ones", logit_soft_cap=3.0)
    layer(torch.as_tensor(IDS))
    logits = layer(torch.as_tensor(HIDDEN) * 100, reverse=True)
    raw = (HIDDEN * 100).sum(-1, keepdims=True).repeat(6, axis=-1)
    np.testing.assert_allclose(logits.detach(), np.tanh(raw / 3) * 3, rtol=1e-5)
    assert logits.abs().max() <= 3.0


def test_reversible_embedding_reverse_dtype():
    layer = ReversibleEmbedding(6, 4, reverse_dtype="float64")
    layer(torch.as_tensor(IDS))
    assert layer(torch.as_tensor(HIDDEN), reverse=True).dtype == torch.float64
    assert layer.get_config()["reverse_dtype"] == "float64"


def test_reversible_embedding_masks_forward_output_only():
    layer = ReversibleEmbedding(6, 4, mask_zero=True)
    vectors = layer(torch.as_tensor(IDS))
    assert torch.equal(vectors._keras_mask, torch.as_tensor(IDS) != 0)
    logits = layer(vectors, reverse=True)
    assert getattr(logits, "_keras_mask", None) is None
    symbolic = layer(lamina.layers.Input((3,), dtype="int64"))
    assert symbolic.has_mask


def test_reversible_embedding_in_a_functional_language_model():
    ids = lamina.layers.Input((3,), dtype="int64")
    embedding = ReversibleEmbedding(6, 4)
    hidden = lamina.layers.Dense(4)(embedding(ids))
    logits = embedding(hidden, reverse=True)
    assert logits.shape == (None, 3, 6)
    model = lamina.Model(ids, logits)
    assert tuple(model(torch.as_tensor(IDS)).shape) == (2, 3, 6)


def test_reversible_embedding_rejects_bad_soft_cap():
    with pytest.raises(ValueError, match="logit_soft_cap to be None or a positive"):
        ReversibleEmbedding(6, 4, logit_soft_cap=0)
