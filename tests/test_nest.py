"""autotrace.nest: flatten / pack_sequence_as / map_structure / assert_same_structure."""
import collections

import pytest

import autotrace as tf
from autotrace import nest

Point = collections.namedtuple("Point", "x y")
Other = collections.namedtuple("Other", "x y")


@pytest.mark.parametrize("structure, leaves", [
    (1, [1]),
    (None, [None]),
    ("abc", ["abc"]),
    ([], []),
    ([1, 2, 3], [1, 2, 3]),
    ((1, (2, 3)), [1, 2, 3]),
    (Point(1, 2), [1, 2]),
    ({"b": 1, "a": 2}, [2, 1]),  # dicts flatten in sorted-key order
    (collections.OrderedDict([("b", 1), ("a", 2)]), [2, 1]),  # as TF: sorted too
    ({"b": [1, 2], "a": (3,), "c": Point(4, {"z": 5, "y": 6})}, [3, 1, 2, 4, 6, 5]),
    ([[], (), {}], []),
    ({1, 2}, [{1, 2}]),  # sets are leaves
])
def test_flatten(structure, leaves):
    assert nest.flatten(structure) == leaves
    assert nest.is_nested(structure) == isinstance(structure, (list, tuple, dict))


def test_tensors_are_leaves():
    t = tf.constant([1, 2])
    assert nest.flatten([t, {"a": t}])[1] is t
    assert not nest.is_nested(t)


@pytest.mark.parametrize("structure", [
    [1, [2, (3, 4)]],
    Point(1, (2, 3)),
    {"b": [1, 2], "a": (3,)},
    collections.OrderedDict([("b", 1), ("a", 2)]),
    [Point(x=[1], y={"k": 2}), ()],
])
def test_pack_sequence_as_round_trips(structure):
    flat = nest.flatten(structure)
    packed = nest.pack_sequence_as(structure, [v * 10 for v in flat])
    assert type(packed) is type(structure)
    assert nest.flatten(packed) == [v * 10 for v in flat]
    nest.assert_same_structure(structure, packed)


def test_pack_keeps_types_and_key_order():
    packed = nest.pack_sequence_as({"b": [0, 0], "a": (0,)}, [7, 8, 9])
    assert packed == {"a": (7,), "b": [8, 9]} and list(packed) == ["b", "a"]
    od = nest.pack_sequence_as(collections.OrderedDict([("b", 0), ("a", 0)]), [10, 20])
    assert od == collections.OrderedDict([("b", 20), ("a", 10)])
    p = nest.pack_sequence_as(Point(0, (0, 0)), [1, 2, 3])
    assert p == Point(1, (2, 3)) and isinstance(p, Point)
    assert nest.pack_sequence_as(5, ["x"]) == "x"
    assert nest.pack_sequence_as([[], ()], []) == [[], ()]


def test_pack_sequence_as_errors():
    with pytest.raises(ValueError) as err:
        nest.pack_sequence_as([1, 2], [1, 2, 3])
    assert str(err.value) == ("Could not pack sequence: the structure has 2 leaves but "
                              "flat_sequence has 3 items. Structure: [1, 2], flat_sequence: "
                              "[1, 2, 3]")
    with pytest.raises(ValueError, match="the structure has 3 leaves but flat_sequence has 2"):
        nest.pack_sequence_as([1, [2, 3]], [1, 2])
    with pytest.raises(ValueError, match=r"the structure is a single leaf \(1\) but "
                                         r"flat_sequence has 2 items"):
        nest.pack_sequence_as(1, [1, 2])


def test_map_structure():
    assert nest.map_structure(lambda a, b: a + b, [1, (2, 3)], [10, (20, 30)]) == [11, (22, 33)]
    assert nest.map_structure(lambda a: a * 2, {"b": 1, "a": Point(2, 3)}) == \
        {"b": 2, "a": Point(4, 6)}
    assert nest.map_structure(str, 5) == "5"
    assert nest.map_structure(lambda a, b: (a, b), [1], (2,), check_types=False) == [(1, 2)]
    t = nest.map_structure(lambda x: x + 1, {"t": tf.constant(1)})["t"]
    assert t.numpy() == 2


def test_map_structure_errors():
    with pytest.raises(ValueError, match="at least one structure"):
        nest.map_structure(lambda: 0)
    with pytest.raises(ValueError, match="the first has 1 elements but the second 2"):
        nest.map_structure(lambda a, b: a, [1], [1, 2])
    with pytest.raises(TypeError, match="the first is of type list but the second of type tuple"):
        nest.map_structure(lambda a, b: a, [1], (1,))
    with pytest.raises(TypeError, match="func must be callable"):
        nest.map_structure(1, [1])


def test_assert_same_structure_accepts():
    nest.assert_same_structure([1, (2, {"a": 3})], ["x", ("y", {"a": "z"})])
    nest.assert_same_structure(1, "leaf")
    nest.assert_same_structure([1, 2], (1, 2), check_types=False)
    nest.assert_same_structure(Point(1, 2), Point("a", "b"))


def test_assert_same_structure_golden_message():
    with pytest.raises(ValueError) as err:
        nest.assert_same_structure([1, 2], [1, 2, 3])
    assert str(err.value) == (
        "The two structures don't have the same nested structure.\n\nFirst structure: [1, 2]\n\n"
        "Second structure: [1, 2, 3]\n\nMore specifically: at the top level, the first has 2 "
        "elements but the second 3")


@pytest.mark.parametrize("a, b, error, detail", [
    ([1, 2], (1, 2), TypeError, "at the top level, the first is of type list but the second "
                                "of type tuple"),
    (Point(1, 2), (1, 2), TypeError, "at the top level, the first is of type Point but the "
                                     "second of type tuple"),
    (Point(1, 2), Other(1, 2), TypeError, "at the top level, the first is of type Point but "
                                          "the second of type Other"),
    ({"a": 1}, {"b": 1}, ValueError, "at the top level, the dicts have different keys: ['a'] "
                                     "vs ['b']"),
    ({"a": 1}, [1], TypeError, "at the top level, the first is of type dict but the second of "
                               "type list"),
    ([1, [2]], [1, 2], ValueError, "at [1], the first is a sequence (list) but the second is "
                                   "not (2)"),
    ([1, 2], [[1], 2], ValueError, "at [0], the second is a sequence (list) but the first is "
                                   "not (1)"),
    ({"a": [1, (2,)]}, {"a": [1, [2]]}, TypeError, "at ['a'][1], the first is of type tuple "
                                                   "but the second of type list"),
    ([[1, 2]], [[1]], ValueError, "at [0], the first has 2 elements but the second 1"),
])
def test_assert_same_structure_names_the_difference(a, b, error, detail):
    with pytest.raises(error) as err:
        nest.assert_same_structure(a, b)
    assert str(err.value).endswith("More specifically: " + detail)


def test_unsortable_keys():
    with pytest.raises(TypeError, match="dict keys must be sortable"):
        nest.flatten({1: "a", "b": 2})


def test_flatten_with_paths():
    assert nest.flatten_with_paths({"b": [1, 2], "a": (3,)}) == [
        (("a", 0), 3), (("b", 0), 1), (("b", 1), 2)]
    assert nest.flatten_with_paths(7) == [((), 7)]
