"""`lamina.tree`: Keras's API for nested lists, tuples, dicts and namedtuples."""

import collections

import pytest
import torch

from lamina import tree

Point = collections.namedtuple("Point", ["x", "y"])


def test_tree_is_nested_only_for_containers():
    assert tree.is_nested([1]) and tree.is_nested((1,)) and tree.is_nested({})
    assert tree.is_nested(collections.deque([1]))
    assert not tree.is_nested(None)
    assert not tree.is_nested(torch.ones(2))
    assert not tree.is_nested("text")


def test_tree_flatten_sorts_dicts_but_keeps_ordered_dicts():
    assert tree.flatten({"b": 1, "a": 2}) == [2, 1]
    ordered = collections.OrderedDict([("b", 1), ("a", 2)])
    assert tree.flatten(ordered) == [1, 2]
    assert tree.flatten([None, (1, None)]) == [None, 1, None]


def test_tree_flatten_rejects_unsortable_keys():
    with pytest.raises(TypeError, match="cannot be sorted"):
        tree.flatten({1: "a", "b": 2})


def test_tree_flatten_with_path_uses_indices_and_keys():
    assert tree.flatten_with_path({"b": [1, {"c": 2}], "a": 3}) == [
        (("a",), 3),
        (("b", 0), 1),
        (("b", 1, "c"), 2),
    ]
    assert tree.flatten_with_path(Point(1, 2)) == [((0,), 1), ((1,), 2)]


def test_tree_pack_sequence_as_rebuilds_every_container_type():
    structure = {
        "point": Point(0, 0),
        "deque": collections.deque([0]),
        "default": collections.defaultdict(list, {"k": 0}),
    }
    packed = tree.pack_sequence_as(structure, [1, 2, 3, 4])
    assert packed["default"] == {"k": 1} and packed["default"].default_factory is list
    assert packed["deque"] == collections.deque([2])
    assert packed["point"] == Point(3, 4)


def test_tree_pack_sequence_as_rejects_wrong_leaf_count():
    with pytest.raises(ValueError, match="received 1 leaves, but the structure"):
        tree.pack_sequence_as([0, 0], [1])


def test_tree_map_structure_over_several_structures():
    assert tree.map_structure(lambda a, b: a + b, [1, (2,)], [10, (20,)]) == [
        11,
        (22,),
    ]
    products = tree.map_structure(
        lambda a, b: a * b, {"b": 2, "a": 1}, {"a": 3, "b": 4}
    )
    assert products == {"a": 3, "b": 8}
    assert tree.map_structure(lambda v: v * 2, Point(1, 2)) == Point(2, 4)


def test_tree_map_structure_none_is_leaf_false_skips_none():
    assert tree.map_structure(lambda v: 1, [None, 2], none_is_leaf=False) == [None, 1]
    with pytest.raises(ValueError, match="none_is_leaf=False met None"):
        tree.map_structure(lambda a, b: a, [None], [1], none_is_leaf=False)


def test_tree_map_structure_rejects_different_layouts():
    with pytest.raises(ValueError, match="don't have the same nested structure"):
        tree.map_structure(lambda a, b: a, [1, 2], [1, 2, 3])


def test_tree_map_functions_need_a_structure():
    with pytest.raises(TypeError, match="needs at least one structure"):
        tree.map_structure(str)
    with pytest.raises(TypeError, match="needs at least one structure"):
        tree.map_structure_up_to([None], str)


def test_tree_map_structure_up_to_maps_subtrees():
    result = tree.map_structure_up_to([None, [None, None]], str, [[1, 1], [2, 2]])
    assert result == ["[1, 1]", ["2", "2"]]
    with pytest.raises(ValueError, match="shallow structure and a structure"):
        tree.map_structure_up_to([None, [None]], str, [1, 2])


def test_tree_assert_same_structure_checks_types_and_keys():
    tree.assert_same_structure({"a": 1, "b": 2}, {"b": 3, "a": 4})
    tree.assert_same_structure({"a": 1}, collections.OrderedDict(a=2))
    with pytest.raises(ValueError, match="list at path \\(\\) in the first, tuple"):
        tree.assert_same_structure([1, 2], (1, 2))
    with pytest.raises(ValueError, match="has keys \\['a'\\] in the first"):
        tree.assert_same_structure({"a": 1}, {"b": 1})
    with pytest.raises(ValueError, match="the leaf 2 in the second"):
        tree.assert_same_structure([1, [2]], [1, 2])


def test_tree_assert_same_structure_check_types_is_deprecated():
    with pytest.warns(DeprecationWarning, match="check_types"):
        tree.assert_same_structure([1], [2], check_types=True)


def test_tree_assert_same_paths_ignores_container_types():
    tree.assert_same_paths([0, 1], (2, 3))
    with pytest.raises(ValueError, match="Paths in `b` missing in `a`: \\[\\(2,\\)\\]"):
        tree.assert_same_paths([1, 2], [1, 2, 3])


def test_tree_traverse_top_down_stops_at_replaced_subtrees():
    result = tree.traverse(lambda v: 0 if isinstance(v, tuple) else None, [1, (2, 3)])
    assert result == [1, 0]


def test_tree_traverse_map_to_none_puts_none():
    result = tree.traverse(
        lambda v: tree.MAP_TO_NONE if v == 2 else None, [1, (2, 3)], top_down=False
    )
    assert result == [1, (None, 3)]


def test_tree_lists_to_tuples_and_map_shape_structure():
    assert tree.lists_to_tuples([1, [2, {"a": [3]}]]) == (1, (2, {"a": (3,)}))
    shapes = {"a": (None, 3), "b": [(1, 2), (3,)], "c": 5}
    assert tree.map_shape_structure(str, shapes) == {
        "a": "(None, 3)",
        "b": ["(1, 2)", "(3,)"],
        "c": "5",
    }
