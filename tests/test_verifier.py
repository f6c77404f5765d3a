"""The graph verifier (autotrace/core/verifier.py): a graph checks its order, its types and its
sub-graphs. The test suite runs it on every traced, optimised and differentiated graph
(config.check_generated_code); here, that it passes on sound graphs and names what is wrong
in broken ones."""
import pytest

import autotrace as tf
from autotrace.core.verifier import GraphVerificationError


def _loop_function():
    @tf.function
    def f(x):
        return tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s * x), [0, x])[1]
    return f.get_concrete_function(tf.TensorSpec([], tf.float32))


def test_traced_optimised_and_differentiated_graphs_verify():
    cf = _loop_function()
    cf.graph.verify()
    cf.optimized_graph.verify()

    @tf.function
    def grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.cond(x > 0, lambda: tf.sin(x), lambda: x * x)
            z = tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s * y), [0, y])[1]
        return tape.gradient(z, x)

    grad.get_concrete_function(tf.TensorSpec([], tf.float32)).graph.verify()


def test_a_wrong_recorded_dtype_is_named():
    g = tf.Graph()
    with g.as_default():
        y = tf.constant(1.0) + tf.constant(2.0)
    y._dtype = tf.float64
    with pytest.raises(GraphVerificationError) as err:
        g.verify()
    assert str(err.value).startswith(
        "op 'add' of graph 'graph': output add:0 is recorded as float64, its rule gives float32")


def test_a_recorded_shape_must_fit_the_rule():
    g = tf.Graph()
    with g.as_default():
        y = tf.reshape(tf.constant([1.0, 2.0]), [2, 1])
    y._shape = tf.TensorShape([1, 2])
    with pytest.raises(GraphVerificationError, match="recorded with shape \\(1, 2\\), its rule "
                                                     "gives \\(2, 1\\)"):
        g.verify()


def test_ops_out_of_topological_order_are_named():
    g = tf.Graph()
    with g.as_default():
        tf.constant(1.0) * 2.0
    g._ops.reverse()
    with pytest.raises(GraphVerificationError, match="input Const:0 is computed after it"):
        g.verify()


def test_a_sub_graph_giving_the_wrong_number_of_outputs_is_named():
    cf = _loop_function()
    loop = [op for op in cf.graph.get_operations() if op.type == "StatelessWhile"][0]
    body = loop.attrs["body"]
    body.outputs = body.outputs[:1]
    with pytest.raises(GraphVerificationError, match="op 'while' of graph 'f': its body gives 1 "
                                                     "tensors, the op expects 2"):
        cf.graph.verify()


def test_a_sub_graph_taking_the_wrong_dtype_is_named():
    cf = _loop_function()
    loop = [op for op in cf.graph.get_operations() if op.type == "StatelessWhile"][0]
    cond = loop.attrs["cond"]
    cond.inputs[1]._dtype = tf.int64
    with pytest.raises(GraphVerificationError, match="its cond takes int64\\[\\] as its input 1, "
                                                     "the op expects float32\\[\\]"):
        cf.graph.verify()


def test_a_side_effect_missing_from_stateful_ops_is_named():
    v = tf.Variable(1.0)

    @tf.function
    def f():
        v.assign_add(1.0)
        return tf.constant(0.0)

    graph = f.get_concrete_function().graph
    graph.stateful_ops.clear()
    with pytest.raises(GraphVerificationError, match="it has side effects but is not in "
                                                     "stateful_ops"):
        graph.verify()


def test_an_input_of_another_graph_is_named():
    a, b = tf.Graph(), tf.Graph()
    with a.as_default():
        x = tf.constant(1.0)
    with b.as_default():
        y = tf.constant(2.0) + 1.0
    y.op.inputs = (x,) + y.op.inputs[1:]
    with pytest.raises(GraphVerificationError, match="input Const:0 belongs to graph 'graph'"):
        b.verify()
