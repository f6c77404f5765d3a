"""Gradients of the array, manipulation and indexing ops: finite-difference checks (eagerly and
inside autotrace.function, first and second order), accumulation at repeated indices, graphs
with unknown shapes, and that every op of these modules declares its gradient."""
import numpy as np
import pytest

import autotrace as tf
from autotrace.ops import (array_ops, creation_ops, gather_ops, gradient_ops, index_ops,
                           manip_ops, pad_ops)
from autotrace.ops.registry import NO_GRADIENT, OpDef

v1 = tf.compat.v1
RNG = np.random.default_rng(1234)
X = RNG.standard_normal((2, 3, 4))
M = RNG.standard_normal((4, 3))


def sq(t):
    """A non-linear function of the result, so second derivatives do not vanish."""
    return t * t


def check(f, *xs, order=1):
    tf.test.check_gradients(f, list(xs), order=order)


def gradient(f, *xs):
    """Eager gradients of sum(f(*xs)) with respect to each x (None when not connected)."""
    ts = [tf.constant(x) for x in xs]
    with tf.GradientTape() as tape:
        tape.watch(ts)
        y = f(*ts)
    return tape.gradient(y, ts)


# -- every op declares its gradient ------------------------------------------------------------

MODULES = (array_ops, creation_ops, manip_ops, pad_ops, index_ops, gather_ops, gradient_ops)
NOT_DIFFERENTIABLE = {"StopGradient", "Shape", "Size", "Rank", "Range", "Eye", "Placeholder",
                      "Where", "OneHot"}


def _declared_ops():
    ops = {}
    for module in MODULES:
        for value in vars(module).values():
            if isinstance(value, OpDef):
                ops[value.type] = value
    return ops


def test_every_op_of_these_modules_declares_a_gradient():
    ops = _declared_ops()
    assert {"Reshape", "StridedSlice", "GatherV2", "MirrorPadGrad", "ScatterNd",
            "UnsortedSegmentSum", "StridedSliceGrad", "SumToShape"} <= set(ops)
    missing = sorted(t for t, op in ops.items() if op.grad is None)
    assert not missing, "ops without a gradient rule or NO_GRADIENT: %s" % missing
    for t in NOT_DIFFERENTIABLE:
        assert ops[t].grad is NO_GRADIENT, t
    assert all(callable(op.grad) for t, op in ops.items() if t not in NOT_DIFFERENTIABLE)


def test_stop_gradient_and_shape_ops_give_none():
    x = tf.constant(X)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        stopped = tf.stop_gradient(x) * x
        filled = tf.fill(tf.shape(x), 2.0)
        eye = tf.eye(tf.size(x), tf.rank(x), dtype=tf.float64)
    np.testing.assert_allclose(tape.gradient(stopped, x).numpy(), X)
    assert tape.gradient(filled, x) is None
    assert tape.gradient(eye, x) is None


# -- reshaping ---------------------------------------------------------------------------------

@pytest.mark.parametrize("f", [
    lambda x: tf.reshape(x, [4, 6]),
    lambda x: tf.reshape(x, [-1]),
    lambda x: tf.transpose(x),
    lambda x: tf.transpose(x, [1, -1, 0]),
    lambda x: tf.expand_dims(x, -1),
    lambda x: tf.expand_dims(x, 1),
    lambda x: tf.squeeze(tf.reshape(x, [1, 2, 1, 12]), [0, -2]),
    lambda x: tf.squeeze(x[:1]),
    lambda x: tf.identity(x),
], ids=["reshape", "reshape_flat", "transpose", "transpose_perm", "expand_last",
        "expand_mid", "squeeze_axes", "squeeze_all", "identity"])
def test_reshaping(f):
    check(f, X)


def test_reshaping_second_order():
    check(lambda x: sq(tf.transpose(tf.reshape(x, [6, 4]))), X, order=2)
    check(lambda x: sq(tf.squeeze(tf.expand_dims(x, 0))), X, order=2)


# -- creating tensors --------------------------------------------------------------------------

def test_fill_value_gets_the_sum_of_the_gradient():
    check(lambda v: sq(tf.fill([2, 3], v)), 1.5, order=2)
    g, = gradient(lambda v: tf.fill([2, 3], v), 5.0)
    assert float(g) == 6.0  # as TF
    g, = gradient(lambda v: tf.zeros([2]) + v, 5.0)
    assert float(g) == 2.0


def test_linspace_start_and_stop_as_tf():
    g_start, g_stop = gradient(lambda s, e: tf.linspace(s, e, 4), np.array(1.0),
                               np.array([2.0, 3.0]))
    assert float(g_start) == pytest.approx(4.0)  # TF 2.21: 4.0 and [2, 2]
    np.testing.assert_allclose(g_stop.numpy(), [2.0, 2.0])
    check(lambda s, e: sq(tf.linspace(s, e, 5, axis=1)), RNG.standard_normal((2, 1)),
          RNG.standard_normal(3), order=2)
    check(lambda s, e: tf.linspace(s, e, 1), np.array([0.5, 1.0]), np.array([2.0, 3.0]))


# -- joining and splitting ---------------------------------------------------------------------

@pytest.mark.parametrize("axis", [0, 1, -1])
def test_stack_and_unstack(axis):
    check(lambda x: tf.stack([x[0], 2.0 * x[1], x[0]], axis=axis), X)
    check(lambda x: tf.unstack(x, axis=axis)[1], X)  # the other outputs get zeros
    check(lambda x: tf.stack(tf.unstack(x, axis=axis)[::-1], axis=axis), X)


@pytest.mark.parametrize("axis", [0, 1, 2, -1])
def test_concat_and_split(axis):
    check(lambda x: tf.concat([x, 3.0 * x, x[:, :, :2]] if axis in (2, -1) else [x, 3.0 * x],
                              axis=axis), X)
    n = X.shape[axis]
    check(lambda x: tf.split(x, n, axis=axis)[-1], X)
    check(lambda x: tf.concat(tf.split(x, [1, -1], axis=axis)[::-1], axis=axis), X)


def test_joining_second_order():
    check(lambda x: sq(tf.concat([x, x[:1]], axis=0)), X, order=2)
    check(lambda x: sq(tf.stack(tf.unstack(x, axis=1), axis=2)), X, order=2)
    check(lambda x: sq(tf.concat(tf.split(x, [1, -1, 1], axis=-1)[::-1], axis=-1)), X, order=2)
    check(lambda x: sq(tf.split(x, 2, axis=-1)[1]), X, order=2)


# -- tile, broadcast_to, reverse ---------------------------------------------------------------

@pytest.mark.parametrize("multiples", [[1, 1, 1], [2, 1, 3], [1, 3, 1], [3, 2, 2]])
def test_tile(multiples):
    check(lambda x: tf.tile(x, multiples), X)


def test_tile_sums_the_copies():
    g, = gradient(lambda x: tf.tile(x, [3, 2]), np.ones((1, 2)))
    np.testing.assert_array_equal(g.numpy(), [[6.0, 6.0]])
    check(lambda x: tf.tile(x, [2, 0]), M)  # no copies: zero gradient


def test_broadcast_to_and_reverse():
    check(lambda x: tf.broadcast_to(x, [2, 4, 3]), M)
    check(lambda x: tf.broadcast_to(x[:, :1], [5, 2, 3, 4]), X)
    check(lambda x: tf.broadcast_to(x[0, 0, 0], [3]), X)
    check(lambda x: tf.reverse(x, [0, -1]), X)
    check(lambda x: sq(tf.tile(x, [2, 1, 3])), X, order=2)
    check(lambda x: sq(tf.broadcast_to(x[:, :1], [5, 2, 3, 4])), X, order=2)
    check(lambda x: sq(tf.reverse(x, [1])), X, order=2)


# -- pad and slice -----------------------------------------------------------------------------

PADS = [[1, 0], [0, 2], [1, 1]]


@pytest.mark.parametrize("mode", ["CONSTANT", "REFLECT", "SYMMETRIC"])
def test_pad(mode):
    check(lambda x: tf.pad(x, PADS, mode), X)
    check(lambda x: sq(tf.pad(x, [[2, 3], [1, 1]], mode)), M, order=2)


def test_mirror_pad_folds_the_borders_back_as_tf():
    x = np.arange(6.0).reshape(2, 3)
    g, = gradient(lambda x: tf.pad(x, [[1, 1], [2, 2]], "REFLECT"), x)
    np.testing.assert_array_equal(g.numpy(), [[4, 6, 4], [4, 6, 4]])  # TF 2.21
    g, = gradient(lambda x: tf.pad(x, [[0, 0], [3, 1]], "SYMMETRIC"), x)
    np.testing.assert_array_equal(g.numpy(), [[2, 2, 3]] * 2)


def test_pad_constant_values_gets_the_border_sum():
    # TF gives None for constant_values; it is the sum of the gradient over the borders here.
    check(lambda x, c: sq(tf.pad(x, PADS, constant_values=c)), X, 2.0, order=2)
    _, g = gradient(lambda x, c: tf.pad(x, [[1, 2]], constant_values=c), np.ones(3), np.array(0.0))
    assert float(g) == 3.0


def test_slice():
    check(lambda x: tf.slice(x, [1, 0, 1], [1, -1, 2]), X)
    check(lambda x: tf.slice(x, [0, 0], [4, 3]), M)
    check(lambda x: sq(tf.slice(x, [1, 1, 0], [-1, 2, 3])), X, order=2)


# -- strided slices (indexing) -----------------------------------------------------------------

@pytest.mark.parametrize("f", [
    lambda x: x[1],
    lambda x: x[-1, :, 2],
    lambda x: x[:, ::2],
    lambda x: x[1:, ::-2, None, ...],
    lambda x: x[..., -2:],
    lambda x: x[::-1, tf.newaxis, 1:3, ::-3],
    lambda x: x[0, ..., tf.newaxis],
    lambda x: x[:, 5:],  # empty
    lambda x: x[tf.constant(1)],
    lambda x: x[:, tf.constant(-1):, tf.constant(3)],
], ids=["int", "negative", "step", "reverse_newaxis_ellipsis", "ellipsis", "mixed",
        "trailing_newaxis", "empty", "dynamic", "dynamic_slice"])
def test_strided_slice(f):
    check(f, X)


def test_strided_slice_second_order_and_dynamic_index_in_function():
    check(lambda x: sq(x[1:, ::-2, None]), X, order=2)
    check(lambda x: sq(x[tf.constant(1), ::-1]), X, order=2)

    @tf.function
    def grad_at(x, i):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x[i] * 3.0
        return tape.gradient(y, x)

    want = np.zeros_like(M)
    want[2] = 3.0
    np.testing.assert_array_equal(grad_at(tf.constant(M), tf.constant(2)).numpy(), want)
    want = np.zeros_like(M)
    want[-1] = 3.0
    np.testing.assert_array_equal(grad_at(tf.constant(M), tf.constant(-1)).numpy(), want)


# -- where (select) ----------------------------------------------------------------------------

def test_where_masks_the_gradient_for_each_branch():
    c = X > 0
    check(lambda x, y: tf.where(c, x, y), X, 2 * X)
    check(lambda x, y: sq(tf.where(x > 0, x, y)), X, RNG.standard_normal((3, 1)), order=2)
    check(lambda x, y: tf.where(c, x, y), 1.5, RNG.standard_normal((4,)))
    cond = tf.constant([True, False, True])
    g_x, g_y = gradient(lambda x, y: tf.where(cond, x, y), np.ones(3), np.array(2.0))
    np.testing.assert_array_equal(g_x.numpy(), [1, 0, 1])
    assert float(g_y) == 1.0  # broadcast: summed back to the scalar


def test_where_condition_and_integer_inputs_get_none():
    x, i = tf.constant([1.0, 2.0, 3.0]), tf.constant([2, 0])
    cond = tf.constant([True, False, True])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, i, cond])
        y = tf.where(cond, x, -x)
        z = tf.gather(x, i)
        k = tf.concat([i, i], 0)
    assert tape.gradient(y, cond) is None
    assert tape.gradient(z, i) is None
    sparse = tape.gradient(z, x)
    assert isinstance(sparse, tf.IndexedSlices)  # the gradient of a gather, as in TF
    np.testing.assert_array_equal(tf.convert_to_tensor(sparse).numpy(), [1, 0, 1])
    assert tape.gradient(k, i) is None


# -- gather ------------------------------------------------------------------------------------

def test_gather_accumulates_repeated_indices():
    params = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    g, = gradient(lambda p: tf.gather(p, [2, 0, 2, 2]), params)
    np.testing.assert_array_equal(tf.convert_to_tensor(g).numpy(), [[1, 1], [0, 0], [3, 3]])
    weights = tf.constant([[1.0, 10.0], [100.0, 1000.0]], tf.float64)
    g, = gradient(lambda p: tf.gather(p, [[1, 1], [1, 0]], axis=1) * weights,
                  np.ones((2, 2)))
    # column 0 is gathered at [1, 1] only, column 1 at [0, 0], [0, 1] and [1, 0]
    np.testing.assert_array_equal(g.numpy(), [[1000.0, 111.0], [1000.0, 111.0]])


@pytest.mark.parametrize("indices,axis,batch_dims", [
    ([0, 1, 1], 0, 0),
    ([[0, 0], [2, 1]], 1, 0),
    ([3, 0, 3], -1, 0),
    (1, 1, 0),
    ([[0, 0, 2], [1, 1, 1]], 2, 1),
    ([[0, 2], [1, 1]], 1, 1),
    ([[0, 0, 3], [1, 1, 1]], -1, -1),
    (np.array([[2, 0], [1, 1]], np.int64), 1, 1),
    (np.array([[[0], [3]], [[1], [1]]], np.int64), 2, 1),
])
def test_gather_axis_and_batch_dims(indices, axis, batch_dims):
    check(lambda x: tf.gather(x, indices, axis=axis, batch_dims=batch_dims), X)


def test_gather_batch_dims_as_tf():
    x = np.arange(6.0).reshape(2, 3)
    g, = gradient(lambda p: tf.gather(p, [[0, 0, 2], [1, 1, 1]], axis=1, batch_dims=1), x)
    np.testing.assert_array_equal(g.numpy(), [[2, 0, 1], [0, 3, 0]])  # TF 2.21


def test_gather_second_order():
    check(lambda x: sq(tf.gather(x, [[0, 0], [2, 1]], axis=1)), X, order=2)
    check(lambda x: sq(tf.gather(x, [[0, 0, 2], [1, 1, 1]], axis=2, batch_dims=1)), X, order=2)


def test_gather_nd_accumulates_repeated_indices():
    params = np.zeros((2, 3))
    g, = gradient(lambda p: tf.gather_nd(p, [[0, 1], [1, 2], [0, 1]]) * [1.0, 2.0, 4.0],
                  params)
    np.testing.assert_array_equal(g.numpy(), [[0, 5, 0], [0, 0, 2]])
    g, = gradient(lambda p: tf.gather_nd(p, [[1], [1]]), params)
    np.testing.assert_array_equal(g.numpy(), [[0, 0, 0], [2, 2, 2]])


@pytest.mark.parametrize("indices,batch_dims", [
    ([[0, 1], [0, 1], [1, 2]], 0),
    ([[1], [0], [1]], 0),
    ([[[0, 1, 3]], [[1, 2, 0]]], 0),
    ([[[1], [1]], [[2], [0]]], 1),
    ([[2, 3], [0, 0]], 1),
    (np.array([[[1, 0], [2, 3]], [[0, 0], [0, 0]]], np.int64), 1),
])
def test_gather_nd(indices, batch_dims):
    check(lambda x: tf.gather_nd(x, indices, batch_dims=batch_dims), X)


def test_gather_nd_second_order_and_boolean_mask():
    check(lambda x: sq(tf.gather_nd(x, [[0, 1], [0, 1], [1, 2]])), X, order=2)
    check(lambda x: sq(tf.gather_nd(x, [[[1], [1]], [[2], [0]]], batch_dims=1)), X, order=2)
    check(lambda x: tf.boolean_mask(x, X[..., 0] > 0), X)
    check(lambda x: sq(tf.boolean_mask(x, X > 0)), X, order=2)
    check(lambda x: tf.boolean_mask(x, [True, False, True], axis=1), X)


# -- the helper ops: scatter_nd, unsorted_segment_sum ------------------------------------------

def test_scatter_nd():
    from helpers import check_op
    idx = np.array([[1], [1], [3]], np.int32)
    check_op(lambda i, u: tf.scatter_nd(i, u, [4]), idx, np.array([1.0, 2.0, 5.0]),
             expected=np.array([0.0, 3.0, 0.0, 5.0]))
    check_op(lambda i, u: tf.scatter_nd(i, u, [2, 2]), np.array([[1, 0], [1, 0]], np.int64),
             np.array([1, 2], np.int32), expected=np.array([[0, 0], [3, 0]], np.int32))
    check_op(lambda i, u: tf.scatter_nd(i, u, [3, 2]), np.array([[2]]),
             np.array([[1.0, 2.0]]), expected=np.array([[0, 0], [0, 0], [1.0, 2.0]]))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\[1\] = \[4\]"):
        tf.scatter_nd([[0], [4]], [1.0, 2.0], [4])
    with pytest.raises(tf.errors.InvalidArgumentError, match="updates must have shape"):
        tf.scatter_nd([[0], [1]], [1.0, 2.0, 3.0], [4])
    check(lambda u: sq(tf.scatter_nd([[0, 1], [0, 1], [1, 0]], u, [2, 2, 3])),
          RNG.standard_normal((3, 3)), order=2)


def test_unsorted_segment_sum():
    from helpers import check_op
    uss = gather_ops.unsorted_segment_sum
    data = np.arange(8.0).reshape(4, 2)
    ids = np.array([0, 2, 0, -1], np.int32)
    want = np.array([[4.0, 6.0], [0.0, 0.0], [2.0, 3.0]])  # the -1 row is dropped, as TF
    check_op(lambda d, i: uss(d, i, 3), data, ids, expected=want)
    with pytest.raises(tf.errors.InvalidArgumentError, match="not in"):
        uss(data, [0, 1, 5, 0], 3)
    check(lambda d: sq(uss(d, ids, 3)), data, order=2)
    check(lambda d: uss(d, [[0, 1], [1, -1]], 2), RNG.standard_normal((2, 2, 3)))


# -- graphs with unknown shapes ----------------------------------------------------------------

UNKNOWN_SHAPE_CASES = {
    "reshape": lambda x: tf.reshape(x, [-1]) * tf.range(tf.size(x), dtype=tf.float64),
    "transpose": lambda x: tf.transpose(x, [1, 0]) * tf.constant([[1.0], [2.0], [3.0]], tf.float64),
    "expand_squeeze": lambda x: tf.squeeze(tf.expand_dims(x, 0), [0]) * x,
    "concat": lambda x: tf.concat([x, 2.0 * x], axis=0)[1:],
    "concat_axis1": lambda x: tf.concat([x, x[:, :1]], axis=1) * x[:1, :1],
    "stack": lambda x: tf.stack([x, x * x]),
    "split": lambda x: tf.split(x, [1, 2], axis=1)[1] * 3.0,
    "tile": lambda x: tf.tile(x, [2, 3]) * tf.tile(x, [2, 3]),
    "slicing": lambda x: x[1:, ::-2] * x[:-1, 1:],
    "dynamic_index": lambda x: x[tf.shape(x)[0] - 1],
    "pad": lambda x: tf.pad(x, [[1, 0], [0, 2]]) * 2.0,
    "mirror_pad": lambda x: tf.pad(x, [[1, 0], [0, 2]], "REFLECT") * 2.0,
    "slice": lambda x: tf.slice(x, [1, 1], [-1, 2]) * x[1:, :2],
    "broadcast_to": lambda x: tf.broadcast_to(x[:, :1], tf.shape(x)) * x,
    "where": lambda x: tf.where(x > 0, x, x[:1] * 2.0),
    "gather": lambda x: tf.gather(x, [0, 0, 1], axis=0) * 2.0,
    "gather_nd": lambda x: tf.gather_nd(x, [[0, 1], [0, 1]]),
    "gather_nd_batch": lambda x: tf.gather_nd(x, tf.zeros_like(x, tf.int32)[:, :1],
                                              batch_dims=1),
    "boolean_mask": lambda x: tf.boolean_mask(x, x > 0) * 2.0,
    "unstack": lambda x: tf.unstack(x, axis=1)[2] * x[:, 0],
    "reverse": lambda x: tf.reverse(x, [0]) * x,
}


@pytest.mark.parametrize("name", sorted(UNKNOWN_SHAPE_CASES))
def test_gradient_in_function_with_unknown_batch_size(name):
    f = UNKNOWN_SHAPE_CASES[name]
    static_shapes = []

    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float64)], autograph=False)
    def grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = f(x)
        g = tf.convert_to_tensor(tape.gradient(y, x))  # a gather's gradient is IndexedSlices
        static_shapes.append(g.shape)
        return g

    for rows in (4, 2):
        x = RNG.standard_normal((rows, 3))
        want, = gradient(f, x)
        np.testing.assert_allclose(grad(tf.constant(x)).numpy(),
                                   tf.convert_to_tensor(want).numpy(), rtol=1e-12)
    assert static_shapes == [tf.TensorShape([None, 3])]


@pytest.mark.parametrize("name", ["reshape", "transpose", "concat", "stack", "split", "tile",
                                  "slicing", "pad", "mirror_pad", "slice", "where", "reverse"])
def test_gradient_in_a_graph_of_unknown_rank(name):
    f = UNKNOWN_SHAPE_CASES[name]
    x = RNG.standard_normal((3, 3))
    graph = tf.Graph()
    with graph.as_default():
        ph = v1.placeholder(tf.float64, shape=None)
        with tf.GradientTape() as tape:
            tape.watch(ph)
            y = f(ph)
        g = tape.gradient(y, ph)
    with v1.Session(graph=graph) as sess:
        got = sess.run(g, feed_dict={ph: x})
    want, = gradient(f, x)
    np.testing.assert_allclose(got, want.numpy(), rtol=1e-12)
