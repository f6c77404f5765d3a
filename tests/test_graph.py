"""Graph IR: naming, scopes, lookups, control dependencies and the printed text form."""
import numpy as np
import pytest

import autotrace as tf

v1 = tf.compat.v1


def test_unique_names_follow_tensorflow():
    g = tf.Graph()
    with g.as_default():
        a = tf.matmul([[1.0]], [[2.0]])
        b = tf.matmul([[1.0]], [[2.0]])
        c = tf.constant(1) + tf.constant(2)
        d = tf.add(tf.constant(1), tf.constant(2))  # "Add" collides with "add" case-insensitively
    assert (a.op.name, b.op.name) == ("MatMul", "MatMul_1")
    assert c.name == "add:0"
    assert d.op.name == "Add_1" and d.op.type == "AddV2"  # TF: tf.add is named "Add"
    # A Python operand is a Const named after its consumer and input (TF: "MatMul/a")
    assert [t.op.name for t in a.op.inputs] == ["MatMul/a", "MatMul/b"]


def test_name_scope_prefixes_and_uniquifies():
    g = tf.Graph()
    with g.as_default():
        with tf.name_scope("layer"):
            a = tf.constant(1.0, name="w")
        with tf.name_scope("layer"):
            b = tf.constant(1.0, name="w")
            with tf.name_scope("inner"):
                c = tf.identity(b)
    assert a.op.name == "layer/w"
    assert b.op.name == "layer_1/w"
    assert c.op.name == "layer_1/inner/Identity"


def test_lookups_by_name():
    g = tf.Graph()
    with g.as_default():
        m = tf.matmul([[1.0]], [[2.0]], name="MatMul")
    assert g.get_tensor_by_name("MatMul:0") is m
    assert g.get_operation_by_name("MatMul") is m.op
    assert [op.type for op in g.get_operations()] == ["Const", "Const", "MatMul"]
    with pytest.raises(KeyError, match="refers to no operation"):
        g.get_operation_by_name("nope")
    with pytest.raises(ValueError, match="looks like an op name"):
        g.get_tensor_by_name("MatMul")
    with pytest.raises(KeyError, match="has 1 outputs"):
        g.get_tensor_by_name("MatMul:3")


def test_operation_fields():
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None, 3], name="x")
        y = tf.reduce_sum(x, axis=1, keepdims=True)
    op = y.op
    assert op.type == "Sum" and op.inputs == (x,) and op.outputs == [y]
    assert op.attrs == {"axis": (1,), "keepdims": True}
    assert not op.stateful and op.control_inputs == []
    assert op.graph is g and y.graph is g
    assert y.shape.as_list() == [None, 1] and y.dtype == tf.float32
    assert op.location.endswith("test_graph.py:%d" % (test_operation_fields.__code__.co_firstlineno + 4))
    assert repr(op) == "<tf.Operation 'Sum' type=Sum>"


def test_control_dependencies():
    g = tf.Graph()
    with g.as_default():
        v = tf.Variable(0.0, name="v")
        bump = v.assign_add(1.0)
        with g.control_dependencies([bump]):
            after = tf.constant(5.0, name="after")
        with g.control_dependencies([bump]), g.control_dependencies(None):
            free = tf.constant(6.0, name="free")
    assert after.op.control_inputs == [bump.op]
    assert free.op.control_inputs == []
    with v1.Session(graph=g) as sess:
        sess.run(v.initializer)
        sess.run(after)
        sess.run(after)
        assert sess.run(v) == 2.0
        sess.run(free)
        assert sess.run(v) == 2.0


def test_top_level_control_dependencies_order_ops_in_a_function():
    v = tf.Variable(1.0)

    @tf.function
    def f(x):
        bump = v.assign_add(1.0)
        with tf.control_dependencies([bump]):
            y = tf.identity(x)
        return y
    assert float(f(tf.constant(2.0))) == 2.0 and float(v) == 2.0
    graph = f.get_concrete_function(tf.constant(2.0)).graph
    identity = next(op for op in graph.operations if op.type == "Identity")
    assert [op.type for op in identity.control_inputs] == ["AssignAddVariableOp"]
    assert tf.compat.v1.control_dependencies is tf.control_dependencies


def test_control_dependencies_eagerly_call_callables_and_do_nothing_else():
    called = []
    with tf.control_dependencies([lambda: called.append(1), tf.constant(1.0)]):
        y = tf.constant(2.0) * 3.0
    assert called == [1] and float(y) == 6.0


def test_printed_graph_is_golden():
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, shape=[None, 3], name="x")
        w = tf.constant(np.ones((3, 2), np.float32), name="w")
        h = tf.matmul(x, w)
        parts = tf.unstack(h, axis=1)
        y = tf.reduce_mean(parts[1] * 2.0)
    assert g.as_text() == "\n".join([
        "x       : float32[?,3] = Placeholder",
        "w       : float32[3,2] = Const {value=[[1., 1.], [1., 1.], [1., 1.]]}",
        "MatMul  : float32[?,2] = MatMul(x, w)",
        "unstack : (float32[?], float32[?]) = Unpack(MatMul) {num=2, axis=1}",
        "mul/y   : float32[]    = Const {value=2.0}",
        "mul     : float32[?]   = Mul(unstack:1, mul/y)",
        "Mean    : float32[]    = Mean(mul)",
    ])


def test_large_constants_are_summarised_in_text():
    g = tf.Graph()
    with g.as_default():
        tf.constant(np.zeros((100, 784), np.float32), name="big")
    assert g.as_text() == "big : float32[100,784] = Const {value=<float32[100,784]>}"


def test_tensors_from_another_graph_are_rejected():
    g1, g2 = tf.Graph(), tf.Graph()
    with g1.as_default():
        a = tf.constant(1.0)
    with g2.as_default():
        with pytest.raises(ValueError, match="can only use its own tensors"):
            tf.identity(a)


def test_eager_tensors_are_captured_as_constants():
    e = tf.constant([1.0, 2.0])
    g = tf.Graph()
    with g.as_default():
        y = e * 2.0
        z = e + 1.0
    consts = [op for op in g.get_operations() if op.type == "Const"]
    assert len(consts) == 3  # e (captured once) and the two scalars
    with v1.Session(graph=g) as sess:
        np.testing.assert_array_equal(sess.run(y), [2.0, 4.0])
        np.testing.assert_array_equal(sess.run(z), [2.0, 3.0])


def test_graph_tensor_without_value():
    g = tf.Graph()
    with g.as_default():
        t = tf.constant(1.0)
    with pytest.raises(tf.errors.InaccessibleTensorError, match="no value until the graph runs"):
        t.numpy()
    with pytest.raises(tf.errors.InaccessibleTensorError, match="Session"):
        t + 1.0  # used eagerly, outside its graph


def test_symbolic_tensor_bool_and_iteration_explain():
    g = tf.Graph()
    with g.as_default():
        t = tf.constant([1.0, 2.0])
        with pytest.raises(tf.errors.OperatorNotAllowedInGraphError, match="autotrace.function"):
            bool(t)
        with pytest.raises(tf.errors.OperatorNotAllowedInGraphError, match="Iterating"):
            list(t)
        with pytest.raises(TypeError, match="len is not well defined"):
            len(t)
