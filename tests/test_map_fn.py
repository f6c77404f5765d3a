"""map_fn: eager and traced, nests, output signatures, zero elements, gradients, errors."""
import numpy as np
import pytest

import autotrace as tf
from autotrace.test import compute_gradient


X = np.array([[1.0, 2.0], [3.0, -4.0], [5.0, 6.0]], np.float32)


def row_norm2(row):
    return tf.reduce_sum(row * row)


@pytest.mark.parametrize("traced", [False, True])
def test_map_fn_matches_numpy(traced):
    run = tf.function(lambda x: tf.map_fn(row_norm2, x)) if traced else \
        (lambda x: tf.map_fn(row_norm2, x))
    np.testing.assert_allclose(run(tf.constant(X)).numpy(), (X * X).sum(axis=1))


def test_traced_map_fn_is_one_loop_for_any_number_of_rows():
    f = tf.function(lambda x: tf.map_fn(lambda r: r * 2.0, x),
                    input_signature=[tf.TensorSpec([None, 2], tf.float32)])
    for n in (0, 1, 4):
        rows = np.arange(2 * n, dtype=np.float32).reshape(n, 2)
        out = f(tf.constant(rows))
        assert out.shape == (n, 2) and out.dtype == tf.float32
        np.testing.assert_array_equal(out.numpy(), rows * 2)
    assert f.experimental_get_tracing_count() == 1
    types = [op.type for op in f.get_concrete_function().graph.operations]
    assert types.count("While") + types.count("StatelessWhile") == 1


@pytest.mark.parametrize("traced", [False, True])
def test_nested_elems_and_an_output_signature(traced):
    def products(a, b):
        return tf.map_fn(lambda ab: (ab[0] * ab[1], tf.cast(ab[0], tf.float32) / 2), (a, b),
                         fn_output_signature=(tf.int32, tf.TensorSpec(None, tf.float32)))
    run = tf.function(products) if traced else products
    prod, half = run(tf.constant([1, 2, 3]), tf.constant([4, 5, 6]))
    assert prod.numpy().tolist() == [4, 10, 18] and prod.dtype == tf.int32
    assert half.numpy().tolist() == [0.5, 1.0, 1.5] and half.dtype == tf.float32


@pytest.mark.parametrize("traced", [False, True])
def test_output_dtype_may_differ_from_the_input_without_a_signature(traced):
    def halves(x):
        return tf.map_fn(lambda v: tf.cast(v, tf.float32) / 2.0, x)
    run = tf.function(halves) if traced else halves
    out = run(tf.constant([1, 2, 3]))
    assert out.dtype == tf.float32 and out.numpy().tolist() == [0.5, 1.0, 1.5]


def test_gradient_through_traced_and_eager_map_fn_matches_finite_differences():
    traced = tf.function(lambda x: tf.map_fn(row_norm2, x))
    for fn in (lambda x: tf.map_fn(row_norm2, x), traced):
        theoretical, numerical = compute_gradient(fn, [tf.constant(X)])
        np.testing.assert_allclose(theoretical[0], numerical[0], rtol=1e-2, atol=1e-2)
    with tf.GradientTape() as tape:
        x = tf.constant(X)
        tape.watch(x)
        y = tf.reduce_sum(traced(x))
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), 2 * X)


def test_structure_mismatch_names_the_fix():
    with pytest.raises(ValueError) as e:
        tf.function(lambda x: tf.map_fn(lambda v: (v, v), x))(tf.constant([1, 2]))
    assert str(e.value) == (
        "map_fn: fn returned 2 tensor(s), but 1 were expected: fn must return the structure of "
        "elems unless fn_output_signature says otherwise (a dtype for one tensor, e.g. "
        "autotrace.float32; a tuple of dtypes for several)")


def test_bad_elems_are_named():
    with pytest.raises(ValueError, match="map_fn: elems are unstacked along their first "
                                         "dimension, but an int32 tensor of shape \\(\\) is a "
                                         "scalar"):
        tf.map_fn(lambda v: v, tf.constant(3))
    with pytest.raises(ValueError, match="map_fn: all elems must have the same first "
                                         "dimension"):
        tf.map_fn(lambda ab: ab[0], (tf.constant([1, 2]), tf.constant([1, 2, 3])))
