"""Attention layers and `EinsumDense` give Keras's outputs, masks, configs,
weights and files."""

import json

import numpy as np
import pytest
import torch

import lamina
from lamina.layers.attention.additive_attention import AdditiveAttention
from lamina.layers.attention.attention import Attention
from lamina.layers.attention.grouped_query_attention import GroupQueryAttention
from lamina.layers.attention.multi_head_attention import MultiHeadAttention
from lamina.layers.core.einsum_dense import EinsumDense

# Keras's own GroupQueryAttention hands masked inputs to its projections.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Layer '.*' \\(of type EinsumDense\\) was passed an input with a mask"
)

_LAMINA = {
    "AdditiveAttention": AdditiveAttention,
    "Attention": Attention,
    "EinsumDense": EinsumDense,
    "GroupQueryAttention": GroupQueryAttention,
    "MultiHeadAttention": MultiHeadAttention,
}

_BOOL_MASK = np.array([[1, 1, 1, 0, 0, 0], [1] * 6, [1, 0, 1, 0, 1, 0]], dtype=bool)
_ATTENTION_MASK = np.random.default_rng(7).random((3, 5, 6)) > 0.4
_ATTENTION_MASK[0, 1, :] = False  # a query row that may attend to nothing

# (layer, constructor kwargs, [query, value, (key)] shapes, call kwargs)
_PROJECTED_CASES = [
    ("MultiHeadAttention", {"num_heads": 2, "key_dim": 4}, [(3, 5, 8), (3, 6, 8)], {}),
    (
        "MultiHeadAttention",
        {"num_heads": 3, "key_dim": 2, "value_dim": 5, "output_shape": (7,)},
        [(3, 5, 8), (3, 6, 4), (3, 6, 9)],
        {"return_attention_scores": True},
    ),
    (
        "MultiHeadAttention",
        {"num_heads": 2, "key_dim": 4},
        [(3, 5, 8), (3, 5, 8)],
        {"use_causal_mask": True},
    ),
    (
        "MultiHeadAttention",
        {"num_heads": 2, "key_dim": 4},
        [(3, 5, 8), (3, 5, 8)],
        {"use_causal_mask": True, "return_attention_scores": True},
    ),
    (
        "MultiHeadAttention",
        {"num_heads": 2, "key_dim": 4},
        [(3, 5, 8), (3, 6, 8)],
        {"attention_mask": _ATTENTION_MASK},
    ),
    (
        "MultiHeadAttention",
        {"num_heads": 2, "key_dim": 4, "use_bias": False},
        [(3, 5, 8), (3, 6, 8)],
        {"attention_mask": _ATTENTION_MASK, "return_attention_scores": True},
    ),
    (
        "MultiHeadAttention",
        {"num_heads": 2, "key_dim": 4},
        [(3, 5, 8), (3, 6, 8)],
        {"value_mask": _BOOL_MASK},
    ),
    (
        "MultiHeadAttention",
        {"num_heads": 2, "key_dim": 3, "attention_axes": (1, 2)},
        [(2, 3, 4, 8), (2, 3, 4, 8)],
        {},
    ),
    (
        "MultiHeadAttention",
        {"num_heads": 2, "key_dim": 3, "attention_axes": 2},
        [(2, 3, 4, 8), (2, 3, 4, 8)],
        {"return_attention_scores": True},
    ),
    (
        "MultiHeadAttention",
        {"num_heads": 2, "key_dim": 3, "output_shape": (2, 3)},
        [(2, 3, 4, 8), (2, 3, 4, 8)],
        {},
    ),
    (
        "MultiHeadAttention",
        {"num_heads": 2, "key_dim": 4, "dropout": 0.3, "seed": 3},
        [(3, 5, 8), (3, 6, 8)],
        {"training": False},
    ),
    (
        "MultiHeadAttention",
        {"num_heads": 2, "key_dim": 4, "use_gate": True, "sliding_window": 2},
        [(3, 5, 8), (3, 5, 8)],
        {"use_causal_mask": True},
    ),
    (
        "GroupQueryAttention",
        {"head_dim": 4, "num_query_heads": 4, "num_key_value_heads": 2},
        [(3, 5, 8), (3, 6, 8)],
        {},
    ),
    (
        "GroupQueryAttention",
        {
            "head_dim": 4,
            "num_query_heads": 4,
            "num_key_value_heads": 1,
            "use_gate": True,
        },
        [(3, 5, 8), (3, 6, 8), (3, 6, 5)],
        {"return_attention_scores": True, "attention_mask": _ATTENTION_MASK},
    ),
    (
        "GroupQueryAttention",
        {
            "head_dim": 2,
            "num_query_heads": 2,
            "num_key_value_heads": 2,
            "sliding_window": 3,
            "dropout": 0.2,
        },
        [(3, 6, 8), (3, 6, 8)],
        {"value_mask": _BOOL_MASK, "use_causal_mask": True, "training": False},
    ),
]

_QUERY_MASK = np.array([[1, 1, 1, 0, 0]] * 3, dtype=bool)

# (layer, constructor kwargs, [query, value, (key)] shapes, call kwargs, masks)
_DOT_CASES = [
    ("Attention", {}, [(3, 5, 4), (3, 6, 4)], {}, None),
    (
        "Attention",
        {"use_scale": True},
        [(3, 5, 4), (3, 6, 4)],
        {"return_attention_scores": True},
        [_QUERY_MASK, _BOOL_MASK],
    ),
    (
        "Attention",
        {"score_mode": "concat", "use_scale": True, "dropout": 0.4},
        [(3, 5, 4), (3, 6, 4), (3, 6, 4)],
        {"use_causal_mask": True, "return_attention_scores": True},
        [None, _BOOL_MASK],
    ),
    ("AdditiveAttention", {}, [(3, 5, 4), (3, 6, 4)], {}, [_QUERY_MASK, _BOOL_MASK]),
    (
        "AdditiveAttention",
        {"use_scale": False},
        [(3, 5, 4), (3, 6, 4), (3, 6, 4)],
        {"use_causal_mask": True, "return_attention_scores": True},
        None,
    ),
]

# (equation, output_shape, bias_axes, activation, input shape)
_EINSUM_CASES = [
    ("ab,bc->ac", 4, "c", None, (2, 3)),
    ("abc,cde->abde", (None, 2, 4), "de", "relu", (2, 5, 3)),
    ("abcd,cde->abe", (None, 6), "e", None, (2, 5, 2, 4)),
    ("...b,bc->...c", 4, "c", "tanh", (2, 3, 5, 6)),
    ("abc...,cd->abd...", (None, 4), "d", None, (2, 5, 3, 7)),
    ("abc,cd->abd", (5, 4), "bd", None, (2, 5, 3)),
]


def _random(shape, seed):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


def _copy_random_weights(keras, keras_layer, lamina_layer, seed=100):
    assert [w.path for w in lamina_layer.weights] == [
        w.path for w in keras_layer.weights
    ]
    rng = np.random.default_rng(seed)
    values = [
        rng.uniform(-0.8, 0.8, size=tuple(w.shape)).astype("float32")
        for w in keras_layer.weights
    ]
    keras_layer.set_weights(values)
    lamina_layer.set_weights(values)
    for keras_weight, weight in zip(
        keras_layer.weights, lamina_layer.weights, strict=True
    ):
        assert tuple(weight.shape) == tuple(keras_weight.shape)


def _convert(value, to_tensor):
    return to_tensor(value) if isinstance(value, np.ndarray) else value


def _assert_same_outputs(keras, expected, actual):
    if not isinstance(expected, (tuple, list)):
        expected, actual = [expected], [actual]
    assert len(expected) == len(actual)
    for keras_output, output in zip(expected, actual, strict=True):
        np.testing.assert_allclose(
            output.detach().numpy(),
            keras.ops.convert_to_numpy(keras_output),
            rtol=1e-5,
            atol=1e-5,
        )
    expected_mask = getattr(expected[0], "_keras_mask", None)
    actual_mask = getattr(actual[0], "_keras_mask", None)
    assert (expected_mask is None) == (actual_mask is None)
    if expected_mask is not None:
        np.testing.assert_array_equal(
            actual_mask.numpy(), keras.ops.convert_to_numpy(expected_mask)
        )


def _assert_same_config(keras_layer, lamina_layer):
    expected = json.loads(json.dumps(keras_layer.get_config()))
    actual = json.loads(json.dumps(lamina_layer.get_config()))
    assert set(actual) == set(expected)
    for key, value in expected.items():
        if key == "dtype":
            assert actual[key]["config"] == value["config"]
        else:
            assert actual[key] == value, key


def _case_id(case):
    return f"{case[0]}-{case[1]}-{[k for k in case[3]]}"


@pytest.mark.parametrize("case", _PROJECTED_CASES, ids=map(_case_id, _PROJECTED_CASES))
def test_projected_attention_matches_keras(keras, case):
    name, kwargs, shapes, call_kwargs = case
    keras_layer = getattr(keras.layers, name)(**kwargs, name="under_test")
    lamina_layer = _LAMINA[name](**kwargs, name="under_test")
    arrays = [_random(shape, seed) for seed, shape in enumerate(shapes)]
    keras_args = [keras.ops.convert_to_tensor(a) for a in arrays]
    keras_kwargs = {
        k: _convert(v, keras.ops.convert_to_tensor) for k, v in call_kwargs.items()
    }
    args = [torch.as_tensor(a) for a in arrays]
    kwargs_ = {k: _convert(v, torch.as_tensor) for k, v in call_kwargs.items()}
    keras_layer(*keras_args)
    lamina_layer(*args)
    _copy_random_weights(keras, keras_layer, lamina_layer)
    expected = keras_layer(*keras_args, **keras_kwargs)
    actual = lamina_layer(*args, **kwargs_)
    _assert_same_outputs(keras, expected, actual)
    _assert_same_config(keras_layer, lamina_layer)
    # Keras records the eager batch size, lamina `None` (as for its other layers)
    expected_shapes = keras_layer.get_build_config()["shapes_dict"]
    actual_shapes = lamina_layer.get_build_config()["shapes_dict"]
    assert {key: list(shape[1:]) for key, shape in expected_shapes.items()} == {
        key: shape[1:] for key, shape in actual_shapes.items()
    }


@pytest.mark.parametrize("case", _DOT_CASES, ids=map(_case_id, _DOT_CASES))
def test_dot_product_attention_matches_keras(keras, case):
    name, kwargs, shapes, call_kwargs, masks = case
    keras_layer = getattr(keras.layers, name)(**kwargs, name="under_test")
    lamina_layer = _LAMINA[name](**kwargs, name="under_test")
    arrays = [_random(shape, seed) for seed, shape in enumerate(shapes)]
    keras_inputs = [keras.ops.convert_to_tensor(a) for a in arrays]
    inputs = [torch.as_tensor(a) for a in arrays]
    keras_layer(keras_inputs)
    lamina_layer(inputs)
    _copy_random_weights(keras, keras_layer, lamina_layer)
    keras_kwargs, kwargs_ = dict(call_kwargs), dict(call_kwargs)
    if masks is not None:
        keras_kwargs["mask"] = [
            None if m is None else keras.ops.convert_to_tensor(m) for m in masks
        ]
        kwargs_["mask"] = [None if m is None else torch.as_tensor(m) for m in masks]
    expected = keras_layer(keras_inputs, **keras_kwargs)
    actual = lamina_layer(inputs, **kwargs_)
    _assert_same_outputs(keras, expected, actual)
    _assert_same_config(keras_layer, lamina_layer)


@pytest.mark.parametrize(
    ("equation", "output_shape", "bias_axes", "activation", "shape"), _EINSUM_CASES
)
def test_einsum_dense_matches_keras(
    keras, equation, output_shape, bias_axes, activation, shape
):
    kwargs = {
        "equation": equation,
        "output_shape": output_shape,
        "bias_axes": bias_axes,
        "activation": activation,
    }
    keras_layer = keras.layers.EinsumDense(**kwargs, name="under_test")
    lamina_layer = EinsumDense(**kwargs, name="under_test")
    data = _random(shape, 0)
    keras_layer(keras.ops.convert_to_tensor(data))
    lamina_layer(torch.as_tensor(data))
    _copy_random_weights(keras, keras_layer, lamina_layer)
    _assert_same_outputs(
        keras,
        keras_layer(keras.ops.convert_to_tensor(data)),
        lamina_layer(torch.as_tensor(data)),
    )
    _assert_same_config(keras_layer, lamina_layer)


def test_einsum_dense_kernel_initializer_scale_matches_keras(keras):
    kwargs = {"equation": "abc,cde->abde", "output_shape": (None, 8, 16)}
    keras_layer = keras.layers.EinsumDense(**kwargs)
    lamina_layer = EinsumDense(**kwargs)
    keras_layer.build((None, 4, 64))
    lamina_layer.build((None, 4, 64))
    keras_std = float(np.std(keras.ops.convert_to_numpy(keras_layer.kernel)))
    lamina_std = float(lamina_layer.kernel.detach().std())
    assert abs(keras_std - lamina_std) / keras_std < 0.1


@pytest.mark.parametrize("name", sorted(_LAMINA))
def test_attention_configs_written_by_keras_load_in_lamina(keras, name):
    kwargs = {
        "AdditiveAttention": {"use_scale": False, "dropout": 0.1},
        "Attention": {"use_scale": True, "score_mode": "concat", "seed": 2},
        "EinsumDense": {"equation": "abc,cd->abd", "output_shape": (None, 3)},
        "GroupQueryAttention": {
            "head_dim": 2,
            "num_query_heads": 4,
            "num_key_value_heads": 2,
        },
        "MultiHeadAttention": {"num_heads": 2, "key_dim": 3, "output_shape": 5},
    }[name]
    keras_config = json.loads(
        json.dumps(getattr(keras.layers, name)(**kwargs).get_config())
    )
    lamina_layer = _LAMINA[name].from_config(keras_config)
    assert json.loads(json.dumps(lamina_layer.get_config())) == keras_config
    keras_layer = getattr(keras.layers, name).from_config(
        json.loads(json.dumps(_LAMINA[name](**kwargs).get_config()))
    )
    assert type(keras_layer).__name__ == getattr(keras.layers, name).__name__


def _transformer_block(library, attention_layers=False):
    """Embedding(mask_zero=True) -> MultiHeadAttention -> LayerNormalization
    -> Dense, in Keras or lamina."""
    tokens = library.Input(shape=(6,), dtype="int32")
    x = library.layers.Embedding(20, 8, mask_zero=True)(tokens)
    mha = library.layers.MultiHeadAttention if library is not lamina else None
    mha = mha or MultiHeadAttention
    x = mha(num_heads=2, key_dim=4, name="self_attention")(x, x)
    if attention_layers:
        gqa = (
            GroupQueryAttention
            if library is lamina
            else library.layers.GroupQueryAttention
        )
        dot = Attention if library is lamina else library.layers.Attention
        additive = (
            AdditiveAttention if library is lamina else library.layers.AdditiveAttention
        )
        einsum = EinsumDense if library is lamina else library.layers.EinsumDense
        x = gqa(head_dim=2, num_query_heads=4, num_key_value_heads=2)(x, x)
        x = dot(use_scale=True)([x, x])
        x = additive()([x, x])
        x = einsum("abc,cd->abd", output_shape=(None, 8), bias_axes="d")(x)
    x = library.layers.LayerNormalization()(x)
    outputs = library.layers.Dense(3)(x)
    return library.Model(tokens, outputs)


_TOKENS = np.array([[1, 2, 3, 0, 0, 0], [4, 5, 6, 7, 8, 9], [3, 0, 0, 0, 0, 0]])


@pytest.mark.parametrize("attention_layers", [False, True])
def test_keras_file_loads_in_lamina(keras, tmp_path, attention_layers):
    keras_model = _transformer_block(keras, attention_layers)
    path = tmp_path / "block.keras"
    keras_model.save(path)
    expected = keras.ops.convert_to_numpy(keras_model(_TOKENS))
    model = lamina.saving.load_model(path)
    with torch.no_grad():
        actual = model(torch.as_tensor(_TOKENS)).numpy()
    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-5)
    assert [w.path for w in model.weights] == [w.path for w in keras_model.weights]


@pytest.mark.parametrize("attention_layers", [False, True])
def test_lamina_file_loads_in_keras(keras, tmp_path, attention_layers):
    model = _transformer_block(lamina, attention_layers)
    path = tmp_path / "block.keras"
    model.save(path)
    with torch.no_grad():
        expected = model(torch.as_tensor(_TOKENS)).numpy()
    keras_model = keras.saving.load_model(path)
    actual = keras.ops.convert_to_numpy(keras_model(_TOKENS))
    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-5)


def test_masked_block_predictions_match_keras(keras):
    keras_model = _transformer_block(keras)
    model = _transformer_block(lamina)
    model.set_weights([keras.ops.convert_to_numpy(w) for w in keras_model.weights])
    keras_attention = keras_model.get_layer("self_attention")
    attention = model.get_layer("self_attention")
    tokens_in = keras_model.layers[1](_TOKENS)
    expected = keras_attention(tokens_in, tokens_in)
    embedded = model.layers[1](torch.as_tensor(_TOKENS))
    actual = attention(embedded, embedded)
    _assert_same_outputs(keras, expected, actual)
    np.testing.assert_allclose(
        model.predict(_TOKENS, verbose=0),
        keras_model.predict(_TOKENS, verbose=0),
        rtol=1e-5,
        atol=1e-5,
    )
