"""Convolution layers against real Keras: same weights, same outputs, config."""

import numpy as np
import pytest

import lamina.layers.convolutional as conv

CASES = [
    # (class name, constructor kwargs, input shape (channels_last))
    ("Conv1D", {"filters": 3, "kernel_size": 3}, (2, 9, 4)),
    (
        "Conv1D",
        {"filters": 3, "kernel_size": 4, "padding": "same", "strides": 2},
        (2, 9, 4),
    ),
    (
        "Conv1D",
        {"filters": 4, "kernel_size": 3, "padding": "causal", "dilation_rate": 2},
        (2, 9, 4),
    ),
    (
        "Conv1D",
        {"filters": 4, "kernel_size": 2, "groups": 2, "padding": "same"},
        (2, 8, 4),
    ),
    ("Conv2D", {"filters": 3, "kernel_size": 3}, (2, 7, 8, 2)),
    ("Conv2D", {"filters": 3, "kernel_size": 2, "padding": "same"}, (2, 7, 8, 2)),
    (
        "Conv2D",
        {"filters": 3, "kernel_size": (3, 4), "padding": "same", "strides": 2},
        (2, 7, 8, 2),
    ),
    (
        "Conv2D",
        {"filters": 3, "kernel_size": 5, "padding": "same", "strides": (3, 2)},
        (2, 7, 8, 2),
    ),
    (
        "Conv2D",
        {"filters": 2, "kernel_size": 3, "dilation_rate": 2, "padding": "same"},
        (2, 7, 8, 2),
    ),
    (
        "Conv2D",
        {"filters": 6, "kernel_size": 3, "groups": 3, "activation": "relu"},
        (2, 6, 6, 3),
    ),
    (
        "Conv2D",
        {"filters": 3, "kernel_size": 3, "use_bias": False, "strides": 2},
        (2, 7, 8, 2),
    ),
    (
        "Conv3D",
        {"filters": 2, "kernel_size": 2, "padding": "same", "strides": 2},
        (1, 5, 4, 3, 2),
    ),
    ("Conv3D", {"filters": 2, "kernel_size": (3, 2, 1)}, (1, 5, 4, 3, 2)),
    ("Conv1DTranspose", {"filters": 3, "kernel_size": 3, "strides": 2}, (2, 5, 4)),
    ("Conv1DTranspose", {"filters": 3, "kernel_size": 1, "strides": 3}, (2, 5, 4)),
    (
        "Conv1DTranspose",
        {"filters": 3, "kernel_size": 4, "strides": 2, "padding": "same"},
        (2, 5, 4),
    ),
    (
        "Conv1DTranspose",
        {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"},
        (2, 5, 4),
    ),
    (
        "Conv2DTranspose",
        {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"},
        (2, 4, 5, 2),
    ),
    ("Conv2DTranspose", {"filters": 3, "kernel_size": 2, "strides": 2}, (2, 4, 5, 2)),
    (
        "Conv2DTranspose",
        {"filters": 3, "kernel_size": 3, "strides": 2, "output_padding": 1},
        (2, 4, 5, 2),
    ),
    (
        "Conv2DTranspose",
        {
            "filters": 3,
            "kernel_size": 5,
            "strides": (2, 3),
            "padding": "same",
            "output_padding": (1, 0),
        },
        (2, 4, 5, 2),
    ),
    (
        "Conv2DTranspose",
        {"filters": 2, "kernel_size": 3, "dilation_rate": 2},
        (2, 4, 5, 2),
    ),
    (
        "Conv3DTranspose",
        {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"},
        (1, 3, 2, 4, 2),
    ),
    ("DepthwiseConv1D", {"kernel_size": 3, "depth_multiplier": 2}, (2, 9, 3)),
    ("DepthwiseConv1D", {"kernel_size": 4, "padding": "same", "strides": 2}, (2, 9, 3)),
    (
        "DepthwiseConv2D",
        {"kernel_size": 3, "depth_multiplier": 2, "padding": "same"},
        (2, 6, 7, 3),
    ),
    (
        "DepthwiseConv2D",
        {"kernel_size": 2, "strides": 2, "padding": "same"},
        (2, 7, 7, 3),
    ),
    ("DepthwiseConv2D", {"kernel_size": 3, "dilation_rate": 2}, (2, 7, 7, 3)),
    (
        "SeparableConv1D",
        {"filters": 4, "kernel_size": 3, "depth_multiplier": 2},
        (2, 9, 3),
    ),
    (
        "SeparableConv1D",
        {"filters": 4, "kernel_size": 2, "padding": "same", "strides": 2},
        (2, 9, 3),
    ),
    (
        "SeparableConv2D",
        {"filters": 4, "kernel_size": 3, "padding": "same", "strides": 2},
        (2, 7, 6, 3),
    ),
    (
        "SeparableConv2D",
        {"filters": 4, "kernel_size": 2, "depth_multiplier": 3, "dilation_rate": 2},
        (2, 7, 6, 3),
    ),
]


def _numpy(tensor):
    return tensor.detach().cpu().numpy()


def _channels_first(shape):
    return (shape[0], shape[-1], *shape[1:-1])


def _normalize(value):
    if isinstance(value, (tuple, list)):
        return [_normalize(item) for item in value]
    if isinstance(value, dict):
        return {key: _normalize(item) for key, item in value.items()}
    return value


def _compare(keras, name, kwargs, shape):
    rng = np.random.default_rng(0)
    inputs = rng.standard_normal(shape).astype("float32")
    reference = getattr(keras.layers, name)(**kwargs)
    expected = _numpy(reference(inputs))
    layer = getattr(conv, name)(**kwargs)
    layer(inputs)  # builds the weights
    layer.set_weights([_numpy(weight.value) for weight in reference.weights])
    actual = _numpy(layer(inputs))
    assert actual.shape == expected.shape
    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-5)
    assert [w.name for w in layer.weights] == [w.name for w in reference.weights]
    ours = _normalize(layer.get_config())
    theirs = _normalize(reference.get_config())
    for key in ("name", "dtype"):
        ours.pop(key)
        theirs.pop(key)
    assert ours == theirs


@pytest.mark.parametrize("name, kwargs, shape", CASES)
def test_conv_matches_keras_channels_last(keras, name, kwargs, shape):
    _compare(keras, name, kwargs, shape)


@pytest.mark.parametrize("name, kwargs, shape", CASES[::3])
def test_conv_matches_keras_channels_first(keras, name, kwargs, shape):
    _compare(
        keras, name, {**kwargs, "data_format": "channels_first"}, _channels_first(shape)
    )


@pytest.mark.parametrize(
    "alias, name",
    [
        ("Convolution2D", "Conv2D"),
        ("SeparableConvolution1D", "SeparableConv1D"),
        ("Convolution3DTranspose", "Conv3DTranspose"),
    ],
)
def test_conv_keras2_aliases_match_keras(keras, alias, name):
    assert getattr(conv, alias) is getattr(conv, name)
    assert getattr(keras.layers, alias) is getattr(keras.layers, name)
