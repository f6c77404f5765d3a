"""AutoGraph returns converter: `return` inside control flow -> a flag and a value, returned
once at the end of the function."""
import numpy as np
import pytest

import autotrace as tf


def early(x):
    if x > 0:
        return x * 2
    x = x - 1
    return x


GOLDEN = '''\
def early(x):
    do_return = False
    retval_ = ag__.UndefinedReturnValue()

    def if_true(do_return, retval_):
        retval_ = (x * 2)
        do_return = True
        return (do_return, retval_)

    def if_false(do_return, retval_):
        return (do_return, retval_)
    (do_return, retval_) = ag__.if_stmt((x > 0), if_true, if_false, (do_return, retval_), \
('do_return', 'retval_'))

    def if_true_1(retval_, x):
        x = (x - 1)
        retval_ = x
        do_return = True
        return (retval_, x)

    def if_false_1(retval_, x):
        return (retval_, x)
    (retval_, x) = ag__.if_stmt(ag__.not_(do_return), if_true_1, if_false_1, (retval_, x), \
('retval_', 'x'), return_guard=True)
    return ag__.retval(retval_)
'''


def test_golden_code():
    assert tf.autograph.to_code(early) == GOLDEN


def top_level_only(x):
    y = x + 1
    return y


def test_functions_returning_only_at_the_end_are_left_alone():
    assert tf.autograph.to_code(top_level_only) == (
        "def top_level_only(x):\n    y = (x + 1)\n    return y\n")


# -- Python values ----------------------------------------------------------------------------

def both_branches(x):
    if x > 0:
        return "pos"
    else:
        return "non-pos"


def no_value(x):
    if x > 0:
        return
    x = x - 1
    return


def nested_ifs(x, y):
    if x > 0:
        if y > 0:
            return 1
        y = y - 1
        if y < -5:
            return 2
    elif x == 0:
        return 3
    return y


def in_try(x):
    try:
        if x > 0:
            return "pos"
        raise ValueError("neg")
    except ValueError as exc:
        return str(exc)


@pytest.mark.parametrize("x", [-3, 0, 4])
def test_python_values_behave_as_python(x):
    for fn in (early, both_branches, in_try):
        assert tf.autograph.convert(fn)(x) == fn(x)
    for y in (-10, -2, 0, 5):
        assert tf.autograph.convert(nested_ifs)(x, y) == nested_ifs(x, y)


def test_return_without_value_gives_none():
    for x in (1, -1):
        assert tf.autograph.convert(no_value)(x) is None
        assert no_value(x) is None


def return_in_for(xs):
    for x in xs:
        if x > 3:
            return x
    return -1


def return_in_while(n):
    i = 0
    while i < 10:
        i += 1
        if i * i > n:
            return i
    return -1


def test_return_inside_a_python_loop_stops_it():
    converted = tf.autograph.convert(return_in_for)
    assert converted([1, 5, 7]) == return_in_for([1, 5, 7]) == 5
    assert converted([1, 2]) == -1
    converted = tf.autograph.convert(return_in_while)
    assert converted(5) == return_in_while(5) == 3


def test_nested_functions_keep_their_own_returns():
    def outer(x):
        def inner(y):
            if y > 0:
                return "inner-pos"
            return "inner-neg"
        if x > 10:
            return inner(x) + "!"
        return inner(-x)
    converted = tf.autograph.convert(outer)
    for x in (-1, 1, 11):
        assert converted(x) == outer(x)


def test_lambda_returns_untouched():
    def f(x):
        g = lambda v: v * 2  # noqa: E731
        if x > 0:
            return g(x)
        return g(-x) + 1
    assert "lambda v: (v * 2)" in tf.autograph.to_code(f)
    converted = tf.autograph.convert(f)
    assert [converted(v) for v in (-2, 3)] == [f(v) for v in (-2, 3)]


# -- tensors -----------------------------------------------------------------------------------

def test_return_inside_tensor_if_followed_by_more_code():
    f = tf.function(early)
    for v in [-5, -1, 0, 1, 7]:
        assert int(f(tf.constant(v))) == early(v)
    assert f.experimental_get_tracing_count() == 1
    types = [op.type for op in f.get_concrete_function(tf.constant(1)).graph.get_operations()]
    assert types.count("StatelessIf") == 2


def test_returns_in_both_tensor_branches():
    @tf.function
    def f(x):
        if x > 0:
            return x * 10.0
        else:
            return x / 2.0
    for v in [-3.0, 0.0, 2.5]:
        expected = v * 10.0 if v > 0 else v / 2.0
        assert float(f(tf.constant(v))) == pytest.approx(expected)
    assert f.experimental_get_tracing_count() == 1


def test_return_only_in_one_tensor_branch_then_fall_through():
    @tf.function
    def f(x):
        if x > 0:
            return x
        x = x * x
        if x > 10:
            return -x
        return x + 100
    for v in [5, -2, -4, 0]:
        if v > 0:
            expected = v
        elif v * v > 10:
            expected = -v * v
        else:
            expected = v * v + 100
        assert int(f(tf.constant(v))) == expected
    assert f.experimental_get_tracing_count() == 1


def test_tensor_return_with_no_value_gives_none():
    @tf.function
    def f(x):
        if x > 0:
            return
        return
    assert f(tf.constant(1)) is None
    assert f(tf.constant(-1)) is None


def test_tensor_returns_of_tuples():
    @tf.function
    def f(x):
        if x > 0:
            return x, x + 1
        return -x, x - 1
    for v in [-2, 3]:
        a, b = f(tf.constant(v))
        assert (int(a), int(b)) == ((v, v + 1) if v > 0 else (-v, v - 1))


def test_return_inside_tensor_if_in_a_python_loop():
    @tf.function
    def f(x):
        for k in range(3):
            if x > k:
                x = x - 1
        return x
    for v in [0, 1, 2, 5]:
        expected = v
        for k in range(3):
            if expected > k:
                expected -= 1
        assert int(f(tf.constant(v))) == expected


def test_returned_value_of_a_vector_computation():
    @tf.function
    def f(x):
        if tf.reduce_sum(x) > 0:
            return x * 2.0
        return tf.zeros_like(x)
    for arr in ([1.0, 2.0], [-1.0, 0.5], [0.0, 0.0]):
        a = np.array(arr, np.float32)
        expected = a * 2.0 if a.sum() > 0 else np.zeros_like(a)
        np.testing.assert_array_equal(f(tf.constant(a)).numpy(), expected)
    assert f.experimental_get_tracing_count() == 1
