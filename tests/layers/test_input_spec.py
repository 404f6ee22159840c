"""`InputSpec`, and `Layer.__call__` checking `self.input_spec` as Keras does."""

import numpy as np
import pytest
import torch

import lamina
from lamina.layers import InputSpec


class Passthrough(lamina.layers.Layer):
    """Returns its input; checks it against the spec given to the constructor."""

    def __init__(self, spec, **kwargs):
        super().__init__(**kwargs)
        self.input_spec = spec

    def call(self, inputs):
        return inputs


class SpecInBuild(lamina.layers.Layer):
    """Sets its spec in `build`, as Keras's Dense does: the last axis is fixed."""

    def build(self, input_shape):
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_shape[-1]})

    def call(self, inputs):
        return inputs


def _call(spec, value, name="check"):
    return Passthrough(spec, name=name)(value)


def test_input_spec_accepts_matching_input():
    spec = InputSpec(dtype="float32", shape=(None, 3), axes={-1: 3})
    assert _call(spec, np.ones((4, 3), "float32")).shape == (4, 3)


@pytest.mark.parametrize(
    ("spec", "value", "phrase"),
    [
        (InputSpec(ndim=2), torch.ones(2, 3, 4), "expected ndim=2, found ndim=3"),
        (InputSpec(min_ndim=3), torch.ones(2, 3), "expected min_ndim=3, found ndim=2"),
        (InputSpec(max_ndim=2), torch.ones(1, 2, 3), "expected max_ndim=2"),
        (InputSpec(axes={-1: 5}), torch.ones(2, 3), "expected axis -1 of input"),
        (InputSpec(shape=(None, 5)), torch.ones(2, 3), "expected shape=\\(None, 5\\)"),
        (InputSpec(dtype="int64"), torch.ones(2), "expected dtype=int64, found"),
    ],
)
def test_input_spec_violation_names_the_layer(spec, value, phrase):
    pattern = f"Input 0 of layer 'check' \\(Passthrough\\) is incompatible.*{phrase}"
    with pytest.raises(ValueError, match=pattern):
        _call(spec, value)


def test_input_spec_checks_symbolic_calls():
    layer = Passthrough(InputSpec(ndim=2), name="flat_only")
    with pytest.raises(ValueError, match="layer 'flat_only'.*expected ndim=2"):
        layer(lamina.Input((3, 4)))


def test_input_spec_set_in_build_is_checked_after_build():
    layer = SpecInBuild(name="late")
    layer(torch.ones(2, 3))
    with pytest.raises(ValueError, match="layer 'late'.*axis -1 .* value 3"):
        layer(torch.ones(2, 4))


def test_input_spec_last_axis_squeeze():
    spec = InputSpec(shape=(None, 28, 28, 1), allow_last_axis_squeeze=True)
    assert _call(spec, torch.ones(2, 28, 28)).shape == (2, 28, 28)
    assert _call(spec, torch.ones(2, 28, 28, 1)).shape == (2, 28, 28, 1)


def test_input_spec_list_needs_one_tensor_per_spec():
    specs = [InputSpec(ndim=2), InputSpec(ndim=2)]
    with pytest.raises(ValueError, match="expects 2 input\\(s\\), but it received 1"):
        _call(specs, [torch.ones(1, 2)])
    with pytest.raises(ValueError, match="Input 1 of layer 'check'"):
        _call(specs, [torch.ones(1, 2), torch.ones(1)])


def test_input_spec_named_specs_read_dict_inputs():
    specs = [InputSpec(ndim=2, name="a"), InputSpec(ndim=1, name="b")]
    _call(specs, {"b": torch.ones(3), "a": torch.ones(1, 2)})
    with pytest.raises(ValueError, match="\\['b'\\] missing"):
        _call(specs, {"a": torch.ones(1, 2)})


def test_input_spec_optional_input_may_be_none():
    specs = [InputSpec(ndim=2), InputSpec(ndim=2, optional=True)]
    _call(specs, [torch.ones(1, 2), None])


def test_input_spec_rejects_non_tensors():
    with pytest.raises(ValueError, match="inputs to a layer should be tensors"):
        _call([InputSpec(), InputSpec()], [torch.ones(1), "text"])


def test_input_spec_shape_sets_ndim():
    assert InputSpec(shape=(None, 3)).ndim == 2


def test_input_spec_rejects_axes_beyond_rank():
    with pytest.raises(ValueError, match="axis 3 does not exist"):
        InputSpec(ndim=2, axes={3: 1})


def test_input_spec_rejects_shape_that_is_not_a_sequence():
    with pytest.raises(TypeError, match="expected shape to be a tuple"):
        InputSpec(shape=3)


def test_input_spec_rejects_non_integer_axes():
    with pytest.raises(TypeError, match="axes to be a dict with integer keys"):
        InputSpec(axes={"last": 3})


def test_input_spec_config_round_trip_and_repr():
    spec = InputSpec(dtype="float16", shape=(None, 4), axes={-1: 4})
    restored = InputSpec.from_config(spec.get_config())
    assert restored.get_config() == spec.get_config()
    assert (
        repr(spec) == "InputSpec(dtype=float16, shape=(None, 4), ndim=2, axes={-1: 4})"
    )


def test_input_spec_none_by_default():
    assert lamina.layers.Dense(2).input_spec is None
