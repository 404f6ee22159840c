"""Layers give Keras's outputs, masks, moving statistics and configs."""

import json

import numpy as np
import pytest
import torch

from lamina import layers

_ALLOWED_MISSING = {"activity_regularizer", "quantization_config"}  # None in Keras

_CASES = [
    ("Embedding", {"input_dim": 10, "output_dim": 4, "mask_zero": True}, [(3, 5)]),
    ("Masking", {"mask_value": 0.0}, [(2, 4, 3)]),
    ("Identity", {}, [(2, 3)]),
    ("Reshape", {"target_shape": (2, -1)}, [(2, 6)]),
    ("Permute", {"dims": (2, 1)}, [(2, 3, 4)]),
    ("Permute", {"dims": (3, 1, 2)}, [(2, 3, 4, 5)]),
    ("RepeatVector", {"n": 3}, [(2, 4)]),
    ("SpatialDropout1D", {"rate": 0.3}, [(2, 3, 4)]),
    ("SpatialDropout2D", {"rate": 0.3}, [(2, 3, 3, 4)]),
    (
        "SpatialDropout3D",
        {"rate": 0.3, "data_format": "channels_first"},
        [(1, 2, 2, 2, 2)],
    ),
    ("GaussianNoise", {"stddev": 0.1}, [(2, 3)]),
    ("GaussianDropout", {"rate": 0.2}, [(2, 3)]),
    ("AlphaDropout", {"rate": 0.2}, [(2, 3)]),
    ("ActivityRegularization", {"l1": 0.1, "l2": 0.2}, [(2, 3)]),
    ("Add", {}, [(2, 3), (2, 3)]),
    ("Add", {}, [(2, 4, 3), (2, 1, 3)]),
    ("Add", {}, [(2, 4, 3), (2, 3)]),
    ("Subtract", {}, [(2, 3), (2, 3)]),
    ("Multiply", {}, [(2, 3), (2, 3), (2, 3)]),
    ("Average", {}, [(2, 3), (2, 3)]),
    ("Maximum", {}, [(2, 3), (2, 3)]),
    ("Minimum", {}, [(2, 3), (2, 3)]),
    ("Concatenate", {"axis": 1}, [(2, 3, 4), (2, 5, 4)]),
    ("Concatenate", {}, [(2, 3), (2, 2)]),
    ("Dot", {"axes": (2, 1)}, [(2, 3, 4), (2, 4, 5)]),
    ("Dot", {"axes": -1}, [(2, 3, 4), (2, 5, 4)]),
    ("Dot", {"axes": (1, 2)}, [(2, 4), (2, 3, 4)]),
    ("Dot", {"axes": 1, "normalize": True}, [(2, 3), (2, 3)]),
    ("BatchNormalization", {}, [(4, 3)]),
    ("BatchNormalization", {"axis": 1}, [(2, 3, 4, 4)]),
    ("BatchNormalization", {"momentum": 0.9}, [(2, 4, 4, 3)]),
    ("BatchNormalization", {"axis": 1, "epsilon": 1e-5}, [(2, 2, 3, 3, 3)]),
    ("BatchNormalization", {"center": False}, [(3, 5, 2)]),
    ("LayerNormalization", {}, [(2, 3, 4)]),
    ("LayerNormalization", {"axis": [1, 2]}, [(2, 3, 4)]),
    # Keras's torch backend fails on a non-trailing axis such as axis=1
    # (F.layer_norm over the wrong axes); tests/layers covers that case.
    ("LayerNormalization", {"axis": [-2, -1], "scale": False}, [(2, 3, 4)]),
    ("LayerNormalization", {"rms_scaling": True}, [(2, 3, 4)]),
    ("GroupNormalization", {"groups": 2}, [(2, 5, 4)]),
    ("GroupNormalization", {"groups": -1, "axis": 1}, [(2, 4, 5)]),
    ("GroupNormalization", {"groups": 3}, [(2, 4, 4, 6)]),
    ("UnitNormalization", {}, [(2, 3)]),
    ("UnitNormalization", {"axis": [1, 2]}, [(2, 3, 4)]),
    ("ReLU", {"max_value": 6.0, "negative_slope": 0.1, "threshold": 0.5}, [(2, 3)]),
    ("LeakyReLU", {}, [(2, 3)]),
    ("PReLU", {"shared_axes": [1]}, [(2, 3, 4)]),
    ("ELU", {"alpha": 0.5}, [(2, 3)]),
    ("Softmax", {"axis": 1}, [(2, 3, 4)]),
    ("Softmax", {"axis": [1, 2]}, [(2, 3, 4)]),
]


def _inputs(name, shapes, seed=0):
    rng = np.random.default_rng(seed)
    if name == "Embedding":
        data = rng.integers(0, 10, size=shapes[0])
        data[:, -1] = 0
        return [data]
    arrays = [rng.normal(size=shape).astype("float32") * 2 for shape in shapes]
    if name == "Masking":
        arrays[0][:, 1, :] = 0.0
    return arrays


def _as_call_input(arrays, convert):
    tensors = [convert(array) for array in arrays]
    return tensors[0] if len(tensors) == 1 else tensors


def _pair(keras, name, kwargs, shapes, seed=0):
    """A Keras layer with random weights and a lamina layer with the same ones."""
    keras_layer = getattr(keras.layers, name)(**kwargs)
    lamina_layer = getattr(layers, name)(**kwargs)
    arrays = _inputs(name, shapes, seed)
    keras_layer(_as_call_input(arrays, keras.ops.convert_to_tensor))
    lamina_layer(_as_call_input(arrays, torch.as_tensor))
    rng = np.random.default_rng(seed + 100)
    values = [
        rng.uniform(0.5, 1.5, size=tuple(w.shape)).astype("float32")
        for w in keras_layer.weights
    ]
    keras_layer.set_weights(values)
    lamina_layer.set_weights(
        [keras.ops.convert_to_numpy(w) for w in keras_layer.weights]
    )
    return keras_layer, lamina_layer, arrays


def _case_id(case):
    name, kwargs, shapes = case
    return f"{name}-{kwargs}-{shapes}"


@pytest.mark.filterwarnings("ignore:.*rms_scaling")
@pytest.mark.parametrize(
    ("name", "kwargs", "shapes"), _CASES, ids=map(_case_id, _CASES)
)
def test_layer_output_matches_keras(keras, name, kwargs, shapes):
    keras_layer, lamina_layer, arrays = _pair(keras, name, kwargs, shapes)
    assert [w.name for w in lamina_layer.weights] == [
        w.name for w in keras_layer.weights
    ]
    expected = keras_layer(
        _as_call_input(arrays, keras.ops.convert_to_tensor), training=False
    )
    actual = lamina_layer(_as_call_input(arrays, torch.as_tensor), training=False)
    np.testing.assert_allclose(
        actual.detach().numpy(),
        keras.ops.convert_to_numpy(expected),
        rtol=1e-5,
        atol=1e-5,
    )
    expected_mask = getattr(expected, "_keras_mask", None)
    actual_mask = getattr(actual, "_keras_mask", None)
    assert (expected_mask is None) == (actual_mask is None)
    if expected_mask is not None:
        np.testing.assert_array_equal(
            actual_mask.numpy(), keras.ops.convert_to_numpy(expected_mask)
        )


@pytest.mark.filterwarnings("ignore:.*rms_scaling")
@pytest.mark.parametrize(
    ("name", "kwargs", "shapes"), _CASES, ids=map(_case_id, _CASES)
)
def test_layer_config_matches_keras(keras, name, kwargs, shapes):
    keras_layer, lamina_layer, _ = _pair(keras, name, kwargs, shapes)
    expected = keras_layer.get_config()
    actual = json.loads(json.dumps(lamina_layer.get_config()))
    missing = set(expected) - set(actual)
    assert set(actual) - set(expected) == set()
    assert missing <= _ALLOWED_MISSING and all(expected[key] is None for key in missing)
    for key, value in expected.items():
        if key not in {"name", "dtype", *missing} and not isinstance(value, dict):
            assert actual[key] == json.loads(json.dumps(value)), key
    # lamina reads the config Keras wrote
    rebuilt = type(lamina_layer).from_config(expected)
    assert type(rebuilt) is type(lamina_layer)


def test_batch_normalization_training_matches_keras(keras):
    keras_layer, lamina_layer, _ = _pair(
        keras, "BatchNormalization", {"momentum": 0.8}, [(8, 3)]
    )
    for step in range(4):
        x = np.random.default_rng(step).normal(3.0, 2.0, size=(8, 3)).astype("float32")
        expected = keras_layer(keras.ops.convert_to_tensor(x), training=True)
        actual = lamina_layer(torch.as_tensor(x), training=True)
        np.testing.assert_allclose(
            actual.detach().numpy(), keras.ops.convert_to_numpy(expected), atol=1e-5
        )
    for keras_weight, weight in zip(
        keras_layer.weights, lamina_layer.weights, strict=True
    ):
        np.testing.assert_allclose(
            weight.numpy(),
            keras.ops.convert_to_numpy(keras_weight),
            rtol=1e-5,
            atol=1e-6,
        )


@pytest.mark.parametrize(
    ("axis", "shape"), [(1, (4, 3, 5, 5)), (-1, (4, 5, 5, 3)), (-1, (6, 7, 2))]
)
def test_batch_normalization_images_training_matches_keras(keras, axis, shape):
    keras_layer, lamina_layer, _ = _pair(
        keras, "BatchNormalization", {"axis": axis}, [shape]
    )
    for step in range(3):
        x = np.random.default_rng(step).normal(1.0, 3.0, size=shape).astype("float32")
        expected = keras_layer(keras.ops.convert_to_tensor(x), training=True)
        actual = lamina_layer(torch.as_tensor(x), training=True)
        np.testing.assert_allclose(
            actual.detach().numpy(), keras.ops.convert_to_numpy(expected), atol=1e-4
        )
    np.testing.assert_allclose(
        lamina_layer.moving_variance.numpy(),
        keras.ops.convert_to_numpy(keras_layer.moving_variance),
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        lamina_layer.moving_mean.numpy(),
        keras.ops.convert_to_numpy(keras_layer.moving_mean),
        rtol=1e-5,
        atol=1e-6,
    )


def test_batch_normalization_masked_training_matches_keras(keras):
    keras_layer, lamina_layer, arrays = _pair(
        keras, "BatchNormalization", {}, [(2, 5, 3)]
    )
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 0]], dtype=bool)
    expected = keras_layer(
        keras.ops.convert_to_tensor(arrays[0]),
        training=True,
        mask=keras.ops.convert_to_tensor(mask),
    )
    actual = lamina_layer(
        torch.as_tensor(arrays[0]), training=True, mask=torch.as_tensor(mask)
    )
    np.testing.assert_allclose(
        actual.detach().numpy(), keras.ops.convert_to_numpy(expected), atol=1e-5
    )
    np.testing.assert_allclose(
        lamina_layer.moving_variance.numpy(),
        keras.ops.convert_to_numpy(keras_layer.moving_variance),
        rtol=1e-5,
    )


def test_frozen_batch_normalization_matches_keras(keras):
    keras_layer, lamina_layer, arrays = _pair(keras, "BatchNormalization", {}, [(4, 3)])
    keras_layer.trainable = False
    lamina_layer.trainable = False
    expected = keras_layer(keras.ops.convert_to_tensor(arrays[0]), training=True)
    actual = lamina_layer(torch.as_tensor(arrays[0]), training=True)
    np.testing.assert_allclose(
        actual.detach().numpy(), keras.ops.convert_to_numpy(expected), atol=1e-5
    )


def test_activity_regularization_loss_matches_keras(keras):
    keras_layer, lamina_layer, arrays = _pair(
        keras, "ActivityRegularization", {"l1": 0.1, "l2": 0.2}, [(4, 3)]
    )
    keras_layer(keras.ops.convert_to_tensor(arrays[0]))
    lamina_layer(torch.as_tensor(arrays[0]))
    np.testing.assert_allclose(
        float(lamina_layer.losses[0]), float(keras_layer.losses[0]), rtol=1e-6
    )


def test_lambda_config_round_trips_between_keras_and_lamina(keras):
    x = np.arange(6, dtype="float32").reshape(2, 3)
    keras_config = keras.layers.Lambda(lambda t, k=2.0: t * k + 1).get_config()
    with pytest.raises(ValueError, match="safe_mode=False"):
        layers.Lambda.from_config(keras_config)
    from_keras = layers.Lambda.from_config(keras_config, safe_mode=False)
    np.testing.assert_allclose(from_keras(torch.as_tensor(x)).numpy(), x * 2 + 1)
    lamina_config = json.loads(json.dumps(layers.Lambda(lambda t: t - 1).get_config()))
    assert set(lamina_config) == set(keras.layers.Lambda(lambda t: t).get_config())
    to_keras = keras.layers.Lambda.from_config(lamina_config, safe_mode=False)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(to_keras(keras.ops.convert_to_tensor(x))), x - 1
    )


def test_torch_module_wrapper_matches_keras(keras):
    torch.manual_seed(0)
    module = torch.nn.Sequential(
        torch.nn.Linear(4, 3), torch.nn.Tanh(), torch.nn.Linear(3, 2)
    )
    keras_layer = keras.layers.TorchModuleWrapper(module)
    x = torch.randn(5, 4)
    expected = keras.ops.convert_to_numpy(keras_layer(x))
    lamina_layer = layers.TorchModuleWrapper(module)
    assert [tuple(w.shape) for w in lamina_layer.weights] == [
        tuple(w.shape) for w in keras_layer.weights
    ]
    np.testing.assert_allclose(lamina_layer(x).detach().numpy(), expected, rtol=1e-6)
