"""Variables (eager and graph) and Module variable tracking."""
import numpy as np
import pytest

import autotrace as tf

v1 = tf.compat.v1


def test_eager_variable_basics():
    v = tf.Variable([1.0, 2.0], name="w")
    assert v.name == "w:0" and v.dtype == tf.float32 and v.shape == [2]
    assert v.trainable
    assert repr(v) == ("<tf.Variable 'w:0' shape=(2,) dtype=float32, "
                       "numpy=array([1., 2.], dtype=float32)>")
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])
    # TF starts a value that spans several lines on its own line
    assert repr(tf.Variable([[1.0], [2.0]], name="m")) == (
        "<tf.Variable 'm:0' shape=(2, 1) dtype=float32, numpy=\n"
        "array([[1.],\n       [2.]], dtype=float32)>")
    np.testing.assert_array_equal((v * 2).numpy(), [2.0, 4.0])
    np.testing.assert_array_equal((2 * v).numpy(), [2.0, 4.0])
    np.testing.assert_array_equal(tf.add(v, v).numpy(), [2.0, 4.0])
    assert float(v[1]) == 2.0
    assert [float(x) for x in v] == [1.0, 2.0]
    np.testing.assert_array_equal(np.square(v), [1.0, 4.0])


def test_assign_returns_the_new_value():
    v = tf.Variable(1.0)
    assert v.assign(5.0).numpy() == 5.0
    assert v.assign_add(2.0).numpy() == 7.0
    assert v.assign_sub(3.0).numpy() == 4.0
    assert v.numpy() == 4.0


def test_numpy_returns_a_copy():
    v = tf.Variable([1.0, 2.0])
    arr = v.numpy()
    arr[0] = 100.0
    assert v.numpy()[0] == 1.0


def test_assign_checks_dtype_and_shape():
    v = tf.Variable([1.0, 2.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match="shape \\(3,\\)"):
        v.assign([1.0, 2.0, 3.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match="int32 value"):
        v.assign(tf.constant([1, 2]))
    with pytest.raises(TypeError, match="float32"):
        v.assign(["a", "b"])


def test_relaxed_shape_allows_other_shapes():
    v = tf.Variable([1.0], shape=tf.TensorShape(None))
    v.assign([1.0, 2.0, 3.0])
    assert v.shape.rank is None
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0, 3.0])


def test_initial_value_forms():
    assert tf.Variable(lambda: tf.zeros([2])).numpy().tolist() == [0.0, 0.0]
    assert tf.Variable(np.arange(3)).dtype == tf.int64
    assert tf.Variable(3).dtype == tf.int32
    assert tf.Variable(3, dtype=tf.float64).dtype == tf.float64
    assert tf.Variable(tf.constant([1, 2])).numpy().tolist() == [1, 2]
    with pytest.raises(ValueError, match="initial_value"):
        tf.Variable()


def test_variables_are_not_hashable_but_have_refs():
    v = tf.Variable(1.0)
    with pytest.raises(TypeError, match="Variable is unhashable"):
        hash(v)
    assert {v.ref(): 1}[v.ref()] == 1
    assert v.ref().deref() is v


def test_variable_is_not_a_tensor_but_converts():
    v = tf.Variable([1, 2])
    assert not isinstance(v, tf.Tensor)
    assert tf.is_tensor(v)
    t = tf.convert_to_tensor(v)
    assert isinstance(t, tf.Tensor) and t.numpy().tolist() == [1, 2]


def test_graph_variable_reads_and_writes_are_ops():
    g = tf.Graph()
    with g.as_default():
        v = tf.Variable(1.0, name="v")
        doubled = v * 2.0
        assign = v.assign(3.0)
    types = [op.type for op in g.get_operations()]
    assert "VarHandleOp" in types and "ReadVariableOp" in types
    assert "AssignVariableOp" in types
    assert repr(v) == "<tf.Variable 'v:0' shape=() dtype=float32>"
    with v1.Session(graph=g) as sess:
        sess.run(v.initializer)
        assert sess.run(doubled) == 2.0
        sess.run(assign)
        assert sess.run(doubled) == 6.0


def test_eager_variable_used_in_a_graph_is_shared_by_reference():
    v = tf.Variable(1.0)
    g = tf.Graph()
    with g.as_default():
        bump = v.assign_add(1.0)
    with v1.Session(graph=g) as sess:
        sess.run(bump)
    assert v.numpy() == 2.0  # the eager variable itself changed


class Dense(tf.Module):
    def __init__(self, n_in, n_out, name=None):
        super().__init__(name=name)
        self.w = tf.Variable(tf.ones([n_in, n_out]), name="w")
        self.b = tf.Variable(tf.zeros([n_out]), name="b")
        self.steps = tf.Variable(0, trainable=False, name="steps")

    def __call__(self, x):
        return tf.matmul(x, self.w) + self.b


class MLP(tf.Module):
    def __init__(self):
        super().__init__()
        self.layers = [Dense(2, 3), Dense(3, 1)]
        self.extra = {"scale": tf.Variable(2.0, name="scale")}


def test_module_collects_variables_in_attribute_order():
    model = MLP()
    names = [v.name for v in model.variables]
    assert names == ["scale:0", "b:0", "steps:0", "w:0", "b:0", "steps:0", "w:0"]
    assert len(model.trainable_variables) == 5
    assert all(v.trainable for v in model.trainable_variables)
    assert len(model.submodules) == 2
    assert model.name == "mlp" and Dense(1, 1).name == "dense"


def test_module_does_not_count_shared_variables_twice():
    layer = Dense(1, 1)
    m = tf.Module()
    m.a = layer
    m.b = layer
    m.same = [layer.w, layer.w]
    assert len(m.variables) == 3
