"""`plot_model` and `model_to_dot`: a model's layer graph as a Graphviz picture.

The graph, labels and edges follow Keras 3, so pictures look the same.
`pydot` is imported only when a graph is made; drawing an image also needs
Graphviz's `dot` program.
"""

import os
from typing import Any

from lamina.utils import tree

_PYDOT_MISSING = (
    "{caller} needs the pydot package, which is not installed. Install it "
    "with `pip install pydot`{graphviz}."
)
_GRAPHVIZ_HINT = (
    ", and the Graphviz system package for its `dot` program (`apt-get "
    "install graphviz`, `brew install graphviz`, `conda install graphviz`, or "
    "https://graphviz.org/download/)"
)
_GRAPHVIZ_MISSING = (
    "plot_model needs Graphviz's `dot` program, which was not found on PATH. "
    "Install the Graphviz system package (`apt-get install graphviz`, `brew "
    "install graphviz`, `conda install graphviz`, or https://graphviz.org/"
    "download/). model_to_dot(model).to_string() gives the DOT text without it."
)


def _import_pydot(caller: str) -> Any:
    try:
        import pydot
    except ImportError as err:
        hint = _GRAPHVIZ_HINT if caller == "plot_model" else ""
        raise ImportError(_PYDOT_MISSING.format(caller=caller, graphviz=hint)) from err
    return pydot


def _check_graphviz(pydot: Any) -> None:
    try:
        pydot.Dot.create(pydot.Dot())
    except (OSError, pydot.PydotException) as err:  # no `dot` binary to run
        raise ImportError(_GRAPHVIZ_MISSING) from err


def _activation_name(layer: Any) -> str:
    activation = layer.activation
    if hasattr(activation, "name"):
        return activation.name
    if hasattr(activation, "__name__"):
        return activation.__name__
    return str(activation)


def _format_shape(shape: Any) -> str:
    if shape is None:
        return "?"
    if isinstance(shape, dict):
        text = ", ".join(f"{key}: {value}" for key, value in shape.items())
    else:
        text = f"{shape}"
    return text.replace("}", "").replace("{", "")


def _symbolic(layer: Any, attribute: str, field: str) -> Any:
    try:
        value = getattr(layer, attribute)
    except (ValueError, AttributeError):  # never called on symbolic tensors
        return None
    return tree.map_structure(lambda tensor: getattr(tensor, field), value)


def _cell(text: str) -> str:
    return f'<td bgcolor="white"><font point-size="14">{text}</font></td>'


def _title_row(layer: Any, options: dict[str, bool], colspan: int) -> str:
    from lamina.layers.core.operation_call import shown_class_name

    class_name = shown_class_name(layer)
    title = f"<b>{layer.name}</b> ({class_name})"
    if not options["show_layer_names"]:
        title = f"<b>{class_name}</b>"
    row = (
        f'<tr><td colspan="{colspan}" bgcolor="black">'
        f'<font point-size="16" color="white">{title}</font></td></tr>'
    )
    if options["show_layer_activations"] and getattr(layer, "activation", None):
        row += (
            f'<tr><td bgcolor="white" colspan="{colspan}">'
            f'<font point-size="14">Activation: <b>{_activation_name(layer)}</b>'
            f"</font></td></tr>"
        )
    return row


def _detail_cells(layer: Any, options: dict[str, bool]) -> list[str]:
    cells = []
    if options["show_shapes"]:
        if type(layer).__name__ != "InputLayer":
            input_shape = _format_shape(_symbolic(layer, "input", "shape"))
            cells.append(_cell(f"Input shape: <b>{input_shape}</b>"))
        output_shape = _format_shape(_symbolic(layer, "output", "shape"))
        cells.append(_cell(f"Output shape: <b>{output_shape}</b>"))
    if options["show_dtype"]:
        dtype = _symbolic(layer, "output", "dtype")
        cells.append(_cell(f"Output dtype: <b>{dtype or '?'}</b>"))
    if options["show_trainable"] and layer.weights:
        color, text = ("forestgreen", "Trainable")
        if not layer.trainable:
            color, text = ("firebrick", "Non-trainable")
        cells.append(
            f'<td bgcolor="{color}"><font point-size="14" color="white">'
            f"<b>{text}</b></font></td>"
        )
    return cells


def _layer_label(layer: Any, options: dict[str, bool]) -> str:
    """The HTML-like table Keras draws for one layer."""
    flags = int(options["show_dtype"]) + int(options["show_trainable"])
    colspan = max(1, flags + (2 if options["show_shapes"] else 0))
    label = '<<table border="0" cellborder="1" bgcolor="black" cellpadding="10">'
    label += _title_row(layer, options, colspan)
    cells = _detail_cells(layer, options)
    if cells:
        label += f"<tr>{''.join(cells)}</tr>"
    return label + "</table>>"


def _make_node(pydot: Any, layer: Any, options: dict[str, bool]) -> Any:
    node = pydot.Node(str(id(layer)), label=_layer_label(layer, options))
    node.set("fontname", "Helvetica")
    node.set("border", "0")
    node.set("margin", "0")
    return node


def _add_edge(pydot: Any, dot: Any, source: Any, destination: Any) -> None:
    source_id, destination_id = str(id(source)), str(id(destination))
    if not dot.get_edge(source_id, destination_id):
        edge = pydot.Edge(source_id, destination_id)
        edge.set("penwidth", "2")
        dot.add_edge(edge)


def _is_graph_model(layer: Any) -> bool:
    from lamina.models.functional import Functional
    from lamina.models.sequential import Sequential

    return isinstance(layer, (Functional, Sequential))


def _output_layer(source: Any, output_index: int) -> Any:
    """The real layer inside nested models that produces output `output_index`."""
    while _is_graph_model(source):
        source, _, output_index = source.outputs[output_index]._keras_history
    return source


def _input_layer(destination: Any, input_index: int) -> Any:
    """The real layer inside nested models that receives input `input_index`."""
    from lamina.models.functional import Functional

    while _is_graph_model(destination):
        if isinstance(destination, Functional):
            destination = destination.inputs[input_index]._keras_history[0]
        else:
            destination = destination.layers[0]
    return destination


def _graph_edges(model: Any, expand_nested: bool) -> list[tuple[Any, Any]]:
    """`(source, destination)` layer pairs, as Keras's `model_to_dot` links them."""
    from lamina.models.sequential import Sequential

    layers = getattr(model, "operations", model.layers)
    if isinstance(model, Sequential):
        pairs = [(layers[i], layers[i + 1], 0, 0) for i in range(len(layers) - 1)]
    else:
        pairs = []
        for node in model._nodes:
            for input_index, tensor in enumerate(node.input_tensors):
                source, _, output_index = tensor._keras_history
                pairs.append((source, node.layer, output_index, input_index))
    if not expand_nested:
        return [(source, destination) for source, destination, _, _ in pairs]
    return [
        (_output_layer(source, out), _input_layer(destination, inp))
        for source, destination, out, inp in pairs
    ]


def _new_graph(pydot: Any, model: Any, subgraph: bool, settings: dict) -> Any:
    if subgraph:
        dot = pydot.Cluster(style="dashed", graph_name=model.name)
        dot.set("label", model.name)
        dot.set("labeljust", "l")
        return dot
    dot = pydot.Dot()
    dot.set("rankdir", settings["rankdir"])
    dot.set("concentrate", True)
    dot.set("dpi", settings["dpi"])
    dot.set("splines", settings["splines"])
    dot.set_node_defaults(shape="record")
    return dot


def _check_model(model: Any, caller: str, kwargs: dict[str, Any]) -> None:
    if kwargs.pop("layer_range", None) is not None:
        raise ValueError(
            f"{caller} no longer supports layer_range (Keras 3 dropped it). "
            f"Plot a sub-model built from the layers you want instead."
        )
    if kwargs:
        raise ValueError(
            f"{caller} received unknown keyword arguments {sorted(kwargs)}. "
            f"Valid ones: show_shapes, show_dtype, show_layer_names, rankdir, "
            f"expand_nested, dpi, show_layer_activations, show_trainable, splines."
        )
    if not getattr(model, "built", False):
        raise ValueError(
            f"{caller} received model '{model.name}', which has not been built "
            f"yet, so it has no graph. Give its first layer input_shape=(...), "
            f"call model.build(...), or call the model on a batch first."
        )


def model_to_dot(
    model: Any,
    show_shapes: bool = False,
    show_dtype: bool = False,
    show_layer_names: bool = True,
    rankdir: str = "TB",
    expand_nested: bool = False,
    dpi: int = 200,
    subgraph: bool = False,
    show_layer_activations: bool = False,
    show_trainable: bool = False,
    splines: str = "ortho",
    **kwargs: Any,
) -> Any:
    """Converts a model to a `pydot.Dot` graph of its layers.

    Each layer is a node labelled as Keras labels it; each edge goes from a
    layer to a layer that reads its output. A subclassed model is one node.
    Needs `pydot` (`pip install pydot`), but not Graphviz: `to_string()` on
    the result gives the DOT text.

    Args:
        model: A built model.
        show_shapes: Show input and output shapes. Defaults to `False`.
        show_dtype: Show output dtypes. Defaults to `False`.
        show_layer_names: Show layer names. Defaults to `True`.
        rankdir: `"TB"` (top to bottom) or `"LR"` (left to right).
            Defaults to `"TB"`.
        expand_nested: Draw nested models as clusters of their layers.
            Defaults to `False`.
        dpi: Image resolution in dots per inch. Defaults to `200`.
        subgraph: Return a `pydot.Cluster` (used for nested models).
            Defaults to `False`.
        show_layer_activations: Show the activation of layers that have one.
            Defaults to `False`.
        show_trainable: Mark layers with weights as trainable or not.
            Defaults to `False`.
        splines: How edges are drawn: `"ortho"`, `"curved"`, `"polyline"`,
            `"spline"` or `"line"`. Defaults to `"ortho"`.

    Returns:
        A `pydot.Dot`, or a `pydot.Cluster` when `subgraph=True`.

    Example:
    >>> import lamina
    >>> inputs = lamina.Input(shape=(4,), name="features")
    >>> outputs = lamina.layers.Dense(1, name="score")(inputs)
    >>> dot = model_to_dot(lamina.Model(inputs, outputs))
    >>> len(dot.get_edges()), "<b>score</b> (Dense)" in dot.to_string()
    (1, True)
    """
    _check_model(model, "model_to_dot", kwargs)
    pydot = _import_pydot("model_to_dot")
    settings = {"rankdir": rankdir, "dpi": dpi, "splines": splines}
    dot = _new_graph(pydot, model, subgraph, settings)
    options = {
        "show_layer_names": show_layer_names,
        "show_layer_activations": show_layer_activations,
        "show_dtype": show_dtype,
        "show_shapes": show_shapes,
        "show_trainable": show_trainable,
    }
    if not _is_graph_model(model):
        dot.add_node(_make_node(pydot, model, options))
        return dot
    for layer in getattr(model, "operations", model.layers):
        if expand_nested and _is_graph_model(layer):
            nested = model_to_dot(
                layer, show_shapes, show_dtype, show_layer_names, rankdir,
                expand_nested, subgraph=True,
                show_layer_activations=show_layer_activations,
                show_trainable=show_trainable,
            )  # fmt: skip
            dot.add_subgraph(nested)
        else:
            dot.add_node(_make_node(pydot, layer, options))
    for source, destination in _graph_edges(model, expand_nested):
        _add_edge(pydot, dot, source, destination)
    return dot


def plot_model(
    model: Any,
    to_file: str | os.PathLike = "model.png",
    show_shapes: bool = False,
    show_dtype: bool = False,
    show_layer_names: bool = False,
    rankdir: str = "TB",
    expand_nested: bool = False,
    dpi: int = 200,
    show_layer_activations: bool = False,
    show_trainable: bool = False,
    splines: str = "ortho",
    **kwargs: Any,
) -> Any:
    """Draws a model's layer graph into an image file.

    The format comes from the file's extension (`.png` when there is none;
    `.svg`, `.pdf`, `.jpg`, `.dot` work too). Needs `pydot` (`pip install
    pydot`) and Graphviz's `dot` program (the `graphviz` system package).

    Args:
        model: A built model.
        to_file: Path of the image to write. Defaults to `"model.png"`.
        show_shapes: Show input and output shapes. Defaults to `False`.
        show_dtype: Show output dtypes. Defaults to `False`.
        show_layer_names: Show layer names. Defaults to `False`.
        rankdir: `"TB"` (top to bottom) or `"LR"` (left to right).
            Defaults to `"TB"`.
        expand_nested: Draw nested models as clusters of their layers.
            Defaults to `False`.
        dpi: Image resolution in dots per inch. Defaults to `200`.
        show_layer_activations: Show the activation of layers that have one.
            Defaults to `False`.
        show_trainable: Mark layers with weights as trainable or not.
            Defaults to `False`.
        splines: How edges are drawn: `"ortho"`, `"curved"`, `"polyline"`,
            `"spline"` or `"line"`. Defaults to `"ortho"`.

    Returns:
        An `IPython.display.Image` (or `SVG`) of the file when IPython is
        installed, so notebooks show it; else `None`.

    Example:
    >>> import lamina, shutil, tempfile, os
    >>> model = lamina.Sequential([lamina.layers.Dense(1, input_shape=(4,))])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.png")
    >>> if shutil.which("dot"):
    ...     _ = plot_model(model, to_file=path, show_shapes=True)
    ...     assert os.path.getsize(path) > 0
    """
    _check_model(model, "plot_model", kwargs)
    pydot = _import_pydot("plot_model")
    _check_graphviz(pydot)
    dot = model_to_dot(
        model,
        show_shapes=show_shapes,
        show_dtype=show_dtype,
        show_layer_names=show_layer_names,
        rankdir=rankdir,
        expand_nested=expand_nested,
        dpi=dpi,
        show_layer_activations=show_layer_activations,
        show_trainable=show_trainable,
        splines=splines,
    )
    to_file = os.fspath(to_file)
    extension = os.path.splitext(to_file)[1][1:] or "png"
    dot.write(to_file, format=extension)
    return _notebook_image(to_file, extension)


def _notebook_image(path: str, extension: str) -> Any:
    """An IPython object showing the file inline, for the formats it can show."""
    if extension not in ("png", "jpg", "jpeg", "svg"):
        return None
    try:
        from IPython import display
    except ImportError:  # not in a notebook environment: nothing to show
        return None
    if extension == "svg":
        return display.SVG(filename=path)
    return display.Image(filename=path)
