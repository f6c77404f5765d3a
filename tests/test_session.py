"""The compat.v1 graph + session model, following seed 002 step by step."""
import numpy as np
import pytest

import autotrace as tf

v1 = tf.compat.v1


@pytest.fixture
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


def test_ops_are_nodes_not_values(graph):
    two = tf.constant(2)
    assert str(two) == 'Tensor("Const:0", shape=(), dtype=int32)'
    total = two + tf.constant(3)
    assert str(total) == 'Tensor("add:0", shape=(), dtype=int32)'
    assert [op.type for op in graph.get_operations()] == ["Const", "Const", "AddV2"]


def test_every_constant_call_adds_a_node(graph):
    tf.constant(2)
    tf.constant(2)
    tf.constant(3)
    assert [op.name for op in graph.get_operations()] == ["Const", "Const_1", "Const_2"]


def test_session_runs_fetches(graph):
    two, three = tf.constant(2), tf.constant(3)
    total = two + three
    sess = v1.Session()
    assert sess.run(total) == 5
    assert sess.run([two, total]) == [2, 5]
    assert sess.run({"a": two, "b": (total,)}) == {"a": 2, "b": (5,)}
    assert isinstance(sess.run(total), np.int32)
    assert sess.run([two, [two, three]]) == [2, [2, 3]]


def test_placeholder_must_be_fed_only_on_the_compute_path(graph):
    x = v1.placeholder(tf.int32)
    three = tf.constant(3)
    total = x + three
    with v1.Session() as sess:
        assert sess.run(three) == 3
        assert sess.run(total, feed_dict={x: 2}) == 5
        assert sess.run(x, feed_dict={x: 7}) == 7
        with pytest.raises(tf.errors.InvalidArgumentError) as err:
            sess.run(total)
    assert str(err.value).splitlines()[0] == (
        "You must feed a value for placeholder tensor 'Placeholder' with dtype int32 and shape "
        "<unknown>: it is on the compute path of add:0. Pass feed_dict={Placeholder: value}.")
    assert "created at" in str(err.value) and "test_session.py" in str(err.value)


def test_feeds_are_checked_against_the_placeholder(graph):
    x = v1.placeholder(tf.float32, shape=[2])
    with v1.Session() as sess:
        with pytest.raises(ValueError, match=r"Cannot feed value of shape \(3,\) for tensor "
                                             r"'Placeholder:0', which has shape \(2,\)"):
            sess.run(x * 2.0, feed_dict={x: [1.0, 2.0, 3.0]})
        with pytest.raises(TypeError, match="float32"):
            sess.run(x * 2.0, feed_dict={x: ["a", "b"]})
        np.testing.assert_array_equal(sess.run(x * 2.0, feed_dict={"Placeholder:0": [1, 2]}),
                                      [2.0, 4.0])


def test_feeding_an_intermediate_tensor_cuts_the_path(graph):
    x = v1.placeholder(tf.float32)
    y = x * 2.0
    z = y + 1.0
    with v1.Session() as sess:
        assert sess.run(z, feed_dict={y: 10.0}) == 11.0  # x is not needed


def test_uninitialised_variable_is_a_failed_precondition(graph):
    count = v1.get_variable("count", [])
    with v1.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError,
                           match="Attempting to use uninitialized value count"):
            sess.run(count)


def test_assign_has_its_effect_when_run(graph):
    count = v1.get_variable("count", [])
    assign = v1.assign(count, tf.constant(0.0))
    with v1.Session() as sess:
        sess.run(assign)
        assert sess.run(count) == 0.0


def test_initializer_runs_only_through_the_session(graph):
    count = v1.get_variable("count", [], initializer=v1.constant_initializer(0.0))
    with v1.Session() as sess:
        with pytest.raises(tf.errors.FailedPreconditionError):
            sess.run([count])  # the initializer is in the graph, but has not run
        init = v1.global_variables_initializer()
        sess.run(init)
        assert sess.run(count) == 0.0


def test_variable_values_live_in_each_session(graph):
    v = v1.get_variable("v", [], initializer=v1.constant_initializer(1.0))
    bump = v.assign_add(1.0)
    init = v1.global_variables_initializer()
    s1, s2 = v1.Session(), v1.Session()
    s1.run(init)
    s2.run(init)
    s1.run(bump)
    s1.run(bump)
    assert (s1.run(v), s2.run(v)) == (3.0, 1.0)
    with pytest.raises(tf.errors.FailedPreconditionError, match="lives in a Session"):
        v.numpy()


def test_get_variable_names_are_unique(graph):
    v1.get_variable("w", [2])
    with pytest.raises(ValueError, match="Variable w already exists"):
        v1.get_variable("w", [2])
    with v1.variable_scope("layer"):
        a = v1.get_variable("w", [2])
    with v1.variable_scope("layer", reuse=True):
        assert v1.get_variable("w", [2]) is a
    assert a.name == "layer/w:0"


def test_default_initializer_is_glorot_uniform(graph):
    tf.random.set_seed(3)
    w = v1.get_variable("w", [20, 30])
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        values = sess.run(w)
    limit = np.sqrt(6.0 / 50)
    assert values.shape == (20, 30) and values.dtype == np.float32
    assert np.abs(values).max() <= limit and np.abs(values).max() > 0.8 * limit


def test_print_prints_only_on_the_compute_path(graph, capsys):
    two, three = tf.constant(2), tf.constant(3)
    total = two + three
    printing = v1.Print(total, [two, three])
    unused = v1.Print(two, [two, three, total])
    with v1.Session() as sess:
        assert sess.run(printing) == 5
        assert capsys.readouterr().err == "[2][3]\n"
        assert sess.run(total) == 5
        assert capsys.readouterr().err == ""  # `unused` is not on the path
        assert sess.run(unused) == 2
        assert capsys.readouterr().err == "[2][3][5]\n"


def test_print_summarizes_long_tensors(graph, capsys):
    x = tf.range(10)
    with v1.Session() as sess:
        sess.run(v1.Print(x, [x], message="x: "))
    assert capsys.readouterr().err == "x: [0 1 2...]\n"


def test_fetching_ops_returns_none(graph):
    v = tf.Variable(1.0)
    with v1.Session() as sess:
        assert sess.run(v.initializer) is None
        assert sess.run(tf.group(v.assign(5.0))) is None
        assert sess.run(v) == 5.0


def test_disable_eager_execution_uses_a_global_graph():
    v1.disable_eager_execution()
    try:
        assert not tf.executing_eagerly()
        total = tf.constant(2) + tf.constant(3)
        assert v1.Session().run(total) == 5
        v1.reset_default_graph()
        assert v1.get_default_graph().get_operations() == []
    finally:
        v1.enable_eager_execution()
    assert tf.executing_eagerly()


def test_placeholder_needs_a_graph():
    with pytest.raises(RuntimeError, match="needs a graph"):
        v1.placeholder(tf.float32)


def test_tensor_eval_and_interactive_session(graph):
    total = tf.constant(2) * 4
    sess = v1.InteractiveSession()
    try:
        assert total.eval() == 8
    finally:
        sess.close()


def test_runtime_error_names_the_op_and_line(graph):
    x = v1.placeholder(tf.int32)
    y = tf.reshape(x, [4, 2])  # this line is in the message
    line = test_runtime_error_names_the_op_and_line.__code__.co_firstlineno + 2
    with v1.Session() as sess:
        with pytest.raises(tf.errors.InvalidArgumentError) as err:
            sess.run(y, feed_dict={x: np.arange(6)})
    assert "Reshape" in str(err.value)
    assert "test_session.py:%d" % line in str(err.value)


def test_seed_002_linear_regression_graph_shape(graph):
    m = v1.get_variable("m", [], initializer=v1.constant_initializer(0.0))
    b = v1.get_variable("b", [], initializer=v1.constant_initializer(0.0))
    init = v1.global_variables_initializer()
    x = v1.placeholder(tf.float32)
    y = v1.placeholder(tf.float32)
    loss = tf.square(y - (m * x + b))
    with v1.Session() as sess:
        sess.run(init)
        assert sess.run(loss, feed_dict={x: 1.0, y: 3.0}) == 9.0
