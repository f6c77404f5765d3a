"""Gradients through TensorArrays (the TensorList ops), eagerly and inside autotrace.function.

The gradient of a TensorArray's flow is a variant tensor holding a TensorList of per-element
gradients, a missing element standing for zeros; several such gradients add element by
element (tensor_list_grad_ops.aggregate_lists)."""

import numpy as np
import pytest

import autotrace as tf
from tests.helpers import grad_of
from autotrace.ops import tensor_list_grad_ops as ta_ops, tensor_list_ops
from autotrace.ops.registry import NO_GRADIENT, REGISTRY, OpDef, apply
from autotrace.ops.tensor_array_ops import TensorList

check = tf.test.check_gradients


RNG = np.random.default_rng(7)
V = RNG.standard_normal(3)
M = RNG.standard_normal((4, 3))


def test_every_tensor_list_op_declares_its_gradient():
    opdefs = [v for module in (ta_ops, tensor_list_ops) for v in vars(module).values()
              if isinstance(v, OpDef)]
    assert len(opdefs) >= 16
    assert not [op.type for op in opdefs if op.grad is None]
    for op_type in ("TensorListReserve", "TensorListLength", "TensorListElementLengths"):
        assert REGISTRY[op_type].grad is NO_GRADIENT


# -- the typical patterns -----------------------------------------------------------------------

def test_writes_in_a_python_loop_then_stack():
    def f(x):
        ta = tf.TensorArray(tf.float64, size=4)
        for i in range(4):
            ta = ta.write(i, x * float(i + 1) * x)
        return ta.stack()
    check(f, [V])
    g, = grad_of(lambda x: f(x), V)
    np.testing.assert_allclose(g, 2 * V * (1 + 2 + 3 + 4))


def test_writes_then_reads():
    def f(x, y):
        # Elements are read twice: no clearing (TF's eager default would clear them).
        ta = tf.TensorArray(tf.float64, size=3, clear_after_read=False)
        ta = ta.write(0, x * y)
        ta = ta.write(2, x * x)
        ta = ta.write(1, y)
        return ta.read(0) + ta.read(2) * ta.read(0)
    check(f, [V, V[::-1].copy()])


def test_overwritten_element_gets_no_gradient():
    def f(x):
        ta = tf.TensorArray(tf.float64, size=2)
        ta = ta.write(1, x * 2.0)
        ta = ta.write(1, x * 3.0)
        ta = ta.write(0, x * 0.0)
        return ta.read(1)
    g, = grad_of(f, V)
    np.testing.assert_allclose(g, np.full(3, 3.0))  # as TF: only the last write counts
    check(f, [V])


def test_element_never_read_gives_zeros():
    def f(x, y):
        ta = tf.TensorArray(tf.float64, size=2)
        ta = ta.write(0, x * 2.0)
        ta = ta.write(1, y * 5.0)
        return ta.read(0)
    gx, gy = grad_of(f, V, V)
    np.testing.assert_allclose(gx, np.full(3, 2.0))
    np.testing.assert_allclose(gy, np.zeros(3))


def test_unstack_then_reads():
    def f(m):
        ta = tf.TensorArray(tf.float64, size=4, clear_after_read=False).unstack(m)
        return ta.read(3) * ta.read(0) + ta.read(3)
    check(f, [M])
    g, = grad_of(f, M)
    np.testing.assert_allclose(g[1:3], 0)


def test_unstack_then_stack_is_the_identity():
    check(lambda m: tf.TensorArray(tf.float64, size=4).unstack(m).stack() * m, [M])


def test_gather_with_repeated_indices_sums():
    def f(m):
        return tf.TensorArray(tf.float64, size=4).unstack(m).gather([2, 0, 2])
    g, = grad_of(f, M)
    np.testing.assert_allclose(g, np.array([1, 0, 2, 0])[:, None] * np.ones((4, 3)))
    check(f, [M])


def test_scatter():
    def f(m, x):
        ta = tf.TensorArray(tf.float64, size=5)
        ta = ta.scatter([4, 0, 2, 1], m)
        ta = ta.write(3, x * x)
        return ta.stack() * 2.0 + ta.read(4)
    check(f, [M, V])


def test_scatter_over_written_elements():
    def f(m, x):
        ta = tf.TensorArray(tf.float64, size=4)
        ta = ta.write(1, x)
        ta = ta.scatter([1, 3], m[:2])  # overwrites element 1
        ta = ta.write(0, x * 2.0)
        ta = ta.write(2, x * 3.0)
        return ta.stack()
    gm, gx = grad_of(f, M, V)
    np.testing.assert_allclose(gx, np.full(3, 5.0))
    check(f, [M, V])


def test_concat_of_elements_of_different_lengths():
    def f(a, b):
        ta = tf.TensorArray(tf.float64, size=3, infer_shape=False)
        ta = ta.write(0, a)
        ta = ta.write(1, b * b)
        ta = ta.write(2, a * b[0])
        return ta.concat()
    a = RNG.standard_normal((2, 3))
    b = RNG.standard_normal((4, 3))
    check(f, [a, b])


def test_identity_and_size_keep_the_gradient():
    def f(x):
        ta = tf.TensorArray(tf.float64, size=2)
        ta = ta.write(0, x).write(1, x * x).identity()
        n = ta.size()
        return ta.stack() * tf.cast(n, tf.float64)
    check(f, [V])


def test_dynamic_size_array_with_scalars():
    def f(x):
        ta = tf.TensorArray(tf.float64, size=0, dynamic_size=True)
        for i in range(3):
            ta = ta.write(i, x[i] * x[i])
        return ta.stack()
    try:
        check(f, [V])
    except LookupError as exc:  # x[i]: StridedSlice belongs to another family
        pytest.skip(str(exc))


def test_second_order():
    def f(x):
        ta = tf.TensorArray(tf.float64, size=3)
        ta = ta.write(0, x * x)
        ta = ta.write(1, x * x * x)
        ta = ta.write(2, x)
        other = tf.TensorArray(tf.float64, size=3).unstack(ta.stack() * x)
        return other.gather([1, 2]) * other.read(1)
    check(f, [V], order=2)


def test_second_order_concat():
    def f(a, b):
        ta = tf.TensorArray(tf.float64, size=2, infer_shape=False)
        ta = ta.write(0, a * a).write(1, b * a[0])
        return ta.concat() * ta.concat()
    for order in (2, 3):  # order 3 differentiates the gradient-list ops of order 2
        check(f, [RNG.standard_normal((2, 3)), RNG.standard_normal((1, 3))], order=order)


def test_unknown_shapes_inside_function():
    def grads(m, x):
        with tf.GradientTape() as tape:
            tape.watch([m, x])
            # Eager reads would clear (TF's eager default), traced ones never: not clearing
            # here keeps the two comparable.
            ta = tf.TensorArray(tf.float64, size=tf.shape(m)[0], infer_shape=False,
                                clear_after_read=False)
            ta = ta.unstack(m)
            tb = tf.TensorArray(tf.float64, size=2, infer_shape=False)
            tb = tb.write(0, ta.read(1) * x).write(1, ta.read(0))
            y = tb.stack() * ta.gather([0, 0]) + tf.reduce_sum(tb.concat() * 2.0)
        return tape.gradient(y, [m, x])

    expected = grads(tf.constant(M), tf.constant(V))
    f = tf.function(grads, input_signature=[tf.TensorSpec([None, None], tf.float64),
                                            tf.TensorSpec(None, tf.float64)])
    got = f(tf.constant(M), tf.constant(V))
    for e, g in zip(expected, got):
        np.testing.assert_allclose(g.numpy(), e.numpy(), rtol=1e-12)


def test_writes_in_a_while_loop():
    """A TensorArray loop variable written once per iteration (eagerly, the loop is Python's;
    inside autotrace.function, the While op's gradient replays the writes)."""
    def f(x):
        ta = tf.TensorArray(tf.float64, size=3)
        _, ta = tf.while_loop(
            lambda i, ta: i < 3,
            lambda i, ta: (i + 1, ta.write(i, x * x * tf.cast(i + 1, x.dtype))), [0, ta])
        return ta.stack()
    check(f, [V])
    g, = grad_of(f, V)
    np.testing.assert_allclose(g, 2 * V * 6)


def test_reads_and_writes_in_a_while_loop_eagerly():
    def f(x):
        # the checker's finite differences run eagerly, where reads clear (TF's default)
        ta = tf.TensorArray(tf.float64, size=4, clear_after_read=False).write(0, x)
        _, ta = tf.while_loop(lambda i, ta: i < 4,
                              lambda i, ta: (i + 1, ta.write(i, ta.read(i - 1) * x)), [1, ta])
        return ta.stack()
    check(f, [V], order=2, modes=("eager",))


def test_unstacked_array_read_in_a_while_loop_eagerly():
    def f(m):
        ta = tf.TensorArray(tf.float64, size=3).unstack(m)
        _, acc = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a + ta.read(i) ** 2),
                               [0, tf.zeros([3], tf.float64)])
        return acc
    check(f, [M[:3]], modes=("eager",))


def test_tensor_array_reads_in_a_while_loop_inside_function():
    def f(x):
        # the checker's finite differences run eagerly, where reads clear (TF's default)
        ta = tf.TensorArray(tf.float64, size=4, clear_after_read=False).write(0, x)
        _, ta = tf.while_loop(lambda i, ta: i < 4,
                              lambda i, ta: (i + 1, ta.write(i, ta.read(i - 1) * x)), [1, ta])
        return ta.stack()
    check(f, [V], modes=("function",))

    def g(m):
        ta = tf.TensorArray(tf.float64, size=3).unstack(m)
        _, acc = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a + ta.read(i) ** 2),
                               [0, tf.zeros([3], tf.float64)])
        return acc
    check(g, [M[:3]], modes=("function",))


# -- the gradient-list ops ----------------------------------------------------------------------

def _items(t):
    return [None if item is None else np.asarray(item).tolist() for item in t._value.items]


def test_aggregate_lists_adds_elementwise_missing_as_zero():
    a = apply(ta_ops.TENSOR_LIST_SCATTER_ADD, (tf.constant([[1.0], [2.0]]),
                                               tf.constant([0, 2])), None)
    b = apply(ta_ops.TENSOR_LIST_SCATTER_ADD, (tf.constant([[10.0]]), tf.constant([3])), None)
    c = apply(ta_ops.TENSOR_LIST_SCATTER_ADD, (tf.constant([[5.0]]), tf.constant([0])), None)
    total = ta_ops.aggregate_lists([a, b, c])
    assert isinstance(total._value, TensorList)
    assert _items(total) == [[6.0], None, [2.0], [10.0]]


def test_scatter_add_sums_repeated_indices_and_gather_or_zeros_fills():
    lst = apply(ta_ops.TENSOR_LIST_SCATTER_ADD,
                (tf.constant([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]]), tf.constant([1, 1, 3])),
                None)
    assert _items(lst) == [None, [3.0, 3.0], None, [3.0, 3.0]]
    out = apply(ta_ops.TENSOR_LIST_GATHER_OR_ZEROS,
                (lst, tf.constant([5, 3, 0, 1]), tf.constant([2])),
                {"element_dtype": tf.float32})
    np.testing.assert_array_equal(out.numpy(), [[0, 0], [3, 3], [0, 0], [3, 3]])
    cleared = apply(ta_ops.TENSOR_LIST_CLEAR_ITEMS, (lst, tf.constant([1, 7])), None)
    assert _items(cleared) == [None, None, None, [3.0, 3.0]]


def test_split_and_concat_or_zeros():
    pieces = apply(ta_ops.TENSOR_LIST_SPLIT, (tf.constant(np.arange(6.0).reshape(3, 2)),
                                              tf.constant([2, 0, 1])), None)
    assert _items(pieces) == [[[0, 1], [2, 3]], [], [[4, 5]]]
    cleared = apply(ta_ops.TENSOR_LIST_CLEAR_ITEMS, (pieces, tf.constant(0)), None)
    back = apply(ta_ops.TENSOR_LIST_CONCAT_OR_ZEROS,
                 (cleared, tf.constant([2, 0, 1]), tf.constant([3, 2])),
                 {"element_dtype": tf.float64})
    np.testing.assert_array_equal(back.numpy(), [[0, 0], [0, 0], [4, 5]])


def test_gradient_list_shape_mismatch_is_an_error():
    a = apply(ta_ops.TENSOR_LIST_SCATTER_ADD, (tf.constant([[1.0]]), tf.constant([0])), None)
    b = apply(ta_ops.TENSOR_LIST_SCATTER_ADD, (tf.constant([[1.0, 2.0]]), tf.constant([0])),
              None)
    with pytest.raises(tf.errors.InvalidArgumentError, match="element 0 has shape"):
        ta_ops.aggregate_lists([a, b])


def test_zeros_list_is_a_zero_gradient():
    z = ta_ops.zeros_list(tf.float32)
    assert z.dtype == tf.variant and _items(z) == []
    one = apply(ta_ops.TENSOR_LIST_SCATTER_ADD, (tf.constant([[1.0]]), tf.constant([1])), None)
    assert _items(ta_ops.aggregate_lists([z, one, z])) == [None, [1.0]]
