"""Property-based tests: broadcasting binary ops and reductions agree with NumPy, eagerly and
in graphs, including their static shapes."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import autotrace as tf
from autotrace import errors
from tests.helpers import graph_value

SETTINGS = settings(max_examples=50, deadline=None)
DTYPES = [np.float32, np.float64, np.int32]


@st.composite
def broadcastable_shapes(draw):
    """Two shapes that broadcast: a common shape, each side dropping leading dims and setting
    some dims to 1. Dims include 0."""
    base = draw(st.lists(st.integers(0, 4), min_size=0, max_size=4))

    def side():
        drop = draw(st.integers(0, len(base)))
        dims = base[drop:]
        return tuple(1 if draw(st.booleans()) and draw(st.booleans()) else d for d in dims)
    return side(), side()


@st.composite
def incompatible_shapes(draw):
    a = draw(st.lists(st.integers(2, 4), min_size=1, max_size=3))
    b = list(a)
    i = draw(st.integers(0, len(a) - 1))
    b[i] = a[i] + draw(st.integers(1, 3))  # both > 1 and different
    extra = draw(st.lists(st.integers(1, 3), max_size=1))
    return tuple(a), tuple(extra + b)


def values(dtype, shape, data, positive=False):
    lo = 1 if positive else -5
    if np.dtype(dtype).kind == "f":
        elements = st.floats(lo, 5, width=32 if dtype == np.float32 else 64)
    else:
        elements = st.integers(lo, 5)
    flat = data.draw(st.lists(elements, min_size=int(np.prod(shape)),
                              max_size=int(np.prod(shape))))
    return np.array(flat, dtype=dtype).reshape(shape)


# name, autotrace function, NumPy reference, needs a nonzero divisor
BINARY = [
    ("add", tf.add, np.add, False),
    ("subtract", tf.subtract, np.subtract, False),
    ("multiply", tf.multiply, np.multiply, False),
    ("maximum", tf.maximum, np.maximum, False),
    ("minimum", tf.minimum, np.minimum, False),
    ("squared_difference", tf.math.squared_difference, lambda x, y: (x - y) * (x - y), False),
    ("floordiv", tf.math.floordiv, np.floor_divide, True),
    ("floormod", tf.math.floormod, np.mod, True),
    ("less", tf.less, np.less, False),
    ("equal", tf.equal, np.equal, False),
    ("operator +", lambda x, y: x + y, np.add, False),
    ("operator *", lambda x, y: x * y, np.multiply, False),
]


@pytest.mark.parametrize("name, fn, ref, nonzero", BINARY, ids=[b[0] for b in BINARY])
@SETTINGS
@given(shapes=broadcastable_shapes(), dtype=st.sampled_from(DTYPES), data=st.data())
def test_broadcasting_binary_ops_match_numpy(name, fn, ref, nonzero, shapes, dtype, data):
    sa, sb = shapes
    a = values(dtype, sa, data)
    b = values(dtype, sb, data, positive=nonzero)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = ref(a, b)
    # static shape inference agrees with NumPy's broadcast shape
    with tf.Graph().as_default():
        out = fn(tf.compat.v1.placeholder(tf.as_dtype(dtype), sa),
                 tf.compat.v1.placeholder(tf.as_dtype(dtype), sb))
    assert out.shape == np.broadcast_shapes(sa, sb) == expected.shape
    assert out.dtype == tf.as_dtype(expected.dtype)
    eager = fn(tf.constant(a), tf.constant(b))
    assert eager.shape == expected.shape and eager.dtype == out.dtype
    for got in (eager.numpy(), graph_value(fn, a, b),
                graph_value(fn, a, b, known_shapes=False)):
        got = np.asarray(got)
        assert got.shape == expected.shape and got.dtype == expected.dtype
        np.testing.assert_allclose(got, expected, rtol=1e-6)


@pytest.mark.parametrize("fn", [tf.add, tf.multiply, tf.maximum, tf.equal],
                         ids=["add", "multiply", "maximum", "equal"])
@SETTINGS
@given(shapes=incompatible_shapes())
def test_incompatible_shapes_raise(fn, shapes):
    sa, sb = shapes
    with pytest.raises(errors.InvalidShapeError, match="cannot be broadcast together"):
        fn(tf.zeros(sa), tf.zeros(sb))
    with tf.Graph().as_default():
        with pytest.raises(errors.InvalidShapeError, match="cannot be broadcast together"):
            fn(tf.compat.v1.placeholder(tf.float32, sa), tf.compat.v1.placeholder(tf.float32, sb))


@SETTINGS
@given(shapes=incompatible_shapes())
def test_incompatible_shapes_raise_at_run_time_when_unknown(shapes):
    sa, sb = shapes
    g = tf.Graph()
    with g.as_default():
        x, y = tf.compat.v1.placeholder(tf.float32), tf.compat.v1.placeholder(tf.float32)
        out = x + y
    with tf.compat.v1.Session(graph=g) as sess:
        with pytest.raises(errors.InvalidArgumentError, match="AddV2"):
            sess.run(out, {x: np.zeros(sa, np.float32), y: np.zeros(sb, np.float32)})


REDUCTIONS = [
    ("reduce_sum", lambda x, axis, keepdims: np.sum(x, axis=axis, keepdims=keepdims,
                                                    dtype=x.dtype)),
    ("reduce_max", lambda x, axis, keepdims: np.max(x, axis=axis, keepdims=keepdims,
                                                    initial=-np.inf if x.dtype.kind == "f"
                                                    else np.iinfo(x.dtype).min)),
    ("reduce_min", lambda x, axis, keepdims: np.min(x, axis=axis, keepdims=keepdims,
                                                    initial=np.inf if x.dtype.kind == "f"
                                                    else np.iinfo(x.dtype).max)),
    ("reduce_prod", lambda x, axis, keepdims: np.prod(x, axis=axis, keepdims=keepdims,
                                                      dtype=x.dtype)),
]


@st.composite
def shape_and_axis(draw):
    shape = tuple(draw(st.lists(st.integers(0, 3), min_size=1, max_size=4)))
    rank = len(shape)
    kind = draw(st.sampled_from(["none", "int", "list"]))
    if kind == "none":
        axis = None
    elif kind == "int":
        axis = draw(st.integers(-rank, rank - 1))
    else:
        axis = draw(st.lists(st.integers(0, rank - 1), unique=True, max_size=rank))
        axis = [a - rank if draw(st.booleans()) else a for a in axis]
    return shape, axis


@pytest.mark.parametrize("name, ref", REDUCTIONS, ids=[r[0] for r in REDUCTIONS])
@SETTINGS
@given(shape_axis=shape_and_axis(), keepdims=st.booleans(), dtype=st.sampled_from(DTYPES),
       data=st.data())
def test_reductions_match_numpy(name, ref, shape_axis, keepdims, dtype, data):
    shape, axis = shape_axis
    x = values(dtype, shape, data)
    np_axis = tuple(axis) if isinstance(axis, list) else axis
    expected = np.asarray(ref(x, np_axis, keepdims)).astype(dtype)
    fn = getattr(tf, name)

    def build(t):
        return fn(t, axis=axis, keepdims=keepdims)
    with tf.Graph().as_default():
        static = build(tf.compat.v1.placeholder(tf.as_dtype(dtype), shape)).shape
    assert static == expected.shape
    for got in (build(tf.constant(x)).numpy(), graph_value(build, x),
                graph_value(build, x, known_shapes=False)):
        got = np.asarray(got)
        assert got.shape == expected.shape and got.dtype == expected.dtype
        np.testing.assert_allclose(got, expected, rtol=1e-5)


@SETTINGS
@given(shape_axis=shape_and_axis(), keepdims=st.booleans(), data=st.data())
def test_mean_matches_numpy(shape_axis, keepdims, data):
    shape, axis = shape_axis
    x = values(np.float64, shape, data)
    np_axis = tuple(axis) if isinstance(axis, list) else axis
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # mean of nothing is nan
        expected = np.mean(x, axis=np_axis, keepdims=keepdims)
    got = tf.reduce_mean(x, axis=axis, keepdims=keepdims)
    assert got.shape == np.shape(expected)
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-9)


@SETTINGS
@given(data=st.data(), dtype=st.sampled_from([np.float32, np.float64, np.int32, np.int64,
                                              np.uint8, np.int8]),
       scalar=st.one_of(st.integers(-300, 300), st.floats(-10, 10, allow_nan=False)))
def test_operator_fast_path_agrees_with_functions(data, dtype, scalar):
    x = values(dtype, (2, 2), data) if np.dtype(dtype).kind != "u" else \
        np.abs(values(np.int32, (2, 2), data)).astype(dtype)
    t = tf.constant(x)
    for op, fn in ((lambda a, b: a + b, tf.add), (lambda a, b: a * b, tf.multiply),
                   (lambda a, b: a - b, tf.subtract), (lambda a, b: a < b, tf.less)):
        outcomes = []
        for thunk in (lambda: op(t, scalar), lambda: fn(t, scalar)):
            try:
                r = thunk()
                outcomes.append((r.dtype, r.numpy().tolist()))
            except Exception as exc:  # noqa: BLE001 - the errors must agree too
                outcomes.append((type(exc), str(exc)))
        assert outcomes[0] == outcomes[1]
