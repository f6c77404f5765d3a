"""Gradients never edit a forward graph: control flow that will be differentiated is built
with what its gradient needs (a loop's accumulator stacks, a cond's saved values) when an
active GradientTape records it, or in a TF-1 graph; a gradient only reads the forward ops and
appends new ones."""
import numpy as np

import autotrace as tf


def _snapshot(graph):
    """Everything a gradient could edit: each op's inputs, attributes, outputs, and its
    sub-graphs' ops, inputs and outputs."""
    rows = []
    for op in graph.get_operations():
        rows.append((op, op.inputs, dict(op.attrs), list(op.outputs), list(op.control_inputs)))
        for _, sub in (op.opdef.subgraphs(op) if op.opdef.subgraphs else []):
            rows.append((sub, list(sub.inputs), list(sub.outputs), sub.get_operations()))
    return rows


def _same(a, b):
    return len(a) == len(b) and all(
        len(x) == len(y) and all(_equal(p, q) for p, q in zip(x, y)) for x, y in zip(a, b))


def _equal(p, q):
    if isinstance(p, (list, tuple)):
        return len(p) == len(q) and all(u is v for u, v in zip(p, q))
    if isinstance(p, dict):
        return p.keys() == q.keys() and all(p[k] is q[k] for k in p)
    return p is q


def test_a_loop_recorded_by_a_tape_is_built_accumulating_and_its_gradient_only_reads_it():
    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s * x), [0, x])[1]
        forward = [op for op in tf.compat.v1.get_default_graph().get_operations()
                   if op.type.endswith("While")]
        # One stack per loop variable (i, s), holding its value as each iteration entered.
        assert len(forward) == 1 and forward[0].attrs["stacks"] == 2
        before = _snapshot(tf.compat.v1.get_default_graph())
        g = tape.gradient(y, x)
        after = _snapshot(tf.compat.v1.get_default_graph())
        assert _same(before, after[:len(before)])  # only new ops after the old ones
        return g

    np.testing.assert_allclose(f(tf.constant(2.0)).numpy(), 4 * 2.0 ** 3)


def test_a_loop_no_tape_records_is_built_without_accumulators():
    @tf.function
    def f(x):
        return tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s * x), [0, x])[1]

    graph = f.get_concrete_function(tf.TensorSpec([], tf.float32)).graph
    loop, = [op for op in graph.get_operations() if op.type == "StatelessWhile"]
    assert "stacks" not in loop.attrs and len(loop.outputs) == 2


def test_a_cond_recorded_by_a_tape_exposes_what_its_gradient_must_not_recompute():
    v = tf.Variable(3.0)

    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.cond(x > 0, lambda: x * v, lambda: x)
        graph = tf.compat.v1.get_default_graph()
        cond, = [op for op in graph.get_operations() if op.type.endswith("If")]
        assert cond.attrs["exposed"] == 1  # the variable read in the true branch
        before = _snapshot(graph)
        g = tape.gradient(y, x)
        assert _same(before, _snapshot(graph)[:len(before)])
        return g

    assert float(f(tf.constant(2.0))) == 3.0
    assert float(f(tf.constant(-2.0))) == 1.0


def test_second_order_through_a_loop_reads_the_first_gradient_loop():
    @tf.function
    def f(x):
        with tf.GradientTape() as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s * x), [0, x])[1]
            dy = inner.gradient(y, x)
            before = _snapshot(tf.compat.v1.get_default_graph())
        d2y = outer.gradient(dy, x)
        assert _same(before, _snapshot(tf.compat.v1.get_default_graph())[:len(before)])
        return dy, d2y

    dy, d2y = f(tf.constant(2.0))
    np.testing.assert_allclose([dy.numpy(), d2y.numpy()], [4 * 8.0, 12 * 4.0])


def test_tf1_gradients_walk_a_loop_built_in_a_tf1_graph():
    v1 = tf.compat.v1
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [])
        y = tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s * x), [0, x])[1]
        (dx,) = v1.gradients(y, [x])
        with v1.Session() as sess:
            assert sess.run(dx, {x: 2.0}) == 4 * 2.0 ** 3


def test_a_traced_loop_differentiated_by_an_eager_tape():
    @tf.function
    def f(x):
        return tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s * x), [0, x])[1]

    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    assert float(tape.gradient(y, x)) == 4 * 2.0 ** 3
