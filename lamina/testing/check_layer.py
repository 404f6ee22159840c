"""`check_layer`: the conformance check every lamina layer passes."""

import copy
import json
import os
import tempfile
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from lamina.layers.input_layer import Input
from lamina.layers.layer import Layer
from lamina.utils import tree


def check_layer(
    make_layer: Callable[[], Layer],
    input_data: Any,
    expected_output_shape: Any = None,
    expected_weight_names: list[str] | None = None,
    expected_num_weights: int | None = None,
    check_training: bool = True,
    check_compile: bool = True,
    check_saving: bool = True,
    rtol: float = 1e-5,
    atol: float = 1e-5,
) -> Layer:
    """Runs the conformance checks of STYLE.md §6 on a layer; raises on failure.

    1. Build on the first eager call; the eager output's shape matches the
       symbolic (functional API) output shape and `expected_output_shape`.
    2. Weight names and count in Keras's order.
    3. `from_config(get_config())` gives a layer that, with the same weights,
       computes the same output; the config survives JSON.
    4. A deep copy computes the same output.
    5. One training step: every trainable weight gets a finite gradient.
    6. `torch.compile` of the layer gives the eager output.
    7. A functional model around the layer, saved as `.keras` and loaded
       back, computes the same output.

    Args:
        make_layer: Zero-argument function returning a fresh layer.
        input_data: One batch of input (tensor/array, or a list of them).
        expected_output_shape: Expected output shape of the batch (tuple, or
            structure of tuples). Defaults to not checked.
        expected_weight_names: Expected `weight.name`s in `layer.weights` order.
        expected_num_weights: Expected `len(layer.weights)`.
        check_training: Whether to run the gradient check.
        check_compile: Whether to run the `torch.compile` check.
        check_saving: Whether to run the `.keras` save/load check.
        rtol: Relative tolerance of output comparisons.
        atol: Absolute tolerance of output comparisons.

    Returns:
        The built layer.

    Example:
    >>> from lamina.layers import Dense
    >>> layer = check_layer(lambda: Dense(3), np.ones((2, 4), "float32"), (2, 3))
    >>> [w.name for w in layer.weights]
    ['kernel', 'bias']
    """
    inputs = tree.map_structure(_as_tensor, input_data)
    layer = make_layer()
    outputs = layer(inputs)
    _check_output_shape(layer, outputs, expected_output_shape)
    _check_symbolic_shape(make_layer, inputs, outputs)
    _check_weights(layer, expected_weight_names, expected_num_weights)
    _check_config_round_trip(layer, inputs, outputs, rtol, atol)
    _check_deepcopy(layer, inputs, outputs, rtol, atol)
    if check_training:
        _check_training_step(layer, inputs)
    if check_compile:
        _check_compile(layer, inputs, rtol, atol)
    if check_saving:
        _check_save_and_load(make_layer, inputs, rtol, atol)
    return layer


def _as_tensor(value: Any) -> Any:
    if isinstance(value, torch.Tensor):
        return value
    return torch.as_tensor(np.asarray(value))


def _shapes(structure: Any) -> Any:
    return tree.map_structure(lambda t: tuple(t.shape), structure)


def _check_output_shape(layer: Layer, outputs: Any, expected: Any) -> None:
    if expected is None:
        return
    actual = _shapes(outputs)
    if tree.flatten(actual) != tree.flatten(expected) and actual != expected:
        raise AssertionError(
            f"Layer '{layer.name}' output shape {actual}, expected {expected}."
        )


def _check_symbolic_shape(
    make_layer: Callable[[], Layer], inputs: Any, outputs: Any
) -> None:
    symbolic_inputs = tree.map_structure(
        lambda t: Input(batch_shape=(None, *t.shape[1:]), dtype=str(t.dtype)[6:]),
        inputs,
    )
    symbolic = make_layer()(symbolic_inputs)
    for spec, tensor in zip(tree.flatten(symbolic), tree.flatten(outputs), strict=True):
        eager_shape = (None, *tensor.shape[1:])
        matches = all(
            a is None or a == b for a, b in zip(spec.shape, eager_shape, strict=True)
        )
        if not matches or len(spec.shape) != len(eager_shape):
            raise AssertionError(
                f"Symbolic output shape {spec.shape} differs from the eager "
                f"output shape {eager_shape}."
            )


def _check_weights(layer: Layer, names: list[str] | None, count: int | None) -> None:
    actual = [w.name for w in layer.weights]
    if names is not None and actual != names:
        raise AssertionError(f"Weight names {actual}, expected {names}.")
    if count is not None and len(actual) != count:
        raise AssertionError(f"{len(actual)} weights {actual}, expected {count}.")
    paths = [w.path for w in layer.weights]
    if len(set(map(id, layer.weights))) != len(paths):
        raise AssertionError(f"Duplicate weights in layer.weights: {paths}.")


def _same_outputs(first: Any, second: Any, rtol: float, atol: float, what: str) -> None:
    for a, b in zip(tree.flatten(first), tree.flatten(second), strict=True):
        np.testing.assert_allclose(
            a.detach().cpu().numpy(),
            b.detach().cpu().numpy(),
            rtol=rtol,
            atol=atol,
            err_msg=what,
        )


def _check_config_round_trip(
    layer: Layer, inputs: Any, outputs: Any, rtol: float, atol: float
) -> None:
    config = json.loads(json.dumps(layer.get_config()))
    rebuilt = type(layer).from_config(config)
    rebuilt(inputs)
    rebuilt.set_weights(layer.get_weights())
    _same_outputs(outputs, rebuilt(inputs), rtol, atol, "from_config(get_config())")


def _check_deepcopy(
    layer: Layer, inputs: Any, outputs: Any, rtol: float, atol: float
) -> None:
    copied = copy.deepcopy(layer)
    _same_outputs(outputs, copied(inputs), rtol, atol, "copy.deepcopy")


def _check_training_step(layer: Layer, inputs: Any) -> None:
    outputs = layer(inputs, training=True) if _takes_training(layer) else layer(inputs)
    total = sum(
        t.float().square().sum() for t in tree.flatten(outputs) if t.is_floating_point()
    )
    trainable = layer.trainable_weights
    if not trainable or not isinstance(total, torch.Tensor):
        return
    grads = torch.autograd.grad(total, trainable, allow_unused=True)
    for weight, grad in zip(trainable, grads, strict=True):
        if grad is None or not torch.isfinite(grad).all():
            raise AssertionError(
                f"Trainable weight '{weight.path}' got no finite gradient."
            )


def _takes_training(layer: Layer) -> bool:
    return "training" in layer._call_arguments


def _check_save_and_load(
    make_layer: Callable[[], Layer], inputs: Any, rtol: float, atol: float
) -> None:
    from lamina.models import Model
    from lamina.saving import load_model

    symbolic_inputs = tree.map_structure(
        lambda t: Input(batch_shape=(None, *t.shape[1:]), dtype=str(t.dtype)[6:]),
        inputs,
    )
    model = Model(symbolic_inputs, make_layer()(symbolic_inputs))
    with torch.no_grad():
        expected = model(inputs)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "layer.keras")
        model.save(path)
        restored = load_model(path)
    with torch.no_grad():
        actual = restored(inputs)
    _same_outputs(expected, actual, rtol, atol, "save and load_model (.keras)")


def _check_compile(layer: Layer, inputs: Any, rtol: float, atol: float) -> None:
    torch._dynamo.reset()
    compiled = torch.compile(layer)
    with torch.no_grad():
        expected = layer(inputs)
        actual = compiled(inputs)
    _same_outputs(expected, actual, rtol, atol, "torch.compile")
