"""Sorting and scans: sort, argsort, math.top_k, cumsum, math.cumprod."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import autotrace as tf
from helpers import check_op
from test_manip_ops import run_graph

v1 = tf.compat.v1

NAN = np.float32("nan")


def stable_descending(x, axis=-1):
    """Reference: indices sorting x descending, equal values in index order."""
    return np.argsort(-x.astype(np.float64), axis=axis, kind="stable")


# -- sort / argsort ----------------------------------------------------------------------------

def test_sort():
    x = np.array([[3, 1, 2], [0, 5, 4]], np.int32)
    check_op(lambda t: tf.sort(t), x, expected=np.sort(x))
    check_op(lambda t: tf.sort(t, axis=0), x, expected=np.sort(x, axis=0))
    check_op(lambda t: tf.sort(t, direction="DESCENDING"), x, expected=-np.sort(-x))
    check_op(lambda t: tf.sort(t), np.array([3, 1], np.uint8), expected=np.array([1, 3],
                                                                               np.uint8))
    check_op(lambda t: tf.sort(t), np.zeros((2, 0), np.float32), expected=np.zeros((2, 0),
                                                                                 np.float32))


def test_sort_descending_handles_the_smallest_int():
    x = np.array([-2 ** 31, 0, 5], np.int32)
    np.testing.assert_array_equal(tf.sort(x, direction="DESCENDING").numpy(), x[::-1])


def test_nan_sorts_above_every_number():
    x = np.array([3, 1, NAN, 2], np.float32)
    check_op(lambda t: tf.sort(t), x, expected=np.array([1, 2, 3, NAN], np.float32))
    check_op(lambda t: tf.sort(t, direction="DESCENDING"), x,
             expected=np.array([NAN, 3, 2, 1], np.float32))
    check_op(lambda t: tf.argsort(t, direction="DESCENDING"), x,
             expected=np.array([2, 0, 3, 1], np.int32))


def test_argsort_ties_keep_index_order():
    x = np.array([3, 1, 3, 1, 0], np.int32)
    check_op(lambda t: tf.argsort(t), x, expected=np.array([4, 1, 3, 0, 2], np.int32))
    check_op(lambda t: tf.argsort(t, direction="DESCENDING"), x,
             expected=np.array([0, 2, 1, 3, 4], np.int32))
    check_op(lambda t: tf.argsort(t, stable=True), x, expected=np.array([4, 1, 3, 0, 2],
                                                                          np.int32))


def test_argsort_axis():
    x = np.array([[3, 1], [0, 5]], np.float64)
    check_op(lambda t: tf.argsort(t, axis=0), x, expected=np.array([[1, 0], [0, 1]], np.int32))
    check_op(lambda t: tf.argsort(t, axis=-1), x, expected=np.array([[1, 0], [0, 1]], np.int32))


def test_sort_errors():
    with pytest.raises(ValueError, match="direction must be 'ASCENDING' or 'DESCENDING', got 'UP'"):
        tf.sort([3, 1], direction="UP")
    with pytest.raises(tf.errors.InvalidArgumentError, match="Sort.*bool"):
        tf.sort([True, False])
    with pytest.raises(tf.errors.InvalidArgumentError, match="ArgSort.*string"):
        tf.argsort(["b", "a"])
    with pytest.raises(tf.errors.InvalidArgumentError, match="rank >= 1, got a scalar"):
        tf.sort(3)
    with pytest.raises(tf.errors.InvalidArgumentError, match="axis 1 is out of range"):
        tf.argsort([3, 1], axis=1)
    with tf.Graph().as_default():
        with pytest.raises(tf.errors.InvalidArgumentError, match="Sort.*complex"):
            tf.sort(v1.placeholder(tf.complex64, [2]))


# -- top_k -------------------------------------------------------------------------------------

def test_top_k():
    x = np.array([[1, 3, 2, 3], [4, 0, 4, 9]], np.int32)
    result = tf.math.top_k(x, 2)
    assert result._fields == ("values", "indices")
    check_op(lambda t: list(tf.math.top_k(t, 2)), x,
             expected=[np.array([[3, 3], [9, 4]], np.int32), np.array([[1, 3], [3, 0]], np.int32)])
    check_op(lambda t: list(tf.math.top_k(t, k=0)), x,
             expected=[np.zeros((2, 0), np.int32), np.zeros((2, 0), np.int32)])


def test_top_k_nan_and_index_type():
    values, indices = tf.math.top_k(np.array([1, NAN, 2], np.float32), 2)
    np.testing.assert_array_equal(values.numpy(), [NAN, 2])
    assert indices.numpy().tolist() == [1, 2]
    assert tf.math.top_k([1, 2], 1, index_type=tf.int64).indices.dtype == tf.int64


def test_top_k_k_as_an_input():
    check_op(lambda t, k: list(tf.math.top_k(t, k)), np.array([5, 1, 7], np.float32),
             np.int32(2), expected=[np.array([7, 5], np.float32), np.array([2, 0], np.int32)])
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [None, 5])
        values, indices = tf.math.top_k(x, 3)
        assert values.shape == indices.shape == tf.TensorShape([None, 3])
        assert tf.math.top_k(x, v1.placeholder(tf.int32, [])).values.shape == \
            tf.TensorShape([None, None])


def test_top_k_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="k = 4 is larger than the last "
                                                             "dimension of the input \\(3\\)"):
        tf.math.top_k([1, 3, 2], 4)
    with pytest.raises(tf.errors.InvalidArgumentError, match="k must be >= 0, got -1"):
        tf.math.top_k([1, 3, 2], -1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="rank >= 1"):
        tf.math.top_k(1.0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="TopKV2.*bool"):
        tf.math.top_k([True, False])
    with pytest.raises(tf.errors.InvalidArgumentError, match="k must be an integer"):
        tf.math.top_k([1.0, 2.0], 1.0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="k = 5 is larger"):
        run_graph(lambda t, k: tf.math.top_k(t, k).values, np.array([1, 2], np.int32),
                  np.int32(5))


# -- cumsum / cumprod --------------------------------------------------------------------------

def test_cumsum():
    x = np.array([[1, 2, 3], [4, 5, 6]], np.int32)
    check_op(lambda t: tf.cumsum(t), x, expected=np.cumsum(x, axis=0, dtype=np.int32))
    check_op(lambda t: tf.cumsum(t, axis=-1), x, expected=np.cumsum(x, axis=1, dtype=np.int32))
    check_op(lambda t: tf.cumsum(t, axis=1, exclusive=True), x,
             expected=np.array([[0, 1, 3], [0, 4, 9]], np.int32))
    check_op(lambda t: tf.cumsum(t, axis=1, reverse=True), x,
             expected=np.array([[6, 5, 3], [15, 11, 6]], np.int32))
    check_op(lambda t: tf.cumsum(t, axis=1, exclusive=True, reverse=True), x,
             expected=np.array([[5, 3, 0], [11, 6, 0]], np.int32))


def test_cumsum_dtypes_and_empty():
    check_op(lambda t: tf.cumsum(t), np.array([100, 100], np.int8),
             expected=np.array([100, -56], np.int8))  # wraps around, as TF
    check_op(lambda t: tf.cumsum(t), np.array([1 + 1j, 2], np.complex128),
             expected=np.array([1 + 1j, 3 + 1j]))
    check_op(lambda t: tf.cumsum(t, exclusive=True), np.zeros((0, 2), np.float32),
             expected=np.zeros((0, 2), np.float32))
    assert tf.cumsum([1.5, 2.5], axis=tf.constant(0)).numpy().tolist() == [1.5, 4.0]


def test_cumprod():
    check_op(lambda t: tf.math.cumprod(t, exclusive=True, reverse=True),
             np.array([1, 2, 3], np.int32), expected=np.array([6, 3, 1], np.int32))
    check_op(lambda t: tf.math.cumprod(t), np.array([1, 2, 3], np.float16),
             expected=np.array([1, 2, 6], np.float16))


def test_cumsum_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="Cumsum.*bool"):
        tf.cumsum([True, False])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Cumsum.*string"):
        tf.cumsum(["a"])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Cumsum: x must have rank >= 1"):
        tf.cumsum(3)
    with pytest.raises(tf.errors.InvalidArgumentError, match="axis 1 is out of range"):
        tf.cumsum([1, 2], axis=1)


# -- properties --------------------------------------------------------------------------------

arrays = hnp.arrays(np.float32, hnp.array_shapes(min_dims=1, max_dims=3, max_side=5),
                    elements=st.sampled_from([0.0, 1.0, -1.0, 2.5, 7.0]))  # many ties


@settings(max_examples=50, deadline=None)
@given(arrays, st.data())
def test_sort_and_argsort_match_a_stable_numpy_sort(x, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    np.testing.assert_array_equal(tf.sort(x, axis=axis).numpy(), np.sort(x, axis=axis))
    np.testing.assert_array_equal(tf.argsort(x, axis=axis).numpy(),
                                  np.argsort(x, axis=axis, kind="stable"))
    np.testing.assert_array_equal(tf.argsort(x, axis=axis, direction="DESCENDING").numpy(),
                                  stable_descending(x, axis))


@settings(max_examples=50, deadline=None)
@given(arrays, st.data())
def test_top_k_matches_a_stable_descending_sort(x, data):
    k = data.draw(st.integers(0, x.shape[-1]))
    values, indices = tf.math.top_k(x, k)
    want = stable_descending(x)[..., :k]
    np.testing.assert_array_equal(indices.numpy(), want)
    np.testing.assert_array_equal(values.numpy(), np.take_along_axis(x, want, axis=-1))


@settings(max_examples=50, deadline=None)
@given(hnp.arrays(np.int64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=5),
                  elements=st.integers(-1000, 1000)), st.data())
def test_cumsum_matches_numpy(x, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    exclusive, reverse = data.draw(st.booleans()), data.draw(st.booleans())
    y = np.flip(x, axis) if reverse else x
    want = np.cumsum(y, axis=axis) - (y if exclusive else 0)
    want = np.flip(want, axis) if reverse else want
    np.testing.assert_array_equal(
        tf.cumsum(x, axis=axis, exclusive=exclusive, reverse=reverse).numpy(), want)


def test_scalars_fed_at_run_time_are_errors():
    for build in (tf.sort, tf.argsort, lambda t: tf.math.top_k(t).values, tf.cumsum):
        with pytest.raises(tf.errors.InvalidArgumentError, match="rank >= 1, got a scalar"):
            run_graph(build, np.float32(1))
