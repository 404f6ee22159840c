import itertools
import math

import numpy as np
import pytest
import torch

import lamina.layers
from lamina.layers.pooling.adaptive_average_pooling1d import AdaptiveAveragePooling1D
from lamina.layers.pooling.adaptive_average_pooling2d import AdaptiveAveragePooling2D
from lamina.layers.pooling.adaptive_average_pooling3d import AdaptiveAveragePooling3D
from lamina.layers.pooling.adaptive_max_pooling1d import AdaptiveMaxPooling1D
from lamina.layers.pooling.adaptive_max_pooling2d import AdaptiveMaxPooling2D
from lamina.layers.pooling.adaptive_max_pooling3d import AdaptiveMaxPooling3D
from lamina.testing import check_layer

LAYERS = {
    ("average", 1): AdaptiveAveragePooling1D,
    ("average", 2): AdaptiveAveragePooling2D,
    ("average", 3): AdaptiveAveragePooling3D,
    ("max", 1): AdaptiveMaxPooling1D,
    ("max", 2): AdaptiveMaxPooling2D,
    ("max", 3): AdaptiveMaxPooling3D,
}
RNG = np.random.default_rng(0)


def _reference_pool(x, output_size, mode):
    """Pools the spatial axes of channels-last `x` window by window."""
    reduce = np.mean if mode == "average" else np.max
    spatial = x.shape[1:-1]
    out = np.empty((x.shape[0], *output_size, x.shape[-1]), x.dtype)
    for index in itertools.product(*map(range, output_size)):
        window = tuple(
            slice(math.floor(i * n / m), math.ceil((i + 1) * n / m))
            for i, n, m in zip(index, spatial, output_size, strict=True)
        )
        region = x[(slice(None), *window, slice(None))]
        out[(slice(None), *index, slice(None))] = reduce(
            region, axis=tuple(range(1, x.ndim - 1))
        )
    return out


def test_adaptive_average_pooling2d_passes_check_layer():
    x = RNG.normal(size=(2, 7, 5, 3)).astype("float32")
    check_layer(lambda: AdaptiveAveragePooling2D((3, 2)), x, (2, 3, 2, 3))


@pytest.mark.parametrize(("mode", "rank"), list(LAYERS))
def test_adaptive_pooling_passes_check_layer_without_compile(mode, rank):
    x = RNG.normal(size=(2, *[5] * rank, 3)).astype("float32")
    check_layer(
        lambda: LAYERS[(mode, rank)](2, data_format="channels_last"),
        x,
        (2, *[2] * rank, 3),
        expected_num_weights=0,
        check_compile=False,
    )


@pytest.mark.parametrize(("mode", "rank"), list(LAYERS))
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_adaptive_pooling_matches_window_reference(mode, rank, data_format):
    sizes = {1: [(7, 3), (4, 6), (9, 9)], 2: [(5, 3), (8, 6)], 3: [(5, 2)]}[rank]
    for size, out in sizes:
        x = RNG.normal(size=(2, *[size] * rank, 3)).astype("float32")
        output_size = tuple(out - axis % 2 for axis in range(rank))
        expected = _reference_pool(x, output_size, mode)
        layer = LAYERS[(mode, rank)](output_size, data_format=data_format)
        data = x if data_format == "channels_last" else np.moveaxis(x, -1, 1)
        actual = layer(torch.as_tensor(data)).numpy()
        if data_format == "channels_first":
            actual = np.moveaxis(actual, 1, -1)
        np.testing.assert_allclose(actual, expected, rtol=1e-6, atol=1e-6)


def test_adaptive_pooling_any_input_size_gives_output_size():
    layer = AdaptiveMaxPooling1D(4)
    for steps in (3, 4, 11):
        assert tuple(layer(torch.ones(2, steps, 5)).shape) == (2, 4, 5)
    inputs = lamina.layers.Input(batch_shape=(None, None, None, 2))
    assert AdaptiveAveragePooling2D(3)(inputs).shape == (None, 3, 3, 2)


def test_adaptive_pooling_config_holds_tuple_output_size():
    config = AdaptiveAveragePooling3D(2).get_config()
    assert config["output_size"] == (2, 2, 2)
    assert AdaptiveAveragePooling3D.from_config(config).output_size == (2, 2, 2)


def test_adaptive_pooling_rejects_bad_arguments():
    with pytest.raises(TypeError, match=r"output_size to be an int or a tuple of 2"):
        AdaptiveMaxPooling2D("3")
    with pytest.raises(ValueError, match=r"tuple of 1 positive ints"):
        AdaptiveAveragePooling1D((2, 3))
    with pytest.raises(ValueError, match="positive"):
        AdaptiveAveragePooling3D(0)
    with pytest.raises(ValueError, match=r"expects a 4-D input"):
        AdaptiveMaxPooling2D(2)(torch.ones(2, 5, 3))
