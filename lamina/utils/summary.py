"""`model.summary()`: Keras's table of layers, output shapes and parameters."""

from collections.abc import Callable
from typing import Any

from lamina.layers.core.operation_call import shown_class_name
from lamina.utils.progbar import print_msg

_HEADERS = ("Layer (type)", "Output Shape", "Param #")
_CONNECTED = "Connected to"
_TRAINABLE = "Trainable"
# Keras's default column widths, so short tables look the same.
_MIN_WIDTHS = {"Layer (type)": 31, "Output Shape": 22, "Param #": 13}


def readable_memory_size(num_bytes: float) -> str:
    """Formats a byte count as Keras does: `1.55 MB`, `0.00 B`.

    Example:
    >>> readable_memory_size(1628200)
    '1.55 MB'
    """
    units = ("B", "KB", "MB", "GB", "TB")
    index = 0
    while num_bytes >= 1024 and index < len(units) - 1:
        num_bytes /= 1024
        index += 1
    return f"{num_bytes:.2f} {units[index]}"


def _format_shape(shapes: Any) -> str:
    if shapes is None:
        return "?"
    if isinstance(shapes, list):
        return ", ".join(_format_shape(shape) for shape in shapes)
    if len(shapes) == 1:
        return f"({shapes[0]},)"
    return "(" + ", ".join(str(dim) for dim in shapes) + ")"


def _output_shapes(layer: Any) -> Any:
    if not layer._inbound_nodes:
        return None
    from lamina.utils import tree

    outputs = tree.flatten(layer._inbound_nodes[-1].outputs)
    shapes = [tensor.shape for tensor in outputs]
    return shapes[0] if len(shapes) == 1 else shapes


def _connections(layer: Any) -> str:
    if not layer._inbound_nodes:
        return "-"
    names = []
    for tensor in layer._inbound_nodes[-1].input_tensors:
        source, node_index, tensor_index = tensor._keras_history
        names.append(f"{source.name}[{node_index}][{tensor_index}]")
    return ", ".join(names) or "-"


def _param_count(layer: Any) -> int:
    return int(sum(weight.numel() for weight in layer.weights))


def _rows(
    model: Any, expand_nested: bool, show_connections: bool, depth: int = 0
) -> list:
    rows = []
    for layer in getattr(model, "operations", model.layers):
        name = ("  " * depth) + f"{layer.name} ({shown_class_name(layer)})"
        row = [name, _format_shape(_output_shapes(layer)), f"{_param_count(layer):,}"]
        if show_connections:
            row.append(_connections(layer))
        row.append("Y" if layer.trainable else "N")
        rows.append(row)
        if (
            expand_nested
            and hasattr(layer, "layers")
            and type(layer).__name__
            in (
                "Sequential",
                "Functional",
            )
        ):
            rows.extend(_rows(layer, expand_nested, show_connections, depth + 1))
    return rows


def _weight_bytes(weights: list) -> int:
    return int(sum(weight.numel() * weight.element_size() for weight in weights))


def summary_text(
    model: Any,
    line_length: int | None = None,
    expand_nested: bool = False,
    show_trainable: bool = False,
) -> str:
    """Returns the summary table of `model` as one string.

    Example:
    >>> import lamina
    >>> model = lamina.Sequential([lamina.layers.Dense(2, input_shape=(3,))])
    >>> "Total params: 8" in summary_text(model)
    True
    """
    show_connections = type(model).__name__ == "Functional" and _has_branches(model)
    headers = list(_HEADERS) + ([_CONNECTED] if show_connections else [])
    rows = _rows(model, expand_nested, show_connections)
    if show_trainable:
        headers.append(_TRAINABLE)
    else:
        rows = [row[:-1] for row in rows]
    widths = [
        max(len(header), _MIN_WIDTHS.get(header, 0), *(len(row[i]) for row in rows))
        for i, header in enumerate(headers)
    ]
    if line_length is not None:
        extra = line_length - (sum(widths) + 3 * len(widths) + 1)
        widths[0] += max(extra, 0)
    lines = [f'Model: "{model.name}"', _border("┏", "┳", "┓", "━", widths)]
    lines.append(_line("┃", headers, widths))
    lines.append(_border("┡", "╇", "┩", "━", widths))
    for index, row in enumerate(rows):
        lines.append(_line("│", row, widths))
        if index < len(rows) - 1:
            lines.append(_border("├", "┼", "┤", "─", widths))
    lines.append(_border("└", "┴", "┘", "─", widths))
    lines.extend(_totals(model))
    return "\n".join(lines)


def _has_branches(model: Any) -> bool:
    return any(
        len(node.input_tensors) > 1
        for layer in getattr(model, "operations", model.layers)
        for node in layer._inbound_nodes
    )


def _border(left: str, middle: str, right: str, fill: str, widths: list[int]) -> str:
    return left + middle.join(fill * (w + 2) for w in widths) + right


def _line(edge: str, cells: list[str], widths: list[int]) -> str:
    parts = []
    for index, (cell, width) in enumerate(zip(cells, widths, strict=True)):
        is_count = index == 2  # the parameter counts are right-aligned
        parts.append(f" {cell:>{width}} " if is_count else f" {cell:<{width}} ")
    return edge + edge.join(parts) + edge


def _totals(model: Any) -> list[str]:
    weights = model.weights
    trainable = model.trainable_weights
    non_trainable = model.non_trainable_weights

    def line(label: str, group: list) -> str:
        count = int(sum(w.numel() for w in group))
        return f" {label}: {count:,} ({readable_memory_size(_weight_bytes(group))})"

    return [
        line("Total params", weights),
        line("Trainable params", trainable),
        line("Non-trainable params", non_trainable),
    ]


def print_summary(
    model: Any,
    line_length: int | None = None,
    print_fn: Callable[..., Any] | None = None,
    expand_nested: bool = False,
    show_trainable: bool = False,
) -> None:
    """Prints `summary_text(model)`, or hands it to `print_fn`."""
    if not model.built:
        raise ValueError(
            f"Model '{model.name}' has not been built yet, so it has no summary. "
            f"Give the first layer input_shape=(...), call model.build(...), or "
            f"call the model on a batch of data first."
        )
    text = summary_text(model, line_length, expand_nested, show_trainable)
    if print_fn is not None:
        print_fn(text)
        return
    print_msg(text)
