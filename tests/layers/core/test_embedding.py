import numpy as np
import pytest
import torch

import lamina
from lamina.layers import Embedding
from lamina.testing import check_layer


def test_embedding_conformance():
    check_layer(
        lambda: Embedding(10, 4),
        torch.randint(0, 10, (2, 5)),
        expected_output_shape=(2, 5, 4),
        expected_weight_names=["embeddings"],
    )


def test_embedding_looks_up_rows():
    layer = Embedding(5, 2)
    out = layer(torch.tensor([[0, 3]]))
    np.testing.assert_array_equal(out[0, 1].detach().numpy(), layer.get_weights()[0][3])


def test_embedding_casts_float_inputs():
    layer = Embedding(5, 2)
    out = layer(np.array([[1.0, 4.0]], dtype="float32"))
    assert torch.equal(out, layer(torch.tensor([[1, 4]])))


def test_embedding_mask_zero_gives_mask():
    out = Embedding(5, 2, mask_zero=True)(torch.tensor([[0, 3, 0]]))
    assert out._keras_mask.tolist() == [[False, True, False]]


def test_embedding_without_mask_zero_has_no_mask():
    out = Embedding(5, 2)(torch.tensor([[0, 3]]))
    assert getattr(out, "_keras_mask", None) is None


def test_embedding_rejects_index_too_large():
    layer = Embedding(5000, 4)
    with pytest.raises(
        ValueError,
        match=r"'embedding.*received index 88583.*input_dim=5000.*num_words=5000",
    ):
        layer(torch.tensor([[1, 88583, 7]]))


def test_embedding_rejects_negative_index():
    with pytest.raises(ValueError, match=r"received index -2.*\[0, input_dim=5\)"):
        Embedding(5, 4)(torch.tensor([[1, -2]]))


def test_embedding_index_error_in_sequential_model():
    model = lamina.Sequential([Embedding(50, 4, input_length=3)])
    with pytest.raises(ValueError, match="received index 51, but input_dim=50"):
        model.predict(np.array([[1, 2, 51]]), verbose=0)


def test_embedding_rejects_bad_dims():
    with pytest.raises(ValueError, match="input_dim=0"):
        Embedding(0, 4)
    with pytest.raises(ValueError, match="output_dim=2.5"):
        Embedding(3, 2.5)


def test_embedding_weights_argument_sets_matrix():
    matrix = np.arange(6, dtype="float32").reshape(3, 2)
    layer = Embedding(3, 2, weights=[matrix])
    assert layer(torch.tensor([[2]])).tolist() == [[[4.0, 5.0]]]
    single = Embedding(3, 2, weights=matrix)
    assert single(torch.tensor([[1]])).tolist() == [[[2.0, 3.0]]]


def test_embedding_input_length_declares_shape():
    model = lamina.Sequential([Embedding(10, 3, input_length=4)])
    assert model.output_shape == (None, 4, 3)


def test_embedding_symbolic_mask_flows():
    inputs = lamina.Input(shape=(4,), dtype="int64")
    outputs = Embedding(10, 3, mask_zero=True)(inputs)
    assert outputs.has_mask


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_embedding_rejects_bad_index_on_cuda_without_device_assert():
    layer = Embedding(5, 2).to("cuda")
    with pytest.raises(ValueError, match="received index 7, but input_dim=5"):
        layer(torch.tensor([[1, 7]], device="cuda"))
    assert layer(torch.tensor([[1, 4]], device="cuda")).shape == (1, 2, 2)


def test_embedding_rejects_bad_index_under_torch_compile():
    # Compiled CPU kernels abort the process on a bad index; the layer must
    # check first and raise its ValueError instead.
    torch._dynamo.reset()
    layer = Embedding(5, 2)
    compiled = torch.compile(layer)
    assert compiled(torch.tensor([[1, 4]])).shape == (1, 2, 2)
    with pytest.raises(ValueError, match="received index 9, but input_dim=5"):
        compiled(torch.tensor([[1, 9]]))
