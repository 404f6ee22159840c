"""Pooling layers against real Keras: same outputs and config."""

import numpy as np
import pytest

import lamina.layers.pooling as pooling

CASES = [
    ("MaxPooling1D", {"pool_size": 2}, (2, 9, 3)),
    ("MaxPooling1D", {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 8, 3)),
    ("MaxPooling1D", {"pool_size": 4, "strides": 1, "padding": "same"}, (2, 5, 3)),
    ("AveragePooling1D", {"pool_size": 3, "strides": 1, "padding": "same"}, (2, 7, 3)),
    ("AveragePooling1D", {"pool_size": 2, "strides": 2, "padding": "same"}, (2, 7, 3)),
    ("MaxPooling2D", {"pool_size": (2, 2)}, (2, 7, 6, 3)),
    ("MaxPooling2D", {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 7, 6, 3)),
    ("MaxPooling2D", {"pool_size": 2, "strides": 1, "padding": "same"}, (2, 5, 6, 3)),
    ("AveragePooling2D", {"pool_size": 2}, (2, 7, 6, 3)),
    (
        "AveragePooling2D",
        {"pool_size": 3, "strides": 1, "padding": "same"},
        (2, 5, 6, 3),
    ),
    (
        "AveragePooling2D",
        {"pool_size": 2, "strides": 2, "padding": "same"},
        (2, 5, 7, 3),
    ),
    ("MaxPooling3D", {"pool_size": 2, "padding": "same"}, (1, 5, 4, 3, 2)),
    ("AveragePooling3D", {"pool_size": 2, "strides": 1}, (1, 5, 4, 3, 2)),
    ("GlobalMaxPooling1D", {}, (2, 5, 3)),
    ("GlobalAveragePooling1D", {"keepdims": True}, (2, 5, 3)),
    ("GlobalMaxPooling2D", {"keepdims": True}, (2, 5, 4, 3)),
    ("GlobalAveragePooling2D", {}, (2, 5, 4, 3)),
    ("GlobalMaxPooling3D", {}, (1, 4, 3, 2, 3)),
    ("GlobalAveragePooling3D", {"keepdims": True}, (1, 4, 3, 2, 3)),
]


def _numpy(tensor):
    return tensor.detach().cpu().numpy()


def _normalize(value):
    if isinstance(value, (tuple, list)):
        return [_normalize(item) for item in value]
    return value


def _compare(keras, name, kwargs, shape):
    inputs = np.random.default_rng(0).standard_normal(shape).astype("float32")
    reference = getattr(keras.layers, name)(**kwargs)
    layer = getattr(pooling, name)(**kwargs)
    expected = _numpy(reference(inputs))
    np.testing.assert_allclose(_numpy(layer(inputs)), expected, rtol=1e-5, atol=1e-6)
    ours = {k: _normalize(v) for k, v in layer.get_config().items()}
    theirs = {k: _normalize(v) for k, v in reference.get_config().items()}
    for key in ("name", "dtype"):
        ours.pop(key)
        theirs.pop(key)
    assert ours == theirs


@pytest.mark.parametrize("name, kwargs, shape", CASES)
def test_pooling_matches_keras_channels_last(keras, name, kwargs, shape):
    _compare(keras, name, kwargs, shape)


@pytest.mark.parametrize("name, kwargs, shape", CASES[::2])
def test_pooling_matches_keras_channels_first(keras, name, kwargs, shape):
    channels_first = (shape[0], shape[-1], *shape[1:-1])
    _compare(keras, name, {**kwargs, "data_format": "channels_first"}, channels_first)


def test_average_pooling_same_divides_by_real_cells():
    # TensorFlow's rule. Keras's torch backend pads by repeating edge values
    # when the padding is asymmetric, so here the reference is hand-written.
    inputs = np.arange(1, 6, dtype="float32").reshape(1, 5, 1)
    layer = pooling.AveragePooling1D(4, strides=1, padding="same")
    # windows: [p,1,2,3] [1,2,3,4] [2,3,4,5] [3,4,5,p] [4,5,p,p]
    expected = [2.0, 2.5, 3.5, 4.0, 4.5]
    np.testing.assert_allclose(_numpy(layer(inputs))[0, :, 0], expected)


def test_max_pooling_same_ignores_padding_of_negative_inputs():
    inputs = -np.arange(1, 6, dtype="float32").reshape(1, 5, 1)
    layer = pooling.MaxPooling1D(4, strides=1, padding="same")
    expected = [-1.0, -1.0, -2.0, -3.0, -4.0]
    np.testing.assert_allclose(_numpy(layer(inputs))[0, :, 0], expected)


def test_global_average_pooling1d_mask_matches_keras(keras):
    inputs = np.random.default_rng(1).standard_normal((2, 4, 3)).astype("float32")
    mask = np.array([[1, 1, 0, 0], [0, 1, 1, 1]], dtype=bool)
    expected = _numpy(keras.layers.GlobalAveragePooling1D()(inputs, mask=mask))
    import torch

    actual = pooling.GlobalAveragePooling1D()(inputs, mask=torch.as_tensor(mask))
    np.testing.assert_allclose(_numpy(actual), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "alias, name",
    [
        ("MaxPool2D", "MaxPooling2D"),
        ("AvgPool1D", "AveragePooling1D"),
        ("GlobalAvgPool2D", "GlobalAveragePooling2D"),
        ("GlobalMaxPool3D", "GlobalMaxPooling3D"),
    ],
)
def test_pooling_aliases_match_keras(keras, alias, name):
    assert getattr(pooling, alias) is getattr(pooling, name)
    assert getattr(keras.layers, alias) is getattr(keras.layers, name)
