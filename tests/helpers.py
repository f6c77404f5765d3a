"""Shared test utilities: run an op eagerly and through a graph run by a Session, and check
both against a NumPy reference."""
import numpy as np

import autotrace as tf

v1 = tf.compat.v1


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def eager_value(build, *inputs):
    """`build(*tensors)` executed eagerly; returns NumPy values (a list if build returns one)."""
    out = build(*[tf.constant(x) for x in inputs])
    if isinstance(out, (list, tuple)):
        return [np.asarray(o._value) for o in out]
    return np.asarray(out._value)


def graph_value(build, *inputs, known_shapes=True):
    """`build(*placeholders)` in a fresh Graph, run by a Session with `inputs` fed.

    With known_shapes=False the placeholders have unknown shapes, which exercises shape
    inference with unknown dimensions. Also checks each output's static dtype and shape
    agree with the value that was computed.
    """
    arrays = [np.asarray(tf.constant(x).numpy()) for x in inputs]
    graph = tf.Graph()
    with graph.as_default():
        placeholders = [v1.placeholder(tf.as_dtype(a.dtype if a.dtype.kind != "O" else "string"),
                                       shape=a.shape if known_shapes else None)
                        for a in arrays]
        out = build(*placeholders)
    outs = _as_list(out)
    with v1.Session(graph=graph) as sess:
        values = sess.run(outs, feed_dict=dict(zip(placeholders, arrays)))
    values = [np.asarray(v) for v in values]
    for t, v in zip(outs, values):
        assert t.shape.is_compatible_with(v.shape), (
            "static shape %s does not fit the computed shape %s" % (t.shape, v.shape))
        got = tf.as_dtype(v.dtype) if v.dtype.kind != "O" else tf.string
        assert t.dtype == got, "static dtype %s but computed %s" % (t.dtype, v.dtype)
    return values if isinstance(out, (list, tuple)) else values[0]


def check_op(build, *inputs, expected, rtol=1e-6, atol=0.0, unknown_shapes=True):
    """Assert build(*inputs) equals `expected` eagerly and in graphs, with identical dtypes.

    The graph runs twice: with placeholders of known shapes, and (unless unknown_shapes=False,
    for ops that need static shapes) of unknown shapes."""
    expected_list = [np.asarray(e) for e in _as_list(expected)]
    results = {
        "eager": _as_list(eager_value(build, *inputs)),
        "graph": _as_list(graph_value(build, *inputs)),
    }
    if unknown_shapes:
        results["graph (unknown shapes)"] = _as_list(
            graph_value(build, *inputs, known_shapes=False))
    for mode, values in results.items():
        assert len(values) == len(expected_list), mode
        for got, want in zip(values, expected_list):
            assert got.shape == want.shape, "%s: shape %s != %s" % (mode, got.shape, want.shape)
            assert got.dtype == want.dtype, "%s: dtype %s != %s" % (mode, got.dtype, want.dtype)
            if want.dtype.kind in "fc":
                np.testing.assert_allclose(got, want, rtol=rtol, atol=atol, err_msg=mode)
            else:
                np.testing.assert_array_equal(got, want, err_msg=mode)


def grad_of(f, *xs):
    """Gradients of sum(f(*xs)) with respect to each x, as NumPy arrays (None where none)."""
    xs = [tf.constant(x) for x in xs]
    with tf.GradientTape() as tape:
        tape.watch(xs)
        y = f(*xs)
    return [None if g is None else g.numpy() for g in tape.gradient(y, xs)]
