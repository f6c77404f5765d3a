"""Manipulation ops: stack/unstack/concat, split, tile, pad, broadcast_to, reverse, slice."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp

import autotrace as tf
from helpers import check_op

v1 = tf.compat.v1

M = np.arange(12, dtype=np.int32).reshape(3, 4)
F = np.arange(24, dtype=np.float32).reshape(2, 3, 4)


def run_graph(build, *inputs, known_shapes=False):
    """build(*placeholders) run in a Session; returns the fetched value(s)."""
    graph = tf.Graph()
    arrays = [np.asarray(a) for a in inputs]
    with graph.as_default():
        phs = [v1.placeholder(tf.as_dtype(a.dtype), a.shape if known_shapes else None)
               for a in arrays]
        out = build(*phs)
    with v1.Session(graph=graph) as sess:
        return sess.run(out, feed_dict=dict(zip(phs, arrays)))


# -- stack / unstack / concat (moved here from array_ops) --------------------------------------

def test_stack_concat_unstack():
    check_op(lambda a, b: tf.stack([a, b], axis=-1), M, M + 1,
             expected=np.stack([M, M + 1], axis=-1))
    check_op(lambda a, b: tf.concat([a, b], axis=-1), M, M + 1,
             expected=np.concatenate([M, M + 1], axis=-1))
    assert [t.numpy().tolist() for t in tf.unstack(M[:2], axis=1)] == [[0, 4], [1, 5], [2, 6],
                                                                       [3, 7]]


def test_concat_mixed_dtypes_is_an_error():
    with pytest.raises(tf.errors.InvalidArgumentError, match="ConcatV2.*int32.*float32"):
        tf.concat([M, M.astype(np.float32)], 0)


# -- split -------------------------------------------------------------------------------------

def test_split_even():
    check_op(lambda x: tf.split(x, 2, axis=1), M, expected=np.split(M, 2, axis=1))
    check_op(lambda x: tf.split(x, 3), M, expected=np.split(M, 3))


def test_split_sizes_with_rest():
    check_op(lambda x: tf.split(x, [1, -1], axis=-1), M, expected=[M[:, :1], M[:, 1:]])
    check_op(lambda x: tf.split(x, [0, 4], axis=1), M, expected=[M[:, :0], M])
    check_op(lambda x: tf.split(x, [2, 1, 1], axis=-1), F,
             expected=[F[..., :2], F[..., 2:3], F[..., 3:]])


def test_split_one_piece_and_strings():
    check_op(lambda x: tf.split(x, 1), M, expected=[M])
    words = np.array([b"a", b"b", b"c"], dtype=object)
    check_op(lambda x: tf.split(x, [2, -1]), words, expected=[words[:2], words[2:]])


def test_split_static_shapes():
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [None, 6])
        parts = tf.split(x, [1, -1], axis=1)
        assert [p.shape for p in parts] == [tf.TensorShape([None, 1]), tf.TensorShape([None, 5])]
        assert [p.shape for p in tf.split(x, 3, axis=1)] == [tf.TensorShape([None, 2])] * 3


def test_split_sizes_from_a_tensor():
    sizes = tf.constant([1, 3], tf.int64)
    check_op(lambda x: tf.split(x, sizes, axis=1), M, expected=[M[:, :1], M[:, 1:]])


def test_split_errors():
    x = tf.constant(M)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"length 4.*into 3 equal parts"):
        tf.split(x, 3, axis=1)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"\[1, 2\] add up to 3.*length 4"):
        tf.split(x, [1, 2], axis=1)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"\[5, -1\] need at least 5"):
        tf.split(x, [5, -1], axis=1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="one -1"):
        tf.split(x, [-1, -1], axis=1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="axis 2 is out of range"):
        tf.split(x, 2, axis=2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="scalar"):
        tf.split(tf.constant(1.0), 1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="must be >= 1"):
        tf.split(x, 0)


def test_shape_arguments_of_the_wrong_rank_fed_at_run_time():
    for build, arg in [(lambda x, a: tf.tile(x, a), "multiples"),
                       (lambda x, a: tf.broadcast_to(x, a), "shape"),
                       (lambda x, a: tf.slice(x, a, [1, 1]), "begin"),
                       (lambda x, a: tf.pad(x, a), "paddings")]:
        with pytest.raises(tf.errors.InvalidArgumentError, match="%s must have shape" % arg):
            run_graph(build, M, np.array([[1, 1, 1]], np.int32))


def test_split_errors_at_run_time():
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"add up to 3.*length 4"):
        run_graph(lambda x: tf.split(x, [1, 2], axis=1), M)
    with pytest.raises(tf.errors.InvalidArgumentError, match="has 3 sizes but num=2"):
        run_graph(lambda x, s: tf.split(x, s, axis=1, num=2), M, np.array([1, 1, 2], np.int32))
    with pytest.raises(tf.errors.InvalidArgumentError, match="rank >= 1, got a scalar"):
        run_graph(lambda x: tf.split(x, 1), np.float32(1))


# -- tile --------------------------------------------------------------------------------------

def test_tile():
    check_op(lambda x: tf.tile(x, [2, 3]), M, expected=np.tile(M, [2, 3]))
    check_op(lambda x: tf.tile(x, [0, 2]), M, expected=np.zeros((0, 8), np.int32))
    check_op(lambda x: tf.tile(x, tf.constant([2], tf.int64)), np.array([True, False]),
             expected=np.array([True, False, True, False]))
    check_op(lambda x: tf.tile(x, []), np.float32(1.5), expected=np.float32(1.5))
    words = np.array([b"a", b"b"], dtype=object)
    check_op(lambda x: tf.tile(x, [2]), words, expected=np.tile(words, 2))


def test_tile_multiples_as_an_input():
    check_op(lambda x, m: tf.tile(x, m), M, np.array([1, 2], np.int32), expected=np.tile(M, [1, 2]))


def test_tile_multiples_holding_a_dynamic_dimension():
    def build(x, y):
        return tf.tile(x, [tf.shape(y)[0], 1])
    check_op(build, M[:1], np.zeros(3, np.float32), expected=np.tile(M[:1], [3, 1]))


def test_tile_static_shape():
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [None, 3])
        assert tf.tile(x, [2, 3]).shape == tf.TensorShape([None, 9])
        assert tf.tile(x, [0, 3]).shape == tf.TensorShape([0, 9])


def test_tile_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"multiples \[2\].*rank 2"):
        tf.tile(M, [2])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"multiples \[2, -1\] must be >= 0"):
        tf.tile(M, [2, -1])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"list of ints, got \[2.5\]"):
        tf.tile([1], [2.5])
    with pytest.raises(tf.errors.InvalidArgumentError, match="multiples must be an integer"):
        tf.tile([1], tf.constant([2.0]))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"rank 2"):
        run_graph(lambda x: tf.tile(x, [2]), M)


# -- pad ---------------------------------------------------------------------------------------

def test_pad_constant():
    paddings = [[1, 0], [0, 2]]
    check_op(lambda x: tf.pad(x, paddings), M, expected=np.pad(M, paddings))
    check_op(lambda x: tf.pad(x, paddings, constant_values=9.5), M[:2].astype(np.float32),
             expected=np.pad(M[:2].astype(np.float32), paddings, constant_values=9.5))
    check_op(lambda x: tf.pad(x, [[1, 1]]), np.array([True]),
             expected=np.array([False, True, False]))


def test_pad_strings_default_to_empty():
    words = np.array([b"a"], dtype=object)
    check_op(lambda x: tf.pad(x, [[1, 1]]), words,
             expected=np.array([b"", b"a", b""], dtype=object))
    check_op(lambda x: tf.pad(x, [[0, 1]], constant_values="z"), words,
             expected=np.array([b"a", b"z"], dtype=object))


@pytest.mark.parametrize("mode", ["REFLECT", "SYMMETRIC", "reflect"])
def test_pad_mirror(mode):
    x = np.array([[1, 2, 3], [4, 5, 6]], np.int32)
    paddings = [[1, 1], [2, 2]]
    check_op(lambda t: tf.pad(t, paddings, mode), x,
             expected=np.pad(x, paddings, mode=mode.lower()))


def test_pad_mirror_values_match_tensorflow():
    got = tf.pad([1, 2, 3], [[2, 2]], "SYMMETRIC").numpy()
    assert got.tolist() == [2, 1, 1, 2, 3, 3, 2]
    got = tf.pad([1, 2, 3], [[2, 2]], "REFLECT").numpy()
    assert got.tolist() == [3, 2, 1, 2, 3, 2, 1]


def test_pad_paddings_as_an_input_and_scalar():
    check_op(lambda x, p: tf.pad(x, p), M, np.array([[0, 1], [1, 0]], np.int64),
             expected=np.pad(M, [[0, 1], [1, 0]]))
    check_op(lambda x: tf.pad(x, np.zeros((0, 2), np.int32)), np.int32(5), expected=np.int32(5))


def test_pad_static_shape():
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [None, 3])
        assert tf.pad(x, [[1, 1], [0, 2]]).shape == tf.TensorShape([None, 5])
        assert tf.pad(x, [[1, 1], [0, 2]], "REFLECT").shape == tf.TensorShape([None, 5])


def test_pad_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"REFLECT padding of dimension 1 "
                                                             r"\(length 3\) can be at most 2"):
        tf.pad([[1, 2, 3]], [[0, 0], [3, 0]], "REFLECT")
    with pytest.raises(tf.errors.InvalidArgumentError, match="SYMMETRIC.*at most 3"):
        tf.pad([[1, 2, 3]], [[0, 0], [4, 0]], "SYMMETRIC")
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"must be >= 0, got \[-1, 1\]"):
        tf.pad([1, 2], [[-1, 1]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="2 rows but the input has rank 1"):
        tf.pad([1, 2], [[1, 1], [1, 1]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="paddings must have rank 2"):
        tf.pad([1, 2], [1, 1])
    with pytest.raises(ValueError, match="mode must be.*'WRAP'"):
        tf.pad([1, 2], [[1, 1]], "WRAP")
    with pytest.raises(TypeError, match="1.5"):
        tf.pad([1, 2], [[1, 1]], constant_values=1.5)
    with pytest.raises(tf.errors.DTypeMismatchError, match="constant_values"):
        tf.pad([1, 2], [[1, 1]], constant_values=tf.constant(1.5))
    with pytest.raises(tf.errors.InvalidArgumentError, match="REFLECT.*at most 1"):
        run_graph(lambda x: tf.pad(x, [[2, 0]], "REFLECT"), np.array([1, 2], np.int32))


# -- broadcast_to ------------------------------------------------------------------------------

def test_broadcast_to():
    check_op(lambda x: tf.broadcast_to(x, [3, 2]), np.array([1, 2], np.int32),
             expected=np.broadcast_to([1, 2], [3, 2]).astype(np.int32))
    check_op(lambda x: tf.broadcast_to(x, [2, 3, 1]), np.array([[1.5], [2.5], [3.5]], np.float32),
             expected=np.broadcast_to(np.array([[1.5], [2.5], [3.5]], np.float32), [2, 3, 1]))
    check_op(lambda x: tf.broadcast_to(x, [0, 2]), np.array([7], np.int32),
             expected=np.zeros((0, 2), np.int32))
    check_op(lambda x: tf.broadcast_to(x, [2]), np.array(b"a", dtype=object),
             expected=np.array([b"a", b"a"], dtype=object))


def test_broadcast_to_result_is_writable():
    assert tf.broadcast_to([1], [2]).numpy().flags.writeable


def test_broadcast_to_errors():
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"shape \(3,\) to shape \[2, 2\] \(dimension 3 vs 2\)"):
        tf.broadcast_to([1, 2, 3], [2, 2])
    with pytest.raises(tf.errors.InvalidArgumentError, match="lower-rank shape"):
        tf.broadcast_to([[1, 2]], [2])
    with pytest.raises(tf.errors.InvalidArgumentError, match="negative dimension"):
        tf.broadcast_to([1], [-1])
    with pytest.raises(tf.errors.InvalidArgumentError, match="dimension 3 vs 2"):
        run_graph(lambda x: tf.broadcast_to(x, [2, 2]), np.array([1, 2, 3], np.int32))


# -- reverse -----------------------------------------------------------------------------------

def test_reverse():
    check_op(lambda x: tf.reverse(x, [1]), M, expected=M[:, ::-1])
    check_op(lambda x: tf.reverse(x, [-1, 0]), M, expected=M[::-1, ::-1])
    check_op(lambda x: tf.reverse(x, []), M, expected=M)
    check_op(lambda x: tf.reverse(x, [0]), np.array([b"a", b"b"], dtype=object),
             expected=np.array([b"b", b"a"], dtype=object))
    check_op(lambda x: tf.reverse(x, [0]), np.zeros((0, 2), np.float32),
             expected=np.zeros((0, 2), np.float32))


def test_reverse_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="names a dimension twice"):
        tf.reverse(M, [1, -1])
    with pytest.raises(tf.errors.InvalidArgumentError, match="axis 2 is out of range.*rank 2"):
        tf.reverse(M, [2])


# -- slice -------------------------------------------------------------------------------------

def test_slice():
    check_op(lambda x: tf.slice(x, [1, 1], [2, -1]), M, expected=M[1:3, 1:])
    check_op(lambda x: tf.slice(x, [3, 0], [0, 1]), M, expected=M[3:3, 0:1])
    check_op(lambda x: tf.slice(x, [0, 1, 2], [-1, 1, 2]), F, expected=F[:, 1:2, 2:4])
    check_op(lambda x: tf.slice(x, [1], [-1]), np.array([b"a", b"b", b"c"], dtype=object),
             expected=np.array([b"b", b"c"], dtype=object))


def test_slice_begin_and_size_as_inputs():
    check_op(lambda x, b, s: tf.slice(x, b, s), M, np.array([1, 0], np.int32),
             np.array([-1, 2], np.int32), expected=M[1:, :2])


def test_slice_static_shape():
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [None, 4])
        assert tf.slice(x, [1, 1], [2, -1]).shape == tf.TensorShape([2, 3])
        assert tf.slice(x, [1, 1], [-1, 2]).shape == tf.TensorShape([None, 2])
        begin = v1.placeholder(tf.int32, [2])
        assert tf.slice(x, begin, [-1, 2]).shape == tf.TensorShape([None, 2])


def test_slice_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"size\[0\] = 3 is out of range"):
        tf.slice(M, [1, 1], [3, -1])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"begin\[0\] = -1 is out of range"):
        tf.slice(M, [-1, 1], [1, 1])
    with pytest.raises(tf.errors.InvalidArgumentError, match="one entry per dimension"):
        tf.slice(M, [1], [1])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"size\[1\] = -2"):
        tf.slice(M, [0, 0], [1, -2])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"size\[0\] = 5 is out of range"):
        run_graph(lambda x: tf.slice(x, [0, 0], [5, 1]), M)


# -- properties --------------------------------------------------------------------------------

small_arrays = hnp.arrays(np.int32, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4),
                          elements=st.integers(-100, 100))


@settings(max_examples=40, deadline=None)
@given(small_arrays, st.data())
def test_reverse_twice_is_identity(x, data):
    axes = data.draw(st.lists(st.integers(0, x.ndim - 1), unique=True))
    once = tf.reverse(x, axes)
    np.testing.assert_array_equal(once.numpy(), np.flip(x, axes) if axes else x)
    np.testing.assert_array_equal(tf.reverse(once, axes).numpy(), x)


@settings(max_examples=40, deadline=None)
@given(small_arrays, st.data())
def test_split_then_concat_round_trips(x, data):
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    n = x.shape[axis]
    cuts = sorted(data.draw(st.lists(st.integers(0, n), max_size=3)))
    sizes = np.diff([0] + cuts + [n]).tolist()
    if data.draw(st.booleans()):
        sizes[data.draw(st.integers(0, len(sizes) - 1))] = -1
    parts = tf.split(x, sizes, axis=axis)
    np.testing.assert_array_equal(tf.concat(parts, axis).numpy(), x)


@settings(max_examples=40, deadline=None)
@given(small_arrays, st.data())
def test_tile_matches_numpy(x, data):
    reps = data.draw(st.lists(st.integers(0, 3), min_size=x.ndim, max_size=x.ndim))
    np.testing.assert_array_equal(tf.tile(x, reps).numpy(), np.tile(x, reps))


@settings(max_examples=40, deadline=None)
@given(small_arrays, st.data())
def test_pad_matches_numpy(x, data):
    mode = data.draw(st.sampled_from(["CONSTANT", "REFLECT", "SYMMETRIC"]))
    limit = {"CONSTANT": 3, "REFLECT": None, "SYMMETRIC": None}[mode]
    paddings = [[data.draw(st.integers(0, limit if limit is not None else
                                       (d - 1 if mode == "REFLECT" else d))) for _ in range(2)]
                for d in x.shape]
    np.testing.assert_array_equal(tf.pad(x, paddings, mode).numpy(),
                                  np.pad(x, paddings, mode=mode.lower()))
