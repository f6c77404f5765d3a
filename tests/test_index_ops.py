"""Index ops: indexing (StridedSlice), where, gather, gather_nd, boolean_mask, one_hot."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import autotrace as tf
from helpers import check_op
from test_manip_ops import run_graph

v1 = tf.compat.v1

M = np.arange(12, dtype=np.int32).reshape(3, 4)
T = np.arange(24, dtype=np.int32).reshape(2, 3, 4)


# -- indexing and where (moved here from array_ops) --------------------------------------------

def test_indexing_and_where_still_work():
    check_op(lambda x: x[1:, ::-2], M, expected=M[1:, ::-2])
    check_op(lambda c, x: tf.where(c, x, -x), M > 4, M, expected=np.where(M > 4, M, -M))
    np.testing.assert_array_equal(tf.where([[True, False], [False, True]]).numpy(),
                                  [[0, 0], [1, 1]])


def test_moved_ops_are_still_reachable_through_array_ops():
    from autotrace.ops import array_ops, index_ops, manip_ops
    assert array_ops.where is index_ops.where
    assert array_ops.strided_slice_from_key is index_ops.strided_slice_from_key
    assert array_ops.unstack is manip_ops.unstack
    assert array_ops.concat is tf.concat
    assert array_ops.gather is tf.gather
    with pytest.raises(AttributeError, match="no_such_op"):
        array_ops.no_such_op


# -- gather ------------------------------------------------------------------------------------

def test_gather():
    check_op(lambda p, i: tf.gather(p, i), np.array([10, 20, 30], np.int32),
             np.array([2, 0, 2], np.int32), expected=np.array([30, 10, 30], np.int32))
    check_op(lambda p, i: tf.gather(p, i, axis=1), M, np.array([[0, 3], [1, 1]], np.int64),
             expected=np.take(M, [[0, 3], [1, 1]], axis=1))
    check_op(lambda p: tf.gather(p, [0], axis=-1), M, expected=M[:, :1])
    check_op(lambda p: tf.gather(p, 1), M, expected=M[1])


def test_gather_strings_floats_and_empty_indices():
    words = np.array([b"a", b"b"], dtype=object)
    check_op(lambda p: tf.gather(p, [1, 1, 0]), words, expected=words[[1, 1, 0]])
    check_op(lambda p: tf.gather(p, []), M.astype(np.float32), expected=np.zeros((0, 4),
                                                                                np.float32))


def test_gather_batch_dims():
    idx = np.array([[0, 1], [1, 2], [3, 3]], np.int32)
    want = np.take_along_axis(M, idx, axis=1)
    check_op(lambda p, i: tf.gather(p, i, axis=1, batch_dims=1), M, idx, expected=want)
    check_op(lambda p, i: tf.gather(p, i, axis=1, batch_dims=-1), M, idx, expected=want)
    # batch_dims=1, axis=2: per batch b, params[b][:, indices[b]]
    idx = np.array([[3, 0], [1, 1]], np.int32)
    want = np.stack([T[b][:, idx[b]] for b in range(2)])
    check_op(lambda p, i: tf.gather(p, i, axis=2, batch_dims=1), T, idx, expected=want)


def test_gather_static_shape():
    with tf.Graph().as_default():
        p = v1.placeholder(tf.float32, [None, 5, 6])
        i = v1.placeholder(tf.int32, [2, None])
        assert tf.gather(p, i, axis=1).shape == tf.TensorShape([None, 2, None, 6])


def test_gather_out_of_range_names_the_index():
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"indices\[0\] = 5 is not in \[0, 3\)"):
        tf.gather([10, 20, 30], [5, 0])
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"indices\[1, 0\] = -1 is not in \[0, 4\)"):
        tf.gather(M, [[0], [-1]], axis=1)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\[1\] = 7"):
        run_graph(lambda p, i: tf.gather(p, i), M, np.array([0, 7], np.int32))


def test_gather_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="indices must be an integer.*float32"):
        tf.gather(M, [0.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match="indices must be an integer.*bool"):
        tf.gather(M, [True])
    with pytest.raises(tf.errors.InvalidArgumentError, match="params must have rank >= 1"):
        tf.gather(3, [0])
    with pytest.raises(tf.errors.InvalidArgumentError, match="axis 2 is out of range"):
        tf.gather(M, [0], axis=2)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"batch_dims \(1\) must be <= axis"):
        tf.gather(M, [[0], [1], [2]], axis=0, batch_dims=1)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"agree on their first 1.*\(3, 4\).*\(2, 2\)"):
        tf.gather(M, [[0, 1], [1, 2]], axis=1, batch_dims=1)


# -- gather_nd ---------------------------------------------------------------------------------

def test_gather_nd():
    check_op(lambda p, i: tf.gather_nd(p, i), M, np.array([[0, 1], [2, 3]], np.int32),
             expected=np.array([1, 11], np.int32))
    check_op(lambda p, i: tf.gather_nd(p, i), M, np.array([[1], [0]], np.int64),
             expected=M[[1, 0]])
    check_op(lambda p: tf.gather_nd(p, [[[0, 1, 2]], [[1, 2, 3]]]), T,
             expected=np.array([[T[0, 1, 2]], [T[1, 2, 3]]]))
    check_op(lambda p: tf.gather_nd(p, np.zeros((2, 0), np.int32)), M,
             expected=np.stack([M, M]))
    check_op(lambda p: tf.gather_nd(p, [[1]]), np.array([b"a", b"b"], dtype=object),
             expected=np.array([b"b"], dtype=object))


def test_gather_nd_batch_dims():
    check_op(lambda p: tf.gather_nd(p, [[[0, 1]], [[2, 3]]], batch_dims=1), T,
             expected=np.array([[T[0, 0, 1]], [T[1, 2, 3]]]))
    check_op(lambda p: tf.gather_nd(p, [[1], [0]], batch_dims=1), T,
             expected=np.stack([T[0, 1], T[1, 0]]))


def test_gather_nd_static_shape():
    with tf.Graph().as_default():
        p = v1.placeholder(tf.float32, [None, 5, 6])
        i = v1.placeholder(tf.int32, [7, 2])
        assert tf.gather_nd(p, i).shape == tf.TensorShape([7, 6])
        assert tf.gather_nd(p, v1.placeholder(tf.int32, [7, None])).shape.rank is None


def test_gather_nd_errors():
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"indices\[1\] = \[3, 3\] does not index into params of shape "
                             r"\(3, 4\)"):
        tf.gather_nd(M, [[0, 1], [3, 3]])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\[0\] = \[-1, 0\]"):
        tf.gather_nd(M, [[-1, 0]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="3 coordinates per index"):
        tf.gather_nd(M, [[0, 1, 1]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="indices must have rank >= 1"):
        tf.gather_nd(M, 1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="batch_dims 1 must be in"):
        tf.gather_nd(T, [1, 0], batch_dims=1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="indices must be an integer"):
        tf.gather_nd(M, [[0.0, 0.0]])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\[0\] = \[5, 0\]"):
        run_graph(lambda p, i: tf.gather_nd(p, i), M, np.array([[5, 0]], np.int32))


# -- boolean_mask ------------------------------------------------------------------------------

def check_mask(build, x, mask, expected):
    """check_op for boolean_mask: the mask's rank must be known when the graph is built (as in
    TF), so the unknown-shapes run keeps the mask's rank and leaves its dimensions unknown."""
    check_op(lambda t: build(t, tf.constant(mask)), x, expected=expected)
    with tf.Graph().as_default():
        t = v1.placeholder(tf.as_dtype(x.dtype) if x.dtype.kind != "O" else tf.string, None)
        m = v1.placeholder(tf.bool, [None] * mask.ndim)
        out = build(t, m)
    with v1.Session(graph=out.graph) as sess:
        got = sess.run(out, feed_dict={t: x, m: mask})
    np.testing.assert_array_equal(got, expected)
    assert out.shape.is_compatible_with(got.shape)


def test_boolean_mask():
    mask = np.array([True, False, True])
    check_mask(lambda x, m: tf.boolean_mask(x, m), M, mask, expected=M[mask])
    check_mask(lambda x, m: tf.boolean_mask(x, m), np.array([1, 2, 3], np.int32),
               np.array([False, False, False]), expected=np.zeros((0,), np.int32))
    check_mask(lambda x, m: tf.boolean_mask(x, m, axis=1), M,
               np.array([False, True, True, False]), expected=M[:, [1, 2]])
    words = np.array([b"a", b"b"], dtype=object)
    check_mask(lambda x, m: tf.boolean_mask(x, m), words, np.array([False, True]),
               expected=words[1:])


def test_boolean_mask_negative_axis():
    mask = np.array([False, True, True, False])
    check_op(lambda x: tf.boolean_mask(x, mask, axis=-1), M, expected=M[:, [1, 2]],
             unknown_shapes=False)
    with tf.Graph().as_default():
        with pytest.raises(tf.errors.InvalidArgumentError, match="negative axis needs a tensor "
                                                                 "of known rank"):
            tf.boolean_mask(v1.placeholder(tf.int32, None), mask, axis=-1)


def test_boolean_mask_with_a_multi_dimensional_mask():
    mask = np.array([[True, False, True, False]] * 3)
    check_mask(lambda x, m: tf.boolean_mask(x, m, axis=1), T, mask, expected=T[:, mask])
    mask = np.array([[True, False], [False, True]])
    check_mask(lambda x, m: tf.boolean_mask(x, m), np.array([[1, 2], [3, 4]], np.int32), mask,
               expected=np.array([1, 4], np.int32))


def test_boolean_mask_with_partly_known_shapes():
    mask = np.array([[True, False, True], [False, True, True]])
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
    for x_shape, mask_shape in [([2, 3, None], [2, 3]), ([None, None, 4], [None, 3]),
                                ([2, None, None], [None, None])]:
        with tf.Graph().as_default() as g:
            t = v1.placeholder(tf.float32, x_shape)
            m = v1.placeholder(tf.bool, mask_shape)
            out = tf.boolean_mask(t, m)
        with v1.Session(graph=g) as sess:
            got = sess.run(out, feed_dict={t: x, m: mask})
        np.testing.assert_array_equal(got, x[mask])
        assert out.shape.is_compatible_with(got.shape)


def test_boolean_mask_static_shape():
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [None, 3])
        m = v1.placeholder(tf.bool, [None])
        assert tf.boolean_mask(x, m).shape == tf.TensorShape([None, 3])


def test_boolean_mask_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"mask of shape \(2,\) does not "
                                                             r"match dimensions 0 to 0"):
        tf.boolean_mask([1, 2, 3], [True, False])
    with pytest.raises(tf.errors.InvalidArgumentError, match="mask must be a bool tensor, got "
                                                             "int32"):
        tf.boolean_mask([1, 2, 3], [1, 0, 1])
    with pytest.raises(tf.errors.InvalidArgumentError, match="rank >= 1"):
        tf.boolean_mask([1, 2, 3], True)
    with pytest.raises(tf.errors.InvalidArgumentError, match="cannot start at axis 2"):
        tf.boolean_mask(T, [[True] * 4] * 3, axis=2)
    with tf.Graph().as_default():
        with pytest.raises(tf.errors.InvalidArgumentError, match="rank >= 1 known"):
            tf.boolean_mask([1, 2], v1.placeholder(tf.bool, None))


# -- one_hot -----------------------------------------------------------------------------------

def test_one_hot_defaults_and_out_of_range_rows():
    check_op(lambda i: tf.one_hot(i, 3), np.array([0, 2, -1, 5], np.int32),
             expected=np.array([[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]], np.float32))
    check_op(lambda i: tf.one_hot(i, 3), np.int64(1), expected=np.array([0, 1, 0], np.float32))
    check_op(lambda i: tf.one_hot(i, 0), np.array([0, 1], np.uint8),
             expected=np.zeros((2, 0), np.float32))


def test_one_hot_axis():
    idx = np.array([[0, 2], [1, 1]], np.int32)
    eye = np.eye(3, dtype=np.float32)
    check_op(lambda i: tf.one_hot(i, 3, axis=1), idx, expected=np.moveaxis(eye[idx], -1, 1))
    check_op(lambda i: tf.one_hot(i, 3, axis=0), idx, expected=np.moveaxis(eye[idx], -1, 0))
    check_op(lambda i: tf.one_hot(i, 3, axis=-2), idx, expected=np.moveaxis(eye[idx], -1, -2))


def test_one_hot_values_and_dtypes():
    idx = np.array([0, 1], np.int32)
    check_op(lambda i: tf.one_hot(i, 2, on_value=5, off_value=-1), idx,
             expected=np.array([[5, -1], [-1, 5]], np.int32))
    check_op(lambda i: tf.one_hot(i, 2, on_value=5), idx,
             expected=np.array([[5, 0], [0, 5]], np.int32))
    check_op(lambda i: tf.one_hot(i, 2, off_value=5.0), idx,
             expected=np.array([[1, 5], [5, 1]], np.float32))
    check_op(lambda i: tf.one_hot(i, 2, on_value=5, dtype=tf.float64), idx,
             expected=np.array([[5, 0], [0, 5]], np.float64))
    check_op(lambda i: tf.one_hot(i, 2, dtype=tf.int64), idx, expected=np.eye(2, dtype=np.int64))
    check_op(lambda i: tf.one_hot(i, 2, dtype=tf.bool), idx, expected=np.eye(2, dtype=bool))
    check_op(lambda i: tf.one_hot(i, 2, on_value="a", off_value="b"), idx,
             expected=np.array([[b"a", b"b"], [b"b", b"a"]], dtype=object))


def test_one_hot_depth_as_an_input():
    check_op(lambda i, d: tf.one_hot(i, d), np.array([1], np.int32), np.int32(3),
             expected=np.array([[0, 1, 0]], np.float32))
    with tf.Graph().as_default():
        i = v1.placeholder(tf.int32, [None])
        assert tf.one_hot(i, 4, axis=0).shape == tf.TensorShape([4, None])
        assert tf.one_hot(i, v1.placeholder(tf.int32, [])).shape == tf.TensorShape([None, None])


def test_one_hot_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="depth must be >= 0, got -1"):
        tf.one_hot([0, 1], -1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="indices must be an integer.*float"):
        tf.one_hot([0.0, 1.0], 2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="indices must be an integer.*bool"):
        tf.one_hot([True], 2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="axis 2 is out of range for indices "
                                                             "of rank 1"):
        tf.one_hot([0, 1], 2, axis=2)
    with pytest.raises(TypeError, match="5.5"):
        tf.one_hot([0], 2, on_value=5.5, dtype=tf.int32)
    with pytest.raises(tf.errors.DTypeMismatchError, match="on_value has dtype int64 but "
                                                           "dtype=int32"):
        tf.one_hot([0], 2, on_value=tf.constant(2, tf.int64), dtype=tf.int32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="on_value must be a scalar"):
        tf.one_hot([0], 2, on_value=[1.0, 2.0], off_value=0.0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="depth must be an integer"):
        tf.one_hot([0], 2.0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="depth must be >= 0"):
        run_graph(lambda i, d: tf.one_hot(i, d), np.array([0], np.int32), np.int32(-2))


# -- properties --------------------------------------------------------------------------------

@settings(max_examples=40, deadline=None)
@given(hnp.arrays(np.float32, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4),
                  elements=st.floats(-10, 10, width=32)), st.data())
def test_gather_matches_numpy_take(x, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    n = x.shape[axis]
    idx_shape = data.draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=3))
    if n == 0:
        idx = np.zeros((0,), np.int32)
    else:
        idx = data.draw(hnp.arrays(np.int32, idx_shape, elements=st.integers(0, n - 1)))
    np.testing.assert_array_equal(tf.gather(x, idx, axis=axis).numpy(),
                                  np.take(x, idx, axis=axis))


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(np.int32, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4),
                  elements=st.integers(-5, 5)), st.data())
def test_boolean_mask_matches_numpy(x, data):
    mask = data.draw(hnp.arrays(np.bool_, x.shape[:1]))
    np.testing.assert_array_equal(tf.boolean_mask(x, mask).numpy(), x[mask])


def test_one_hot_depth_fed_with_the_wrong_rank():
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"depth must be a scalar, got "
                                                             r"shape \(2,\)"):
        run_graph(lambda i, d: tf.one_hot(i, d), np.array([0], np.int32),
                  np.array([2, 3], np.int32))
