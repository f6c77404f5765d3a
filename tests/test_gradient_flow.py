"""Gradients through control flow, traced-function calls, custom_gradient and tfe helpers."""
import numpy as np
import pytest

import autotrace as tf


# -- control flow inside traced functions ------------------------------------------------------

def test_gradient_through_cond_takes_the_branch_that_ran():
    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.cond(tf.reduce_sum(x) > 0, lambda: 3.0 * x * x, lambda: 2.0 * x)
        return tape.gradient(y, x)

    np.testing.assert_array_equal(f(tf.constant([1.0, 2.0])).numpy(), [6.0, 12.0])
    np.testing.assert_array_equal(f(tf.constant([-1.0, -2.0])).numpy(), [2.0, 2.0])
    assert f.experimental_get_tracing_count() == 1


def test_gradient_to_variables_read_inside_branches():
    w = tf.Variable(2.0)

    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            y = tf.cond(x > 0, lambda: w * x, lambda: w * w)
        return tape.gradient(y, w)

    assert float(f(tf.constant(3.0))) == 3.0
    assert float(f(tf.constant(-3.0))) == 4.0


def test_python_if_on_a_tensor_differentiates():
    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            if x > 1.0:
                y = x ** 3
            else:
                y = -x
        return tape.gradient(y, x)

    assert float(f(tf.constant(2.0))) == 12.0
    assert float(f(tf.constant(0.5))) == -1.0


def test_gradient_through_while_loop():
    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            _, acc = tf.while_loop(lambda i, acc: i < 3,
                                   lambda i, acc: (i + 1, acc * x + 1.0), [0, tf.ones_like(x)])
        return acc, tape.gradient(acc, x)

    acc, dx = f(tf.constant(2.0))
    assert float(acc) == 15.0        # x^3 + x^2 + x + 1
    assert float(dx) == 17.0         # 3x^2 + 2x + 1


def test_gradient_through_a_converted_for_loop_with_variables():
    w = tf.Variable(2.0)

    @tf.function
    def f(x, n):
        with tf.GradientTape() as tape:
            tape.watch(x)
            acc = tf.zeros_like(x)
            for _ in tf.range(n):
                acc = acc * w + x
        return acc, tape.gradient(acc, [x, w])

    acc, (dx, dw) = f(tf.constant(1.0), tf.constant(3))
    assert float(acc) == 7.0 and float(dx) == 7.0 and float(dw) == 5.0
    acc, (dx, dw) = f(tf.constant(1.0), tf.constant(0))  # no iterations at all
    assert float(acc) == 0.0 and float(dx) == 0.0 and float(dw) == 0.0


def test_gradient_through_loop_with_cond_inside():
    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            total = tf.constant(0.0)
            for i in tf.range(4):
                if i % 2 == 0:
                    total += x * tf.cast(i, tf.float32)
                else:
                    total += x * x
        return tape.gradient(total, x)

    # d/dx [x*0 + x^2 + 2x + x^2] = 4x + 2
    assert float(f(tf.constant(3.0))) == 14.0


def test_gradient_through_random_ops_uses_the_forward_values():
    tf.random.set_seed(0)

    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            noise = tf.cond(x > 0, lambda: tf.random.uniform([]), lambda: 0.0)
            y = x * noise
        return noise, tape.gradient(y, x)

    noise, dx = f(tf.constant(1.0))
    assert float(dx) == float(noise) and float(noise) != 0.0


# -- traced functions called under an eager tape ------------------------------------------------

def test_gradient_through_a_traced_function_call():
    w = tf.Variable([1.0, 2.0])

    @tf.function
    def f(x):
        return tf.reduce_sum(w * x * x)

    x = tf.constant([3.0, 4.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    dx, dw = tape.gradient(y, [x, w])
    np.testing.assert_array_equal(dx.numpy(), [6.0, 16.0])
    np.testing.assert_array_equal(dw.numpy(), [9.0, 16.0])


def test_traced_function_with_control_flow_called_under_a_tape():
    @tf.function
    def f(x):
        return tf.cond(x > 0, lambda: x * x, lambda: -x)

    for value, expected in ((3.0, 6.0), (-2.0, -1.0)):
        x = tf.constant(value)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = f(x) * 2.0
        assert float(tape.gradient(y, x)) == 2 * expected


# -- custom_gradient ---------------------------------------------------------------------------

def test_custom_gradient_replaces_the_gradient():
    @tf.custom_gradient
    def log1pexp(x):
        e = tf.exp(x)

        def grad(dy):
            return dy * (1 - 1 / (1 + e))
        return tf.math.log(1 + e), grad

    x = tf.constant(100.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = log1pexp(x)
    assert float(tape.gradient(y, x)) == 1.0  # the naive gradient would be nan


def test_custom_gradient_inside_a_traced_function():
    @tf.custom_gradient
    def clip(x):
        return tf.identity(x), lambda dy: tf.clip_by_value(dy, -1.0, 1.0)

    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = clip(x) * 5.0
        return tape.gradient(y, x)

    assert float(f(tf.constant(2.0))) == 1.0


def test_custom_gradient_with_variables():
    w = tf.Variable(3.0)

    @tf.custom_gradient
    def scaled(x):
        def grad(dy, variables):
            return dy * w, [dy * x * 100.0]
        return x * w, grad

    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = scaled(x)
    dx, dw = tape.gradient(y, [x, w])
    assert float(dx) == 3.0 and float(dw) == 200.0

    @tf.custom_gradient
    def forgot(x):
        return x * w, lambda dy: dy

    with tf.GradientTape():
        with pytest.raises(TypeError, match="must accept a `variables` keyword"):
            forgot(x)


# -- seed 004's tfe helpers --------------------------------------------------------------------

def test_gradients_function_of_x2_plus_y3():
    g = tf.eager.gradients_function(lambda x, y: x ** 2 + y ** 3)
    assert [float(v) for v in g(1.0, 2.0)] == [2.0, 12.0]
    vg = tf.eager.value_and_gradients_function(lambda x, y: x ** 2 + y ** 3)
    value, grads = vg(1.0, 2.0)
    assert float(value) == 9.0 and [float(v) for v in grads] == [2.0, 12.0]
    only_y = tf.eager.gradients_function(lambda x, y: x ** 2 + y ** 3, params=[1])
    assert [float(v) for v in only_y(1.0, 2.0)] == [12.0]


def test_implicit_gradients_only_for_variables_used():
    x = tf.eager.Variable(1.0, name="x")
    y = tf.eager.Variable(1.0, name="y")  # noqa: F841 - exists, but f does not use it
    pairs = tf.eager.implicit_gradients(lambda t: 2 * x * t)(1.0)
    assert len(pairs) == 1
    grad, var = pairs[0]
    assert var is x and float(grad) == 2.0
    value, pairs = tf.eager.implicit_value_and_gradients(lambda t: 2 * x * t)(3.0)
    assert float(value) == 6.0 and float(pairs[0][0]) == 6.0
    with pytest.raises(ValueError, match="reads no trainable variables"):
        tf.eager.implicit_gradients(lambda t: t * 2.0)(1.0)


def _cube(x):
    _, a = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * x), [0, tf.ones_like(x)])
    return a


def _second_derivative(f, x):
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = f(x)
        d1 = inner.gradient(y, x)
    return d1, outer.gradient(d1, x)


def test_second_order_through_a_graph_loop_matches_the_analytic_value():
    d1, d2 = tf.function(lambda x: _second_derivative(_cube, x))(tf.constant(2.0))
    assert (float(d1), float(d2)) == (12.0, 12.0)           # 3x^2, 6x
    d1, d2 = _second_derivative(_cube, tf.constant(2.0))    # eagerly: a Python loop
    assert (float(d1), float(d2)) == (12.0, 12.0)


V = tf.Variable(np.array([0.5, 1.5]))


def _loop_with_three_variables(x):
    def body(i, a, b):
        return i + 1, tf.sin(a) * x + b, b * 0.5 + a * a
    _, a, b = tf.while_loop(lambda i, a, b: i < 4, body, [0, x, tf.cos(x)])
    return a + b


def _loop_with_a_cond(x):
    def body(i, a):
        a = tf.cond(tf.reduce_sum(a) > 1.0, lambda: a * 0.5 + x, lambda: a * a + 1.0)
        return i + 1, a
    return tf.while_loop(lambda i, a: i < 3, body, [0, x])[1]


def _loop_reading_a_variable(x):
    return tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * V + x * tf.sin(a)),
                         [0, x])[1]


@tf.function
def _converted_loop(x, n):
    total = tf.zeros_like(x)
    for i in tf.range(n):
        total = total * x + tf.sin(x * tf.cast(i, x.dtype))
    return total


@pytest.mark.parametrize("f", [_cube, _loop_with_three_variables, _loop_with_a_cond,
                               _loop_reading_a_variable,
                               lambda x: _converted_loop(x, tf.constant(4))],
                         ids=["cube", "three_variables", "cond_inside", "variable",
                              "autograph_for"])
def test_second_order_through_graph_loops_matches_finite_differences(f):
    tf.test.check_gradients(f, [np.array([0.2, 0.5])], order=2, modes=("function",))


def test_higher_orders_through_graph_loops_are_refused_not_wrong():
    def carries_a_tensor_array(x):
        def body(i, ta, a):
            return i + 1, ta.write(i, a * x), a * 1.5
        _, ta, _ = tf.while_loop(lambda i, ta, a: i < 3, body,
                                 [0, tf.TensorArray(tf.float64, size=3), x])
        return tf.reduce_sum(ta.stack() * ta.stack())
    message = ("This gradient goes through the values a graph while_loop saved for its own "
               "gradient that are TensorArrays or stacks: a second-order gradient of a loop "
               "carrying a TensorArray, or a third-order gradient of any loop. That is not "
               "supported yet; take it eagerly, where loops run in Python.")
    tf.test.check_gradients(carries_a_tensor_array, [np.array([0.2, 0.5])], modes=("function",))
    for f, order in ((_cube, 3), (carries_a_tensor_array, 2)):
        with pytest.raises(NotImplementedError) as e:
            tf.test.check_gradients(f, [np.array([0.2, 0.5])], order=order, modes=("function",))
        assert str(e.value) == message


def test_second_order_with_eager_tapes_around_a_traced_function():
    v = tf.Variable(1.5)
    traced = tf.function(lambda x: tf.sin(x) * x * v * v)
    x = tf.constant(0.7, tf.float64)
    with tf.GradientTape(persistent=True) as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = traced(tf.cast(x, tf.float32))
        d1 = inner.gradient(y, x)
    xs, vs = 0.7, 1.5
    np.testing.assert_allclose(float(d1), (np.cos(xs) * xs + np.sin(xs)) * vs * vs, rtol=1e-6)
    np.testing.assert_allclose(float(outer.gradient(d1, x)),
                               (2 * np.cos(xs) - np.sin(xs) * xs) * vs * vs, rtol=1e-5)
    np.testing.assert_allclose(float(outer.gradient(d1, v)),
                               (np.cos(xs) * xs + np.sin(xs)) * 2 * vs, rtol=1e-5)


def test_eager_tapes_around_a_traced_loop_refuse_second_order_but_allow_first():
    traced = tf.function(_cube)
    x, z = tf.constant(2.0), tf.constant(1.0)
    with tf.GradientTape() as outer:   # watches something else: the first gradient is fine
        outer.watch(z)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = traced(x)
        assert float(inner.gradient(y, x)) == 12.0
    with pytest.raises(NotImplementedError, match="put the tapes inside the "
                                                  "autotrace.function"):
        _second_derivative(traced, x)


# -- finite-difference checks of the control-flow ops (eager runs take one branch: the graph
#    ops exist only inside autotrace.function) ---------------------------------------------

def _guarded(x):
    # An Assert in a branch makes the cond stateful: `If` / `Case` instead of the Stateless ops.
    tf.debugging.assert_greater(x * x + 1.0, tf.constant(0.0, tf.float64))
    return tf.sin(x) * x


@pytest.mark.parametrize("x", [np.array([0.3, 0.8]), np.array([-0.3, -0.8])])
def test_cond_and_case_gradients_match_finite_differences(x):
    def stateless_cond(x):
        return tf.cond(tf.reduce_sum(x) > 0, lambda: tf.sin(x) * x, lambda: x * x * x)

    def stateful_cond(x):
        return tf.cond(tf.reduce_sum(x) > 0, lambda: _guarded(x), lambda: x * x)

    def stateless_case(x):
        index = tf.cast(tf.reduce_sum(x) > 0, tf.int32)
        return tf.switch_case(index, [lambda: tf.exp(x), lambda: tf.tanh(x) * x])

    def stateful_case(x):
        index = tf.cast(tf.reduce_sum(x) > 0, tf.int32)
        return tf.switch_case(index, [lambda: x * x, lambda: _guarded(x)])

    for fn in (stateless_cond, stateful_cond, stateless_case, stateful_case):
        tf.test.check_gradients(fn, [x], modes=("function",))
        tf.test.check_gradients(fn, [x], order=2, modes=("function",))
    types = [op.type for op in tf.function(stateful_case).get_concrete_function(
        tf.constant(x)).graph.operations]
    assert "Case" in types


def test_variable_read_gradients_match_finite_differences():
    v = tf.Variable(np.array([0.5, -1.5]))

    def loss():
        return tf.reduce_sum(tf.sin(v) * v * v)
    with tf.GradientTape() as tape:
        y = loss()
    analytic = tape.gradient(y, v).numpy()
    eps, numeric = 1e-6, []
    for k in range(2):
        step = np.zeros(2)
        step[k] = eps
        v.assign(v.numpy() + step)
        plus = float(loss())
        v.assign(v.numpy() - 2 * step)
        minus = float(loss())
        v.assign(v.numpy() + step)
        numeric.append((plus - minus) / (2 * eps))
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6)
    # and through check_gradients: the read of a variable inside the checked function
    tf.test.check_gradients(lambda x: x * v * v, [np.array([1.0, 2.0])])
