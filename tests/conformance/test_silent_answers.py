"""Issue 10 §1: where autotrace used to answer differently from TensorFlow without an error.

Each test runs the snippet as plain Python (where Python has an answer) and traced by
autotrace.function, and states TensorFlow 2.21's answer where it differs from Python's.
"""
import numpy as np
import pytest

import autotrace as tf


def traced(fn, *args):
    """`fn` traced by autotrace.function, called with `args`, as a NumPy value."""
    return tf.function(fn)(*args).numpy()


# -- 1. closures see the values the statement gave their variables ----------------------------

def closure_after_python_loop(n):
    i = 0
    get = lambda: i + 2  # noqa: E731  (the issue's snippet)
    for _ in range(n):
        i += 1
    return get()


def closure_after_tensor_if(x):
    i = 0

    def get():
        return i + 2
    if x > 0:
        i = 5
    return get()


def closure_called_inside_the_loop(n):
    total = 0
    i = 0
    get = lambda: i * 10  # noqa: E731
    while i < n:
        i += 1
        total += get()
    return total


def closure_of_a_loop_assigned_only_variable(n):
    last = 0
    peek = lambda: last  # noqa: E731
    for k in range(n):
        last = k  # assigned, never read in the loop: only the closure sees it
    return peek()


def test_closure_defined_before_a_loop_sees_the_loop_updates():
    assert closure_after_python_loop(3) == 5
    assert traced(closure_after_python_loop, 3) == 5
    assert traced(closure_after_python_loop, tf.constant(3)) == 5  # a graph loop: TF gives 5


def test_closure_defined_before_a_tensor_if_sees_the_branch_value():
    assert closure_after_tensor_if(1) == 7 and closure_after_tensor_if(-1) == 2
    assert traced(closure_after_tensor_if, tf.constant(1)) == 7  # TF: 7
    assert traced(closure_after_tensor_if, tf.constant(-1)) == 2


def test_closure_called_inside_the_statement_sees_the_current_value():
    assert closure_called_inside_the_loop(3) == 60
    assert traced(closure_called_inside_the_loop, tf.constant(3)) == 60
    assert closure_of_a_loop_assigned_only_variable(4) == 3
    assert traced(closure_of_a_loop_assigned_only_variable, 4) == 3


def test_captured_state_stays_in_its_cell_in_the_converted_code():
    code = tf.autograph.to_code(closure_after_tensor_if)
    assert "nonlocal i\n        i = i_in\n        i = 5" in code


# -- 2. a conditional expression inside a lambda ----------------------------------------------

def ternary_in_lambda(x):
    g = lambda v: v * 2 if v > 0 else -v  # noqa: E731
    return g(x)


def test_ternary_in_a_lambda_returns_the_chosen_value():
    assert ternary_in_lambda(3) == 6 and ternary_in_lambda(-3) == 3
    assert traced(ternary_in_lambda, tf.constant(3)) == 6     # it returned the predicate
    assert traced(ternary_in_lambda, tf.constant(-3)) == 3


# -- 3. return in finally ---------------------------------------------------------------------

def return_in_finally(x):
    try:
        return 2
    finally:
        return 0  # noqa: B012  (Python: the finally's return wins)


def return_in_finally_of_a_tensor_if(x):
    try:
        if x > 0:
            return 2
        return 1
    finally:
        if x > -10:
            return 0  # noqa: B012


def return_in_finally_inside_a_loop(n):
    for _ in range(n):
        try:
            return 2
        finally:
            return 0  # noqa: B012
    return 9


def test_return_in_finally_wins():
    for fn in (return_in_finally, return_in_finally_of_a_tensor_if):
        assert fn(1) == 0
        assert traced(fn, 1) == 0
        assert traced(fn, tf.constant(1)) == 0
    assert return_in_finally_inside_a_loop(2) == 0
    assert traced(return_in_finally_inside_a_loop, 2) == 0


# -- 4. an exception raised by a return expression --------------------------------------------

def _raises():
    raise ValueError("no value")


def exception_in_return_expression(x):
    try:
        return _raises()
    except ValueError:
        pass
    return 1


def test_exception_in_a_return_expression_does_not_return():
    assert exception_in_return_expression(0) == 1
    assert traced(exception_in_return_expression, 0) == 1
    assert traced(exception_in_return_expression, tf.constant(0)) == 1  # it returned None


# -- 5. implicit None under a tensor if -------------------------------------------------------

def falls_off_the_end(x):
    if x > 0:
        return x


def returns_on_every_path(x, y):
    if x > 0:
        if y > 0:
            return 1
        y = y - 1
    return 3


def test_implicit_none_under_a_tensor_if_is_a_value_error_naming_the_if():
    assert falls_off_the_end(1) == 1 and falls_off_the_end(-1) is None  # Python
    assert traced(falls_off_the_end, 1) == 1                            # a Python if: fine
    with pytest.raises(ValueError) as info:  # TF: "the else branch must also have a return
        tf.function(falls_off_the_end)(tf.constant(1))  # statement." (it returned zeros)
    line = falls_off_the_end.__code__.co_firstlineno + 1
    assert str(info.value) == (
        "The function can end without returning a value: the `if` at %s:%d returns in one "
        "branch, but on its else branch the function reaches its end without a `return`. The "
        "condition is a tensor, so both paths are traced into the graph and each must return "
        "a value of the same kind (TensorFlow: \"the else branch must also have a return "
        "statement.\"). Add a `return` on that path (e.g. after the `if`)." % (__file__, line))


def test_paths_that_return_later_are_not_mistaken_for_implicit_none():
    for x, y in [(1, 1), (1, -1), (-1, 0)]:
        expected = returns_on_every_path(x, y)
        assert traced(returns_on_every_path, tf.constant(x), tf.constant(y)) == expected


# -- 6. a while whose Python condition becomes a tensor ---------------------------------------

def condition_becomes_a_tensor(x):
    n = 0
    i = 0
    while i < 3:
        i = i + x
        n += 1
    return n


def test_while_whose_condition_becomes_a_tensor_raises_not_implemented():
    assert condition_becomes_a_tensor(1) == 3
    with pytest.raises(NotImplementedError) as info:  # TF: NotImplementedError, same phrase
        tf.function(condition_becomes_a_tensor)(tf.constant(1))
    message = str(info.value)
    line = condition_becomes_a_tensor.__code__.co_firstlineno + 3
    assert "the `while` at %s:%d" % (__file__, line) in message
    assert "'i' changed from a Python value to a tensor" in message
    assert "started as non-Tensor, then changed to Tensor" in message


# -- 7. gradients of a variable chosen by a tensor if; watched variables ----------------------

def test_gradient_of_a_variable_chosen_by_a_tensor_if():
    v0, v1 = tf.Variable(1.0), tf.Variable(2.0)

    def chosen(c):
        with tf.GradientTape() as tape:
            if c > 0:
                r = v0
            else:
                r = v1
        return tape.gradient(r, v0)
    assert float(chosen(1)) == 1.0          # Python (eager): the variable itself, TF: 1.0
    f = tf.function(chosen)
    assert float(f(tf.constant(1))) == 1.0   # TF: 1.0 (autotrace raised KeyError)
    assert float(f(tf.constant(-1))) == 0.0  # TF: 0.0 (the other branch)


def test_watched_variables_are_listed_after_gradient():
    v = tf.Variable(1.0)

    def watched():
        with tf.GradientTape() as tape:
            y = v * 2.0
        tape.gradient(y, v)
        return len(tape.watched_variables())
    assert watched() == 1                        # TF: [v] (autotrace returned [])
    assert traced(watched) == 1
    with tf.GradientTape() as tape:
        v.numpy()                                # a read: TF watches it too
    assert tape.watched_variables() == (v,) or list(tape.watched_variables()) == [v]


# -- 8. TensorArray clear_after_read ----------------------------------------------------------

def read_then_stack(clear_after_read=None):
    ta = tf.TensorArray(tf.float32, size=3, clear_after_read=clear_after_read)
    ta = ta.write(0, [1.0, 2.0]).write(1, [3.0, 10.0]).write(2, [5.0, 7.0])
    first = ta.read(1)
    return first, ta.stack()


def test_eager_read_clears_the_element_as_in_tf():
    """HOML ch.12: `array.read(1)` "returns (and zeros out!)" the element."""
    first, stacked = read_then_stack()
    np.testing.assert_array_equal(first.numpy(), [3.0, 10.0])
    np.testing.assert_array_equal(stacked.numpy(), [[1, 2], [0, 0], [5, 7]])  # TF's answer
    _, kept = read_then_stack(clear_after_read=False)
    np.testing.assert_array_equal(kept.numpy(), [[1, 2], [3, 10], [5, 7]])


def test_traced_reads_never_clear_as_in_tf():
    first, stacked = tf.function(read_then_stack)()
    np.testing.assert_array_equal(stacked.numpy(), [[1, 2], [3, 10], [5, 7]])  # TF: same


def test_second_eager_read_is_an_error_with_tfs_phrase():
    ta = tf.TensorArray(tf.float32, size=2).write(0, 1.0).write(1, 2.0)
    ta.read(1)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="Could not read index 1 twice because it was cleared after a "
                             "previous read"):
        ta.read(1)


def test_cleared_element_carries_no_gradient():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        ta = tf.TensorArray(tf.float32, size=2).write(0, x * 3.0).write(1, x * 5.0)
        ta.read(0)
        y = tf.reduce_sum(ta.stack())   # row 0 is zeros now: only row 1 depends on x
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [5.0, 5.0])


# -- 9. assign returns the variable -----------------------------------------------------------

def test_assign_returns_a_variable_like_value_that_chains():
    v = tf.Variable(0.0)
    result = v.assign(1.0).assign_add(2.0)
    assert isinstance(result, tf.Variable)          # TF: _UnreadVariable, a tf.Variable
    assert repr(result) == "<tf.Variable 'UnreadVariable' shape=() dtype=float32, " \
                           "numpy=3.0>"           # TF: <tf.Variable 'UnreadVariable' ...>
    assert float(v) == 3.0
    v.assign(5.0)
    assert float(result) == 5.0                      # TF: reading it reads the variable
    assert v.assign(1.0, read_value=False) is None   # TF: None eagerly


def test_assign_result_inside_a_function_reads_the_variable():
    v = tf.Variable(0.0)

    def f():
        r = v.assign(1.0)
        v.assign(3.0)
        return r + 0.0
    assert float(tf.function(f)()) == 3.0            # TF: 3.0 (the read follows both)
    assert float(tf.function(lambda: v.assign(1.0).assign_add(2.0))()) == 3.0
