"""Behaviour of `lamina.ops` beyond the reference comparison."""

import numpy as np
import pytest
import torch

from lamina import ops


def test_ops_accept_numpy_and_python_numbers():
    result = ops.add(np.ones(3, dtype=np.float32), 1)
    assert isinstance(result, torch.Tensor)
    assert result.tolist() == [2.0, 2.0, 2.0]
    assert ops.multiply(2, 3.0).dtype == torch.float32


def test_ops_promote_int_and_float_like_keras():
    assert ops.add(torch.ones(2, dtype=torch.int32), 1.5).dtype == torch.float32
    assert ops.add(torch.ones(2, dtype=torch.int8), 1).dtype == torch.int8
    assert ops.add(torch.ones(2, dtype=torch.float16), 1.0).dtype == torch.float16
    assert ops.mean(torch.arange(4)).dtype == torch.float32


def test_convert_to_numpy_returns_numpy_for_grad_tensors():
    x = torch.ones(2, requires_grad=True)
    assert isinstance(ops.convert_to_numpy(x * 2), np.ndarray)


def test_ops_keep_autograd():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    ops.sum(ops.square(x)).backward()
    assert x.grad.tolist() == [2.0, 4.0]


def test_ops_run_on_the_input_device():
    x = torch.ones(2, 3, device="meta")
    assert ops.matmul(x, torch.ones(3, 4, device="meta")).device.type == "meta"
    assert ops.add(x, 1).device.type == "meta"


def test_while_loop_runs_until_condition_fails():
    result = ops.while_loop(
        lambda i, total: i < 4, lambda i, total: (i + 1, total + i), (0, 0)
    )
    assert result == (4, 6)


def test_while_loop_respects_maximum_iterations():
    assert (
        ops.while_loop(lambda i: i < 100, lambda i: i + 1, 0, maximum_iterations=3) == 3
    )


def test_custom_gradient_uses_the_given_gradient():
    @ops.custom_gradient
    def clipped_identity(x):
        def grad(upstream):
            return torch.clamp(upstream, -0.5, 0.5)

        return x * 1.0, grad

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (clipped_identity(x) * torch.tensor([3.0, -0.1])).sum().backward()
    assert x.grad.tolist() == pytest.approx([0.5, -0.1])


def test_sparsemax_projects_onto_the_simplex():
    x = torch.tensor([[2.0, 1.0, 0.1], [0.3, 0.3, 0.3]])
    result = ops.sparsemax(x)
    assert torch.allclose(result.sum(-1), torch.ones(2))
    assert torch.allclose(result[0], torch.tensor([1.0, 0.0, 0.0]))
    assert torch.allclose(result[1], torch.full((3,), 1 / 3))


def test_argpartition_places_the_kth_element():
    x = torch.tensor([5.0, 1.0, 4.0, 2.0, 3.0])
    order = ops.argpartition(x, 2)
    assert x[order[2].long()] == 3.0
    assert x[order[:2].long()].max() <= 3.0 <= x[order[3:].long()].min()


def test_istft_inverts_stft():
    signal = torch.randn(2, 64)
    spectrum = ops.stft(signal, 16, 4, 16)
    rebuilt = ops.istft(spectrum, 16, 4, 16, length=64)
    assert torch.allclose(rebuilt, signal, atol=1e-5)


def test_pad_symmetric_matches_numpy():
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    expected = np.pad(x, ((1, 2), (2, 1)), mode="symmetric")
    result = ops.pad(x, ((1, 2), (2, 1)), mode="symmetric")
    np.testing.assert_array_equal(ops.convert_to_numpy(result), expected)


def test_split_rejects_uneven_sections():
    with pytest.raises(ValueError, match="equal sections"):
        ops.split(torch.zeros(5), 2)


def test_conv_rejects_mismatched_channels():
    with pytest.raises(ValueError, match="input channels"):
        ops.conv(torch.zeros(1, 5, 5, 3), torch.zeros(3, 3, 2, 4))


def test_where_needs_both_branches():
    with pytest.raises(ValueError, match="both x1 and x2"):
        ops.where(torch.tensor([True]), 1)


def test_rearrange_rejects_a_pattern_without_arrow():
    with pytest.raises(ValueError, match="'->'"):
        ops.rearrange(torch.zeros(2, 3), "b h")


def test_attention_soft_cap_bounds_the_logits():
    q = torch.randn(1, 3, 1, 4) * 100
    capped = ops.dot_product_attention(q, q, q, attn_logits_soft_cap=1.0)
    assert torch.isfinite(capped).all()


def test_namespaces_are_modules():
    assert ops.nn.relu is not None
    assert ops.numpy.add is ops.add
    assert ops.linalg.qr is ops.qr
    assert ops.image.resize is not None
