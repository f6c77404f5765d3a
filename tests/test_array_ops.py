"""Array ops: linspace, eye, and the shape-like argument helpers shared by the array ops."""
import numpy as np
import pytest

import autotrace as tf
from helpers import check_op
from test_manip_ops import run_graph

v1 = tf.compat.v1


# -- linspace ----------------------------------------------------------------------------------

def test_linspace_scalars():
    check_op(lambda a, b: tf.linspace(a, b, 5), np.float32(0), np.float32(1),
             expected=np.linspace(0, 1, 5, dtype=np.float32))
    check_op(lambda a, b: tf.linspace(a, b, 1), np.float64(2), np.float64(5),
             expected=np.array([2.0]))
    check_op(lambda a, b: tf.linspace(a, b, 0), np.float32(2), np.float32(5),
             expected=np.zeros(0, np.float32))


def test_linspace_dtypes_follow_tensorflow():
    assert tf.linspace(0.0, 1.0, 3).dtype == tf.float32
    ints = tf.linspace(0, 4, 3)  # integers give float64, as TF
    assert ints.dtype == tf.float64 and ints.numpy().tolist() == [0.0, 2.0, 4.0]
    assert tf.linspace(tf.constant(0.0, tf.float64), 1.0, 3).dtype == tf.float64
    assert tf.linspace(tf.constant(0, tf.float16), 3.0, 4).numpy().tolist() == [0, 1, 2, 3]
    assert tf.linspace(0.0, 1.0, 3).numpy()[-1] == np.float32(1.0)


def test_linspace_vectors_and_axis():
    start, stop = np.array([0, 10], np.float32), np.array([1, 20], np.float32)
    want = np.linspace(start, stop, 3).astype(np.float32)
    check_op(lambda a, b: tf.linspace(a, b, 3), start, stop, expected=want)
    check_op(lambda a, b: tf.linspace(a, b, 3, axis=-1), start, stop, expected=want.T)
    check_op(lambda a: tf.linspace(a, 1.0, 3, axis=1), start,
             expected=np.linspace(start, 1, 3, axis=1).astype(np.float32))


def test_linspace_num_as_an_input_and_static_shape():
    check_op(lambda n: tf.linspace(0.0, 1.0, n), np.int64(3),
             expected=np.array([0, 0.5, 1], np.float32))
    with tf.Graph().as_default():
        a = v1.placeholder(tf.float32, [None, 2])
        assert tf.linspace(a, 3.0, 4, axis=-1).shape == tf.TensorShape([None, 2, 4])
        assert tf.linspace(0.0, 1.0, v1.placeholder(tf.int32, [])).shape == \
            tf.TensorShape([None])


def test_linspace_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="num must be >= 0, got -1"):
        tf.linspace(2.0, 5.0, -1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="num must be an integer"):
        tf.linspace(0.0, 1.0, 2.5)
    with pytest.raises(tf.errors.InvalidArgumentError, match="float64.*float32"):
        tf.linspace(tf.constant(0.0, tf.float64), tf.constant(1.0), 3)
    with pytest.raises(TypeError, match="1.5"):
        tf.linspace(0, 1.5, 3)  # as TF: stop takes start's dtype
    with pytest.raises(tf.errors.InvalidArgumentError, match="LinSpace.*bool"):
        tf.linspace(True, False, 3)
    with pytest.raises(tf.errors.InvalidArgumentError, match="axis 2 is out of range"):
        tf.linspace([0.0, 1.0], [1.0, 2.0], 3, axis=2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="num must be >= 0, got -3"):
        run_graph(lambda n: tf.linspace(0.0, 1.0, n), np.int32(-3))


# -- eye ---------------------------------------------------------------------------------------

def test_eye():
    np.testing.assert_array_equal(tf.eye(2).numpy(), np.eye(2, dtype=np.float32))
    assert tf.eye(2).dtype == tf.float32
    np.testing.assert_array_equal(tf.eye(2, 3, dtype=tf.int32).numpy(),
                                  np.eye(2, 3, dtype=np.int32))
    np.testing.assert_array_equal(tf.eye(2, dtype=tf.bool).numpy(), np.eye(2, dtype=bool))
    assert tf.eye(0).shape == tf.TensorShape([0, 0])
    batch = tf.eye(2, 3, batch_shape=[2, 1])
    assert batch.shape == tf.TensorShape([2, 1, 2, 3])
    np.testing.assert_array_equal(batch.numpy()[1, 0], np.eye(2, 3))
    assert batch.numpy().flags.writeable


def test_eye_sizes_as_inputs():
    check_op(lambda n: tf.eye(n), np.int32(3), expected=np.eye(3, dtype=np.float32))
    check_op(lambda n, m: tf.eye(n, m, batch_shape=[2], dtype=tf.float64), np.int32(1),
             np.int64(2), expected=np.broadcast_to(np.eye(1, 2), (2, 1, 2)))
    with tf.Graph().as_default():
        n = v1.placeholder(tf.int32, [])
        assert tf.eye(n, 4).shape == tf.TensorShape([None, 4])


def test_eye_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="num_rows must be >= 0, got -1"):
        tf.eye(-1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="negative dimension"):
        tf.eye(2, batch_shape=[-1])
    with pytest.raises(TypeError, match="eye: dtype must be numeric or bool, got string"):
        tf.eye(2, dtype=tf.string)
    with pytest.raises(tf.errors.InvalidArgumentError, match="num_rows must be an integer"):
        tf.eye(2.0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="num_columns must be >= 0"):
        run_graph(lambda m: tf.eye(2, m), np.int32(-1))


# -- shape-like arguments ----------------------------------------------------------------------

def test_shape_like_lists_reject_floats_instead_of_truncating():
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"list of ints, got \[2.5, 1\]"):
        tf.reshape([1, 2], [2.5, 1])
    with pytest.raises(tf.errors.InvalidArgumentError, match="list of ints"):
        tf.broadcast_to([1], [True])


def test_shape_like_lists_may_hold_tensors_in_graphs():
    def build(x, y):
        return tf.broadcast_to(x, [tf.shape(y)[0], tf.constant(2, tf.int32)])
    check_op(build, np.array([1.5, 2.5], np.float32), np.zeros(3, np.int32),
             expected=np.broadcast_to(np.array([1.5, 2.5], np.float32), (3, 2)))


def test_tensor_shape_as_a_shape_argument():
    assert tf.broadcast_to(1, tf.TensorShape([2, 3])).shape == tf.TensorShape([2, 3])
    with pytest.raises(tf.errors.InvalidArgumentError, match="fully defined"):
        tf.broadcast_to(1, tf.TensorShape([None, 3]))


# -- fill / zeros / ones -----------------------------------------------------------------------

def test_zeros_and_ones_of_strings_and_bools():
    assert tf.zeros_like(["a"]).numpy().tolist() == [b""]
    assert tf.zeros([2], tf.string).numpy().tolist() == [b"", b""]
    assert tf.ones([2], tf.bool).numpy().tolist() == [True, True]
    with pytest.raises(TypeError, match="string tensors have no 1"):
        tf.ones_like(["a"])
    with pytest.raises(TypeError, match="string tensors have no 1"):
        tf.ones([2], tf.string)


def test_fill_in_graphs():
    check_op(lambda n, v: tf.fill(n, v), np.array([2], np.int32), np.array(b"ab", dtype=object),
             expected=np.array([b"ab", b"ab"], dtype=object))
    check_op(lambda x: tf.zeros_like(x), np.array([b"a", b"b"], dtype=object),
             expected=np.array([b"", b""], dtype=object))
    check_op(lambda x: tf.fill([tf.shape(x)[0], 2], 1.5), np.zeros(3, np.int32),
             expected=np.full((3, 2), 1.5, np.float32))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Fill: shape \[-2\] has a negative"):
        run_graph(lambda n: tf.fill(n, 1), np.array([-2], np.int32))


# -- all the array ops in a traced function ----------------------------------------------------

def test_array_ops_in_a_traced_function_match_eager():
    def body(x, m):
        a, b = tf.split(x, [1, -1], axis=1)
        values, indices = tf.math.top_k(x, 2)
        return [tf.tile(a, [1, 2]), b, values, indices, tf.pad(x, [[1, 0], [0, 1]], "SYMMETRIC"),
                tf.pad(x, [[0, 1], [2, 0]], constant_values=-1.0), tf.boolean_mask(x, m),
                tf.one_hot(indices[:, 0], 4, axis=0), tf.sort(x, direction="DESCENDING"),
                tf.argsort(x), tf.cumsum(x, axis=1, reverse=True), tf.gather(x, [2, 0], axis=1),
                tf.gather_nd(x, [[0, 1]]), tf.reverse(x, [0]), tf.slice(x, [0, 1], [-1, 1]),
                tf.broadcast_to(x[:1], tf.shape(x)), tf.linspace(x[0, 0], 1.0, 3),
                tf.eye(tf.shape(x)[0])]

    traced = tf.function(body, input_signature=[tf.TensorSpec([None, 3]),
                                                tf.TensorSpec([None], tf.bool)])
    x = np.array([[3, 1, 2], [0, 5, 4]], np.float32)
    m = np.array([True, False])
    for got, want in zip(traced(x, m), body(tf.constant(x), tf.constant(m))):
        assert got.dtype == want.dtype
        np.testing.assert_array_equal(got.numpy(), want.numpy())
