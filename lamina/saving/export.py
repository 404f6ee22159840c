"""`model.export`: an inference artifact for ONNX runtimes or `torch.export`."""

import os
import warnings
from typing import Any

import torch

from lamina.saving.atomic import atomic_path

FORMATS = ("onnx", "torch")


def export_model(
    model: Any,
    filepath: str | os.PathLike,
    format: str = "onnx",
    input_signature: Any = None,
    verbose: bool = False,
    **kwargs: Any,
) -> None:
    """Exports a built model for inference, with a dynamic batch axis.

    Args:
        model: A built lamina model (Sequential or functional, or a
            subclassed model that has been called).
        filepath: Where to write: `.onnx` for ONNX, `.pt2` for `torch`.
        format: `"onnx"` (needs the `onnx` package; run with
            `onnxruntime`) or `"torch"` (a `torch.export` program, loaded
            with `torch.export.load`). Defaults to `"onnx"`.
        input_signature: Optional list of input shapes (batch axis
            included, `None` allowed); defaults to the model's input shapes.
        verbose: Whether the exporter prints its progress.

    Example:
    >>> import os, tempfile, lamina
    >>> model = lamina.Sequential([lamina.layers.Dense(2, input_shape=(3,))])
    >>> path = os.path.join(tempfile.mkdtemp(), "m.pt2")
    >>> export_model(model, path, format="torch")
    >>> os.path.exists(path)
    True
    """
    if format not in FORMATS:
        raise ValueError(
            f"export received format={format!r}. Supported formats: "
            f"{', '.join(FORMATS)}."
        )
    example = _example_inputs(model, input_signature)
    was_training = model.training
    model.eval()
    try:
        if format == "onnx":
            _export_onnx(model, os.fspath(filepath), example, verbose, kwargs)
        else:
            _export_torch(model, os.fspath(filepath), example)
    finally:
        model.train(was_training)


def _example_inputs(model: Any, input_signature: Any) -> list[torch.Tensor]:
    shapes = input_signature or [
        tensor.shape for tensor in getattr(model, "inputs", [])
    ]
    if not shapes:
        raise ValueError(
            f"Model '{model.name}' has no known input shape to export with. "
            f"Call it on data first, or pass input_signature=[(None, ...)]."
        )
    parameter = next(model.parameters(), None)
    device = parameter.device if parameter is not None else torch.device("cpu")
    return [
        torch.zeros(tuple(2 if dim is None else dim for dim in shape), device=device)
        for shape in shapes
    ]


def _call_arguments(example: list[torch.Tensor]) -> tuple:
    return (example[0],) if len(example) == 1 else (example,)


def _export_onnx(
    model: Any, path: str, example: list[torch.Tensor], verbose: bool, kwargs: dict
) -> None:
    try:
        import onnx  # noqa: F401 -- the exporter needs it; fail early and clearly
    except ImportError as err:
        raise ImportError(
            "export(format='onnx') needs the onnx package: pip install onnx "
            "onnxruntime."
        ) from err
    input_names = [f"input_{index}" for index in range(len(example))]
    dynamic_axes = {name: {0: "batch"} for name in input_names}
    dynamic_axes["output_0"] = {0: "batch"}
    with atomic_path(path) as temporary, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            model,
            _call_arguments(example),
            temporary,
            input_names=input_names,
            output_names=["output_0"],
            dynamic_axes=dynamic_axes,
            verbose=verbose,
            dynamo=False,
            opset_version=kwargs.pop("opset_version", 17),
        )


def _export_torch(model: Any, path: str, example: list[torch.Tensor]) -> None:
    batch = torch.export.Dim("batch", min=1)
    # Layer.forward takes *args, so the shapes are keyed by that parameter.
    if len(example) == 1:
        dynamic_shapes: Any = {"args": ({0: batch},)}
    else:
        dynamic_shapes = {"args": ([{0: batch} for _ in example],)}
    program = torch.export.export(
        model, _call_arguments(example), dynamic_shapes=dynamic_shapes
    )
    with atomic_path(path, suffix=".tmp.pt2") as temporary:
        torch.export.save(program, temporary)
