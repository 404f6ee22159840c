"""`name_scope`: nested scopes and the weight paths they prefix."""

import threading

import pytest

import lamina
from lamina.backend.name_scope import current_path
from lamina.backend.name_scope import name_scope


def test_name_scope_nests_and_unwinds():
    assert current_path() == ""
    with name_scope("outer"):
        with name_scope("inner"):
            assert current_path() == "outer/inner"
        assert current_path() == "outer"
    assert current_path() == ""


def test_name_scope_unwinds_after_an_error():
    with pytest.raises(KeyError), name_scope("broken"):
        raise KeyError("inside")
    assert current_path() == ""


def test_name_scope_same_caller_does_not_nest_twice():
    owner = object()
    with name_scope("block", caller=owner), name_scope("block", caller=owner):
        assert current_path() == "block"
    with name_scope("block", caller=owner):
        with name_scope("block", caller=owner, deduplicate=False):
            assert current_path() == "block/block"


def test_name_scope_override_parent_replaces_enclosing_scopes():
    with name_scope("a"), name_scope("b", override_parent="root/x"):
        assert current_path() == "root/x/b"


def test_name_scope_rejects_slashes():
    with pytest.raises(ValueError, match="without '/'.*name='a/b'"):
        name_scope("a/b")


def test_name_scope_is_per_thread():
    seen = []
    with name_scope("main"):
        worker = threading.Thread(target=lambda: seen.append(current_path()))
        worker.start()
        worker.join()
    assert seen == [""]


def test_name_scope_prefixes_weights_made_inside():
    with lamina.name_scope("encoder"), lamina.name_scope("block_1"):
        inner = lamina.layers.Dense(2, name="proj")
        inner.build((None, 3))
    outside = lamina.layers.Dense(2, name="head")
    outside.build((None, 3))
    assert inner.kernel.path == "encoder/block_1/proj/kernel"
    assert outside.kernel.path == "head/kernel"


def test_a_variable_made_in_a_scope_has_the_scoped_path():
    with lamina.name_scope("outer"):
        variable = lamina.Variable(1.0, name="w")
    assert (variable.path, variable.name) == ("outer/w", "w")
