"""GradientTape: watching, persistence, nesting, unconnected sources, Jacobians."""
import numpy as np
import pytest

import autotrace as tf


def test_watch_and_gradient():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x + 2.0 * x
    assert float(tape.gradient(y, x)) == 8.0


def test_constants_are_not_watched_by_default():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        y = x * x
    assert tape.gradient(y, x) is None


def test_trainable_variables_are_watched_when_read():
    w = tf.Variable(2.0)
    frozen = tf.Variable(5.0, trainable=False)
    with tf.GradientTape() as tape:
        y = w * frozen
    assert tape.watched_variables() == (w,)
    dw, df = tape.gradient(y, [w, frozen])
    assert float(dw) == 5.0 and df is None


def test_watch_accessed_variables_false():
    w = tf.Variable(2.0)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        y = w * w
    assert tape.gradient(y, w) is None
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(w)
        y = w * w
    assert float(tape.gradient(y, w)) == 4.0


def test_non_persistent_tape_is_used_once():
    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    tape.gradient(y, x)
    with pytest.raises(RuntimeError, match="non-persistent GradientTape can only be used to "
                                           "compute one set of gradients"):
        tape.gradient(y, x)


def test_persistent_tape_gives_several_gradients():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = y * y
    assert float(tape.gradient(y, x)) == 6.0
    assert float(tape.gradient(z, x)) == 108.0


def test_nested_tapes_give_second_derivatives():
    x = tf.constant(2.0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = x ** 3
        dy = inner.gradient(y, x)
    assert float(dy) == 12.0
    assert float(outer.gradient(dy, x)) == 12.0  # 6x


def test_third_derivative_of_sin():
    x = tf.constant(0.5, tf.float64)
    with tf.GradientTape() as t3:
        t3.watch(x)
        with tf.GradientTape() as t2:
            t2.watch(x)
            with tf.GradientTape() as t1:
                t1.watch(x)
                y = tf.sin(x)
            d1 = t1.gradient(y, x)
        d2 = t2.gradient(d1, x)
    assert np.isclose(float(t3.gradient(d2, x)), -np.cos(0.5))


def test_stop_recording_and_reset():
    x = tf.constant(2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        with tape.stop_recording():
            hidden = x * x
        y = x * 3.0 + hidden
    assert float(tape.gradient(y, x)) == 3.0
    tape.reset()
    assert tape.gradient(y, x) is None


def test_stop_gradient():
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * tf.stop_gradient(x)
    assert float(tape.gradient(y, x)) == 2.0


def test_unconnected_gradients():
    x, z = tf.constant([1.0, 2.0]), tf.constant(5.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, z])
        y = tf.reduce_sum(x * x)
    assert tape.gradient(y, z) is None
    zero = tape.gradient(y, z, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    assert float(zero) == 0.0
    with pytest.raises(ValueError, match="unconnected_gradients"):
        tape.gradient(y, z, unconnected_gradients="maybe")


def test_nested_sources_and_non_scalar_targets():
    a, b = tf.constant([1.0, 2.0]), tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        y = a * b  # a vector: its elements are summed
    grads = tape.gradient(y, {"a": a, "pair": (b, a)})
    np.testing.assert_array_equal(grads["a"].numpy(), [3.0, 3.0])
    assert float(grads["pair"][0]) == 3.0


def test_output_gradients_weight_the_targets():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    g = tape.gradient(y, x, output_gradients=tf.constant([10.0, 1.0]))
    np.testing.assert_array_equal(g.numpy(), [20.0, 4.0])


def test_integer_sources_get_no_gradient():
    i = tf.constant(3)
    with tf.GradientTape() as tape:
        tape.watch(i)
        y = tf.cast(i, tf.float32) * 2.0
    assert tape.gradient(y, i) is None


def test_broadcasting_is_summed_back():
    x, b = tf.constant([[1.0, 2.0], [3.0, 4.0]]), tf.constant([10.0, 20.0])
    with tf.GradientTape() as tape:
        tape.watch([x, b])
        y = x * b
    dx, db = tape.gradient(y, [x, b])
    np.testing.assert_array_equal(dx.numpy(), [[10.0, 20.0], [10.0, 20.0]])
    np.testing.assert_array_equal(db.numpy(), [4.0, 6.0])


def test_jacobian_and_batch_jacobian():
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    np.testing.assert_array_equal(tape.jacobian(y, x).numpy(), np.diag([2.0, 4.0, 6.0]))
    batch = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    w = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    with tf.GradientTape() as tape:
        tape.watch(batch)
        out = tf.matmul(batch, w) ** 2
    jac = tape.batch_jacobian(out, batch)
    assert jac.shape == [2, 3, 2]
    expected = np.stack([2 * (batch.numpy()[i] @ w.numpy())[:, None] * w.numpy().T
                         for i in range(2)])
    np.testing.assert_allclose(jac.numpy(), expected, rtol=1e-6)


def test_missing_gradient_rule_is_a_clear_error():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.numpy_function(lambda v: v * 2, [x], tf.float32)
    assert tape.gradient(y, x) is None  # numpy_function declares no gradient, as TF


def test_gradient_inside_a_traced_function_matches_eager():
    w = tf.Variable([[0.5, -1.0], [2.0, 0.1]])

    def loss_and_grad(x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.tanh(tf.matmul(x, w)) ** 2)
        return loss, tape.gradient(loss, w)

    x = tf.constant([[1.0, 2.0], [3.0, -1.0]])
    eager = loss_and_grad(x)
    traced = tf.function(loss_and_grad)(x)
    np.testing.assert_allclose(eager[0].numpy(), traced[0].numpy(), rtol=1e-6)
    np.testing.assert_allclose(eager[1].numpy(), traced[1].numpy(), rtol=1e-6)


def test_a_tensor_never_watched_has_no_gradient_even_as_an_input_of_a_recorded_op():
    a, b = tf.constant(1.0), tf.constant(2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(a)
        c = a * 3.0              # computed from a watched tensor: tracked
        y = c * b
    assert tape.gradient(y, b) is None                      # as TensorFlow
    assert float(tape.gradient(y, c)) == 2.0
    assert float(tape.gradient(y, a)) == 6.0
    assert float(tape.gradient(y, b, unconnected_gradients="zero")) == 0.0
