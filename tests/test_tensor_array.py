"""TensorArray: eager, in traced functions (loops, branches), shapes, and every error."""
import numpy as np
import pytest

import autotrace as tf
from autotrace.ops import tensor_array_ops, tensor_list

from helpers import check_op


# -- eager -------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype, values", [
    (tf.float32, [1.5, -2.0, 3.25]),
    (tf.int32, [4, 5, -6]),
    (tf.bool, [True, False, True]),
    (tf.int64, [1, 2, 3]),
])
def test_eager_write_read_stack(dtype, values):
    ta = tf.TensorArray(dtype, size=3)
    for i, v in enumerate(values):
        ta = ta.write(i, v)
    stacked = ta.stack()
    assert stacked.dtype == dtype
    np.testing.assert_array_equal(stacked.numpy(), np.array(values, dtype.np))
    assert ta.read(1).numpy() == np.array(values[1], dtype.np)
    assert ta.size().numpy() == 3
    assert ta.dtype is dtype


def test_eager_vector_elements_and_python_numbers_adopt_the_dtype():
    ta = tf.TensorArray(tf.float32, size=2)
    ta = ta.write(0, [1, 2]).write(1, np.array([3.0, 4.0], np.float32))
    out = ta.stack()
    assert out.dtype == tf.float32
    np.testing.assert_array_equal(out.numpy(), [[1, 2], [3, 4]])
    assert ta.element_shape == tf.TensorShape([2])


def test_write_returns_new_array_and_overwrite():
    ta = tf.TensorArray(tf.int32, size=2).write(0, 1).write(1, 2)
    ta2 = ta.write(0, 7)
    np.testing.assert_array_equal(ta2.stack().numpy(), [7, 2])
    np.testing.assert_array_equal(ta.stack().numpy(), [1, 2])  # copy-on-write


def test_eager_dynamic_growth():
    ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
    for i in range(5):
        ta = ta.write(i, float(i) ** 2)
    assert ta.size().numpy() == 5
    np.testing.assert_array_equal(ta.stack().numpy(), np.arange(5.0, dtype=np.float32) ** 2)
    ta = tf.TensorArray(tf.int32, size=1, dynamic_size=True).write(0, 1).write(3, 4)
    assert ta.size().numpy() == 4
    assert ta.read(3).numpy() == 4
    assert ta.dynamic_size


def test_dynamic_size_without_size():
    ta = tf.TensorArray(tf.int32, dynamic_size=True).write(0, 5)
    assert ta.size().numpy() == 1


def test_unstack_then_read_and_gather_scatter():
    x = np.arange(12, dtype=np.float32).reshape(4, 3)
    ta = tf.TensorArray(tf.float32, size=4).unstack(x)
    np.testing.assert_array_equal(ta.read(2).numpy(), x[2])
    np.testing.assert_array_equal(ta.gather([3, 0, 3]).numpy(), x[[3, 0, 3]])
    cleared = x.copy()
    cleared[2] = 0  # the eager read cleared row 2 (clear_after_read, TF's eager default)
    np.testing.assert_array_equal(ta.stack().numpy(), cleared)
    assert ta.element_shape == tf.TensorShape([3])
    s = tf.TensorArray(tf.int32, size=3).scatter([2, 0, 1], [[1, 2], [3, 4], [5, 6]])
    np.testing.assert_array_equal(s.stack().numpy(), [[3, 4], [5, 6], [1, 2]])
    g = tf.TensorArray(tf.int32, size=0, dynamic_size=True).scatter([1, 0], [10, 20])
    np.testing.assert_array_equal(g.stack().numpy(), [20, 10])
    empty = tf.TensorArray(tf.int32, size=3).unstack([1, 2, 3]).gather(
        tf.zeros([0], tf.int32))
    assert empty.shape == (0,)


def test_concat_ragged_first_dimension():
    ta = tf.TensorArray(tf.int32, size=3, infer_shape=False)
    ta = ta.write(0, [1, 2]).write(1, [3]).write(2, [4, 5, 6])
    np.testing.assert_array_equal(ta.concat().numpy(), [1, 2, 3, 4, 5, 6])
    m = tf.TensorArray(tf.float32, size=2, infer_shape=False)
    m = m.write(0, np.ones((2, 2), np.float32)).write(1, np.zeros((1, 2), np.float32))
    np.testing.assert_array_equal(m.concat().numpy(), [[1, 1], [1, 1], [0, 0]])
    empty = tf.TensorArray(tf.float32, size=0, element_shape=[None, 3]).concat()
    assert empty.shape == (0, 3)


def test_strings():
    ta = tf.TensorArray(tf.string, size=2).write(0, "ab").write(1, b"c")
    assert ta.stack().numpy().tolist() == [b"ab", b"c"]
    assert ta.read(0).numpy() == b"ab"


def test_stack_of_empty_array_with_known_element_shape():
    out = tf.TensorArray(tf.float32, size=0, element_shape=[2]).stack()
    assert out.shape == (0, 2) and out.dtype == tf.float32


def test_properties_identity_close():
    ta = tf.TensorArray(tf.float32, size=2, element_shape=[3])
    assert ta.element_shape == tf.TensorShape([3])
    assert ta.flow.dtype == tf.variant
    assert ta.handle is None
    assert ta.close() is None
    ta = ta.write(0, [1.0, 2.0, 3.0]).write(1, [4.0, 5.0, 6.0])
    same = ta.identity()
    np.testing.assert_array_equal(same.stack().numpy(), ta.stack().numpy())
    rebuilt = tf.TensorArray(tf.float32, flow=ta.flow)
    np.testing.assert_array_equal(rebuilt.read(1).numpy(), [4.0, 5.0, 6.0])
    assert "TensorArray" in repr(ta)


def test_eager_while_loop_with_tensor_array():
    ta = tf.TensorArray(tf.int32, size=4)
    _, ta = tf.while_loop(lambda i, t: i < 4, lambda i, t: (i + 1, t.write(i, i * 10)),
                          [0, ta])
    np.testing.assert_array_equal(ta.stack().numpy(), [0, 10, 20, 30])


# -- inside tf.function ------------------------------------------------------------------------

def _cumsum_fn():
    @tf.function
    def cumsum(x):
        n = tf.shape(x)[0]
        ta = tf.TensorArray(tf.float32, size=n)

        def body(i, acc, ta):
            acc = acc + x[i]
            return i + 1, acc, ta.write(i, acc)
        _, total, ta = tf.while_loop(lambda i, acc, ta: i < n, body,
                                     [0, tf.constant(0.0), ta])
        return ta.stack(), total
    return cumsum


def test_while_loop_cumulative_sums_and_single_trace():
    cumsum = _cumsum_fn()
    for values in ([1.0, 2.0, 3.0, 4.0], [5.0, -1.0, 0.5, 2.0], [0.0, 0.0, 1.0, 1.0]):
        x = np.array(values, np.float32)
        stacked, total = cumsum(tf.constant(x))
        np.testing.assert_allclose(stacked.numpy(), np.cumsum(x), rtol=1e-6)
        np.testing.assert_allclose(total.numpy(), x.sum(), rtol=1e-6)
    assert cumsum.experimental_get_tracing_count() == 1


def test_compiled_code_agrees_with_interpreter():
    cumsum = _cumsum_fn()
    x = tf.constant([3.0, 1.0, 4.0, 1.0, 5.0])
    cf = cumsum.get_concrete_function(x)
    want = cf.run_reference(x)
    got = cf(x)
    for w, g in zip(want, got):
        np.testing.assert_array_equal(w.numpy(), g.numpy())


def test_dynamic_growth_in_loop():
    @tf.function
    def squares(n):
        ta = tf.TensorArray(tf.int32, size=0, dynamic_size=True)
        _, ta = tf.while_loop(lambda i, ta: i < n, lambda i, ta: (i + 1, ta.write(i, i * i)),
                              [0, ta])
        return ta.stack(), ta.size()
    for n in (5, 0, 3):
        stacked, size = squares(tf.constant(n))
        np.testing.assert_array_equal(stacked.numpy(), np.arange(n) ** 2)
        assert size.numpy() == n
    assert squares.experimental_get_tracing_count() == 1


def test_loop_with_maximum_iterations():
    @tf.function
    def f():
        ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
        _, ta = tf.while_loop(lambda i, t: True, lambda i, t: (i + 1, t.write(i, 2.0)),
                              [0, ta], maximum_iterations=4)
        return ta.stack()
    np.testing.assert_array_equal(f().numpy(), [2.0] * 4)


def test_array_created_outside_loop_written_inside_and_read_after():
    @tf.function
    def f(x):
        ta = tf.TensorArray(tf.float32, size=3)
        ta = ta.write(0, x)
        i = tf.constant(1)
        while_out = tf.while_loop(lambda i, ta: i < 3,
                                  lambda i, ta: (i + 1, ta.write(i, ta.read(i - 1) * 2.0)),
                                  [i, ta])
        ta = while_out[1]
        return ta.stack(), ta.read(2)
    stacked, last = f(tf.constant([1.0, -1.0]))
    np.testing.assert_array_equal(stacked.numpy(), [[1, -1], [2, -2], [4, -4]])
    np.testing.assert_array_equal(last.numpy(), [4, -4])


def test_unrolled_python_loop_and_static_shapes():
    @tf.function
    def f(x):
        ta = tf.TensorArray(tf.float32, size=3)
        for i in range(3):
            ta = ta.write(i, x * float(i))
        stacked = ta.stack()
        assert stacked.shape == tf.TensorShape([3, 2])
        assert ta.read(0).shape == tf.TensorShape([2])
        assert ta.gather([0, 2]).shape == tf.TensorShape([2, 2])
        assert ta.concat().shape.as_list() == [None]
        return stacked
    x = np.array([1.0, 2.0], np.float32)
    np.testing.assert_array_equal(f(tf.constant(x)).numpy(), np.stack([x * i for i in range(3)]))


def test_static_shape_of_dynamic_array_and_shape_learned_in_loop():
    @tf.function
    def f():
        ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
        _, ta = tf.while_loop(
            lambda i, t: i < 3,
            lambda i, t: (i + 1, t.write(i, tf.fill([2], tf.cast(i, tf.float32)))), [0, ta])
        stacked = ta.stack()
        assert stacked.shape.as_list() == [None, 2]  # learned inside the body
        assert ta.element_shape == tf.TensorShape([2])
        return stacked
    np.testing.assert_array_equal(f().numpy(), [[0, 0], [1, 1], [2, 2]])


def test_cond_branches_using_tensor_arrays():
    @tf.function
    def f(p, x):
        ta = tf.TensorArray(tf.float32, size=2)
        return tf.cond(p, lambda: ta.write(0, x).write(1, x * 2.0).stack(),
                       lambda: ta.unstack(tf.stack([x, -x])).stack())
    np.testing.assert_array_equal(f(tf.constant(True), tf.constant(3.0)).numpy(), [3, 6])
    np.testing.assert_array_equal(f(tf.constant(False), tf.constant(3.0)).numpy(), [3, -3])
    assert f.experimental_get_tracing_count() == 1


def test_cond_returning_tensor_array():
    @tf.function
    def f(p):
        ta = tf.TensorArray(tf.float32, size=2)
        ta = tf.cond(p, lambda: ta.write(0, 1.0).write(1, 2.0),
                     lambda: ta.write(0, 3.0).write(1, 4.0))
        return ta.stack()
    np.testing.assert_array_equal(f(tf.constant(True)).numpy(), [1, 2])
    np.testing.assert_array_equal(f(tf.constant(False)).numpy(), [3, 4])


def test_ragged_concat_in_function():
    @tf.function
    def f(n):
        ta = tf.TensorArray(tf.int32, size=0, dynamic_size=True, infer_shape=False)
        _, ta = tf.while_loop(lambda i, ta: i < n,
                              lambda i, ta: (i + 1, ta.write(i, tf.range(i + 1))), [0, ta])
        return ta.concat()
    np.testing.assert_array_equal(f(tf.constant(4)).numpy(),
                                  np.concatenate([np.arange(i + 1) for i in range(4)]))


def test_scatter_gather_in_function():
    @tf.function
    def f(x, idx):
        ta = tf.TensorArray(tf.float32, size=4).scatter(idx, x)
        return ta.gather([3, 2, 1, 0]), ta.size()
    x = np.arange(8, dtype=np.float32).reshape(4, 2)
    idx = np.array([3, 1, 0, 2], np.int32)
    gathered, size = f(tf.constant(x), tf.constant(idx))
    expected = np.empty_like(x)
    expected[idx] = x
    np.testing.assert_array_equal(gathered.numpy(), expected[[3, 2, 1, 0]])
    assert size.numpy() == 4


def test_eager_array_captured_by_function_is_not_changed():
    ta = tf.TensorArray(tf.float32, size=2).write(0, 5.0)

    @tf.function
    def f(x):
        return ta.write(1, x).stack()
    np.testing.assert_array_equal(f(tf.constant(1.0)).numpy(), [5, 1])
    np.testing.assert_array_equal(f(tf.constant(2.0)).numpy(), [5, 2])
    with pytest.raises(tf.errors.InvalidArgumentError, match="index 1 .*never written"):
        ta.read(1)


def test_session_graph_and_check_op():
    x = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], np.float32)
    check_op(lambda t: tf.TensorArray(tf.float32, size=3).unstack(t).stack(), x, expected=x)
    check_op(lambda t: tf.TensorArray(tf.float32, size=3).unstack(t).read(1), x, expected=x[1])
    check_op(lambda t: tf.TensorArray(tf.float32, size=3, infer_shape=False).unstack(t)
             .concat(), x, expected=x.reshape(-1))
    check_op(lambda t: tf.TensorArray(tf.float32, size=3).unstack(t).gather([2, 0]), x,
             expected=x[[2, 0]])
    check_op(lambda t: tf.TensorArray(tf.float32, size=0, dynamic_size=True)
             .write(0, t[0]).write(1, t[2]).stack(), x, expected=x[[0, 2]])
    check_op(lambda t: tf.TensorArray(tf.float32, size=0, dynamic_size=True).unstack(t).size(),
             x, expected=np.int32(3))


def test_writes_run_on_every_call_even_when_unused():
    @tf.function
    def f(i):
        ta = tf.TensorArray(tf.float32, size=2)
        ta.write(i, 1.0)  # result unused: the write still runs (and checks its index)
        return tf.constant(0.0)
    assert f(tf.constant(1)).numpy() == 0.0
    with pytest.raises(tf.errors.InvalidArgumentError, match="index 5 is out of range.*size 2"):
        f(tf.constant(5))


# -- errors ------------------------------------------------------------------------------------

def test_write_past_size_eager_and_in_function():
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"index 3 is out of range for a TensorArray of size 2"):
        tf.TensorArray(tf.float32, size=2).write(3, 1.0)

    @tf.function
    def f(i):
        return tf.TensorArray(tf.float32, size=2).write(i, 1.0).read(i)
    assert f(tf.constant(1)).numpy() == 1.0
    with pytest.raises(tf.errors.InvalidArgumentError, match="index 2 is out of range.*size 2"):
        f(tf.constant(2))


def test_write_past_size_in_loop():
    @tf.function
    def f(n):
        ta = tf.TensorArray(tf.int32, size=3)
        _, ta = tf.while_loop(lambda i, ta: i < n, lambda i, ta: (i + 1, ta.write(i, i)),
                              [0, ta])
        return ta.stack()
    np.testing.assert_array_equal(f(tf.constant(3)).numpy(), [0, 1, 2])
    with pytest.raises(tf.errors.InvalidArgumentError, match="index 3 is out of range.*size 3"):
        f(tf.constant(4))


def test_negative_index():
    with pytest.raises(tf.errors.InvalidArgumentError, match="index -1 is negative"):
        tf.TensorArray(tf.int32, size=3).write(-1, 1)


def test_read_unwritten_eager_and_in_function():
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"index 3 of the TensorArray \(size 4\) was never written"):
        tf.TensorArray(tf.float32, size=4).write(0, 1.0).read(3)

    @tf.function
    def f():
        return tf.TensorArray(tf.float32, size=3).write(0, 1.0).read(2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="index 2 .*never written"):
        f()

    @tf.function
    def g():
        return tf.TensorArray(tf.float32, size=0, dynamic_size=True).write(2, 1.0).stack()
    with pytest.raises(tf.errors.InvalidArgumentError, match="stack: index 0 .*never written"):
        g()


def test_unwritten_reads_zeros_switch(monkeypatch):
    monkeypatch.setattr(tensor_list, "UNWRITTEN_READS_ZEROS", True)
    ta = tf.TensorArray(tf.float32, size=3).write(0, [1.0, 2.0])
    np.testing.assert_array_equal(ta.stack().numpy(), [[1, 2], [0, 0], [0, 0]])
    np.testing.assert_array_equal(ta.read(2).numpy(), [0, 0])


def test_read_out_of_range():
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="read: index 5 is out of range for a TensorArray of size 3"):
        tf.TensorArray(tf.int32, size=3).read(5)
    with pytest.raises(tf.errors.InvalidArgumentError, match="gather: index 3 is out of range"):
        tf.TensorArray(tf.int32, size=3).unstack([1, 2, 3]).gather([0, 3])


def test_shape_mismatch_eager_and_in_function():
    ta = tf.TensorArray(tf.float32, size=3).write(0, [1.0, 2.0])
    with pytest.raises(ValueError, match=r"element shape \(3,\).*have shape \(2,\)"):
        ta.write(1, [1.0, 2.0, 3.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match="infer_shape=False"):
        ta.write(1, [1.0, 2.0, 3.0])

    @tf.function
    def f():
        return tf.TensorArray(tf.float32, size=2).write(0, [1.0, 2.0]).write(1, [1.0]).stack()
    with pytest.raises(ValueError, match=r"element shape \(1,\).*have shape \(2,\)"):
        f()


def test_shape_mismatch_found_at_run_time():
    # Unknown static shapes: the first write's shape is learned when the function runs.
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32),
                                  tf.TensorSpec([None], tf.float32)])
    def f(a, b):
        return tf.TensorArray(tf.float32, size=2).write(0, a).write(1, b).stack()
    np.testing.assert_array_equal(f([1.0, 2.0], [3.0, 4.0]).numpy(), [[1, 2], [3, 4]])
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"index 1 has shape \(3,\).*have shape \(2,\)"):
        f([1.0, 2.0], [3.0, 4.0, 5.0])


def test_declared_element_shape_is_enforced():
    with pytest.raises(ValueError, match=r"element shape \(2,\).*have shape \(3,\)"):
        tf.TensorArray(tf.int32, size=3, element_shape=[3]).write(0, [1, 2])
    with pytest.raises(ValueError, match="have shape"):
        tf.TensorArray(tf.int32, size=2, element_shape=[3], infer_shape=False).write(0, [1, 2])


def test_dtype_mismatch():
    with pytest.raises(TypeError, match="holds float32 elements but the value has dtype int32"):
        tf.TensorArray(tf.float32, size=3).write(0, tf.constant([1, 2]))
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="holds int32 elements but the value has dtype float32"):
        tf.TensorArray(tf.int32, size=3).write(0, 1.5)
    with pytest.raises(TypeError, match="holds int32 elements but the value has dtype float32"):
        tf.TensorArray(tf.int32, size=3).unstack([1.5, 2.5, 3.5])

    @tf.function
    def f(x):
        return tf.TensorArray(tf.int32, size=1).write(0, x).stack()
    with pytest.raises(TypeError, match="holds int32 elements.*dtype float32"):
        f(tf.constant(1.0))


def test_stack_empty_needs_known_element_shape():
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="empty.*element shape <unknown> is not fully known"):
        tf.TensorArray(tf.float32, size=0).stack()

    @tf.function
    def f(n):
        return tf.TensorArray(tf.float32, size=n, element_shape=[None, 2]).stack()
    with pytest.raises(tf.errors.InvalidArgumentError, match="not fully known"):
        f(tf.constant(0))


def test_stack_of_different_shapes_without_infer_shape():
    ta = tf.TensorArray(tf.int32, size=2, infer_shape=False).write(0, [1, 2]).write(1, [3])
    with pytest.raises(ValueError, match=r"element 0 has shape \(2,\) and element 1 has "
                                         r"shape \(1,\)"):
        ta.stack()


def test_unstack_and_scatter_errors():
    with pytest.raises(ValueError, match="value has 3 rows, but the TensorArray has size 2"):
        tf.TensorArray(tf.float32, size=2).unstack([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="rank >= 1"):
        tf.TensorArray(tf.float32, size=2).unstack(1.0)
    with pytest.raises(ValueError, match="one row per index: 2 indices"):
        tf.TensorArray(tf.float32, size=3).scatter([0, 1], [1.0, 2.0, 3.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match="scatter: index 4 is out of range"):
        tf.TensorArray(tf.float32, size=3).scatter([0, 4], [1.0, 2.0])

    @tf.function
    def f(x):
        return tf.TensorArray(tf.float32, size=2).unstack(x).stack()
    np.testing.assert_array_equal(f(tf.constant([1.0, 2.0])).numpy(), [1, 2])
    with pytest.raises(ValueError, match="value has 3 rows, but the TensorArray has size 2"):
        f(tf.constant([1.0, 2.0, 3.0]))


def test_concat_errors():
    ta = tf.TensorArray(tf.int32, size=2).write(0, 1).write(1, 3)
    with pytest.raises(ValueError, match="rank >= 1.*use stack"):
        ta.concat()
    m = tf.TensorArray(tf.int32, size=2, infer_shape=False).write(0, [[1, 2]]).write(1, [[3]])
    with pytest.raises(ValueError, match="differ only in their first dimension"):
        m.concat()


def test_bad_constructor_and_index_arguments():
    with pytest.raises(ValueError, match="size must be given"):
        tf.TensorArray(tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="size must be >= 0"):
        tf.TensorArray(tf.float32, size=-1)
    with pytest.raises(TypeError, match="index must be a scalar integer"):
        tf.TensorArray(tf.float32, size=2).write(tf.constant(0.0), 1.0)
    with pytest.raises(TypeError, match="variant flow tensor"):
        tf.TensorArray(tf.float32, flow=tf.constant(1.0))


def test_flow_returned_from_function_is_checked_against_interpreter():
    @tf.function
    def f(x):
        return tf.TensorArray(tf.float32, size=2).unstack(x).flow
    flow = f(tf.constant([1.0, 2.0]))  # compiled and interpreted lists compare equal
    assert flow.dtype == tf.variant
    np.testing.assert_array_equal(tf.TensorArray(tf.float32, flow=flow).stack().numpy(), [1, 2])


def test_docstring_examples():
    import doctest
    result = doctest.testmod(tensor_array_ops, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0
