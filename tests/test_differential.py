"""The differential check of generated code against the reference interpreter
(config.check_generated_code, on for the whole suite) covers calls with side effects: the
state a call may change is snapshot, the interpreter replays the call from it, and both must
agree on the outputs and on the variables they leave."""
import numpy as np
import pytest

import autotrace as tf


def test_a_stateful_call_is_replayed_and_leaves_the_state_of_one_call():
    v = tf.Variable([1.0, 2.0])

    @tf.function
    def f(x):
        v.assign_add(x)
        return v.read_value() * 2.0 + tf.random.uniform([2], seed=3)

    cf = f.get_concrete_function(tf.TensorSpec([2]))
    assert cf.graph.stateful_ops
    first, second = f(tf.constant([1.0, 1.0])), f(tf.constant([1.0, 1.0]))
    np.testing.assert_allclose(v.numpy(), [3.0, 4.0])  # two calls, not four

    tf.config.check_generated_code(False)
    w = tf.Variable([1.0, 2.0])

    @tf.function
    def g(x):
        w.assign_add(x)
        return w.read_value() * 2.0 + tf.random.uniform([2], seed=3)

    # The same draws as without the check: the replay did not advance the random stream.
    np.testing.assert_array_equal(first.numpy(), g(tf.constant([1.0, 1.0])).numpy())
    np.testing.assert_array_equal(second.numpy(), g(tf.constant([1.0, 1.0])).numpy())


def test_the_check_catches_generated_code_that_writes_a_wrong_value():
    v = tf.Variable(0.0)

    @tf.function
    def f():
        v.assign_add(1.0)
        return tf.constant(0.0)

    cf = f.get_concrete_function()
    compiled = cf._fn

    def wrong():
        results = compiled()
        v.assign_add(1.0)  # a second write the traced graph does not make
        return results

    cf._fn = wrong
    with pytest.raises(AssertionError, match="disagrees with the reference interpreter on "
                                             "variable Variable:0"):
        f()


def test_calls_with_effects_outside_the_runtime_run_once(capsys):
    v = tf.Variable(0)

    @tf.function
    def f():
        v.assign_add(1)
        tf.print("called")
        return v.read_value()

    assert int(f()) == 1
    assert capsys.readouterr().err == "called\n"
    assert not f.get_concrete_function()._replayable


def test_stateful_loops_and_conds_are_replayed():
    v = tf.Variable(0.0)

    @tf.function
    def f(n):
        for i in tf.range(n):
            if i % 2 == 0:
                v.assign_add(tf.cast(i, tf.float32))
        return v.read_value()

    assert float(f(tf.constant(5))) == 6.0  # 0 + 2 + 4
    assert f.get_concrete_function(tf.TensorSpec([], tf.int32))._replayable
