"""tf.debugging: Assert, the assert_* checks and check_numerics, eagerly and in graphs.

The message texts pinned here are TensorFlow's (checked against TF 2.21)."""
import numpy as np
import pytest

import autotrace as tf
from autotrace.errors import DTypeMismatchError, InvalidArgumentError, InvalidShapeError
from autotrace.ops.debugging_ops import summarize_value

from helpers import check_op

v1 = tf.compat.v1


# -- summarize_value: TF's Assert formatting ---------------------------------------------------

@pytest.mark.parametrize("summarize, text", [
    (0, "..."), (1, "[0...]..."), (2, "[0 1...]..."), (3, "[0 1 2]..."), (4, "[0 1 2][3...]..."),
    (5, "[0 1 2][3 4...]..."), (6, "[0 1 2][3 4 5]"), (7, "[0 1 2][3 4 5]"),
    (-1, "[0 1 2][3 4 5]"),
])
def test_summarize_matrix(summarize, text):
    assert summarize_value(np.arange(6).reshape(2, 3), summarize) == text


@pytest.mark.parametrize("summarize, text", [
    (3, "[[0 1 2...]]..."), (5, "[[0 1 2 3][4...]]..."),
    (13, "[[0 1 2 3][4 5 6 7][8 9 10 11]][[12...]]..."),
    (24, "[[0 1 2 3][4 5 6 7][8 9 10 11]][[12 13 14 15][16 17 18 19][20 21 22 23]]"),
])
def test_summarize_rank3(summarize, text):
    assert summarize_value(np.arange(24).reshape(2, 3, 4), summarize) == text


def test_summarize_elements():
    assert summarize_value(np.array([0.1, 1e10, 1 / 3, np.nan], np.float32), -1) == \
        "0.1 1e+10 0.333333343 nan"
    assert summarize_value(np.array([0.1, 1 / 3]), -1) == "0.1 0.33333333333333331"
    assert summarize_value(np.array([True, False]), 3) == "1 0"
    assert summarize_value(np.array([b"a", b"b"], dtype=object), 3) == "a b"
    assert summarize_value(np.zeros([2, 0]), 3) == ""
    assert summarize_value(np.float32(2.5), 3) == "2.5"


# -- Assert ------------------------------------------------------------------------------------

def test_assert_eager_message():
    data = ["msg", tf.constant([1, 2, 3]), 3.5, tf.constant([[1.5, 2.0], [3.0, 4.0]]),
            tf.constant(["a", "b"]), tf.constant(True)]
    with pytest.raises(InvalidArgumentError) as info:
        tf.debugging.Assert(False, data)
    assert str(info.value) == ("assertion failed: [msg] [1 2 3] [3.5] [[1.5 2][3...]...] [a b] "
                               "[1]")


def test_assert_passing_returns_none_and_summarize():
    assert tf.debugging.Assert(True, ["never"]) is None
    assert tf.debugging.Assert(tf.constant(True), [tf.range(10)]) is None
    with pytest.raises(InvalidArgumentError, match=r"^assertion failed: \[0 1 2 3 4 5 6 7 8 9\]$"):
        tf.debugging.Assert(False, [tf.range(10)], summarize=-1)
    with pytest.raises(InvalidArgumentError, match=r"^assertion failed: \[0 1\.\.\.\]$"):
        tf.debugging.Assert(False, [tf.range(10)], summarize=2)


def test_assert_argument_errors():
    with pytest.raises(TypeError, match="condition must be a bool scalar, got int32"):
        tf.debugging.Assert(tf.constant(0), ["x"])
    with pytest.raises(InvalidShapeError, match=r"condition must be a scalar, got shape \(1,\)"):
        tf.debugging.Assert(tf.constant([False]), ["x"])
    with pytest.raises(TypeError, match="data must be a list"):
        tf.debugging.Assert(False, "hello")


def _assert_graph():
    """A graph with an Assert on x[0] > 0 that nothing depends on, and one on the path of
    `guarded` (through a control dependency)."""
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.int32, [3])
        unused = tf.debugging.Assert(x[0] > 0, ["x[0] must be positive:", x], name="unused")
        doubled = x * 2
        check = tf.debugging.Assert(x[1] > 0, ["x[1] must be positive:", x], name="check")
        with graph.control_dependencies([check]):
            guarded = tf.identity(x)
    return graph, x, unused, doubled, check, guarded


def test_assert_in_graph_fires_only_on_the_compute_path():
    graph, x, unused, doubled, check, guarded = _assert_graph()
    assert unused.type == "Assert" and unused.outputs == []
    with v1.Session(graph=graph) as sess:
        bad = np.array([-1, -1, 0], np.int32)
        np.testing.assert_array_equal(sess.run(doubled, {x: bad}), [-2, -2, 0])  # no check
        with pytest.raises(InvalidArgumentError) as info:
            sess.run(guarded, {x: bad})
        assert str(info.value).splitlines()[0] == \
            "assertion failed: [x[1] must be positive:] [-1 -1 0]"
        assert info.value.op is check
        with pytest.raises(InvalidArgumentError, match=r"\[x\[0\] must be positive:\]"):
            sess.run(unused, {x: bad})
        np.testing.assert_array_equal(sess.run(guarded, {x: [1, 2, 3]}), [1, 2, 3])
        assert sess.run(unused, {x: [1, 2, 3]}) is None


# -- assert_equal and other comparisons --------------------------------------------------------

def test_assert_equal_eager_message_is_tensorflows():
    with pytest.raises(InvalidArgumentError) as info:
        tf.debugging.assert_equal(tf.constant([1, 2, 3]), tf.constant([1, 5, 3]),
                                  message="custom")
    assert str(info.value) == (
        "custom\nCondition x == y did not hold.\nIndices of first 1 different values:\n[[1]]\n"
        "Corresponding x values:\n[2]\nCorresponding y values:\n[5]\n"
        "First 3 elements of x:\n[1 2 3]\nFirst 3 elements of y:\n[1 5 3]")


def test_assert_equal_summarize_limits_the_listing():
    with pytest.raises(InvalidArgumentError) as info:
        tf.debugging.assert_equal(tf.range(10), tf.range(10) + 1, summarize=2)
    assert "Indices of first 2 different values:\n[[0]\n [1]]" in str(info.value)
    assert "First 2 elements of x:\n[0 1]" in str(info.value)


@pytest.mark.parametrize("check, x, y", [
    (tf.debugging.assert_equal, [1, 2], [1, 2]),
    (tf.debugging.assert_equal, [1, 1, 1], 1),
    (tf.debugging.assert_none_equal, [1, 2], [3, 4]),
    (tf.debugging.assert_less, [1, 2], [2, 3]),
    (tf.debugging.assert_less_equal, [1, 2], [1, 3]),
    (tf.debugging.assert_greater, [2.0, 3.0], [1.0, 2.0]),
    (tf.debugging.assert_greater_equal, [1, 3], [1, 2]),
    (tf.debugging.assert_near, [1.0, 2.0], [1.0, 2.000001]),
    (tf.debugging.assert_equal, np.zeros([0], np.int32), np.zeros([0], np.int32)),
])
def test_comparisons_that_hold_return_none(check, x, y):
    assert check(x, y) is None


@pytest.mark.parametrize("check, x, y, condition", [
    (tf.debugging.assert_none_equal, [1, 2], [3, 2], "x != y"),
    (tf.debugging.assert_less, [1, 2], [2, 2], "x < y"),
    (tf.debugging.assert_less_equal, [1, 3], [2, 2], "x <= y"),
    (tf.debugging.assert_greater, [1, 3], [2, 2], "x > y"),
    (tf.debugging.assert_greater_equal, [1, 3], [2, 2], "x >= y"),
    (tf.debugging.assert_near, [1.0, 3.0], [1.0, 3.1], "x ~= y"),
])
def test_comparisons_that_fail_raise_at_once(check, x, y, condition):
    with pytest.raises(InvalidArgumentError, match="Condition %s did not hold" % condition):
        check(x, y)


def test_assert_near_names_the_tolerances():
    with pytest.raises(InvalidArgumentError, match="x and y not equal to tolerance rtol = "
                                                   "1.1920929e-06, atol = 1.1920929e-06"):
        tf.debugging.assert_near([1.0, 3.0], [1.0, 3.1])
    assert tf.debugging.assert_near([1.0], [1.5], atol=0.6) is None
    with pytest.raises(DTypeMismatchError, match="assert_near"):
        tf.debugging.assert_near([1, 3], [1, 3])


@pytest.mark.parametrize("check, good, bad, condition", [
    (tf.debugging.assert_positive, [1, 2], [1, 0, -1], "x > 0"),
    (tf.debugging.assert_negative, [-1, -2], [-1, 0], "x < 0"),
    (tf.debugging.assert_non_negative, [0.0, 2.0], [1.0, 0.0, -1.0], "x >= 0"),
    (tf.debugging.assert_non_positive, [0, -2], [1, -3], "x <= 0"),
])
def test_sign_checks(check, good, bad, condition):
    assert check(good) is None
    with pytest.raises(InvalidArgumentError, match="Condition %s did not hold" % condition):
        check(bad)


def test_assert_positive_message_lists_failing_values():
    with pytest.raises(InvalidArgumentError) as info:
        tf.debugging.assert_positive(tf.constant([1, 0, -1]), message="pos!")
    assert str(info.value) == (
        "pos!\nCondition x > 0 did not hold.\nIndices of first 2 failing values:\n[[1]\n [2]]\n"
        "Corresponding x values:\n[ 0 -1]\nFirst 3 elements of x:\n[ 1  0 -1]")


def test_comparison_argument_errors():
    with pytest.raises(InvalidShapeError, match="cannot be broadcast"):
        tf.debugging.assert_equal(tf.constant([1, 1, 1]), tf.constant([1, 1]))
    with pytest.raises(DTypeMismatchError, match="x has dtype int32 but y has dtype float32"):
        tf.debugging.assert_equal(tf.constant([1]), tf.constant([1.0]))
    with pytest.raises(DTypeMismatchError, match="assert_positive"):
        tf.debugging.assert_positive(tf.constant(["a"]))


def test_assert_equal_in_a_graph_returns_the_assert_op():
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.int32, [3])
        check = tf.debugging.assert_equal(x, 1)
        positive = tf.debugging.assert_positive(x, message="pos!")
        doubled = x * 2
    assert check.type == "Assert" and check.name == "assert_equal/Assert"
    with v1.Session(graph=graph) as sess:
        np.testing.assert_array_equal(sess.run(doubled, {x: [0, 2, 3]}), [0, 4, 6])
        assert sess.run(check, {x: [1, 1, 1]}) is None
        with pytest.raises(InvalidArgumentError) as info:
            sess.run(check, {x: [0, 2, 3]})
        assert str(info.value).splitlines()[0] == (
            "assertion failed: [Condition x == y did not hold element-wise:] "
            "[x (Placeholder:0) = ] [0 2 3] [y (assert_equal/Equal/y:0) = ] [1]")
        with pytest.raises(InvalidArgumentError) as info:
            sess.run(positive, {x: [1, 0, -3]})
        assert str(info.value).splitlines()[0] == (
            "assertion failed: [pos!] [Condition x > 0 did not hold element-wise:] "
            "[x (Placeholder:0) = ] [1 0 -3]")


def test_constant_inputs_fail_while_the_graph_is_built():
    with tf.Graph().as_default():
        with pytest.raises(InvalidArgumentError, match="Condition x == y did not hold"):
            tf.debugging.assert_equal(tf.constant([1, 2]), tf.constant([1, 3]))
        assert tf.debugging.assert_less(tf.constant(1), tf.constant(2)).type == "Assert"


# -- static checks -----------------------------------------------------------------------------

def test_assert_rank():
    assert tf.debugging.assert_rank(tf.constant([[1, 2]]), 2) is None
    with pytest.raises(ValueError) as info:
        tf.debugging.assert_rank(tf.constant([1, 2]), 2)
    assert str(info.value) == "Tensor int32[2] must have rank 2. Received rank 1, shape (2,)"
    with pytest.raises(ValueError, match="must have rank at least 2"):
        tf.debugging.assert_rank_at_least(tf.constant([1, 2]), 2)
    assert tf.debugging.assert_rank_at_least(tf.ones([2, 3, 4]), 2) is None


def test_assert_rank_of_unknown_rank_runs_in_the_session():
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.int32)
        check = tf.debugging.assert_rank(x, 2)
        static = tf.debugging.assert_rank(v1.placeholder(tf.int32, [2, 2]), 2)
    assert static.type == "NoOp"
    with v1.Session(graph=graph) as sess:
        sess.run(check, {x: [[1]]})
        with pytest.raises(InvalidArgumentError, match=r"must have rank 2. Received shape:\] "
                                                       r"\[3\]"):
            sess.run(check, {x: [1, 2, 3]})


def test_assert_type_integer_scalar():
    assert tf.debugging.assert_type(tf.constant([1.0]), tf.float32) is None
    with pytest.raises(TypeError, match="must be of type tf.float32; got "
                                        "tf.int32"):
        tf.debugging.assert_type(tf.constant([1, 2]), tf.float32)
    assert tf.debugging.assert_integer(tf.constant([1])) is None
    with pytest.raises(TypeError, match="to be of integer type, found dtype float32"):
        tf.debugging.assert_integer(tf.constant([1.0]))
    assert tf.debugging.assert_scalar(tf.constant(3)).numpy() == 3
    with pytest.raises(ValueError, match=r"must be a scalar, got shape \(2,\)"):
        tf.debugging.assert_scalar(tf.constant([1.0, 2.0]))
    assert tf.debugging.is_numeric_tensor(tf.constant(1.0))
    assert not tf.debugging.is_numeric_tensor(tf.constant("a"))


# -- check_numerics ----------------------------------------------------------------------------

@pytest.mark.parametrize("values, kind", [
    ([1.0, np.nan], "NaN"), ([1.0, np.inf], "Inf"), ([-np.inf, np.nan], "Inf and NaN"),
])
def test_check_numerics_raises(values, kind):
    with pytest.raises(InvalidArgumentError) as info:
        tf.debugging.check_numerics(tf.constant(values), "bad")
    assert str(info.value).startswith("bad : Tensor had %s values (" % kind)


def test_check_numerics_message_says_where():
    with pytest.raises(InvalidArgumentError) as info:
        tf.debugging.check_numerics(tf.constant([[1.0, 2.0], [np.nan, np.nan]]), "activations")
    assert str(info.value) == ("activations : Tensor had NaN values (2 of 4 elements; the first "
                               "at index [1, 0])")


def test_check_numerics_passes_values_through():
    check_op(lambda x: tf.debugging.check_numerics(x, "ok"), np.array([1.0, -2.0], np.float32),
             expected=np.array([1.0, -2.0], np.float32))
    check_op(lambda x: tf.debugging.assert_all_finite(x, "ok"), np.array([3.0], np.float64),
             expected=np.array([3.0]))
    with pytest.raises(DTypeMismatchError, match="CheckNumerics.*int32"):
        tf.debugging.check_numerics(tf.constant([1, 2]), "ints")


def test_check_numerics_in_a_session():
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, [None])
        checked = tf.debugging.check_numerics(x * 2.0, "2x")
    assert checked.op.type == "CheckNumerics" and checked.op.stateful
    with v1.Session(graph=graph) as sess:
        np.testing.assert_allclose(sess.run(checked, {x: [1.0, 3.0]}), [2.0, 6.0])
        with pytest.raises(InvalidArgumentError, match=r"2x : Tensor had Inf values"):
            sess.run(checked, {x: [1.0, -np.inf]})
