"""AutoGraph asserts converter: `assert test, msg` -> `ag__.assert_stmt(test, lambda: msg)`.

A tensor test inside a traced function becomes an Assert op that fails at run time with
InvalidArgumentError naming the message; a Python test stays a plain Python assert."""
import pytest

import autotrace as tf


def positive(x):
    assert x > 0, "x must be positive"
    return x + 1


GOLDEN = '''\
def positive(x):
    ag__.assert_stmt((x > 0), (lambda : 'x must be positive'))
    return (x + 1)
'''


def test_golden_code():
    assert tf.autograph.to_code(positive) == GOLDEN


# -- Python values: the converted function is the original ------------------------------------

def described(x):
    assert x != 0, "zero has no sign (got %r)" % x
    assert isinstance(x, int)
    return 1 if x > 0 else -1


def outcome(fn, *args):
    try:
        return ("ok", fn(*args))
    except AssertionError as exc:
        # pytest rewrites the asserts of this module (not of the converted copy) and appends
        # its explanation: compare the user's message only.
        text = str(exc)
        text = "" if text.startswith("assert ") else text.split("\nassert ")[0]
        return ("AssertionError", text)


@pytest.mark.parametrize("x", [3, -2, 0, 1.5, -1.0])
def test_python_values_behave_as_python(x):
    converted = tf.autograph.convert(described)
    assert outcome(converted, x) == outcome(described, x)


def test_message_is_evaluated_only_when_the_assert_fails():
    calls = []

    def message():
        calls.append(1)
        return "failed"

    def f(x):
        assert x > 0, message()
        return x
    converted = tf.autograph.convert(f)
    assert converted(1) == 1 and calls == []
    with pytest.raises(AssertionError, match="^failed$"):
        converted(-1)
    assert calls == [1]


def test_eager_tensor_outside_a_trace_is_a_python_assert():
    converted = tf.autograph.convert(positive)
    assert int(converted(tf.constant(2))) == 3
    with pytest.raises(AssertionError, match="x must be positive"):
        converted(tf.constant(-2))


# -- tensors inside a traced function ----------------------------------------------------------

def test_tensor_assert_becomes_an_assert_op_checked_on_every_call():
    f = tf.function(positive)
    for v in [1, 5, 100]:
        assert int(f(tf.constant(v))) == v + 1
    with pytest.raises(tf.errors.InvalidArgumentError, match="x must be positive"):
        f(tf.constant(-1))
    with pytest.raises(tf.errors.InvalidArgumentError, match="x must be positive"):
        f(tf.constant(0))
    assert int(f(tf.constant(7))) == 8
    assert f.experimental_get_tracing_count() == 1
    types = [op.type for op in f.get_concrete_function(tf.constant(1)).graph.get_operations()]
    assert "Assert" in types


def test_assert_error_names_the_user_line():
    def f(x):
        assert x > 0, "nope"
        return x
    line = f.__code__.co_firstlineno + 1
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        tf.function(f)(tf.constant(-1))
    assert "nope" in str(e.value)
    assert "%s:%d" % (__file__, line) in str(e.value)


def test_tensor_assert_without_message_names_its_line():
    def f(x):
        assert x > 0
        return x
    line = f.__code__.co_firstlineno + 1
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        tf.function(f)(tf.constant(-1))
    assert "Assertion failed (at %s:%d)" % (__file__, line) in str(e.value)


def test_python_assert_in_a_traced_function_runs_while_tracing():
    @tf.function
    def f(x, flag):
        assert flag, "flag must be set"
        return x * 2
    assert int(f(tf.constant(2), True)) == 4
    with pytest.raises(AssertionError, match="^flag must be set$"):
        f(tf.constant(2), False)
    types = [op.type for op in f.get_concrete_function(tf.constant(1), True).graph
             .get_operations()]
    assert "Assert" not in types


def test_assert_inside_a_tensor_branch_only_fails_when_the_branch_runs():
    @tf.function
    def f(x):
        if x > 10:
            assert x < 20, "too big"
            x = x - 10
        return x
    assert int(f(tf.constant(3))) == 3
    assert int(f(tf.constant(15))) == 5
    with pytest.raises(tf.errors.InvalidArgumentError, match="too big"):
        f(tf.constant(25))
    assert f.experimental_get_tracing_count() == 1


def test_assert_inside_a_tensor_loop_runs_each_iteration():
    @tf.function
    def f(x):
        s = tf.constant(0.0)
        for i in tf.range(tf.shape(x)[0]):
            assert x[i] >= 0.0, "negative element"
            s += x[i]
        return s
    assert float(f(tf.constant([1.0, 2.0, 3.0]))) == 6.0
    with pytest.raises(tf.errors.InvalidArgumentError, match="negative element"):
        f(tf.constant([1.0, -2.0, 3.0]))
    assert f.experimental_get_tracing_count() == 1
