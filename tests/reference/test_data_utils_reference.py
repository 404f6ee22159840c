"""split_dataset, model_to_dot and get_source_inputs against real Keras 3."""

import numpy as np
import pytest

import lamina
from lamina.utils.dataset_utils import split_dataset
from lamina.utils.model_visualization import model_to_dot


@pytest.mark.parametrize(
    "kwargs",
    [
        {"left_size": 0.7, "shuffle": True, "seed": 3},
        {"right_size": 4, "shuffle": True, "seed": 1},
        {"left_size": 0.25, "shuffle": True, "seed": 5},
        {"left_size": 6, "right_size": 0.4, "shuffle": True, "seed": 11},
    ],
)
def test_split_dataset_picks_the_same_samples_as_keras(keras, kwargs):
    rng = np.random.default_rng(0)
    data = (rng.random((10, 3)).astype("float32"), np.arange(10))
    expected = keras.utils.split_dataset(data, **kwargs)
    received = split_dataset(data, **kwargs)
    for keras_part, lamina_part in zip(expected, received, strict=True):
        assert len(keras_part) == len(lamina_part)
        for keras_sample, lamina_sample in zip(keras_part, lamina_part, strict=True):
            for a, b in zip(keras_sample, lamina_sample, strict=True):
                np.testing.assert_array_equal(np.asarray(a), b.numpy())


def test_split_dataset_sizes_equal_keras_without_shuffle(keras):
    for kwargs in ({"left_size": 0.35}, {"right_size": 3}, {"left_size": 0.5}):
        expected = keras.utils.split_dataset(np.arange(17), **kwargs)
        received = split_dataset(np.arange(17), **kwargs)
        assert [len(part) for part in received] == [len(part) for part in expected]


def _build(library):
    a = library.Input(shape=(4,), name="a")
    b = library.Input(shape=(3,), name="b")
    hidden = library.layers.Dense(5, activation="relu", name="hidden")(a)
    merged = library.layers.Concatenate(name="merged")([hidden, b])
    out = library.layers.Dense(1, activation="sigmoid", name="out")(merged)
    return library.Model([a, b], out, name="two_inputs")


def _graph(dot):
    labels = {n.get_name(): n.get("label") for n in dot.get_nodes()}
    labels.pop("node", None)
    edges = {
        (labels[e.get_source()], labels[e.get_destination()]) for e in dot.get_edges()
    }
    return set(labels.values()), edges, dot.get_attributes()


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"show_shapes": True},
        {"show_layer_names": False, "rankdir": "LR", "dpi": 96},
        {"show_shapes": True, "show_dtype": True, "show_layer_activations": True,
         "show_trainable": True},
    ],
)  # fmt: skip
def test_model_to_dot_labels_and_edges_equal_keras(keras, options):
    expected = _graph(keras.utils.model_to_dot(_build(keras), **options))
    received = _graph(model_to_dot(_build(lamina), **options))
    assert received == expected


def test_get_source_inputs_same_structure_as_keras(keras):
    def names(library):
        a = library.Input(shape=(2,), name="a")
        b = library.Input(shape=(2,), name="b")
        added = library.layers.Add()([library.layers.Dense(2)(b), a, b])
        sources = library.utils.get_source_inputs(library.layers.Dense(1)(added))
        return [t.name for t in sources], library.utils.get_source_inputs(a) == [a]

    assert names(lamina) == names(keras)
