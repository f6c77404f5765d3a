"""numpy_function and py_function: values, side effects per call, and errors."""
import numpy as np
import pytest

import autotrace as tf


# -- numpy_function ----------------------------------------------------------------------------

def test_numpy_function_eager_values_and_argument_types():
    seen = []

    def f(x, y):
        seen.append((type(x), x.dtype, x.shape, type(y), y.dtype, y.shape))
        return np.sort(x) * y

    out = tf.numpy_function(f, [tf.constant([3, 1, 2]), tf.constant(2)], tf.int32)
    assert out.dtype == tf.int32
    np.testing.assert_array_equal(out.numpy(), [2, 4, 6])
    assert seen == [(np.ndarray, np.int32, (3,), np.ndarray, np.int32, ())]


def test_numpy_function_in_function_matches_numpy_and_traces_once():
    @tf.function
    def f(x):
        y = tf.numpy_function(lambda a: np.cumprod(a), [x * 2.0], tf.float32)
        return y + 1.0

    for values in ([1.0, 2.0, 3.0], [0.5, -1.0, 4.0]):
        x = np.array(values, np.float32)
        np.testing.assert_allclose(f(tf.constant(x)).numpy(), np.cumprod(x * 2) + 1, rtol=1e-6)
    assert f.experimental_get_tracing_count() == 1


def test_numpy_function_static_shape_is_unknown():
    @tf.function
    def f(x):
        y = tf.numpy_function(lambda a: a, [x], tf.float32)
        assert y.dtype == tf.float32
        assert y.shape.rank is None
        return y
    np.testing.assert_array_equal(f(tf.constant([1.0, 2.0])).numpy(), [1.0, 2.0])


def test_numpy_function_multiple_outputs():
    def f(x):
        return x * 2, x.sum(dtype=np.int64)
    a, b = tf.numpy_function(f, [tf.constant([1, 2, 3])], [tf.int32, tf.int64])
    np.testing.assert_array_equal(a.numpy(), [2, 4, 6])
    assert b.dtype == tf.int64 and b.numpy() == 6

    @tf.function
    def g(x):
        return tf.numpy_function(f, [x], [tf.int32, tf.int64])
    a, b = g(tf.constant([4, 5]))
    np.testing.assert_array_equal(a.numpy(), [8, 10])
    assert b.numpy() == 9


def test_numpy_function_output_list_forms():
    one = tf.numpy_function(lambda x: x, [tf.constant(1.0)], [tf.float32])
    assert isinstance(one, list) and len(one) == 1 and one[0].numpy() == 1.0
    assert tf.numpy_function(lambda x: None, [tf.constant(1.0)], []) is None


def test_numpy_function_python_values_adopt_tout():
    out = tf.numpy_function(lambda x: 2, [tf.constant(1.0)], tf.float32)
    assert out.dtype == tf.float32 and out.numpy() == 2.0
    a, b = tf.numpy_function(lambda: (3, [[1, 2], [3, 4]]), [], [tf.int64, tf.float32])
    assert a.dtype == tf.int64 and a.numpy() == 3
    assert b.dtype == tf.float32
    np.testing.assert_array_equal(b.numpy(), [[1, 2], [3, 4]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="returned list of 2 values.*"
                       "counts as several outputs"):
        tf.numpy_function(lambda: [1.0, 2.0], [], tf.float32)


def test_numpy_function_strings():
    out = tf.numpy_function(lambda s: np.array([x.upper() for x in s], dtype=object),
                            [tf.constant(["ab", "c"])], tf.string)
    assert out.numpy().tolist() == [b"AB", b"C"]
    out = tf.numpy_function(lambda: np.array(["x", "yz"]), [], tf.string)
    assert out.numpy().tolist() == [b"x", b"yz"]


def test_numpy_function_inputs_are_copies():
    x = tf.constant([1.0, 2.0])

    def mutate(a):
        a += 100.0
        return a
    np.testing.assert_array_equal(tf.numpy_function(mutate, [x], tf.float32).numpy(),
                                  [101.0, 102.0])
    np.testing.assert_array_equal(x.numpy(), [1.0, 2.0])


def test_numpy_function_side_effect_runs_on_every_call(capsys):
    calls = []

    @tf.function
    def f(x):
        def effect(v):
            calls.append(int(v))
            print("called with", int(v))
            return v + 1
        return tf.numpy_function(effect, [x], tf.int32)

    assert f(tf.constant(1)).numpy() == 2
    assert f(tf.constant(5)).numpy() == 6
    assert f(tf.constant(7)).numpy() == 8
    assert calls == [1, 5, 7]
    assert capsys.readouterr().out == "called with 1\ncalled with 5\ncalled with 7\n"
    assert f.experimental_get_tracing_count() == 1


def test_side_effects_run_in_program_order_even_if_unused():
    log = []

    @tf.function
    def f(x):
        tf.numpy_function(lambda v: log.append(("a", int(v))), [x], [])
        tf.numpy_function(lambda v: log.append(("b", int(v))) or v, [x], tf.int32)  # unused
        tf.py_function(lambda v: log.append(("c", int(v))), [x], [])
        return x * 2

    assert f(tf.constant(3)).numpy() == 6
    assert f(tf.constant(4)).numpy() == 8
    assert log == [("a", 3), ("b", 3), ("c", 3), ("a", 4), ("b", 4), ("c", 4)]


def test_numpy_function_in_while_loop_runs_per_iteration():
    seen = []

    @tf.function
    def f(n):
        def body(i, acc):
            step = tf.numpy_function(lambda v: seen.append(int(v)) or v * 10, [i], tf.int32)
            step.set_shape([])  # the static shape of a numpy_function output is unknown
            return i + 1, acc + step
        return tf.while_loop(lambda i, acc: i < n, body, [0, 0])[1]

    assert f(tf.constant(4)).numpy() == 60
    assert seen == [0, 1, 2, 3]


def test_stateless_numpy_function():
    @tf.function
    def f(x):
        return tf.numpy_function(lambda a: a * 3, [x], tf.float32, stateful=False)
    assert f(tf.constant(2.0)).numpy() == 6.0
    ops = [op.type for op in f.get_concrete_function(tf.constant(2.0)).graph.get_operations()]
    assert "PyFuncStateless" in ops and "PyFunc" not in ops


def test_numpy_function_decorator():
    @tf.numpy_function(Tout=tf.float32)
    def double(x):
        return x * 2

    assert double(tf.constant(3.0)).numpy() == 6.0
    traced = tf.function(lambda x: double(x))
    assert traced(tf.constant(4.0)).numpy() == 8.0


def test_session_runs_numpy_function_when_fetched():
    calls = []
    g = tf.Graph()
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [2])
        y = tf.numpy_function(lambda a: calls.append(1) or a[::-1].copy(), [x], tf.float32)
    with tf.compat.v1.Session(graph=g) as sess:
        np.testing.assert_array_equal(sess.run(y, {x: [1.0, 2.0]}), [2.0, 1.0])
        sess.run(y, {x: [3.0, 4.0]})
    assert calls == [1, 1]


# -- py_function -------------------------------------------------------------------------------

def test_py_function_receives_eager_tensors_and_can_use_ops():
    seen = []

    def f(x, y):
        seen.append((type(x).__name__, x.dtype, tf.executing_eagerly()))
        return tf.reduce_sum(x) * y

    out = tf.py_function(f, [tf.constant([1.0, 2.0, 3.0]), tf.constant(2.0)], tf.float32)
    assert out.numpy() == 12.0

    @tf.function
    def g(x):
        return tf.py_function(f, [x, 3.0], tf.float32) + 1.0
    assert g(tf.constant([1.0, 1.0])).numpy() == 7.0
    assert g(tf.constant([2.0, 2.0])).numpy() == 13.0
    assert seen == [("EagerTensor", tf.float32, True)] * 3
    assert g.experimental_get_tracing_count() == 1


def test_py_function_uses_numpy_values():
    @tf.function
    def f(x):
        return tf.py_function(lambda t: np.linalg.norm(t.numpy()), [x], tf.float32)
    x = np.array([3.0, 4.0], np.float32)
    assert f(tf.constant(x)).numpy() == pytest.approx(5.0)


def test_py_function_multiple_outputs_and_conversion():
    a, b = tf.py_function(lambda x: (x * 2, 7), [tf.constant(1.5)], [tf.float32, tf.int64])
    assert a.numpy() == 3.0
    assert b.dtype == tf.int64 and b.numpy() == 7
    out = tf.py_function(lambda x: 1, [tf.constant(1.0)], tf.float32)
    assert out.dtype == tf.float32 and out.numpy() == 1.0


def test_py_function_side_effect_per_call(capsys):
    @tf.function
    def f(x):
        tf.py_function(lambda v: print("value", v.numpy()), [x], [])
        return x + 1

    f(tf.constant(1))
    f(tf.constant(2))
    assert capsys.readouterr().out == "value 1\nvalue 2\n"
    assert f.experimental_get_tracing_count() == 1


# -- errors ------------------------------------------------------------------------------------

def wrong_count(x):
    return x, x


def test_wrong_output_count():
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="wrong_count returned tuple of 2 values, but Tout promises 1 output"):
        tf.numpy_function(wrong_count, [tf.constant(1.0)], tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="wrong_count returned tuple of 2 values, but Tout promises 3"):
        tf.py_function(wrong_count, [tf.constant(1.0)], [tf.float32] * 3)
    with pytest.raises(tf.errors.InvalidArgumentError, match="returned None, but Tout promises 1"):
        tf.numpy_function(lambda x: None, [tf.constant(1.0)], tf.float32)

    @tf.function
    def f(x):
        return tf.numpy_function(wrong_count, [x], tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="wrong_count returned tuple of 2"):
        f(tf.constant(1.0))


def to_float64(x):
    return x.astype(np.float64)


def test_wrong_output_dtype():
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="output 0 of the Python function to_float64 is of dtype float64, "
                             "but Tout promises dtype float32"):
        tf.numpy_function(to_float64, [tf.constant(1.0)], tf.float32)

    @tf.function
    def f(x):
        return tf.numpy_function(to_float64, [x], tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="to_float64 is of dtype float64"):
        f(tf.constant(1.0))
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="output 0 .* is of dtype int32, but Tout promises dtype float32"):
        tf.py_function(lambda x: tf.constant(1), [tf.constant(1.0)], tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"\(float 2.5\) cannot be converted to the dtype int32"):
        tf.numpy_function(lambda x: 2.5, [tf.constant(1.0)], tf.int32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="cannot be converted.*int32"):
        tf.py_function(lambda x: 2.5, [tf.constant(1.0)], tf.int32)


def divide_by_zero(x):
    return x / 0 if isinstance(x, int) else 1 // 0


def test_exceptions_propagate_naming_the_function():
    with pytest.raises(tf.errors.UnknownError,
                       match="numpy_function: the Python function divide_by_zero raised "
                             "ZeroDivisionError") as info:
        tf.numpy_function(divide_by_zero, [tf.constant(1.0)], tf.float32)
    assert isinstance(info.value.__cause__, ZeroDivisionError)

    def bad_value(x):
        raise ValueError("no good: %s" % x.numpy())
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="py_function: the Python function bad_value raised ValueError: "
                             "no good: 3") as info:
        tf.py_function(bad_value, [tf.constant(3)], tf.int32)
    assert isinstance(info.value.__cause__, ValueError)

    @tf.function
    def f(x):
        return tf.numpy_function(divide_by_zero, [x], tf.float32)
    with pytest.raises(tf.errors.UnknownError, match="divide_by_zero raised ZeroDivisionError"):
        f(tf.constant(1.0))

    @tf.function
    def g(x):
        return tf.py_function(bad_value, [x], tf.int32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="bad_value raised ValueError"):
        g(tf.constant(4))


def test_bad_arguments():
    with pytest.raises(TypeError, match="missing required argument 'Tout'"):
        tf.numpy_function(lambda x: x, [tf.constant(1.0)], None)
    with pytest.raises(TypeError, match="inp must be a list or tuple"):
        tf.py_function(lambda x: x, tf.constant(1.0), tf.float32)
    with pytest.raises(TypeError, match="missing argument `inp`"):
        tf.numpy_function(lambda x: x, None, tf.float32)
    with pytest.raises(TypeError, match="func must be callable"):
        tf.py_function(3, [], tf.float32)


def test_docstring_examples():
    import doctest
    from autotrace.control_flow import script_ops
    result = doctest.testmod(script_ops, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0
