"""AutoGraph acceptance: the seeds' and TensorFlow's reference examples, written with plain
Python control flow on tensors inside autotrace.function, checked against Python/NumPy."""
import sys

import numpy as np
import pytest

import autotrace as tf


def op_types(function, *args):
    return [op.type for op in function.get_concrete_function(*args).graph.get_operations()]


# -- seed 004: the Huber loss with a Python `if` on a tensor -------------------------------------

@tf.function
def huber_loss(y, y_predicted, m=1.0):
    t = y - y_predicted
    return 0.5 * t ** 2 if tf.abs(t) <= m else m * (tf.abs(t) - 0.5 * m)


@tf.function
def huber_loss_statement(y, y_predicted, m=1.0):
    t = y - y_predicted
    if tf.abs(t) <= m:
        loss = 0.5 * t ** 2
    else:
        loss = m * (tf.abs(t) - 0.5 * m)
    return loss


def huber_reference(y, y_predicted, m=1.0):
    t = np.float32(y) - np.float32(y_predicted)
    return 0.5 * t ** 2 if abs(t) <= m else m * (abs(t) - 0.5 * m)


@pytest.mark.parametrize("loss", [huber_loss, huber_loss_statement])
def test_huber_loss(loss):
    pairs = [(3.0, 1.0), (1.5, 1.0), (0.0, 0.0), (-2.0, 2.0), (1.0, 2.0), (0.25, -0.5),
             (2.0, 1.0)]
    for y, yp in pairs:
        got = loss(tf.constant(y), tf.constant(yp))
        assert got.dtype == tf.float32
        assert float(got) == pytest.approx(huber_reference(y, yp), rel=1e-6)
    assert loss.experimental_get_tracing_count() == 1
    assert "StatelessIf" in op_types(loss, tf.constant(1.0), tf.constant(0.0))
    # a different Python `m` is a new trace, with the same semantics
    assert float(loss(tf.constant(3.0), tf.constant(1.0), 3.0)) == pytest.approx(2.0)
    assert loss.experimental_get_tracing_count() == 2


# -- Collatz: `while n != 1` with a nested `if` ------------------------------------------------

@tf.function
def collatz(n):
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def collatz_reference(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


def test_collatz():
    assert int(collatz(tf.constant(27))) == 111
    for n in (1, 2, 3, 6, 7, 97):
        assert int(collatz(tf.constant(n))) == collatz_reference(n)
    assert collatz.experimental_get_tracing_count() == 1
    types = op_types(collatz, tf.constant(27))
    assert types.count("StatelessWhile") == 1 and "StatelessIf" not in types  # if is in body
    assert tf.autograph.convert(collatz.python_function)(27) == 111   # Python ints too


# -- break / continue in `for i in tf.range(n)` --------------------------------------------------

@tf.function
def sum_until(n, stop):
    total = 0
    for i in tf.range(n):
        if i == stop:
            break
        if i % 3 == 0:
            continue
        total += i
    return total


def test_break_and_continue_in_tf_range():
    for n, stop in [(10, 100), (10, 5), (0, 0), (20, 13), (7, 0)]:
        expected = 0
        for i in range(n):
            if i == stop:
                break
            if i % 3 == 0:
                continue
            expected += i
        assert int(sum_until(tf.constant(n), tf.constant(stop))) == expected
    assert sum_until.experimental_get_tracing_count() == 1


# -- `for row in matrix` -------------------------------------------------------------------------

def test_for_row_in_matrix():
    @tf.function
    def normalize_rows(matrix):
        out = []
        for row in matrix:
            out.append(row / tf.reduce_sum(row))
        return out
    m = np.array([[1.0, 3.0], [2.0, 2.0], [5.0, 15.0]], np.float32)
    np.testing.assert_allclose(normalize_rows(tf.constant(m)).numpy(),
                               m / m.sum(axis=1, keepdims=True), rtol=1e-6)

    @tf.function
    def max_row_norm(matrix):
        best = tf.constant(0.0)
        for row in matrix:
            norm = tf.sqrt(tf.reduce_sum(row * row))
            if norm > best:
                best = norm
        return best
    assert float(max_row_norm(tf.constant(m))) == pytest.approx(
        float(np.linalg.norm(m, axis=1).max()), rel=1e-6)


# -- `return` inside a tensor `if` --------------------------------------------------------------

@tf.function
def safe_divide(a, b):
    if b == 0.0:
        return tf.zeros_like(a)
    q = a / b
    return q


def test_return_inside_tensor_if():
    for a, b in [(1.0, 2.0), (3.0, 0.0), (-4.0, 8.0)]:
        expected = 0.0 if b == 0.0 else a / b
        assert float(safe_divide(tf.constant(a), tf.constant(b))) == expected
    assert safe_divide.experimental_get_tracing_count() == 1


# -- `if a > 0 and b > 0` chains -----------------------------------------------------------------

@tf.function
def quadrant(a, b):
    if a > 0 and b > 0:
        q = 1
    elif a < 0 and b > 0:
        q = 2
    elif a < 0 and b < 0:
        q = 3
    elif a > 0 and b < 0:
        q = 4
    else:
        q = 0
    return q


def test_and_chains():
    cases = {(1.0, 1.0): 1, (-1.0, 1.0): 2, (-1.0, -1.0): 3, (1.0, -1.0): 4, (0.0, 1.0): 0,
             (1.0, 0.0): 0}
    for (a, b), q in cases.items():
        assert int(quadrant(tf.constant(a), tf.constant(b))) == q
    assert quadrant.experimental_get_tracing_count() == 1


# -- nested loops ------------------------------------------------------------------------------

@tf.function
def count_pairs(n, target):
    count = 0
    for i in tf.range(n):
        j = i + 1
        while j < n:
            if i + j == target:
                count += 1
            j += 1
    return count


def test_nested_loops():
    for n, target in [(5, 5), (10, 9), (1, 0), (8, 20)]:
        expected = sum(1 for i in range(n) for j in range(i + 1, n) if i + j == target)
        assert int(count_pairs(tf.constant(n), tf.constant(target))) == expected
    assert count_pairs.experimental_get_tracing_count() == 1


# -- TensorFlow's AutoGraph reference: control flow ----------------------------------------------

def test_reference_if_statement():
    @tf.function
    def f(x):
        if x > 0:
            x = x * x
        else:
            x = -x
        return x
    assert [int(f(tf.constant(v))) for v in (-3, 0, 4)] == [3, 0, 16]


def test_reference_python_if_is_evaluated_while_tracing():
    @tf.function
    def f(x, use_square):
        if use_square:      # a Python bool: only one branch is traced
            return x * x
        return x + x
    assert int(f(tf.constant(3), True)) == 9 and int(f(tf.constant(3), False)) == 6
    assert "StatelessIf" not in op_types(f, tf.constant(3), True)


def test_reference_while_statement():
    @tf.function
    def f(x):
        while tf.reduce_sum(x) > 1:
            x = tf.tanh(x)
        return x
    x = np.array([1.0, 1.0], np.float32)
    expected = x
    while expected.sum() > 1:
        expected = np.tanh(expected)
    np.testing.assert_allclose(f(tf.constant(x)).numpy(), expected, rtol=1e-6)


def test_reference_for_statement():
    @tf.function
    def f(n):
        s = 0
        for i in tf.range(n):
            s += i
        return s
    assert int(f(tf.constant(10))) == 45

    @tf.function
    def g(x):
        ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
        for i in tf.range(len(x)):
            ta = ta.write(i, x[i] * x[i])
        return ta.stack()
    np.testing.assert_array_equal(g(tf.constant([1.0, 2.0, 3.0])).numpy(), [1.0, 4.0, 9.0])


# -- TensorFlow's AutoGraph reference: limitations -----------------------------------------------

def test_python_side_effects_run_once_at_trace_time(capsys):
    trace_log = []

    @tf.function
    def f(x):
        trace_log.append("traced")                          # Python side effect
        tf.print("executed with", x, output_stream=sys.stdout)   # graph op: every call
        return x + 1
    for v in (1, 2, 3):
        assert int(f(tf.constant(v))) == v + 1
    assert trace_log == ["traced"]
    assert capsys.readouterr().out == "executed with 1\nexecuted with 2\nexecuted with 3\n"


def test_python_list_appended_in_a_tensor_loop():
    @tf.function
    def f(n):
        squares = []
        for i in tf.range(n):
            squares.append(i * i)
        return squares
    np.testing.assert_array_equal(f(tf.constant(5)).numpy(), [0, 1, 4, 9, 16])
    np.testing.assert_array_equal(f(tf.constant(2)).numpy(), [0, 1])
    assert f.experimental_get_tracing_count() == 1


def test_variable_undefined_in_one_branch():
    @tf.function
    def f(x):
        if x > 0:
            y = x
        return y
    with pytest.raises(ValueError, match="'y' is assigned in the true branch of the `if` at "):
        f(tf.constant(1))

    @tf.function
    def g(x):
        y = tf.zeros_like(x)   # the fix the message suggests: a value before the `if`
        if x > 0:
            y = x
        return y
    assert int(g(tf.constant(4))) == 4 and int(g(tf.constant(-4))) == 0
