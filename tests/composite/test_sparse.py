"""SparseTensor and tf.sets, with the answers TensorFlow gives (TF's sparse tensor guide,
restated): construction, printing, the tf.sparse ops, functions, control flow, gradients and
errors that name the op and the bad index."""
import numpy as np
import pytest

import autotrace as tf
from autotrace.errors import InvalidArgumentError

check = tf.test.check_gradients


def dense(sp):
    return tf.sparse.to_dense(sp).numpy()


def parts(sp):
    return sp.indices.numpy().tolist(), sp.values.numpy().tolist(), sp.dense_shape.numpy().tolist()


ST = dict(indices=[[0, 0], [1, 2]], values=[1.0, 2.0], dense_shape=[3, 4])


def test_construction_and_printing():
    st = tf.SparseTensor(**ST)
    assert str(st) == (
        "SparseTensor(indices=tf.Tensor(\n[[0 0]\n [1 2]], shape=(2, 2), dtype=int64), "
        "values=tf.Tensor([1. 2.], shape=(2,), dtype=float32), "
        "dense_shape=tf.Tensor([3 4], shape=(2,), dtype=int64))")
    assert st.shape == tf.TensorShape([3, 4]) and st.dtype == tf.float32
    assert st.indices.dtype == tf.int64
    np.testing.assert_array_equal(dense(st), [[1, 0, 0, 0], [0, 0, 2, 0], [0, 0, 0, 0]])
    assert tf.sparse.SparseTensor is tf.SparseTensor
    assert parts(tf.sparse.from_dense([[1, 0], [0, 2]])) == ([[0, 0], [1, 1]], [1, 2], [2, 2])
    assert repr(tf.SparseTensorSpec([None, 4], tf.float32)) == \
        "SparseTensorSpec(TensorShape([None, 4]), tf.float32)"
    with pytest.raises(ValueError, match="indices has 2 rows but values has 3 entries"):
        tf.SparseTensor([[0, 0], [1, 1]], [1, 2, 3], [2, 2])


def test_bad_indices_name_the_op_and_index():
    with pytest.raises(InvalidArgumentError) as info:
        tf.sparse.to_dense(tf.SparseTensor([[1, 2], [0, 0]], [1.0, 2.0], [3, 4]))
    assert str(info.value) == ("SparseToDense: indices[1] = [0,0] is out of order. Many sparse "
                               "ops require sorted indices; use autotrace.sparse.reorder to "
                               "make a correctly ordered copy.")
    with pytest.raises(InvalidArgumentError, match=r"SparseToDense: indices\[0\] = \[0,5\] is "
                       r"out of bounds: need 0 <= index < \[3,4\]"):
        tf.sparse.to_dense(tf.SparseTensor([[0, 5]], [1.0], [3, 4]))
    with pytest.raises(InvalidArgumentError, match=r"indices\[1\] = \[0,1\] is repeated"):
        tf.sparse.to_dense(tf.SparseTensor([[0, 1], [0, 1]], [1.0, 2.0], [3, 4]))
    with pytest.raises(InvalidArgumentError, match=r"SparseTensorDenseMatMul: indices\[0\] = "
                       r"\[7,0\] is out of bounds"):
        tf.sparse.sparse_dense_matmul(tf.SparseTensor([[7, 0]], [1.0], [3, 4]), tf.ones([4, 2]))
    with pytest.raises(InvalidArgumentError, match="SparseTensorDenseMatMul: cannot multiply A "
                       "and B because inner dimension does not match: 4 vs. 3"):
        tf.sparse.sparse_dense_matmul(tf.SparseTensor(**ST), tf.ones([3, 2]))
    with pytest.raises(InvalidArgumentError, match="SparseAdd: operands' shapes do not match: "
                       "got 4 and 5 for dimension 1"):
        tf.sparse.add(tf.SparseTensor(**ST), tf.SparseTensor([[0, 0]], [1.0], [3, 5]))
    with pytest.raises(TypeError, match="SparseTensor cannot be converted to a Tensor; use "
                       r"autotrace.sparse.to_dense\(sp\)"):
        tf.convert_to_tensor(tf.SparseTensor(**ST))


def test_sparse_ops_give_tf_answers():
    st = tf.SparseTensor(**ST)
    unordered = tf.SparseTensor([[1, 2], [0, 0]], [1.0, 2.0], [3, 4])
    assert parts(tf.sparse.reorder(unordered)) == ([[0, 0], [1, 2]], [2.0, 1.0], [3, 4])
    assert parts(tf.sparse.add(st, st)) == ([[0, 0], [1, 2]], [2.0, 4.0], [3, 4])
    np.testing.assert_array_equal(tf.sparse.add(st, tf.ones([3, 4])),
                                  [[2, 1, 1, 1], [1, 1, 3, 1], [1, 1, 1, 1]])
    assert parts(st * 2) == ([[0, 0], [1, 2]], [2.0, 4.0], [3, 4])
    assert parts(st * tf.fill([3, 4], 3.0)) == ([[0, 0], [1, 2]], [3.0, 6.0], [3, 4])
    np.testing.assert_array_equal(tf.sparse.reduce_sum(st, axis=1), [1, 2, 0])
    assert parts(tf.sparse.reduce_sum(st, axis=1, output_is_sparse=True)) == \
        ([[0], [1]], [1.0, 2.0], [3])
    np.testing.assert_array_equal(tf.sparse.reduce_max(st, axis=0), [1, 0, 2, 0])
    negative = tf.SparseTensor([[0, 0], [1, 1]], [-1.0, -2.0], [2, 3])
    np.testing.assert_array_equal(tf.sparse.reduce_max(negative, axis=1), [-1, -2])
    np.testing.assert_array_equal(tf.sparse.sparse_dense_matmul(st, tf.ones([4, 2])),
                                  [[1, 1], [2, 2], [0, 0]])
    assert parts(tf.sparse.concat(axis=1, sp_inputs=[st, st])) == \
        ([[0, 0], [0, 4], [1, 2], [1, 6]], [1.0, 1.0, 2.0, 2.0], [3, 8])
    assert parts(tf.sparse.slice(st, [0, 1], [2, 3])) == ([[1, 1]], [2.0], [2, 3])
    assert parts(tf.sparse.retain(st, [True, False])) == ([[0, 0]], [1.0], [3, 4])
    assert parts(tf.sparse.transpose(st)) == ([[0, 0], [2, 1]], [1.0, 2.0], [4, 3])
    a = tf.SparseTensor([[0, 0], [1, 1]], [-1.0, 5.0], [2, 3])
    b = tf.SparseTensor([[0, 0], [1, 2]], [-3.0, -2.0], [2, 3])
    assert parts(tf.sparse.maximum(a, b)) == ([[0, 0], [1, 1], [1, 2]], [-1.0, 5.0, 0.0],
                                              [2, 3])
    assert parts(tf.sparse.minimum(a, b)) == ([[0, 0], [1, 1], [1, 2]], [-3.0, 0.0, -2.0],
                                              [2, 3])
    assert parts(tf.sparse.map_values(tf.math.square, st)) == ([[0, 0], [1, 2]], [1.0, 4.0],
                                                               [3, 4])
    filled, empty = tf.sparse.fill_empty_rows(st, -1.0)
    assert parts(filled) == ([[0, 0], [1, 2], [2, 0]], [1.0, 2.0, -1.0], [3, 4])
    np.testing.assert_array_equal(empty, [False, False, True])
    np.testing.assert_array_equal(
        tf.sparse.to_indicator(tf.SparseTensor([[0, 0], [1, 0]], [1, 3], [2, 2]), 4),
        [[False, True, False, False], [False, False, False, True]])
    data = tf.constant([[1.0, 2], [3, 4], [5, 6]])
    np.testing.assert_array_equal(tf.sparse.segment_sum(data, [0, 2], [0, 0]), [[6, 8]])
    np.testing.assert_array_equal(tf.sparse.segment_mean(data, [0, 2], [0, 1]),
                                  [[1, 2], [5, 6]])
    assert parts(tf.sparse.reshape(st, [4, 3])) == ([[0, 0], [2, 0]], [1.0, 2.0], [4, 3])
    assert parts(tf.sparse.reshape(st, [-1, 2])) == ([[0, 0], [3, 0]], [1.0, 2.0], [6, 2])
    assert parts(tf.abs(-st)) == parts(st)
    np.testing.assert_array_equal(tf.shape(st), [3, 4])


def test_sets_give_tf_answers():
    assert parts(tf.sets.union([[1, 2], [3, 4]], [[2, 5], [4, 4]])) == \
        ([[0, 0], [0, 1], [0, 2], [1, 0], [1, 1]], [1, 2, 5, 3, 4], [2, 3])
    assert parts(tf.sets.intersection([[1, 2], [3, 4]], [[2, 5], [4, 4]])) == \
        ([[0, 0], [1, 0]], [2, 4], [2, 1])
    assert parts(tf.sets.difference([[1, 2], [3, 4]], [[2, 5], [4, 4]])) == \
        ([[0, 0], [1, 0]], [1, 3], [2, 1])
    assert parts(tf.sets.difference([[1, 2], [3, 4]], [[2, 5], [4, 4]], aminusb=False)) == \
        ([[0, 0]], [5], [2, 1])
    np.testing.assert_array_equal(
        tf.sets.size(tf.SparseTensor([[0, 0], [0, 1], [1, 0]], [1, 1, 2], [2, 3])), [1, 1])
    np.testing.assert_array_equal(tf.sets.size([[1, 1, 2], [3, 4, 3]]), [2, 2])
    sparse_a = tf.SparseTensor([[0, 0], [1, 0], [1, 1]], [7, 1, 2], [2, 2])
    assert parts(tf.sets.union(sparse_a, [[7, 8], [2, 3]])) == \
        ([[0, 0], [0, 1], [1, 0], [1, 1], [1, 2]], [7, 8, 1, 2, 3], [2, 3])

    @tf.function
    def common(a, b):
        return tf.sets.size(tf.sets.intersection(a, b))

    np.testing.assert_array_equal(common(tf.constant([[1, 2, 3]]), tf.constant([[3, 1, 9]])),
                                  [2])


def test_sparse_through_functions_and_control_flow():
    st = tf.SparseTensor(**ST)

    @tf.function
    def total(sp):
        return tf.sparse.reduce_sum(sp)

    assert float(total(st)) == 3.0
    assert float(total(tf.SparseTensor([[0, 1]], [5.0], [3, 4]))) == 5.0
    assert total.experimental_get_tracing_count() == 1  # same spec: float32 [3, 4]
    assert total.get_concrete_function(st).structured_input_signature == \
        ((tf.SparseTensorSpec([3, 4], tf.float32),), {})

    @tf.function(input_signature=[tf.SparseTensorSpec([None, 4], tf.float32)])
    def doubled(sp):
        return sp * 2.0

    out = doubled(st)
    assert isinstance(out, tf.SparseTensor) and parts(out)[1] == [2.0, 4.0]
    assert out.shape == tf.TensorShape([3, 4])

    @tf.function
    def maybe_scale(sp, flag):
        if flag:
            sp = sp * 10.0
        return sp

    assert parts(maybe_scale(st, tf.constant(True)))[1] == [10.0, 20.0]
    assert parts(maybe_scale(st, tf.constant(False)))[1] == [1.0, 2.0]
    loop = tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s * 2.0),
                         [tf.constant(0), st])
    assert parts(loop[1])[1] == [8.0, 16.0]


def test_sparse_gradients():
    indices = [[0, 1], [1, 0], [2, 3]]

    def matmul_of_values(values, b):
        return tf.sparse.sparse_dense_matmul(tf.SparseTensor(indices, values, [3, 4]), b)

    check(matmul_of_values, [np.array([0.5, -1.5, 2.0]), np.arange(8.0).reshape(4, 2) / 3])
    check(lambda v: tf.sparse.sparse_dense_matmul(tf.SparseTensor(indices, v, [3, 4]),
                                                  tf.ones([3, 2], tf.float64), adjoint_a=True),
          [np.array([0.5, -1.5, 2.0])])
    check(lambda v, d: tf.sparse.to_dense(tf.SparseTensor(indices, v, [3, 4]),
                                          default_value=d) * np.arange(12.0).reshape(3, 4),
          [np.array([0.5, -1.5, 2.0]), np.array(0.3)])
    check(lambda v: tf.sparse.reduce_sum(tf.SparseTensor(indices, v, [3, 4]), axis=0),
          [np.array([0.5, -1.5, 2.0])])
    values = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        sp = tf.SparseTensor(indices, values, [3, 4])
        tape.watch(sp)
        loss = tf.reduce_sum(tf.sparse.to_dense(sp) ** 2)
    grad = tape.gradient(loss, sp)
    assert isinstance(grad, tf.SparseTensor) and parts(grad)[1] == [2.0, 4.0, 6.0]
