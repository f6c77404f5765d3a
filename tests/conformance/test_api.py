"""Issue 10 §4: the API around the core that TF programs use — AutoGraph's features and
to_graph, tf.compat.v1's whole namespace, ConcreteFunction's bound arguments and attributes,
GraphDef, TF's op names, and assignment to slices of variables. TF 2.21's answers are stated
where a value is compared."""
import numpy as np
import pytest

import autotrace as tf


# -- tf.autograph ----------------------------------------------------------------------------

def absolute(x):
    if x > 0:
        return x
    return -x


def test_autograph_features_and_experimental_autograph_options():
    feature = tf.autograph.experimental.Feature
    assert [f.name for f in feature] == ["ALL", "AUTO_CONTROL_DEPS", "ASSERT_STATEMENTS",
                                         "BUILTIN_FUNCTIONS", "EQUALITY_OPERATORS", "LISTS",
                                         "NAME_SCOPES"]   # TF's members, in TF's order
    assert feature.ALL.value == "ALL"
    f = tf.function(absolute, experimental_autograph_options=(feature.EQUALITY_OPERATORS,
                                                              feature.LISTS))
    assert f(tf.constant(-2)).numpy() == 2
    with pytest.raises(TypeError, match="Feature values"):
        tf.function(absolute, experimental_autograph_options="LISTS")


def test_to_graph_converts_without_tracing():
    converted = tf.autograph.to_graph(absolute)
    assert converted(-3) == 3                                  # a Python call: Python
    assert tf.function(converted)(tf.constant(-3)).numpy() == 3   # TF: 3
    g = tf.Graph()
    with g.as_default():
        out = converted(tf.compat.v1.placeholder(tf.int32, []))
    assert "StatelessIf" in [op.type for op in g.get_operations()]  # a graph cond
    assert out.graph is g
    assert tf.autograph.to_code(absolute, recursive=True,
                                experimental_optional_features=None).startswith(
        "def absolute(x):")


# -- tf.compat.v1 ------------------------------------------------------------------------------

def test_compat_v1_holds_the_whole_namespace():
    v1 = tf.compat.v1
    assert v1.constant is tf.constant and v1.nn is tf.nn and v1.math is tf.math
    assert float(v1.nn.relu(tf.constant(-1.0))) == 0.0
    assert v1.random_normal is tf.random.normal and v1.log is tf.math.log   # TF-1 names
    assert float(v1.to_float(tf.constant(3))) == 3.0
    assert v1.Session is not None and v1.placeholder is not None  # the graph model too
    assert "reduce_sum" in dir(v1) and "Session" in dir(v1)
    assert tf.compat.v2 is tf
    with pytest.raises(AttributeError, match="no attribute 'not_a_name'"):
        v1.not_a_name


def test_compat_v1_graph_program_with_tf_names():
    v1 = tf.compat.v1
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, shape=[None])
        y = v1.reduce_sum(v1.square(x)) + v1.constant(1.0)
    with v1.Session(graph=g) as sess:
        assert sess.run(y, feed_dict={x: [1.0, 2.0]}) == 6.0


# -- ConcreteFunction ---------------------------------------------------------------------------

def test_concrete_function_binds_python_arguments():
    v = tf.Variable(2.0)

    @tf.function
    def f(x, training, scale=1.0):
        if training:
            return {"y": x * v * scale, "z": x}
        return {"y": x, "z": x}

    cf = f.get_concrete_function(tf.TensorSpec([None], tf.float32), True)
    out = cf(tf.constant([1.0, 2.0]))                            # TF: [2, 4] (training bound)
    np.testing.assert_array_equal(out["y"].numpy(), [2.0, 4.0])
    np.testing.assert_array_equal(cf(x=tf.constant([3.0]))["y"].numpy(), [6.0])
    np.testing.assert_array_equal(cf(tf.constant([1.0]), True)["y"].numpy(), [2.0])
    with pytest.raises(TypeError):
        cf(tf.constant([1.0]), False)    # not the value traced


def test_concrete_function_attributes_of_the_tf_guide():
    v = tf.Variable(2.0)

    @tf.function
    def f(x, training, scale=1.0):
        return {"y": x * v * scale, "z": x}

    cf = f.get_concrete_function(tf.TensorSpec([None], tf.float32), True)
    # TF prints: (x: TensorSpec(shape=(None,), dtype=tf.float32, name=None), training:
    # Literal[True], scale: Literal[1.0]) -> Dict[['y', TensorSpec(...)], ['z', TensorSpec(...)]]
    assert str(cf.function_type) == (
        "(x: TensorSpec(shape=(None,), dtype=tf.float32, name=None), training: Literal[True], "
        "scale: Literal[1.0]) -> Dict[['y', TensorSpec(shape=(None,), dtype=tf.float32, "
        "name=None)], ['z', TensorSpec(shape=(None,), dtype=tf.float32, name=None)]]")
    assert list(cf.function_type.parameters) == ["x", "training", "scale"]
    assert cf.structured_input_signature == (
        (tf.TensorSpec([None], tf.float32, "x"), True, 1.0), {})          # TF: the same
    assert sorted(cf.structured_outputs) == ["y", "z"]
    assert [t.name for t in cf.outputs] == ["Identity:0", "Identity_1:0"]  # TF: the same
    assert cf.structured_outputs["y"] is cf.outputs[0]
    assert [t.name for t in cf.inputs] == ["x:0"]  # TF also lists the variable's handle
    assert cf.variables == (v,) and cf.trainable_variables == (v,)
    assert isinstance(cf.graph, tf.Graph)


# -- GraphDef ---------------------------------------------------------------------------------

def _square_plus_one():
    @tf.function
    def f(x):
        return x ** 2 + 1.0
    return f.get_concrete_function(tf.TensorSpec([None], tf.float32))


def test_graph_def_nodes_and_names_as_tf():
    gd = _square_plus_one().graph.as_graph_def()
    # TF 2.21: ['x', 'pow/y', 'pow', 'add/y', 'add', 'Identity'] (and a trailing NoOp)
    assert [n.name for n in gd.node] == ["x", "pow/y", "pow", "add/y", "add", "Identity"]
    assert [n.op for n in gd.node] == ["Placeholder", "Const", "Pow", "Const", "AddV2",
                                       "Identity"]
    assert list(gd.node[2].input) == ["x", "pow/y"]
    assert tf.as_dtype(gd.node[0].attr["dtype"].type) == tf.float32
    assert gd.node[0].attr["dtype"].type == 1  # TF's DataType enum: DT_FLOAT
    assert [d.size for d in gd.node[0].attr["shape"].shape.dim] == [-1]
    assert gd.node[1].attr["value"].tensor.value == np.float32(2.0)


def test_graph_def_text_form():
    gd = _square_plus_one().graph.as_graph_def()
    assert str(gd.node[1]) == '''\
name: "pow/y"
op: "Const"
attr {
  key: "dtype"
  value {
    type: DT_FLOAT
  }
}
attr {
  key: "value"
  value {
    tensor {
      dtype: DT_FLOAT
      tensor_shape {
      }
      float_val: 2.0
    }
  }
}
'''
    text = str(gd)
    assert text.startswith('node {\n  name: "x"\n  op: "Placeholder"\n')
    assert '  name: "pow"\n  op: "Pow"\n  input: "x"\n  input: "pow/y"\n' in text
    assert text.endswith("versions {\n  producer: 1\n}\n")


def test_graph_def_of_a_graph_with_sub_graphs():
    g = tf.Graph()
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [], name="x")
        tf.cond(x > 0.0, lambda: x * 2.0, lambda: -x)
    gd = g.as_graph_def()
    cond = [n for n in gd.node if n.op == "StatelessIf"][0]
    then_name = cond.attr["then_branch"].func.name
    functions = {f.signature.name: f for f in gd.library.function}
    assert [n.op for n in functions[then_name].node_def] == ["Placeholder", "Const", "Mul"]
    assert [n.name for n in gd.node] == ["x", "Greater/y", "Greater", "cond"]


# -- TF's op names ----------------------------------------------------------------------------

def test_python_operands_are_named_after_their_consumer():
    @tf.function
    def f(x):
        a = x ** 2
        b = 2.0 * x
        c = tf.add(x, 1.0)
        e = tf.matmul(tf.reshape(x, [1, -1]), [[1.0], [2.0]])
        g = tf.maximum(x, 0.0)
        return a + b + c, e, g
    names = [op.name for op in f.get_concrete_function(
        tf.TensorSpec([2], tf.float32)).graph.get_operations()]
    # TF 2.21 gives these names (and Sum/reduction_indices, which autotrace keeps as an attr)
    assert names == ["x", "pow/y", "pow", "mul/x", "mul", "Add/y", "Add", "Reshape/shape",
                     "Reshape", "MatMul/b", "MatMul", "Maximum/y", "Maximum", "add_1",
                     "add_2", "Identity", "Identity_1", "Identity_2"]


def test_outputs_pass_through_identity_which_the_optimiser_drops():
    cf = _square_plus_one()
    assert cf.graph.get_operations()[-1].type == "Identity"
    assert "Identity" not in [op.type for op in cf.optimized_graph.get_operations()]
    np.testing.assert_array_equal(cf(tf.constant([1.0, 2.0])).numpy(), [2.0, 5.0])


def test_explicit_constants_keep_their_names():
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(2.0)
        d = tf.constant(3.0, name="three")
        y = c * d
    assert [op.name for op in g.get_operations()] == ["Const", "three", "mul"]
    assert y.name == "mul:0"


# -- assignment to slices of variables ---------------------------------------------------------

def test_variable_slices_assign_eagerly():
    v = tf.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    result = v[0, 1].assign(5.0)
    assert isinstance(result, tf.Variable)                  # TF: an _UnreadVariable
    v[:, 0].assign([7.0, 8.0])
    v[1].assign([0.0, 0.0, 0.0])
    v[::2, 1:].assign([[9.0, 9.0]])
    # TF 2.21: [[7, 9, 9], [0, 0, 0]]
    np.testing.assert_array_equal(v.numpy(), [[7.0, 9.0, 9.0], [0.0, 0.0, 0.0]])
    assert float(v[0, 1]) == 9.0                            # still a tensor to read
    with pytest.raises(tf.errors.InvalidArgumentError, match="cannot assign a value of shape"):
        v[0, 1].assign([1.0, 2.0])                          # TF: InvalidArgumentError
    with pytest.raises(AttributeError):
        tf.constant([1.0])[0].assign(2.0)                   # a tensor's slice: no assign


def test_variable_slices_assign_when_traced():
    v = tf.Variable([1.0, 2.0, 3.0])

    @tf.function
    def f(i, x):
        v[i].assign(x)
        v[1:].assign(v[1:] * 2.0)
        return v.read_value()
    np.testing.assert_array_equal(f(tf.constant(0), tf.constant(7.0)).numpy(),
                                  [7.0, 4.0, 6.0])
    ops = [op.type for op in f.get_concrete_function(
        tf.constant(0), tf.constant(7.0)).graph.get_operations()]
    assert ops.count("ResourceStridedSliceAssign") == 2


def test_slice_assignment_blocks_gradients():
    w = tf.Variable([1.0, 2.0])
    x = tf.constant(2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.reduce_sum(w * 2.0)
        w[1].assign(x * 3.0)
        z = tf.reduce_sum(w)
    np.testing.assert_array_equal(tape.gradient(y, w).numpy(), [2.0, 2.0])
    assert tape.gradient(z, x) is None                      # TF: None
