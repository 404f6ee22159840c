import lamina
from lamina.utils.source_inputs import get_source_inputs


def test_get_source_inputs_lists_each_input_once():
    a = lamina.Input(shape=(2,), name="a")
    b = lamina.Input(shape=(2,), name="b")
    left = lamina.layers.Dense(2)(a)
    merged = lamina.layers.Add()([left, b, a])
    sources = get_source_inputs(lamina.layers.Dense(1)(merged))
    assert len(sources) == 2
    assert sources[0] is a and sources[1] is b


def test_get_source_inputs_of_an_input_is_itself():
    a = lamina.Input(shape=(3,))
    assert get_source_inputs(a) == [a]


def test_get_source_inputs_passes_non_symbolic_values_through():
    assert get_source_inputs(5) == 5


def test_get_source_inputs_through_a_nested_model():
    inner_in = lamina.Input(shape=(3,))
    inner = lamina.Model(inner_in, lamina.layers.Dense(2)(inner_in))
    outer_in = lamina.Input(shape=(3,), name="outer")
    sources = get_source_inputs(inner(outer_in))
    assert len(sources) == 1 and sources[0] is outer_in
