import shutil
import sys

import pytest

import lamina
from lamina.utils.model_visualization import model_to_dot
from lamina.utils.model_visualization import plot_model

needs_graphviz = pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz's dot program is not installed"
)


def _functional():
    a = lamina.Input(shape=(4,), name="a")
    b = lamina.Input(shape=(3,), name="b")
    hidden = lamina.layers.Dense(5, activation="relu", name="hidden")(a)
    merged = lamina.layers.Concatenate(name="merged")([hidden, b])
    out = lamina.layers.Dense(1, name="out")(merged)
    return lamina.Model([a, b], out, name="two_inputs")


def _labels_and_edges(dot):
    labels = {n.get_name(): n.get("label") for n in dot.get_nodes()}
    labels.pop("node", None)  # the node-defaults entry
    edges = {
        (labels[e.get_source()], labels[e.get_destination()]) for e in dot.get_edges()
    }
    return labels, edges


def _name_of(label):
    return label.split("<b>")[1].split("</b>")[0]


def test_model_to_dot_functional_nodes_and_edges():
    labels, edges = _labels_and_edges(model_to_dot(_functional()))
    assert sorted(map(_name_of, labels.values())) == [
        "a",
        "b",
        "hidden",
        "merged",
        "out",
    ]
    named = {(_name_of(s), _name_of(d)) for s, d in edges}
    assert named == {
        ("a", "hidden"),
        ("hidden", "merged"),
        ("b", "merged"),
        ("merged", "out"),
    }


def test_model_to_dot_shows_shapes_dtype_activation_trainable():
    model = _functional()
    model.get_layer("out").trainable = False
    text = model_to_dot(
        model, show_shapes=True, show_dtype=True,
        show_layer_activations=True, show_trainable=True,
    ).to_string()  # fmt: skip
    assert "Input shape: <b>[(None, 5), (None, 3)]</b>" in text
    assert "Output shape: <b>(None, 8)</b>" in text
    assert "Output dtype: <b>float32</b>" in text
    assert "Activation: <b>relu</b>" in text
    assert "<b>Non-trainable</b>" in text and "<b>Trainable</b>" in text


def test_model_to_dot_hides_layer_names():
    text = model_to_dot(_functional(), show_layer_names=False).to_string()
    assert "<b>hidden</b>" not in text and "<b>Dense</b>" in text


def test_model_to_dot_graph_settings():
    dot = model_to_dot(_functional(), rankdir="LR", dpi=96)
    assert dot.get("rankdir") == "LR" and dot.get("dpi") == 96


def test_model_to_dot_sequential_chain():
    model = lamina.Sequential(
        [
            lamina.layers.Dense(4, input_shape=(3,), name="d0"),
            lamina.layers.Dense(1, name="d1"),
        ]
    )
    labels, edges = _labels_and_edges(model_to_dot(model))
    assert {(_name_of(s), _name_of(d)) for s, d in edges} == {("d0", "d1")}


def test_model_to_dot_expand_nested_links_inner_layers():
    inner_in = lamina.Input(shape=(3,), name="inner_in")
    inner = lamina.Model(
        inner_in, lamina.layers.Dense(2, name="inner_dense")(inner_in), name="inner"
    )
    outer_in = lamina.Input(shape=(3,), name="outer_in")
    out = lamina.layers.Dense(1, name="head")(inner(outer_in))
    model = lamina.Model(outer_in, out)
    collapsed = model_to_dot(model).to_string()
    assert "<b>inner</b>" in collapsed and "inner_dense" not in collapsed
    dot = model_to_dot(model, expand_nested=True)
    assert [g.get_name() for g in dot.get_subgraphs()] == ["cluster_inner"]
    labels = {n.get_name(): n.get("label") for n in dot.get_subgraphs()[0].get_nodes()}
    labels.update({n.get_name(): n.get("label") for n in dot.get_nodes()})
    edges = {(_name_of(labels[e.get_source()]), _name_of(labels[e.get_destination()]))
             for e in dot.get_edges()}  # fmt: skip
    assert ("outer_in", "inner_in") in edges and ("inner_dense", "head") in edges


def test_model_to_dot_subclassed_model_is_one_node():
    class Tiny(lamina.Model):
        def __init__(self):
            super().__init__(name="tiny")
            self.dense = lamina.layers.Dense(1)

        def call(self, inputs):
            return self.dense(inputs)

    model = Tiny()
    model.build((None, 2))
    labels, edges = _labels_and_edges(model_to_dot(model))
    assert list(map(_name_of, labels.values())) == ["tiny"] and not edges


def test_model_to_dot_rejects_unbuilt_model_and_unknown_arguments():
    with pytest.raises(ValueError, match="has not been built"):
        model_to_dot(lamina.Sequential([lamina.layers.Dense(1)]))
    with pytest.raises(ValueError, match="layer_range"):
        model_to_dot(_functional(), layer_range=["a", "out"])
    with pytest.raises(ValueError, match="unknown keyword arguments"):
        model_to_dot(_functional(), colour=True)


def test_missing_pydot_names_pip_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "pydot", None)
    with pytest.raises(ImportError, match="pip install pydot"):
        model_to_dot(_functional())
    with pytest.raises(ImportError, match="graphviz"):
        plot_model(_functional())


def test_plot_model_without_dot_program_says_install_graphviz(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ImportError, match="apt-get install graphviz"):
        plot_model(_functional(), to_file=tmp_path / "m.png")
    assert not (tmp_path / "m.png").exists()


@needs_graphviz
def test_plot_model_writes_a_real_png(tmp_path):
    from PIL import Image

    path = tmp_path / "model.png"
    plot_model(_functional(), to_file=path, show_shapes=True, dpi=48)
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.size[0] > 50 and image.size[1] > 100  # a tall graph of 5 boxes


@needs_graphviz
def test_plot_model_format_from_extension(tmp_path):
    path = tmp_path / "model.svg"
    plot_model(_functional(), to_file=path, show_layer_names=True)
    text = path.read_text()
    assert text.lstrip().startswith("<?xml") and "hidden" in text
