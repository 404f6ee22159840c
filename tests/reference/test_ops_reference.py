"""Every `lamina.ops` function against `keras.ops` (torch backend).

Each case names an op and builds its arguments; both libraries get the same
tensors. Outputs must have the same dtype, equal values (1e-6 for floats, exact
for integers) and, for float inputs, equal gradients.
"""

import numpy as np
import pytest
import torch

import lamina.ops as lamina_ops

RNG = np.random.default_rng(0)


def F(*shape):  # noqa: N802 - short generator names keep the table readable
    return torch.tensor(RNG.normal(size=shape), dtype=torch.float32)


def P(*shape):  # noqa: N802
    return torch.tensor(RNG.uniform(0.2, 3.0, size=shape), dtype=torch.float32)


def U(*shape):  # noqa: N802
    return torch.tensor(RNG.uniform(-0.9, 0.9, size=shape), dtype=torch.float32)


def I(*shape, low=-5, high=6):  # noqa: N802, E743
    return torch.tensor(RNG.integers(low, high, size=shape), dtype=torch.int32)


def IP(*shape):  # noqa: N802
    return I(*shape, low=1, high=6)


def B(*shape):  # noqa: N802
    return torch.tensor(RNG.integers(0, 2, size=shape).astype(bool))


def SPD(n):  # noqa: N802
    a = F(n, n)
    return a @ a.T + n * torch.eye(n)


def case(name, *args, grad=True, **kwargs):
    return pytest.param(name, args, kwargs, grad, id=f"{name}-{len(CASES)}")


CASES = []


def add(name, *args, grad=True, **kwargs):
    CASES.append(case(name, *args, grad=grad, **kwargs))


_UNARY_ANY = """abs absolute negative sign square exp expm1 exp2 sin cos tan arctan sinh
cosh tanh arcsinh sinc floor ceil trunc round fabs rad2deg deg2rad cbrt isfinite
isinf isnan signbit logical_not sigmoid relu relu6 softplus softsign silu swish
log_sigmoid leaky_relu hard_sigmoid hard_silu hard_swish elu selu gelu celu
hard_tanh tanh_shrink soft_shrink hard_shrink sparse_plus squareplus
sparse_sigmoid erf erfc ravel copy nan_to_num isneginf isposinf
isreal i0 ones_like zeros_like""".split()
_NUMPY_UNARY = set(
    """abs absolute negative sign square exp expm1 exp2 sin cos tan
arctan sinh cosh tanh arcsinh sinc floor ceil trunc round fabs rad2deg deg2rad cbrt
isfinite isinf isnan signbit logical_not ravel copy ones_like zeros_like""".split()
)
_UNARY_POSITIVE = "sqrt log log1p log2 log10 reciprocal rsqrt".split()
_UNARY_UNIT = "arcsin arccos arctanh erfinv".split()
_NO_GRAD = set(
    """sign floor ceil trunc round isfinite isinf isnan signbit logical_not
isneginf isposinf isreal ones_like zeros_like i0 fabs abs absolute""".split()
)

for _name in _UNARY_ANY:
    add(_name, F(3, 4), grad=_name not in _NO_GRAD)
    add(_name, F(2, 3, 4), grad=False)
    if _name in _NUMPY_UNARY:
        add(_name, I(3, 4), grad=False)
for _name in _UNARY_POSITIVE:
    add(_name, P(3, 4))
    add(_name, IP(5), grad=False)
for _name in _UNARY_UNIT:
    add(_name, U(3, 4))
add("arccosh", P(3, 4) + 1.0)
add("bitwise_invert", I(3, 4), grad=False)
add("bitwise_not", I(3, 4), grad=False)
add("bitwise_not", B(3, 4), grad=False)

_BINARY = """add subtract multiply divide true_divide maximum minimum power arctan2
hypot logaddexp logaddexp2 fmax fmin mod fmod floor_divide divide_no_nan heaviside
equal not_equal greater greater_equal less less_equal logical_and logical_or
logical_xor isclose allclose""".split()
_BINARY_NO_GRAD = set(
    """equal not_equal greater greater_equal less less_equal logical_and
logical_or logical_xor isclose allclose mod fmod floor_divide heaviside fmax fmin
""".split()
)
for _name in _BINARY:
    _grad = _name not in _BINARY_NO_GRAD
    _x = P if _name in ("power",) else F
    add(_name, _x(3, 4), F(4) if _name != "power" else U(4), grad=_grad)
    add(_name, _x(2, 1, 4), P(3, 1), grad=_grad)
    add(_name, I(3, 4), P(4), grad=False)
    add(_name, P(3, 4), 2.0, grad=_grad)
    if _name not in ("divide_no_nan",):
        add(_name, IP(3, 4), IP(3, 4), grad=False)
        add(_name, IP(3, 4), 3, grad=False)
for (
    _name
) in "gcd lcm bitwise_and bitwise_or bitwise_xor left_shift right_shift".split():
    add(_name, IP(3, 4), IP(4), grad=False)
add("nextafter", F(3, 4), F(3, 4), grad=False)
add("ldexp", F(3, 4), I(3, 4), grad=False)

_REDUCE = "sum mean max min amax amin prod std var all any ptp logsumexp".split()
_REDUCE += "nansum nanmean nanmax nanmin nanprod nanstd nanvar median nanmedian".split()
for _name in _REDUCE:
    _grad = _name not in ("all", "any", "median", "nanmedian")
    add(_name, F(2, 3, 4), grad=_grad)
    add(_name, F(2, 3, 4), axis=-1, grad=_grad)
    add(_name, F(2, 3, 4), axis=(0, 2), keepdims=True, grad=_grad)
    if _name not in ("logsumexp",):
        add(_name, I(3, 4), axis=0, grad=False)
for _name in "argmax argmin nanargmax nanargmin".split():
    add(_name, F(3, 4), grad=False)
    add(_name, F(3, 4), axis=-1, grad=False)
    add(_name, I(3, 4), axis=0, keepdims=True, grad=False)
for _name in "cumsum cumprod nancumsum nancumprod".split():
    add(_name, F(3, 4))
    add(_name, F(3, 4), axis=-1)
    add(_name, I(3, 4), axis=0, grad=False)
add("count_nonzero", I(3, 4), grad=False)
add("count_nonzero", I(3, 4), axis=1, grad=False)
add("average", F(3, 4), axis=1, weights=P(4))
add("average", F(3, 4))
add("quantile", F(3, 4), 0.3, axis=1)
add("percentile", F(3, 4), 40.0)
add("nanquantile", F(3, 4), 0.5, axis=0)
add("nanpercentile", F(3, 4), 75.0, axis=-1, keepdims=True)
add("trace", F(3, 3))
add("trace", I(2, 3, 3), axis1=1, axis2=2, grad=False)

# Shape manipulation and indexing.
add("reshape", F(3, 4), (2, -1))
add("expand_dims", F(3, 4), -1)
add("expand_dims", F(3, 4), (0, 2))
add("squeeze", F(3, 1, 4), axis=1)
add("squeeze", F(1, 3, 1))
add("transpose", F(2, 3, 4))
add("transpose", F(2, 3, 4), (1, 0, 2))
add("swapaxes", F(2, 3, 4), 0, -1)
add("moveaxis", F(2, 3, 4), 0, -1)
add("broadcast_to", F(1, 4), (3, 4))
add("concatenate", [F(2, 3), F(1, 3)], axis=0)
add("concatenate", [F(2, 3), I(2, 2)], axis=-1, grad=False)
add("stack", [F(2, 3), F(2, 3)], axis=1)
add("hstack", [F(2, 3), F(2, 1)])
add("vstack", [F(2, 3), F(1, 3)])
add("dstack", [F(2, 3), F(2, 3)])
add("append", F(2, 3), F(2, 3), axis=0)
add("append", F(2, 3), F(4))
add("split", F(4, 6), 2, axis=1)
add("split", F(6, 2), [1, 4])
add("array_split", F(5, 2), 2)
add("hsplit", F(2, 4), 2)
add("vsplit", F(4, 2), 2)
add("dsplit", F(1, 2, 4), 2)
add("tile", F(2, 3), (2, 1))
add("repeat", F(2, 3), 2, axis=1)
add("repeat", F(2, 3), 2)
add("flip", F(2, 3))
add("flip", F(2, 3), axis=-1)
add("fliplr", F(2, 3))
add("flipud", F(2, 3))
add("roll", F(2, 3), 1)
add("roll", F(2, 3), -1, axis=1)
add("rot90", F(2, 3))
add("rot90", F(2, 3, 4), k=2, axes=(1, 2))
add("tril", F(4, 4), -1)
add("triu", F(4, 4), 1)
add("diag", F(3, 3))
add("diag", F(3), k=1)
add("diagflat", F(2, 2))
add("diagonal", F(3, 4), offset=1)
add("diagonal", F(2, 3, 3), axis1=1, axis2=2)
add("diff", F(3, 5))
add("diff", F(3, 5), n=2, axis=0)
add("pad", F(2, 3), ((1, 0), (2, 1)))
add("pad", F(2, 3), ((1, 1), (1, 1)), mode="reflect")
add("pad", I(3, 3), ((1, 1), (0, 2)), constant_values=7, grad=False)
add("take", F(4, 3), torch.tensor([0, 3, -1]), axis=0)
add("take", F(4, 3), torch.tensor([[0, 1], [2, 2]]), axis=1)
add("take", F(4, 3), torch.tensor([5, 0]))
add("take_along_axis", F(3, 4), torch.tensor([[0], [2], [3]]), axis=1)
add("where", B(3, 4), F(3, 4), F(4))
add("where", B(3, 4), 1.0, F(3, 4))
add("where", B(3, 4), grad=False)
add("select", [B(3), B(3)], [F(3), F(3)], 0.5)
add("nonzero", I(3, 4), grad=False)
add("sort", F(3, 4))
add("sort", F(3, 4), axis=0)
add("argsort", F(3, 4), grad=False)
add("searchsorted", torch.tensor([1.0, 2.0, 3.0]), F(5), grad=False)
add(
    "searchsorted",
    torch.tensor([1.0, 2.0, 3.0]),
    torch.tensor([2.0]),
    side="right",
    grad=False,
)
add("digitize", F(6), torch.tensor([-1.0, 0.0, 1.0]), grad=False)
add("isin", I(3, 4), torch.tensor([1, 2, 3], dtype=torch.int32), grad=False)
add("bincount", torch.tensor([0, 1, 1, 3]), grad=False)
add("bincount", torch.tensor([0, 1, 1, 3]), weights=P(4), minlength=5, grad=False)
add("unique", torch.tensor([3, 1, 2, 1, 3]), grad=False)
add("unravel_index", torch.tensor([0, 5, 7]), (2, 4), grad=False)
add("get_item", F(3, 4), (slice(None), 1))
add("ndim", F(2, 3), grad=False)
add("size", F(2, 3), grad=False)
add("shape", F(2, 3), grad=False)
add("dtype", I(2), grad=False)

# Creation.
add("zeros", (2, 3), grad=False)
add("ones", (2,), dtype="int32", grad=False)
add("full", (2, 3), 4.0, grad=False)
add("full", (2, 3), 4, grad=False)
add("full_like", F(2, 3), 7, grad=False)
add("arange", 5, grad=False)
add("arange", 1.0, 4.0, 0.5, grad=False)
add("arange", 2, 10, 3, dtype="float32", grad=False)
add("linspace", 0.0, 1.0, 5, grad=False)
add("linspace", 0, 10, 6, endpoint=False, grad=False)
add("logspace", 0.0, 2.0, 4, grad=False)
add("geomspace", 1.0, 100.0, 3, grad=False)
add("eye", 3, grad=False)
add("eye", 3, 4, k=1, grad=False)
add("identity", 3, grad=False)
add("tri", 3, 4, k=-1, grad=False)
add("meshgrid", F(3), F(2), grad=False)
add("meshgrid", F(3), F(2), indexing="ij", grad=False)
for _name in "bartlett blackman hamming hanning".split():
    add(_name, 6, grad=False)
add("kaiser", 6, 3.0, grad=False)
add("array", [[1, 2], [3, 4]], grad=False)
add("convert_to_tensor", [1.0, 2.0], grad=False)
add("convert_to_tensor", np.arange(3), grad=False)
add("cast", F(3), "int32", grad=False)
add("cast", I(3), "float16", grad=False)

# Products.
add("matmul", F(3, 4), F(4, 2))
add("matmul", F(2, 3, 4), F(4))
add("matmul", I(3, 4), I(4, 2), grad=False)
add("dot", F(3, 4), F(4, 2))
add("dot", F(4), F(4))
add("dot", F(2, 3, 4), F(4, 5))
add("vdot", F(4), F(4))
add("inner", F(3, 4), F(2, 4))
add("outer", F(3), F(4))
add("kron", F(2, 2), F(2, 3))
add("tensordot", F(2, 3, 4), F(3, 4, 5))
add("tensordot", F(2, 3), F(3, 4), axes=1)
add("tensordot", F(2, 3), F(4, 2), axes=([0], [1]))
add("einsum", "ij,jk->ik", F(2, 3), F(3, 4))
add("einsum", "bij->bji", F(2, 3, 4))
add("cross", F(4, 3), F(4, 3))
add("trapezoid", F(3, 5))
add("vander", F(4), grad=False)
add("correlate", F(5), F(3))
add("correlate", F(5), F(3), mode="full")
add("corrcoef", F(3, 6))
add("clip", F(3, 4), -0.5, 0.5)
add("clip", I(3, 4), -2, 2, grad=False)

# Math namespace.
add("segment_sum", F(5, 2), torch.tensor([0, 0, 1, 2, 2]))
add("segment_max", F(5, 2), torch.tensor([0, 0, 1, 2, 2]), num_segments=3)
add("segment_sum", I(5), torch.tensor([1, 0, 1, 2, 2]), grad=False)
add("top_k", F(3, 5), 2)
add("in_top_k", torch.tensor([1, 0]), F(2, 4), 2, grad=False)
add("extract_sequences", F(2, 10), 4, 2)
add("fft", (F(2, 8), F(2, 8)))
add("fft2", (F(2, 4, 4), F(2, 4, 4)))
add("ifft2", (F(4, 4), F(4, 4)))
add("rfft", F(2, 8))
add("rfft", F(2, 8), fft_length=6)
add("irfft", (F(2, 5), F(2, 5)))
add("stft", F(2, 32), 8, 4, 8)
add("stft", F(32), 6, 3, 8, window="hamming")
add("istft", (F(9, 5), F(9, 5)), 8, 4, 8)
add("logdet", SPD(3))
add("view_as_real", torch.complex(F(3), F(3)), grad=False)
for _name in ("real", "imag", "conj", "angle"):
    add(_name, torch.complex(F(3), F(3)), grad=False)

# nn namespace.
for _name in ("softmax", "log_softmax"):
    add(_name, F(3, 4))
    add(_name, F(2, 3, 4), axis=1)
add("glu", F(3, 4))
add("threshold", F(3, 4), 0.1, -1.0)
add("leaky_relu", F(3, 4), negative_slope=0.1)
add("elu", F(3, 4), alpha=0.5)
add("gelu", F(3, 4), approximate=False)
add("one_hot", torch.tensor([0, 2, -1]), 3, grad=False)
add("one_hot", torch.tensor([[0, 1], [2, 0]]), 3, axis=0, grad=False)
add("multi_hot", torch.tensor([[0, 1], [2, 0]]), 3, grad=False)
add("binary_crossentropy", B(3, 4).float(), torch.sigmoid(F(3, 4)))
add("binary_crossentropy", B(3, 4).float(), F(3, 4), from_logits=True)
add("categorical_crossentropy", torch.eye(4)[:3], torch.softmax(F(3, 4), -1))
add("categorical_crossentropy", torch.eye(4)[:3], F(3, 4), from_logits=True)
add(
    "sparse_categorical_crossentropy",
    torch.tensor([0, 3, 1]),
    torch.softmax(F(3, 4), -1),
)
add(
    "sparse_categorical_crossentropy",
    torch.tensor([0, 3, 1]),
    F(3, 4),
    from_logits=True,
)
add("moments", F(2, 3, 4), [0, 1])
add("moments", F(2, 3, 4), [-1], keepdims=True)
add("batch_normalization", F(2, 3), F(3), P(3), -1, offset=F(3), scale=F(3))
add("normalize", F(3, 4))
add("normalize", F(3, 4), axis=0, order=1)
add("layer_normalization", F(3, 4), gamma=F(4), beta=F(4))
add("rms_normalization", F(3, 4), scale=F(4))
add("psnr", P(2, 4, 4, 1), P(2, 4, 4, 1), 3.0)
add("conv", F(2, 7, 3), F(3, 3, 4))
add("conv", F(2, 7, 7, 3), F(3, 3, 3, 4), strides=2, padding="same")
add("conv", F(2, 6, 6, 4), F(2, 2, 2, 6), dilation_rate=2)
add("conv", F(2, 3, 6, 6), F(3, 3, 3, 2), padding="same", data_format="channels_first")
add("conv", F(1, 5, 5, 5, 2), F(2, 2, 2, 2, 3))
add("depthwise_conv", F(2, 6, 6, 3), F(3, 3, 3, 2), padding="same")
add("separable_conv", F(2, 6, 6, 3), F(3, 3, 3, 2), F(1, 1, 6, 4))
add("conv_transpose", F(2, 5, 5, 3), F(3, 3, 4, 3))
add("conv_transpose", F(2, 5, 5, 3), F(3, 3, 4, 3), strides=2, padding="same")
add("conv_transpose", F(2, 5, 3), F(4, 4, 3), strides=2)
add("max_pool", F(2, 6, 6, 3), 2)
add("max_pool", F(2, 7, 7, 3), 3, strides=2, padding="same")
add("max_pool", F(2, 8, 3), 3, strides=1, padding="same")
add("average_pool", F(2, 6, 6, 3), 2)
add("average_pool", F(2, 7, 7, 3), 3, strides=1, padding="same")
add("adaptive_average_pool", F(2, 6, 6, 3), 2)
add("adaptive_max_pool", F(2, 6, 6, 3), (3, 2))
add("depth_to_space", F(2, 3, 3, 8), 2)
add("space_to_depth", F(2, 4, 4, 3), 2)
add("unfold", F(2, 3, 5, 5), 2)
add("fold", F(2, 12, 16), (5, 5), 2)
add("dot_product_attention", F(2, 4, 2, 8), F(2, 5, 2, 8), F(2, 5, 2, 8))
add(
    "dot_product_attention", F(2, 4, 2, 8), F(2, 4, 2, 8), F(2, 4, 2, 8), is_causal=True
)
add(
    "dot_product_attention",
    F(2, 4, 4, 8),
    F(2, 4, 2, 8),
    F(2, 4, 2, 8),
    mask=torch.tril(torch.ones(4, 4, dtype=torch.bool)),
)
add(
    "ctc_loss",
    torch.tensor([[1, 2, 0], [2, 2, 1]]),
    F(2, 6, 4),
    torch.tensor([2, 3]),
    torch.tensor([6, 5]),
)
add("ctc_decode", F(2, 6, 4), torch.tensor([6, 4]), grad=False)
add("polar", P(3), F(3), grad=False)

# Linear algebra.
add("cholesky", SPD(3))
add("det", F(3, 3))
add("inv", SPD(3))
add("eigh", SPD(3), grad=False)
add("solve", SPD(3), F(3, 2))
add("solve_triangular", torch.triu(SPD(3)), F(3, 2))
add("solve_triangular", torch.tril(SPD(3)), F(3), lower=True)
add("svd", F(4, 3), compute_uv=False)
add("lstsq", F(5, 3), F(5, 2))
add("lu_factor", SPD(3), grad=False)
add("norm", F(3, 4))
add("norm", F(3, 4), axis=-1)
add("norm", F(3, 4), ord="fro", axis=(0, 1))
add("norm", F(3, 4), ord=1, axis=1, keepdims=True)
add("matrix_rank", F(4, 3), grad=False)
add("pinv", F(4, 3))
add("slogdet", SPD(3))
add("qr", F(4, 3), grad=False)
add("cholesky_inverse", torch.linalg.cholesky(SPD(3)))

# Core.
add("slice", F(4, 5), (1, 2), (2, 3))
add("slice_update", F(4, 5), (1, 2), F(2, 2))
add("scatter", torch.tensor([[0, 1], [2, 0], [0, 1]]), F(3), (3, 2))
add("scatter_update", F(3, 2), torch.tensor([[0, 1], [2, 0]]), F(2))
add("unstack", F(3, 2), axis=1)
add("saturate_cast", F(3) * 500, "uint8", grad=False)
add("rearrange", F(2, 3, 4), "b h w -> b (h w)")
add("rearrange", F(2, 6), "b (h w) -> w b h", h=2)
add("cdist", F(3, 4), F(2, 4))
add("stop_gradient", F(3), grad=False)

# Control flow and higher-order ops (functions shared by both libraries).
add("associative_scan", torch.add, F(5, 3))
add("associative_scan", torch.mul, F(3, 6), axis=1, reverse=True)
add("scan", lambda carry, x: (carry + x, carry * x), F(3), F(4, 3))
add("scan", lambda carry, x: (carry * 2, carry), F(2), length=3, reverse=True)
add("map", lambda x: x * 2 + 1, F(3, 2))
add("fori_loop", 0, 4, lambda i, value: value * 1.5 + i, F(3))
add("switch", 1, [lambda x: x + 1, lambda x: x * 2], F(3))
_A, _B = F(2), F(2)
add("cond", True, lambda: _A * 2, lambda: _B, grad=False)
add("vectorized_map", lambda x: x.sum(), F(4, 3))
add("segment_min", F(5, 2), torch.tensor([0, 0, 1, 2, 2]), num_segments=3)
add("segment_prod", F(5), torch.tensor([0, 1, 1, 0, 2]))
add("histogram", F(20), bins=5, grad=False)
add("svd", F(4, 3), grad=False)
add("eig", SPD(3), grad=False)
add("layer_normalization", F(3, 4))
add(
    "ctc_decode",
    torch.log_softmax(F(2, 6, 4), -1),
    torch.tensor([6, 4]),
    strategy="beam_search",
    beam_width=5,
    top_paths=2,
    grad=False,
)

# Image.
for _name in ("rgb_to_grayscale", "rgb_to_hsv", "hsv_to_rgb"):
    CASES.append(
        pytest.param(
            f"image.{_name}", (torch.rand(2, 4, 4, 3),), {}, False, id=f"image.{_name}"
        )
    )
_IMAGE = [
    ("resize", (torch.rand(2, 8, 8, 3), (4, 6)), {}),
    ("resize", (torch.rand(2, 8, 8, 3), (4, 4)), {"antialias": True}),
    ("resize", (torch.rand(2, 5, 5, 3), (10, 10)), {"interpolation": "nearest"}),
    ("resize", (torch.rand(2, 6, 6, 3), (3, 3)), {"interpolation": "bicubic"}),
    ("resize", (torch.rand(8, 6, 3), (4, 4)), {"crop_to_aspect_ratio": True}),
    (
        "affine_transform",
        (
            torch.rand(2, 6, 6, 3),
            torch.tensor([[1.0, 0.1, 0.5, 0.0, 0.9, -0.5, 0, 0]] * 2),
        ),
        {},
    ),
    (
        "affine_transform",
        (torch.rand(1, 6, 6, 2), torch.tensor([1.0, 0, 1.5, 0, 1.0, -1.0, 0, 0])),
        {"interpolation": "nearest", "fill_mode": "reflect"},
    ),
    ("map_coordinates", (torch.rand(5, 5), torch.rand(2, 3, 3) * 4), {"order": 1}),
    ("extract_patches", (torch.rand(2, 6, 6, 3), 2), {}),
    (
        "extract_patches",
        (torch.rand(2, 6, 6, 3), (3, 3)),
        {"strides": 1, "padding": "same"},
    ),
    (
        "pad_images",
        (torch.rand(2, 4, 4, 3), 1, 2),
        {"target_height": 6, "target_width": 7},
    ),
    (
        "crop_images",
        (torch.rand(2, 6, 6, 3), 1, 2),
        {"target_height": 3, "target_width": 3},
    ),
    (
        "perspective_transform",
        (
            torch.rand(2, 6, 6, 3),
            torch.tensor([[0.0, 0], [5, 0], [0, 5], [5, 5]]),
            torch.tensor([[0.5, 0], [5, 0.5], [0, 4], [4.5, 5]]),
        ),
        {},
    ),
    ("ssim", (torch.rand(2, 16, 16, 3), torch.rand(2, 16, 16, 3)), {}),
    (
        "scale_and_translate",
        (
            torch.rand(2, 8, 8, 3),
            (2, 5, 4, 3),
            torch.tensor([0.6, 0.5]),
            torch.tensor([0.2, 0.0]),
            (1, 2),
            "linear",
        ),
        {},
    ),
    ("extract_patches_3d", (torch.rand(2, 4, 4, 4, 2), 2), {}),
    (
        "map_coordinates",
        (torch.rand(5, 5), torch.rand(2, 3, 3) * 8 - 2),
        {"order": 1, "fill_mode": "wrap"},
    ),
    (
        "map_coordinates",
        (torch.rand(5, 5), torch.rand(2, 3, 3) * 8 - 2),
        {"order": 0, "fill_mode": "mirror"},
    ),
    ("gaussian_blur", (torch.rand(2, 6, 6, 3),), {"data_format": "channels_last"}),
    ("sobel_edges", (torch.rand(2, 6, 6, 3),), {}),
]
for _name, _args, _kwargs in _IMAGE:
    CASES.append(
        pytest.param(
            f"image.{_name}", _args, _kwargs, False, id=f"image.{_name}-{len(CASES)}"
        )
    )

_INT_EXACT = (
    torch.int8,
    torch.int16,
    torch.int32,
    torch.int64,
    torch.uint8,
    torch.bool,
)


def _resolve(module, name):
    for part in name.split("."):
        module = getattr(module, part)
    return module


def _clone(value, requires_grad):
    if isinstance(value, torch.Tensor):
        copy = value.clone()
        if requires_grad and copy.is_floating_point():
            copy.requires_grad_(True)
        return copy
    if isinstance(value, (list, tuple)):
        return type(value)(_clone(v, requires_grad) for v in value)
    return value


def _leaves(value):
    if isinstance(value, (list, tuple)):
        return [leaf for v in value for leaf in _leaves(v)]
    return [value]


def _inputs(args):
    return [
        leaf
        for leaf in _leaves(args)
        if isinstance(leaf, torch.Tensor) and leaf.requires_grad
    ]


def _assert_same(ours, theirs, name):
    ours, theirs = _leaves(ours), _leaves(theirs)
    assert len(ours) == len(theirs), f"{name}: {len(ours)} outputs vs {len(theirs)}"
    for mine, ref in zip(ours, theirs, strict=True):
        if not isinstance(ref, torch.Tensor):
            assert mine == ref or np.allclose(mine, ref), f"{name}: {mine} != {ref}"
            continue
        assert isinstance(mine, torch.Tensor), f"{name}: returned {type(mine)}"
        assert mine.dtype == ref.dtype, f"{name}: dtype {mine.dtype} != {ref.dtype}"
        assert tuple(mine.shape) == tuple(ref.shape), (
            f"{name}: shape {tuple(mine.shape)} != {tuple(ref.shape)}"
        )
        if ref.dtype in _INT_EXACT:
            assert torch.equal(mine, ref), f"{name}: {mine} != {ref}"
        else:
            torch.testing.assert_close(
                mine.detach(),
                ref.detach(),
                rtol=1e-6,
                atol=1e-6,
                equal_nan=True,
                msg=name,
            )


@pytest.mark.parametrize(("name", "args", "kwargs", "check_grad"), CASES)
def test_op_matches_keras(keras, name, args, kwargs, check_grad):
    mine_args, ref_args = _clone(args, check_grad), _clone(args, check_grad)
    ours = _resolve(lamina_ops, name)(*mine_args, **kwargs)
    theirs = _resolve(keras.ops, name)(*ref_args, **kwargs)
    _assert_same(ours, theirs, name)
    if not check_grad:
        return
    mine_inputs, ref_inputs = _inputs(mine_args), _inputs(ref_args)
    mine_out = [t for t in _leaves(ours) if t.is_floating_point() and t.requires_grad]
    ref_out = [t for t in _leaves(theirs) if t.is_floating_point() and t.requires_grad]
    weights = [torch.linspace(-1, 1, t.numel()).reshape(t.shape) for t in ref_out]
    mine_grads = torch.autograd.grad(
        sum((t * w).sum() for t, w in zip(mine_out, weights, strict=True)),
        mine_inputs,
        allow_unused=True,
    )
    ref_grads = torch.autograd.grad(
        sum((t * w).sum() for t, w in zip(ref_out, weights, strict=True)),
        ref_inputs,
        allow_unused=True,
    )
    for mine, ref in zip(mine_grads, ref_grads, strict=True):
        if ref is None:
            continue
        torch.testing.assert_close(
            mine, ref, rtol=1e-5, atol=1e-6, equal_nan=True, msg=f"{name} gradient"
        )


def test_every_keras_op_name_exists(keras):
    missing = []
    for namespace in ("", "nn", "numpy", "linalg", "image"):
        theirs = keras.ops if not namespace else getattr(keras.ops, namespace)
        ours = lamina_ops if not namespace else getattr(lamina_ops, namespace)
        missing += [
            f"{namespace}.{n}".lstrip(".")
            for n in dir(theirs)
            if not n.startswith("_") and not hasattr(ours, n)
        ]
    assert not missing, f"lamina.ops lacks: {missing}"
