"""AutoGraph break/continue converter: jumps -> flags, so loops can become graph loops."""
import numpy as np
import pytest

import autotrace as tf


def first_odd_sum(n):
    s = 0
    for i in tf.range(n):
        if i % 2 == 0:
            continue
        if i > 7:
            break
        s += i
    return s


GOLDEN = '''\
def first_odd_sum(n):
    s = 0
    break_ = False

    def extra_test(break_, s):
        return ag__.not_(break_)

    def loop_body(itr, break_, s):
        i = itr
        continue_ = False

        def if_true(continue_):
            continue_ = True
            return (continue_,)

        def if_false(continue_):
            return (continue_,)
        (continue_,) = ag__.if_stmt(((i % 2) == 0), if_true, if_false, (continue_,), \
('continue_',))

        def if_true_1(break_, s):

            def if_true_2(break_):
                break_ = True
                return (break_,)

            def if_false_2(break_):
                return (break_,)
            (break_,) = ag__.if_stmt((i > 7), if_true_2, if_false_2, (break_,), ('break_',))

            def if_true_3(s):
                s += i
                return (s,)

            def if_false_3(s):
                return (s,)
            (s,) = ag__.if_stmt(ag__.not_(break_), if_true_3, if_false_3, (s,), ('s',))
            return (break_, s)

        def if_false_1(break_, s):
            return (break_, s)
        (break_, s) = ag__.if_stmt(ag__.not_(continue_), if_true_1, if_false_1, (break_, s), \
('break_', 's'))
        return (break_, s)
    (break_, s) = ag__.for_stmt(ag__.call(tf.range, n), extra_test, loop_body, (break_, s), \
('break_', 's'), None)
    return s
'''


def test_golden_code():
    assert tf.autograph.to_code(first_odd_sum) == GOLDEN


def reference_first_odd_sum(n):
    s = 0
    for i in range(n):
        if i % 2 == 0:
            continue
        if i > 7:
            break
        s += i
    return s


# -- tensors -----------------------------------------------------------------------------------

def test_break_and_continue_in_a_tensor_for_loop():
    f = tf.function(first_odd_sum)
    for n in [0, 1, 4, 8, 9, 20]:
        assert int(f(tf.constant(n))) == reference_first_odd_sum(n)
    assert f.experimental_get_tracing_count() == 1
    types = [op.type for op in f.get_concrete_function(tf.constant(3)).graph.get_operations()]
    assert types.count("StatelessWhile") == 1


def test_break_in_a_while_loop_with_tensor_condition():
    @tf.function
    def f(n, limit):
        i = 0
        total = 0
        while i < n:
            total += i
            if total > limit:
                break
            i += 1
        return i, total

    def reference(n, limit):
        i = total = 0
        while i < n:
            total += i
            if total > limit:
                break
            i += 1
        return i, total
    for n, limit in [(0, 5), (3, 100), (10, 10), (10, 0), (100, 50)]:
        got = f(tf.constant(n), tf.constant(limit))
        assert tuple(int(v) for v in got) == reference(n, limit)
    assert f.experimental_get_tracing_count() == 1


def test_continue_in_a_while_loop_with_tensor_condition():
    @tf.function
    def f(n):
        i = 0
        s = 0
        while i < n:
            i += 1
            if i % 3 == 0:
                continue
            s += i
        return s
    for n in [0, 1, 3, 7, 10]:
        assert int(f(tf.constant(n))) == sum(i for i in range(1, n + 1) if i % 3)
    assert f.experimental_get_tracing_count() == 1


def test_while_true_with_tensor_break_is_refused_as_in_tf():
    """The loop starts as a Python loop (`True`); the tensor `break` makes its condition a
    tensor after one pass. A loop cannot switch: NotImplementedError, as TensorFlow raises
    ("The condition of while loop started as non-Tensor, then changed to Tensor.")."""
    @tf.function
    def f(n):
        i = 0
        while True:
            i += 1
            if i >= n:
                break
        return i
    with pytest.raises(NotImplementedError, match="started as non-Tensor, then changed to "
                                                  "Tensor") as info:
        f(tf.constant(2))
    assert "after 1 iteration (its `break` depends on a tensor)" in str(info.value)
    assert "test_break_continue.py:%d" % (f.python_function.__code__.co_firstlineno + 3) \
        in str(info.value)


def test_break_only_leaves_the_inner_loop():
    @tf.function
    def f(n):
        s = 0
        for i in tf.range(n):
            for j in tf.range(n):
                if j > i:
                    break
                s += 1
        return s
    for n in [0, 1, 4, 6]:
        assert int(f(tf.constant(n))) == n * (n + 1) // 2


def test_for_else_with_tensor_break():
    @tf.function
    def f(n, k):
        s = 0
        for i in tf.range(n):
            if i == k:
                break
            s += i
        else:
            s = -1
        return s
    for n, k in [(5, 2), (5, 9), (0, 0), (3, 2)]:
        expected = -1
        for i in range(n):
            if i == k:
                expected = sum(range(i))
                break
        assert int(f(tf.constant(n), tf.constant(k))) == expected


def test_for_else_with_tensor_continue_runs_the_else():
    @tf.function
    def f(n):
        s = 0
        for i in tf.range(n):
            if i % 3 == 0:
                continue
            s += i
        else:
            s += 1000
        return s
    for n in [0, 4, 7]:
        assert int(f(tf.constant(n))) == sum(i for i in range(n) if i % 3) + 1000


def test_while_else_with_tensor_condition():
    @tf.function
    def f(n, k):
        i = 0
        while i < n:
            if i == k:
                break
            i += 1
        else:
            i = 100
        return i
    assert int(f(tf.constant(5), tf.constant(2))) == 2
    assert int(f(tf.constant(5), tf.constant(9))) == 100
    assert int(f(tf.constant(0), tf.constant(0))) == 100


def test_break_over_the_rows_of_a_matrix():
    @tf.function
    def f(m):
        total = tf.constant(0.0)
        for row in m:
            if tf.reduce_min(row) < 0.0:
                break
            total += tf.reduce_sum(row)
        return total
    m = np.array([[1.0, 2.0], [3.0, 4.0], [-1.0, 5.0], [6.0, 7.0]], np.float32)
    assert float(f(tf.constant(m))) == 10.0
    assert float(f(tf.constant(np.abs(m)))) == 29.0


# -- Python loops: the converted function is the original --------------------------------------

def py_loops(xs, stop):
    out = []
    for x in xs:
        if x == stop:
            break
        if x % 2:
            continue
        out.append(x)
    else:
        out.append("no-break")
    i = 0
    while i < len(xs):
        i += 1
        if i == 2:
            continue
        if xs[i - 1] == stop:
            out.append("w-break")
            break
    else:
        out.append("w-else")
    return out, i


@pytest.mark.parametrize("xs, stop", [([1, 2, 3, 4], 3), ([2, 4, 6], 99), ([], 0),
                                      ([5, 6, 7], 5), ([0, 2, 8, 1], 8)])
def test_python_loops_behave_as_python(xs, stop):
    assert tf.autograph.convert(py_loops)(xs, stop) == py_loops(xs, stop)


def test_python_loop_with_break_inside_a_trace_is_unrolled():
    @tf.function
    def f(x):
        for k in [1, 2, 3, 4, 5]:
            if k == 4:
                break
            if k == 2:
                continue
            x = x * k
        return x
    assert int(f(tf.constant(1))) == 3
    types = [op.type for op in f.get_concrete_function(tf.constant(1)).graph.get_operations()]
    assert "StatelessWhile" not in types and "StatelessIf" not in types


def test_nested_python_loops_with_else():
    def f(n):
        s = 0
        for i in range(n):
            for j in range(n):
                if j > i:
                    break
                s += 1
            else:
                s += 100
        return s
    converted = tf.autograph.convert(f)
    assert [converted(n) for n in range(5)] == [f(n) for n in range(5)]
