"""Ops of `lamina.ops` on `KerasTensor`s: shapes, models, saving, safety."""

import builtins
import json
import sys

import numpy as np
import pytest
import torch

import lamina
from lamina import ops
from lamina.layers.core.operation_call import OperationCall
from lamina.layers.core.operation_call import shown_class_name
from lamina.ops._symbolic import operation_from_config
from lamina.saving import LoadError


def _node(tensor):
    return tensor._keras_history[0]


# ------------------------------------------------------------------- shapes
@pytest.mark.parametrize(
    ("call", "shape"),
    [
        (lambda x: ops.mean(x, axis=1, keepdims=True), (None, 1, 3)),
        (lambda x: ops.mean(x, axis=(1, 2)), (None,)),
        (lambda x: ops.sum(x), ()),
        (lambda x: ops.max(x, axis=-1, keepdims=True), (None, 4, 1)),
        (lambda x: ops.min(x, axis=0), (4, 3)),
        (lambda x: ops.argmax(x, axis=-1), (None, 4)),
        (lambda x: ops.std(x, axis=[1, 2], keepdims=True), (None, 1, 1)),
    ],
)
def test_reductions_on_keras_tensors_reduce_shape(call, shape):
    assert call(lamina.Input((4, 3))).shape == shape


def test_concatenate_and_stack_take_lists_of_keras_tensors():
    x = lamina.Input((4, 3))
    assert ops.concatenate([x, x, x[:, :1]], axis=1).shape == (None, 9, 3)
    assert ops.stack([x, x], axis=1).shape == (None, 2, 4, 3)
    assert ops.stack((x, x), axis=-1).shape == (None, 4, 3, 2)


@pytest.mark.parametrize(
    ("key", "shape"),
    [
        ((slice(None), slice(1, 3)), (None, 2, 3)),
        ((Ellipsis, 0), (None, 4)),
        ((slice(None), None, 0), (None, 1, 3)),
        (0, (4, 3)),
        ((slice(None), slice(None, None, 2), slice(1, None)), (None, 2, 2)),
        ((Ellipsis, None), (None, 4, 3, 1)),
        ((slice(None), -1, Ellipsis), (None, 3)),
    ],
)
def test_get_item_on_keras_tensor_gives_numpy_shape(key, shape):
    x = lamina.Input((4, 3))
    result = x[key]
    assert result.shape == shape
    assert _node(result).keras_config()["class_name"] == "GetItem"


def test_get_item_node_reads_list_key_as_tuple_like_keras():
    # JSON stores the key of x[0, 1] as [0, 1]; Keras's GetItem reads any list
    # key as a tuple, while the eager op keeps NumPy's advanced indexing.
    x = lamina.Input((4, 3))
    model = lamina.Model(x, [x[0, 1], x[[0, 2]]])
    assert [output.shape for output in model.outputs] == [(3,), (3,)]
    restored = lamina.models.model_from_json(model.to_json())
    data = torch.arange(36.0).reshape(3, 4, 3)
    for first, second in (model(data), restored(data)):
        assert first.tolist() == data[0, 1].tolist()
        assert second.tolist() == data[0, 2].tolist()
    assert tuple(ops.get_item(data, [0, 2]).shape) == (2, 4, 3)


@pytest.mark.parametrize(
    ("expression", "class_name"),
    [
        (lambda x: x + 1.0, "Add"),
        (lambda x: 1.0 + x, "Add"),
        (lambda x: 2 - x, "Subtract"),
        (lambda x: x * 3, "Multiply"),
        (lambda x: 3.0 * x, "Multiply"),
        (lambda x: 1.0 / x, "TrueDivide"),
        (lambda x: 7 // x, "FloorDivide"),
        (lambda x: 7.0 % x, "Mod"),
        (lambda x: 2.0**x, "Power"),
        (lambda x: x**2, "Power"),
        (lambda x: -x, "Negative"),
        (lambda x: abs(x), "Absolute"),
        (lambda x: 0.5 < x, "Greater"),
        (lambda x: x <= 0.5, "LessEqual"),
        (lambda x: x != 0, "NotEqual"),
        (lambda x: (x > 0) & (x < 1), "LogicalAnd"),
        (lambda x: True | (x > 0), "LogicalOr"),
        (lambda x: (x > 0) ^ (x < 1), "LogicalXor"),
        (lambda x: ~(x > 0), "LogicalNot"),
        (lambda x: round(x, 1), "Round"),
    ],
)
def test_python_operators_record_keras_ops(expression, class_name):
    x = lamina.Input((4, 3))
    result = expression(x)
    assert result.shape == (None, 4, 3)
    assert _node(result).keras_config()["class_name"] == class_name


def test_python_scalars_on_either_side_compute_right_values():
    x = lamina.Input((3,))
    outputs = [2.0 - x, x - 2.0, 8.0 / x, x / 8.0, 2.0**x, x**2.0, 5.0 % x]
    model = lamina.Model(x, outputs)
    data = np.array([[1.0, 2.0, 3.0], [0.5, 4.0, 6.0]], dtype="float32")
    got = model.predict(data, verbose=0)
    expected = [2 - data, data - 2, 8 / data, data / 8, 2**data, data**2, 5 % data]
    for result, wanted in zip(got, expected, strict=True):
        np.testing.assert_allclose(result, wanted, rtol=1e-6)


def test_einsum_takes_operands_as_varargs():
    x = lamina.Input((4, 3))
    result = ops.einsum("bij,bkj->bik", x, x)
    assert result.shape == (None, 4, 4)
    assert _node(result).op_config == {"subscripts": "bij,bkj->bik"}
    assert len(_node(result)._inbound_nodes[0].input_tensors) == 2


def test_where_without_branches_records_only_the_condition():
    x = lamina.Input((4, 3))
    indices = ops.where(x > 0.5)
    assert _node(indices).op_config == {}
    assert indices.shape[0] == 3  # one row per axis, as np.nonzero stacked
    model = lamina.Model(x, indices)
    data = np.random.default_rng(0).random((2, 4, 3)).astype("float32")
    result = model(torch.from_numpy(data))
    np.testing.assert_array_equal(result.numpy(), np.stack(np.nonzero(data > 0.5)))


def test_where_with_one_branch_raises():
    x = lamina.Input((3,))
    with pytest.raises(ValueError, match="both"):
        ops.where(x > 0, x2=x)


def test_where_with_scalar_branch_predicts_numpy_values():
    x = lamina.Input((3,))
    model = lamina.Model(x, ops.where(x > 0.0, x, 0.5))
    data = np.array([[-1.0, 2.0, 0.0]], dtype="float32")
    np.testing.assert_array_equal(model.predict(data, verbose=0), [[0.5, 2.0, 0.5]])


def test_clip_positional_arguments_go_into_config():
    result = ops.clip(lamina.Input((3,)), 0.0, 1.0)
    assert _node(result).op_config == {"x_min": 0.0, "x_max": 1.0}


def test_config_holds_defaults_as_keras_writes_them():
    result = ops.max(lamina.Input((3,)), axis=-1)
    assert _node(result).op_config == {"axis": -1, "keepdims": False, "initial": None}


def test_torch_dtype_argument_is_saved_by_name():
    x = lamina.Input((3,))
    result = ops.cast(x, torch.int32)
    assert result.dtype == "int32"
    assert _node(result).op_config == {"dtype": "int32"}
    lamina.Model(x, result).to_json()


def test_split_and_unstack_give_several_outputs():
    x = lamina.Input((4, 6))
    parts = ops.split(x, 3, axis=-1)
    assert [part.shape for part in parts] == [(None, 4, 2)] * 3
    uneven = ops.split(x, [1, 4], axis=-1)
    assert [part.shape for part in uneven] == [(None, 4, 1), (None, 4, 3), (None, 4, 2)]
    rows = ops.unstack(x, axis=1)
    assert [row.shape for row in rows] == [(None, 6)] * 4
    assert {id(_node(row)) for row in rows} == {id(_node(rows[0]))}
    model = lamina.Model(x, [parts[2], rows[3]])
    data = np.arange(48, dtype="float32").reshape(2, 4, 6)
    last_part, last_row = model.predict(data, verbose=0)
    np.testing.assert_array_equal(last_part, data[..., 4:])
    np.testing.assert_array_equal(last_row, data[:, 3])


def test_softmax_and_resize_keep_keras_shapes():
    x = lamina.Input((4, 3))
    assert ops.nn.softmax(x, axis=1).shape == (None, 4, 3)
    assert ops.softmax(x).shape == (None, 4, 3)
    images = lamina.Input((8, 8, 3))
    assert ops.image.resize(images, (4, 5)).shape == (None, 4, 5, 3)
    first = lamina.Input((3, 8, 8))
    resized = ops.image.resize(first, (16, 2), data_format="channels_first")
    assert resized.shape == (None, 3, 16, 2)


def test_inspection_ops_answer_from_the_spec():
    x = lamina.Input((4, 3))
    assert ops.shape(x) == (None, 4, 3)
    assert ops.dtype(x) == "float32"
    assert ops.ndim(x) == 3
    assert ops.is_tensor(x) is False


def test_op_that_returns_no_tensor_rejects_keras_tensor():
    with pytest.raises(TypeError, match="returns a non-tensor"):
        ops.convert_to_numpy(lamina.Input((3,)))


def test_keras_tensor_cannot_be_iterated():
    with pytest.raises(TypeError, match="cannot be iterated"):
        first, second = lamina.Input((2,))


def test_op_layers_are_named_after_keras_classes():
    x = lamina.Input((3,))
    assert _node(ops.abs(x)).name.startswith("absolute")
    assert _node(ops.conj(x)).name.startswith("conjugate")
    assert _node(ops.mean(x)).name.startswith("mean")


# ------------------------------------------------------------------ models
def _regression_data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 6, 4)).astype("float32")
    weights = rng.normal(size=(4,)).astype("float32")
    y = (x @ weights).max(axis=1, keepdims=True) - 0.5 * x.mean(axis=(1, 2))[:, None]
    return x, ((y - y.mean()) / y.std()).astype("float32")  # variance 1


def _op_model():
    inputs = lamina.Input((6, 4))
    hidden = lamina.layers.Dense(8)(inputs)
    pooled = ops.concatenate(
        [ops.mean(hidden, axis=1), ops.max(hidden, axis=1)], axis=-1
    )
    scaled = ops.clip(pooled * 0.5 + 0.1, -5.0, 5.0)
    first, second = ops.split(scaled, 2, axis=-1)
    mixed = ops.nn.relu(first) - second / (2.0 + abs(second))
    outputs = lamina.layers.Dense(1)(ops.expand_dims(mixed, 1)[:, 0])
    return lamina.Model(inputs, outputs)


def test_op_model_trains_and_loss_decreases():
    lamina.utils.set_random_seed(1)
    x, y = _regression_data()
    model = _op_model()
    model.compile(optimizer=lamina.optimizers.Adam(0.01), loss="mse")
    losses = model.fit(x, y, epochs=20, batch_size=32, verbose=0).history["loss"]
    assert all(b < a for a, b in zip(losses[:-1], losses[1:], strict=True))
    assert losses[-1] < 0.4 * losses[0]
    assert losses[-1] < 0.35  # far below the 1.0 of predicting the mean


def test_op_model_predict_equals_torch():
    lamina.utils.set_random_seed(2)
    model = _op_model()
    x, _ = _regression_data()
    kernel_1, bias_1, kernel_2, bias_2 = (
        torch.from_numpy(w) for w in model.get_weights()
    )
    hidden = torch.from_numpy(x) @ kernel_1 + bias_1
    pooled = torch.cat([hidden.mean(dim=1), hidden.amax(dim=1)], dim=-1)
    scaled = torch.clamp(pooled * 0.5 + 0.1, -5.0, 5.0)
    first, second = scaled[:, :8], scaled[:, 8:]
    mixed = torch.relu(first) - second / (2.0 + second.abs())
    expected = (mixed @ kernel_2 + bias_2).numpy()
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, atol=1e-5)


@pytest.mark.parametrize("form", [".keras", ".h5", "json"])
def test_op_model_round_trip_keeps_predictions(tmp_path, form):
    lamina.utils.set_random_seed(3)
    model = _op_model()
    x, _ = _regression_data()
    expected = model.predict(x, verbose=0)
    if form == "json":
        restored = lamina.models.model_from_json(model.to_json())
        restored.set_weights(model.get_weights())
    else:
        model.save(str(tmp_path / f"model{form}"))
        restored = lamina.models.load_model(str(tmp_path / f"model{form}"))
    assert [op.name for op in restored.operations] == [
        op.name for op in model.operations
    ]
    np.testing.assert_array_equal(restored.predict(x, verbose=0), expected)


def test_op_config_has_keras_form():
    lamina.utils.clear_session()
    x = lamina.Input((4, 3))
    config = json.loads(lamina.Model(x, ops.mean(x, axis=1)).to_json())
    entry = config["config"]["layers"][1]
    assert entry["module"] == "keras.src.ops.numpy"
    assert entry["class_name"] == "Mean"
    assert entry["config"] == {"name": "mean", "axis": 1, "keepdims": False}


def test_nested_model_with_ops_round_trips(tmp_path):
    x = lamina.Input((3,))
    inner = lamina.Model(x, ops.mean(lamina.layers.Dense(4)(x), axis=-1) * 2.0)
    y = lamina.Input((3,))
    outer = lamina.Model(y, ops.stack([inner(y), ops.sum(y, axis=-1)], axis=-1))
    data = np.random.default_rng(4).random((5, 3)).astype("float32")
    outer.save(str(tmp_path / "nested.keras"))
    restored = lamina.models.load_model(str(tmp_path / "nested.keras"))
    np.testing.assert_array_equal(
        restored.predict(data, verbose=0), outer.predict(data, verbose=0)
    )


def test_clone_model_copies_op_nodes():
    model = _op_model()
    clone = lamina.models.clone_model(model)
    clone.set_weights(model.get_weights())
    model_ops = [op for op in model.operations if isinstance(op, OperationCall)]
    clone_ops = [op for op in clone.operations if isinstance(op, OperationCall)]
    assert [op.name for op in clone_ops] == [op.name for op in model_ops]
    assert [op.op_config for op in clone_ops] == [op.op_config for op in model_ops]
    assert not {id(op) for op in clone_ops} & {id(op) for op in model_ops}
    x, _ = _regression_data()
    np.testing.assert_array_equal(
        clone.predict(x, verbose=0), model.predict(x, verbose=0)
    )


def test_layers_exclude_ops_and_operations_include_them():
    x = lamina.Input((3,))
    outputs = lamina.layers.Dense(2)(ops.mean(ops.expand_dims(x, 1), axis=1))
    model = lamina.Model(x, outputs)
    assert [type(layer).__name__ for layer in model.layers] == ["InputLayer", "Dense"]
    assert [shown_class_name(op) for op in model.operations] == [
        "InputLayer", "ExpandDims", "Mean", "Dense"
    ]  # fmt: skip
    assert len(model.weights) == 2


def test_summary_shows_keras_class_of_ops():
    lamina.utils.clear_session()
    x = lamina.Input((4, 3))
    model = lamina.Model(x, ops.mean(x, axis=1))
    lines = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert "mean (Mean)" in text
    assert "(None, 3)" in text


def test_model_to_dot_shows_op_nodes_with_keras_class():
    from lamina.utils.model_visualization import model_to_dot

    lamina.utils.clear_session()
    x = lamina.Input((4, 3))
    dot = model_to_dot(lamina.Model(x, lamina.layers.Dense(2)(ops.mean(x, axis=1))))
    labels = {node.get_name(): str(node.get("label")) for node in dot.get_nodes()}
    assert any("<b>mean</b> (Mean)" in label for label in labels.values())

    def name(node_id):
        return labels[node_id].split("<b>")[1].split("</b>")[0]

    edges = {(name(e.get_source()), name(e.get_destination())) for e in dot.get_edges()}
    assert edges == {("input_layer", "mean"), ("mean", "dense")}


# ------------------------------------------------------------------- loading
def _mean_entry(**changes):
    entry = {
        "module": "keras.src.ops.numpy",
        "class_name": "Mean",
        "config": {"name": "mean", "axis": 1, "keepdims": False},
        "registered_name": "Mean",
    }
    return {**entry, **changes}


def test_operation_from_config_rebuilds_keras_entry():
    layer = operation_from_config(_mean_entry())
    assert isinstance(layer, OperationCall)
    assert layer.name == "mean"
    assert layer.op_config == {"axis": 1, "keepdims": False}
    assert layer(torch.ones(2, 4, 3)).shape == (2, 3)


def test_unknown_op_raises_load_error():
    with pytest.raises(LoadError, match="'Frobnicate'.*does not have"):
        operation_from_config(_mean_entry(class_name="Frobnicate"))


def test_unknown_op_config_key_raises_load_error():
    config = {"name": "mean", "axis": 1, "bogus": 3}
    with pytest.raises(LoadError, match=r"\['bogus'\].*takes"):
        operation_from_config(_mean_entry(config=config))


def test_unknown_op_in_model_json_raises_load_error():
    x = lamina.Input((4, 3))
    config = json.loads(lamina.Model(x, ops.mean(x, axis=1)).to_json())
    config["config"]["layers"][1]["class_name"] = "Frobnicate"
    with pytest.raises(LoadError, match="Frobnicate"):
        lamina.models.model_from_json(json.dumps(config))


@pytest.mark.parametrize(
    ("module", "class_name"),
    [
        ("keras.src.ops.numpy", "__import__"),
        ("keras.src.ops.numpy", "system"),
        ("keras.src.ops.numpy", "eval"),
        ("keras.src.ops.os", "system"),
        ("keras.ops", "__builtins__"),
    ],
)
def test_crafted_op_entry_is_refused_without_importing(monkeypatch, module, class_name):
    imported = []
    real_import = builtins.__import__

    def recording_import(name, *args, **kwargs):
        imported.append(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", recording_import)
    modules_before = set(sys.modules)
    entry = _mean_entry(module=module, class_name=class_name, config={"name": "x"})
    with pytest.raises(LoadError, match="lamina.ops does not have"):
        lamina.saving.deserialize_keras_object(entry)
    assert not [name for name in imported if not name.startswith("lamina")]
    assert set(sys.modules) == modules_before


@pytest.mark.parametrize(
    "key",
    [
        (slice(None), slice(None, None, -1)),
        (Ellipsis, slice(None, None, -2)),
        (slice(None, None, -1), None, 1, slice(3, 0, -1)),
        (0, slice(5, None, -3), Ellipsis),
        (slice(None), slice(1, 3, -1)),
        (Ellipsis, slice(-1, -6, -2)),
    ],
)
def test_backward_slices_index_like_numpy(key):
    array = np.arange(60).reshape(3, 4, 5)
    np.testing.assert_array_equal(ops.get_item(torch.tensor(array), key), array[key])


def test_a_reversed_sequence_in_a_functional_model():
    inputs = lamina.Input((4,))
    model = lamina.Model(inputs, inputs[:, ::-1])
    data = np.arange(8.0).reshape(2, 4)
    np.testing.assert_array_equal(model.predict(data, verbose=0), data[:, ::-1])
