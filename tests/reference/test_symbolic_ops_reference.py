"""Ops on KerasTensors are saved as Keras 3 saves them, and files move both ways.

Part one reads Keras's source: for every public op of `keras.ops` (and its
`nn`, `numpy`, `linalg`, `image` namespaces) it finds the `Operation` class
that the op instantiates on symbolic inputs, and checks that lamina names
the same class and module and splits the arguments the same way (constructor
arguments in the config, the rest as the node's inputs). Part two builds the
same models with ops in both libraries and moves them across.
"""

import ast
import inspect
import json
import textwrap

import numpy as np
import pytest
import torch

import lamina
from lamina.ops import _symbolic

NAMESPACES = ["", "nn", "numpy", "linalg", "image"]
TOLERANCE = 1e-5

# Ops that Keras runs without an Operation class, so they record no node.
NO_KERAS_CLASS = {
    "bartlett": "creation op: builds a window from a length",
    "blackman": "creation op: builds a window from a length",
    "convert_to_numpy": "returns a NumPy array; a KerasTensor has no values",
    "custom_gradient": "a decorator of Python functions",
    "dtype": "answers from the KerasTensor's dtype",
    "empty": "creation op: builds a tensor from a shape",
    "eye": "creation op: builds a tensor from sizes",
    "hamming": "creation op: builds a window from a length",
    "hanning": "creation op: builds a window from a length",
    "identity": "creation op: builds a tensor from a size",
    "is_tensor": "answers False for a KerasTensor",
    "kaiser": "creation op: builds a window from a length",
    "ones": "creation op: builds a tensor from a shape",
    "shape": "answers from the KerasTensor's shape",
    "tri": "creation op: builds a tensor from sizes",
    "vectorize": "wraps a Python function",
    "zeros": "creation op: builds a tensor from a shape",
}

# Constructor arguments of a Keras class that lamina's op does not take.
KERAS_ONLY_ARGUMENTS = {
    # Deprecated: Keras's op takes it through **kwargs and always writes it;
    # lamina's op takes **kwargs too, and loading accepts the key.
    "layer_normalization": {"rms_scaling"},
}

# Ops whose Keras record lamina deliberately does not copy.
NOT_MATCHED = {
    # Keras 3.15 records the 2-D ExtractPatches class, its size made a 3-tuple
    # first. lamina records `size` as given (an int too), which the 2-D class
    # would read as a 2-D size, so it keeps a class of its own.
    "extract_patches_3d": "Keras records it as its 2-D ExtractPatches class",
}


def _keras_namespace(keras, namespace):
    return getattr(keras.ops, namespace) if namespace else keras.ops


def _lamina_namespace(namespace):
    return getattr(lamina.ops, namespace) if namespace else lamina.ops


def _referenced(function, names):
    """Values that `function`'s source names, found in its globals."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in function.__globals__:
            names.append(function.__globals__[node.id])
    return names


def _keras_operation_classes(function, seen=()):
    """The Operation classes Keras's op `function` builds on symbolic inputs:
    those its source names, else those of the ops it delegates to."""
    from keras.src.ops.operation import Operation

    function = inspect.unwrap(function)
    values = _referenced(function, [])
    classes = {
        value
        for value in values
        if isinstance(value, type)
        and issubclass(value, Operation)
        and value is not Operation
    }
    if classes:
        return classes
    for value in values:
        is_op = inspect.isfunction(value) and value.__module__.startswith(
            "keras.src.ops."
        )
        if is_op and value is not function and value not in seen:
            classes |= _keras_operation_classes(value, (*seen, function))
    return classes


def _plain_parameters(function):
    """`function`'s parameters but `self`, `*args` and `**kwargs`."""
    return [
        parameter
        for parameter in inspect.signature(function).parameters.values()
        if parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
        and parameter.name != "self"
    ]


def _lamina_split(op):
    """(config parameters, input parameters) of lamina's `op` when recorded."""
    config, inputs = set(), []
    for parameter in _plain_parameters(op):
        if _symbolic._is_config_parameter(op.__name__, parameter):
            config.add(parameter.name)
        else:
            inputs.append(parameter.name)
    return config, inputs


def _keras_split(cls):
    """(constructor parameters, call parameters) of Keras's class: its config
    holds the constructor arguments, with `name` from Operation.get_config."""
    config = {parameter.name for parameter in _plain_parameters(cls.__init__)}
    inputs = [parameter.name for parameter in _plain_parameters(cls.call)]
    return config - {"name"}, inputs


def _public_ops(keras, namespace):
    keras_module = _keras_namespace(keras, namespace)
    for name in sorted(dir(keras_module)):
        function = getattr(keras_module, name)
        if name.startswith("_") or not inspect.isfunction(function):
            continue
        yield name, function


def _mismatches(keras, namespace):
    lamina_module = _lamina_namespace(namespace)
    found = []
    for name, function in _public_ops(keras, namespace):
        op = getattr(getattr(lamina_module, name, None), "_lamina_op", None)
        if op is None or name in NO_KERAS_CLASS or name in NOT_MATCHED:
            continue
        classes = _keras_operation_classes(function)
        if len(classes) != 1:
            found.append(f"{name}: Keras builds {sorted(map(str, classes))}")
            continue
        (cls,) = classes
        theirs = f"{cls.__module__}.{cls.__name__}"
        ours = f"{_symbolic.keras_module(op)}.{_symbolic.keras_class_name(op.__name__)}"
        if theirs != ours:
            found.append(f"{name}: class {ours}, Keras {theirs}")
        ours_config, ours_inputs = _lamina_split(op)
        theirs_config, theirs_inputs = _keras_split(cls)
        theirs_config -= KERAS_ONLY_ARGUMENTS.get(name, set())
        if ours_config != theirs_config:
            found.append(
                f"{name}: config {sorted(ours_config)}, Keras {sorted(theirs_config)}"
            )
        if ours_inputs != theirs_inputs:
            found.append(f"{name}: inputs {ours_inputs}, Keras {theirs_inputs}")
    return found


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_lamina_has_every_keras_op(keras, namespace):
    lamina_module = _lamina_namespace(namespace)
    missing = [
        name
        for name, _ in _public_ops(keras, namespace)
        if getattr(getattr(lamina_module, name, None), "_lamina_op", None) is None
    ]
    assert not missing


@pytest.mark.parametrize("namespace", NAMESPACES)
def test_op_records_keras_class_module_and_arguments(keras, namespace):
    mismatches = _mismatches(keras, namespace)
    assert not mismatches, "\n".join(mismatches)


def test_skipped_ops_have_no_keras_class(keras):
    ops = {}
    for namespace in NAMESPACES:
        ops.update(_public_ops(keras, namespace))
    with_class = [
        name for name in NO_KERAS_CLASS if _keras_operation_classes(ops[name])
    ]
    assert not with_class
    assert all(_keras_operation_classes(ops[name]) for name in NOT_MATCHED)
    for name, arguments in KERAS_ONLY_ARGUMENTS.items():
        (cls,) = _keras_operation_classes(ops[name])
        assert arguments <= _keras_split(cls)[0]


def test_keras_layer_normalization_node_loads_in_lamina(keras, tmp_path):
    # Keras writes rms_scaling=False into the config of every LayerNorm node.
    inputs = keras.Input((4,))
    model = keras.Model(inputs, keras.ops.layer_normalization(inputs, axis=-1))
    entry = json.loads(model.to_json())["config"]["layers"][1]
    assert entry["config"]["rms_scaling"] is False
    x = np.random.default_rng(0).random((3, 4)).astype("float32")
    path = str(tmp_path / "layer_norm.keras")
    model.save(path)
    restored = lamina.models.load_model(path)
    assert _max_diff(restored.predict(x, verbose=0), model.predict(x, verbose=0)) < (
        TOLERANCE
    )


# ------------------------------------------------- the same models, both ways
def _reductions(lib):
    inputs = lib.Input((5, 4))
    hidden = lib.layers.Dense(6)(inputs)
    mean = lib.ops.mean(hidden, axis=1, keepdims=True)
    total = lib.ops.sum(hidden, axis=(1,), keepdims=True)
    peak = lib.ops.max(hidden, axis=-1)
    return lib.Model(inputs, mean + total - lib.ops.expand_dims(peak, -1)[:, :1])


def _scalars(lib):
    inputs = lib.Input((4,))
    hidden = lib.layers.Dense(4)(inputs)
    mixed = 2.0 * hidden + 1 - 3.0 / (abs(hidden) + 1.5) + hidden**2 - (-hidden) * 0.5
    return lib.Model(inputs, 1.0 - mixed % 4.0 + 8.0 // (abs(mixed) + 1.0))


def _slices(lib):
    inputs = lib.Input((6, 4))
    hidden = lib.layers.Dense(5)(inputs)
    parts = [hidden[:, 1:3], hidden[:, ::2][:, :2], hidden[..., None, 0][:, -2:, :]]
    return lib.Model(inputs, lib.ops.concatenate(parts, axis=-1))


def _clip_reshape_transpose(lib):
    inputs = lib.Input((6,))
    hidden = lib.layers.Dense(6)(inputs)
    grid = lib.ops.reshape(lib.ops.clip(hidden, -0.5, 0.5), (-1, 2, 3))
    return lib.Model(
        inputs, lib.ops.transpose(lib.ops.expand_dims(grid, 1), (0, 3, 1, 2))
    )


def _einsum(lib):
    inputs = lib.Input((4, 3))
    hidden = lib.layers.Dense(3)(inputs)
    return lib.Model(inputs, lib.ops.einsum("bij,bkj->bik", hidden, inputs))


def _where(lib):
    inputs = lib.Input((5,))
    hidden = lib.layers.Dense(5)(inputs)
    chosen = lib.ops.where(hidden > 0.1, hidden, -hidden * 2.0)
    return lib.Model(inputs, lib.ops.where(inputs < 0.5, chosen, 0.25))


def _matmul(lib):
    inputs = lib.Input((4, 3))
    hidden = lib.layers.Dense(3)(inputs)
    gram = lib.ops.matmul(hidden, lib.ops.transpose(inputs, (0, 2, 1)))
    return lib.Model(inputs, gram @ hidden)


def _activations(lib):
    inputs = lib.Input((5,))
    hidden = lib.layers.Dense(5)(inputs)
    scores = lib.ops.nn.relu(hidden) + lib.ops.relu(-hidden)
    return lib.Model(inputs, lib.ops.nn.softmax(scores, axis=-1))


def _stack_split(lib):
    inputs = lib.Input((6,))
    hidden = lib.layers.Dense(6)(inputs)
    first, middle, last = lib.ops.split(hidden, 3, axis=-1)
    return lib.Model(inputs, [lib.ops.stack([first, last], axis=1), middle])


def _resize(lib):
    inputs = lib.Input((6, 6, 2))
    hidden = lib.layers.Dense(3)(inputs)
    return lib.Model(inputs, lib.ops.image.resize(hidden, (3, 4)))


def _take_one_hot(lib):
    inputs = lib.Input((4, 3))
    hidden = lib.layers.Dense(3)(inputs)
    # Keras records one_hot's dtype=None as floatx(); lamina keeps None (floatx
    # when the model runs). Both load either way; the dtype here is explicit
    # so that the node configs compare equal.
    best = lib.ops.one_hot(lib.ops.argmax(hidden, axis=-1), 3, dtype="float32")
    picked = lib.ops.take(hidden, [0, 2], axis=1)
    return lib.Model(inputs, [best * hidden, picked])


def _norms(lib):
    inputs = lib.Input((4, 3))
    hidden = lib.layers.Dense(3)(inputs)
    running = lib.ops.cumsum(lib.ops.square(hidden), axis=1)
    size = lib.ops.linalg.norm(hidden, axis=-1, keepdims=True)
    return lib.Model(inputs, lib.ops.sqrt(running) / (size + 1.0))


def _unstack_round(lib):
    inputs = lib.Input((3, 4))
    hidden = lib.layers.Dense(4)(inputs)
    rows = lib.ops.unstack(hidden, axis=1)
    return lib.Model(
        inputs, lib.ops.squeeze(round(rows[0] * 10.0), axis=None) + rows[2]
    )


BUILDERS = {
    builder.__name__.lstrip("_"): (builder, shape)
    for builder, shape in [
        (_reductions, (3, 5, 4)),
        (_scalars, (3, 4)),
        (_slices, (3, 6, 4)),
        (_clip_reshape_transpose, (3, 6)),
        (_einsum, (3, 4, 3)),
        (_where, (3, 5)),
        (_matmul, (3, 4, 3)),
        (_activations, (3, 5)),
        (_stack_split, (3, 6)),
        (_resize, (2, 6, 6, 2)),
        (_take_one_hot, (3, 4, 3)),
        (_norms, (3, 4, 3)),
        (_unstack_round, (3, 3, 4)),
    ]
}


def _max_diff(got, expected):
    got = got if isinstance(got, list) else [got]
    expected = expected if isinstance(expected, list) else [expected]
    assert len(got) == len(expected)
    return max(
        float(np.abs(np.asarray(a) - np.asarray(b)).max())
        for a, b in zip(got, expected, strict=True)
    )


def _data(shape):
    return np.random.default_rng(5).random(shape).astype("float32")


@pytest.mark.parametrize("model_name", sorted(BUILDERS))
@pytest.mark.parametrize("form", [".keras", "json"])
def test_keras_op_model_loads_in_lamina(keras, tmp_path, model_name, form):
    builder, shape = BUILDERS[model_name]
    keras.utils.set_random_seed(1)
    model = builder(keras)
    x = _data(shape)
    expected = model.predict(x, verbose=0)
    if form == ".keras":
        model.save(str(tmp_path / "keras.keras"))
        restored = lamina.models.load_model(str(tmp_path / "keras.keras"))
    else:
        model.save_weights(str(tmp_path / "keras.weights.h5"))
        restored = lamina.models.model_from_json(model.to_json())
        restored.load_weights(str(tmp_path / "keras.weights.h5"))
    assert _max_diff(restored.predict(x, verbose=0), expected) < TOLERANCE


@pytest.mark.parametrize("model_name", sorted(BUILDERS))
@pytest.mark.parametrize("form", [".keras", "json"])
def test_lamina_op_model_loads_in_keras(keras, tmp_path, model_name, form):
    builder, shape = BUILDERS[model_name]
    lamina.utils.set_random_seed(1)
    model = builder(lamina)
    x = _data(shape)
    expected = model.predict(x, verbose=0)
    if form == ".keras":
        model.save(str(tmp_path / "ours.keras"))
        restored = keras.models.load_model(str(tmp_path / "ours.keras"))
    else:
        model.save_weights(str(tmp_path / "ours.weights.h5"))
        restored = keras.models.model_from_json(model.to_json())
        restored.load_weights(str(tmp_path / "ours.weights.h5"))
    assert _max_diff(restored.predict(x, verbose=0), expected) < TOLERANCE


def _op_entries(model):
    """Each op node as (module, class, config without name, input count,
    keyword names), sorted: the two libraries order independent nodes
    differently and number names from their own counters."""
    entries = []
    for layer in json.loads(model.to_json())["config"]["layers"]:
        if not layer.get("module", "").startswith("keras.src.ops."):
            continue
        config = {key: value for key, value in layer["config"].items() if key != "name"}
        (node,) = layer["inbound_nodes"]
        entries.append(
            (
                layer["module"],
                layer["class_name"],
                json.dumps(config, sort_keys=True),
                len(node["args"]),
                sorted(node["kwargs"]),
            )
        )
    return sorted(entries)


@pytest.mark.parametrize("model_name", sorted(BUILDERS))
def test_op_nodes_are_written_as_keras_writes_them(keras, model_name):
    builder, _ = BUILDERS[model_name]
    assert _op_entries(builder(lamina)) == _op_entries(builder(keras))


def test_op_names_and_summary_rows_match_keras(keras):
    keras.backend.clear_session()
    lamina.utils.clear_session()
    theirs, ours = _scalars(keras), _scalars(lamina)
    assert [op.name for op in ours.operations] == [op.name for op in theirs.operations]
    keras_lines, lamina_lines = [], []
    theirs.summary(print_fn=lambda line, *_, **__: keras_lines.append(line))
    ours.summary(print_fn=lamina_lines.append)
    assert "absolute (Absolute)" in "\n".join(keras_lines)
    assert "absolute (Absolute)" in "\n".join(lamina_lines)


def test_get_item_int_keys_move_both_ways(keras, tmp_path):
    # The key of x[0, 1] is saved as the list [0, 1]: a tuple again on loading.
    data = torch.arange(36.0).reshape(3, 4, 3)
    expected = [data[0, 1].numpy(), data[0, 2].numpy()]
    inputs = keras.Input((4, 3))
    model = keras.Model(inputs, [inputs[0, 1], inputs[[0, 2]]])
    model.save(str(tmp_path / "keras.keras"))
    ours = lamina.models.load_model(str(tmp_path / "keras.keras"))
    assert _max_diff([t.numpy() for t in ours(data)], expected) == 0.0
    ours.save(str(tmp_path / "ours.keras"))
    theirs = keras.models.load_model(str(tmp_path / "ours.keras"))
    got = [keras.ops.convert_to_numpy(t) for t in theirs(data)]
    assert _max_diff(got, expected) == 0.0
