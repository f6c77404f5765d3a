"""AutoGraph expressions converter: `a if c else b`, `and`, `or`, `not` -> lazy operators that
keep short-circuiting (Python's for Python values; run time for tensors, via a cond)."""
import numpy as np
import pytest

import autotrace as tf


def logic(a, b, c):
    return a if b > c else (b and not a) or c


GOLDEN = '''\
def logic(a, b, c):
    return ag__.if_exp((b > c), (lambda : a), (lambda : ag__.or_((lambda : ag__.and_(\
(lambda : b), (lambda : ag__.not_(a)))), (lambda : c))))
'''


def test_golden_code():
    assert tf.autograph.to_code(logic) == GOLDEN


@pytest.mark.parametrize("a, b, c", [(0, 1, 0), (1, 0, 2), (0, 0, 0), ("", 3, 5), ([], 1, 0),
                                     (2.5, -1, -1), (None, 1, 1)])
def test_python_values_behave_as_python(a, b, c):
    # Python semantics: `and`/`or` return an operand, not a bool
    assert tf.autograph.convert(logic)(a, b, c) == logic(a, b, c)


def test_python_short_circuit_is_kept():
    calls = []

    def right(value):
        calls.append(value)
        return value

    def f(a):
        r1 = a and right("and")
        r2 = a or right("or")
        r3 = right("then") if a else right("else")
        return r1, r2, r3
    converted = tf.autograph.convert(f)
    assert converted(0) == f(0) == (0, "or", "else")
    assert calls == ["or", "else", "or", "else"]
    del calls[:]
    assert converted(1) == (right("and"), 1, right("then"))
    assert calls == ["and", "then", "and", "then"]


def test_chained_and_or_evaluate_left_to_right_and_stop():
    calls = []

    def v(x):
        calls.append(x)
        return x

    def f():
        return v(1) and v(0) and v(2), v(0) or v("") or v(3) or v(4)
    assert tf.autograph.convert(f)() == (0, 3)
    assert calls == [1, 0, 0, "", 3]


# -- tensors -----------------------------------------------------------------------------------

def test_ternary_on_tensors():
    @tf.function
    def f(x):
        return x * 2 if x > 0 else x * 3
    for v in (-2, 0, 5):
        assert int(f(tf.constant(v))) == (v * 2 if v > 0 else v * 3)
    assert f.experimental_get_tracing_count() == 1
    types = [op.type for op in f.get_concrete_function(tf.constant(1)).graph.get_operations()]
    assert "StatelessIf" in types


def test_ternary_with_python_condition_inside_a_trace():
    @tf.function
    def f(x, double):
        return x * 2 if double else x
    assert int(f(tf.constant(3), True)) == 6 and int(f(tf.constant(3), False)) == 3
    types = [op.type for op in f.get_concrete_function(tf.constant(1), True).graph
             .get_operations()]
    assert "StatelessIf" not in types


def test_and_keeps_run_time_short_circuit():
    @tf.function
    def f(x, i):
        n = tf.size(x)
        return i < n and x[i] > 0
    x = tf.constant([1, -2])
    assert bool(f(x, tf.constant(0))) is True
    assert bool(f(x, tf.constant(1))) is False
    assert bool(f(x, tf.constant(2))) is False   # x[2] would be out of range: not evaluated
    assert f.experimental_get_tracing_count() == 1

    @tf.function
    def eager_index(x, i):
        return x[i] > 0
    with pytest.raises(tf.errors.InvalidArgumentError):
        eager_index(x, tf.constant(2))  # proof that evaluating x[2] would fail


def test_or_keeps_run_time_short_circuit():
    @tf.function
    def f(x, i):
        return i >= tf.size(x) or x[i] > 0
    x = tf.constant([1, -2])
    assert [bool(f(x, tf.constant(i))) for i in range(4)] == [True, False, True, True]


def test_while_condition_with_and_stops_at_the_end_of_the_tensor():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.int32)])
    def count_positive_prefix(x):
        i = 0
        n = tf.size(x)
        while i < n and x[i] > 0:
            i += 1
        return i
    for arr in ([1, 2, 3], [1, -2, 3], [-1], [], [4, 5, 0, 6]):
        expected = 0
        while expected < len(arr) and arr[expected] > 0:
            expected += 1
        assert int(count_positive_prefix(tf.constant(np.array(arr, np.int32)))) == expected
    assert count_positive_prefix.experimental_get_tracing_count() == 1


def test_not_on_tensors():
    @tf.function
    def f(x):
        return not x > 0
    assert bool(f(tf.constant(1))) is False and bool(f(tf.constant(-1))) is True
    types = [op.type for op in f.get_concrete_function(tf.constant(1)).graph.get_operations()]
    assert "LogicalNot" in types


def test_if_with_and_or_chains_on_tensors():
    @tf.function
    def f(a, b):
        if a > 0 and b > 0:
            r = a + b
        elif a > 0 or b > 0:
            r = a - b
        else:
            r = a * b
        return r
    for a in (-2, 0, 3):
        for b in (-1, 0, 4):
            expected = a + b if a > 0 and b > 0 else (a - b if a > 0 or b > 0 else a * b)
            assert int(f(tf.constant(a), tf.constant(b))) == expected
    assert f.experimental_get_tracing_count() == 1


def test_mixed_python_and_tensor_operands():
    @tf.function
    def f(x, flag):
        return flag and x > 0
    assert bool(f(tf.constant(5), False)) is False   # decided by the Python operand
    graph = f.get_concrete_function(tf.constant(5), False).graph
    assert "Greater" not in [op.type for op in graph.operations]  # no comparison traced
    assert bool(f(tf.constant(5), True)) is True
    assert bool(f(tf.constant(-5), True)) is False


def test_ternary_inside_a_comprehension_on_tensors():
    @tf.function
    def f(x):
        return [v * 2 if v > 0 else v for v in [x, -x]]
    a, b = f(tf.constant(3))
    assert (int(a), int(b)) == (6, -3)


def test_vector_valued_ternary():
    @tf.function
    def f(x):
        return x * 2.0 if tf.reduce_all(x > 0) else tf.abs(x)
    for arr in ([1.0, 2.0], [-1.0, 2.0]):
        a = np.array(arr, np.float32)
        expected = a * 2.0 if (a > 0).all() else np.abs(a)
        np.testing.assert_array_equal(f(tf.constant(a)).numpy(), expected)
