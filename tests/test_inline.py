"""A ConcreteFunction called while another function is traced adds its graph's ops there."""
import doctest

import numpy as np
import pytest

import autotrace as tf


@tf.function
def loop_scale(x, n):
    i = tf.constant(0)
    while i < n:
        x = x * 1.5
        i += 1
    return {"scaled": x, "total": tf.reduce_sum(x)}


def test_a_concrete_function_inside_a_trace_gives_its_values_and_gradients():
    cf = loop_scale.get_concrete_function(tf.TensorSpec([None]), tf.TensorSpec([], tf.int32))
    w = tf.Variable([1.0, 2.0])

    @tf.function
    def outer(x):
        with tf.GradientTape() as tape:
            out = cf(x * w, 3)
            loss = out["total"] * 2.0
        return loss, tape.gradient(loss, w)

    loss, grad = outer(tf.constant([1.0, -1.0]))
    assert float(loss) == pytest.approx(2 * 1.5 ** 3 * (1.0 - 2.0))
    np.testing.assert_allclose(grad.numpy(), [2 * 1.5 ** 3, -2 * 1.5 ** 3])
    graph = outer.get_concrete_function(tf.TensorSpec([2])).graph
    assert "StatelessWhile" in [op.type for op in graph.get_operations()]


def test_arguments_that_do_not_fit_the_trace_are_refused_in_a_trace():
    cf = loop_scale.get_concrete_function(tf.TensorSpec([None]), tf.TensorSpec([], tf.int32))

    @tf.function
    def outer(x):
        return cf(x, 2)

    with pytest.raises(TypeError) as info:
        outer(tf.constant([1, 2]))
    assert str(info.value) == ("ConcreteFunction loop_scale: argument x was traced as "
                               "float32[?] but the call passed int32[2]")


def test_inline_doctest():
    from autotrace.tracing import inline
    assert doctest.testmod(inline).failed == 0
