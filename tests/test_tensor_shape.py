"""TensorShape (unknown dims and rank, compatibility, merging) and TensorSpec."""
import pickle

import numpy as np
import pytest

import autotrace as tf
from autotrace.core.tensor_shape import TensorShape, TensorSpec, as_shape

S = TensorShape


def test_construction_and_queries():
    s = S([None, 3])
    assert s.rank == 2 and s.ndims == 2
    assert s.dims == [None, 3] and s.as_list() == [None, 3]
    assert not s.is_fully_defined() and s.num_elements() is None
    assert S([2, 3]).num_elements() == 6 and S([]).num_elements() == 1
    assert S([0, 5]).num_elements() == 0
    assert S(4) == S([4])
    assert S(S([1, 2])) == S([1, 2])
    assert S((1, 2)).as_tuple() == (1, 2)


def test_unknown_rank():
    s = S(None)
    assert s.rank is None and s.dims is None and s.num_elements() is None
    assert not s.is_fully_defined() and not bool(s)
    with pytest.raises(ValueError, match=r"as_list\(\) is not defined on a TensorShape of "
                                         r"unknown rank"):
        s.as_list()
    with pytest.raises(ValueError):
        len(s)
    with pytest.raises(ValueError):
        iter(s)
    assert s[0] is None and s[1:] == S(None)


@pytest.mark.parametrize("bad, error", [(["a"], TypeError), ([1.5], TypeError), ([2.0], TypeError),
                                        ([-1], ValueError), (object(), TypeError)])
def test_bad_dims(bad, error):
    with pytest.raises(error):
        S(bad)


@pytest.mark.parametrize("a, b, compatible", [
    ([None, 3], [5, 3], True), ([None, 3], [5, 4], False), ([2], [2, 1], False),
    (None, [1, 2, 3], True), ([1, 2], None, True), ([], [], True), ([None], [None], True),
    ([], [1], False),
])
def test_is_compatible_with(a, b, compatible):
    assert S(a).is_compatible_with(b) is compatible
    assert S(b).is_compatible_with(S(a)) is compatible


@pytest.mark.parametrize("a, b, merged", [
    ([None, 3], [5, None], [5, 3]), (None, [1, None], [1, None]), ([1, None], None, [1, None]),
    ([None], [None], [None]), ([], [], []),
])
def test_merge_with(a, b, merged):
    assert S(a).merge_with(b) == S(merged)


def test_merge_with_error_text():
    with pytest.raises(ValueError) as err:
        S([1, 2]).merge_with([2, 2])
    assert str(err.value) == "Shapes (1, 2) and (2, 2) are not compatible"
    with pytest.raises(ValueError, match="are not compatible"):
        S([1]).merge_with([1, 1])


def test_assert_is_compatible_with():
    S([None, 2]).assert_is_compatible_with([3, 2])
    with pytest.raises(ValueError, match=r"Shapes \(1,\) and \(2,\) are incompatible"):
        S([1]).assert_is_compatible_with([2])


@pytest.mark.parametrize("a, b, expected", [
    ([None, 2], [3, 2], [None, 2]), ([1, 2], [1, 2], [1, 2]), ([1, 2], [3, 4], [None, None]),
    ([1], [1, 2], None), (None, [1], None),
])
def test_most_specific_compatible_shape(a, b, expected):
    assert S(a).most_specific_compatible_shape(b) == S(expected)


@pytest.mark.parametrize("a, b, expected", [
    ([1, 2], [None, 2], True), ([None, 2], [1, 2], False), ([1], None, True),
    (None, [1], False), ([1], [1, 1], False),
])
def test_is_subtype_of(a, b, expected):
    assert S(a).is_subtype_of(b) is expected


def test_concatenate_and_rank_checks():
    assert S([1]).concatenate([2, None]) == S([1, 2, None])
    assert S([1]) + [2] == S([1, 2]) and [0] + S([1]) == S([0, 1])
    assert S(None).concatenate([1]) == S(None)
    assert S(None).with_rank(2) == S([None, None])
    with pytest.raises(ValueError, match="must have rank 3"):
        S([1, 2]).with_rank(3)
    with pytest.raises(ValueError, match="must have rank at least 3"):
        S([1, 2]).with_rank_at_least(3)
    assert S([1, 2]).with_rank_at_least(1) == S([1, 2])


def test_equality_with_lists_tuples_and_none():
    assert S([1, 2]) == [1, 2] and S([1, 2]) == (1, 2) and S([1]) == S([1])
    assert S([1, 2]) != [1, 3] and S([1, 2]) != [1, 2, 3]
    assert S(None) == None and S(None) == S(None)  # noqa: E711
    assert S([None]) == S([None])
    assert S([2]) != S(None)
    assert S([1]) != "abc" and not (S([1]) == object())
    assert hash(S([1, None])) == hash(S([1, None]))


def test_indexing_and_iteration():
    s = S([4, None, 6])
    assert s[0] == 4 and s[1] is None and s[-1] == 6
    assert s[1:] == S([None, 6]) and isinstance(s[1:], TensorShape)
    assert list(s) == [4, None, 6] and len(s) == 3


@pytest.mark.parametrize("dims, text, rep, short", [
    ([None, 3], "(None, 3)", "TensorShape([None, 3])", "[?,3]"),
    ([], "()", "TensorShape([])", "[]"),
    ([None], "(None,)", "TensorShape([None])", "[?]"),
    ([2], "(2,)", "TensorShape([2])", "[2]"),
    (None, "<unknown>", "TensorShape(None)", "[*]"),
])
def test_str_repr_short(dims, text, rep, short):
    s = S(dims)
    assert str(s) == text and repr(s) == rep and s.short() == short


def test_pickle_and_as_shape():
    s = S([None, 3])
    assert pickle.loads(pickle.dumps(s)) == s
    assert as_shape(s) is s and as_shape([1]) == S([1])
    assert tf.TensorShape is TensorShape


def test_dimension_value_is_identity():
    from autotrace.core.tensor_shape import dimension_value
    assert dimension_value(3) == 3 and dimension_value(None) is None


# -- TensorSpec --------------------------------------------------------------------------------

def test_spec_repr_and_defaults():
    spec = TensorSpec([None, 3], "float32", name="x")
    assert repr(spec) == "TensorSpec(shape=(None, 3), dtype=tf.float32, name='x')"
    assert repr(TensorSpec([])) == "TensorSpec(shape=(), dtype=tf.float32, name=None)"
    assert spec.shape == S([None, 3]) and spec.dtype is tf.float32 and spec.name == "x"
    assert spec.short() == "float32[?,3]"


def test_spec_equality_and_hash():
    a = TensorSpec([None, 3], tf.float32)
    assert a == TensorSpec([None, 3], "float32")
    assert a != TensorSpec([None, 3], tf.float64)
    assert a != TensorSpec([2, 3], tf.float32)
    assert a != TensorSpec([None, 3], tf.float32, name="x")
    assert a != S([None, 3])
    assert len({a, TensorSpec((None, 3), np.float32), TensorSpec([1], tf.int32)}) == 2


def test_spec_is_compatible_with():
    spec = TensorSpec([None, 3], tf.float32)
    assert spec.is_compatible_with(tf.zeros([5, 3]))
    assert not spec.is_compatible_with(tf.zeros([5, 4]))
    assert not spec.is_compatible_with(tf.zeros([5, 3], tf.float64))
    assert spec.is_compatible_with(TensorSpec([2, 3], tf.float32))
    assert not spec.is_compatible_with(3.0)  # no dtype/shape


def test_spec_subtype_and_most_specific():
    a, b = TensorSpec([2, 3], tf.float32), TensorSpec([4, 3], tf.float32)
    assert a.is_subtype_of(TensorSpec([None, 3], tf.float32))
    assert not TensorSpec([None, 3]).is_subtype_of(a)
    assert a.most_specific_compatible_type(b) == TensorSpec([None, 3], tf.float32)
    with pytest.raises(ValueError, match="No TensorSpec fits both"):
        a.most_specific_compatible_type(TensorSpec([2, 3], tf.int32))


def test_spec_from_tensor_and_pickle():
    spec = TensorSpec.from_tensor(tf.constant([[1, 2]]), name="t")
    assert spec == TensorSpec([1, 2], tf.int32, "t")
    assert TensorSpec.from_spec(spec) == spec
    assert TensorSpec.from_spec(spec, name="u").name == "u"
    assert pickle.loads(pickle.dumps(spec)) == spec

