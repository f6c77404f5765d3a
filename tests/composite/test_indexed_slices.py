"""IndexedSlices: gathers' gradients, densifying, aggregation, sparse optimizer updates."""
import numpy as np
import pytest

import autotrace as tf
from autotrace.errors import InvalidArgumentError


def test_gather_gradient_is_indexed_slices_proportional_to_rows_touched():
    table = tf.Variable(tf.ones([1000, 4]))
    with tf.GradientTape() as tape:
        rows = tf.gather(table, [7, 3, 7])
        loss = tf.reduce_sum(rows * tf.constant([1.0, 2.0, 3.0, 4.0]))
    grad = tape.gradient(loss, table)
    assert isinstance(grad, tf.IndexedSlices)
    assert grad.values.shape == tf.TensorShape([3, 4])  # not [1000, 4]
    np.testing.assert_array_equal(grad.indices, [7, 3, 7])
    np.testing.assert_array_equal(grad.dense_shape, [1000, 4])
    dense = tf.convert_to_tensor(grad)
    np.testing.assert_array_equal(dense[7], [2, 4, 6, 8])
    np.testing.assert_array_equal(dense[3], [1, 2, 3, 4])
    assert float(tf.reduce_sum(dense)) == 30.0
    text = str(IndexedSlicesOf([1.0], [0], [2]))
    assert text == ("IndexedSlices(indices=tf.Tensor([0], shape=(1,), dtype=int32), "
                    "values=tf.Tensor([1.], shape=(1,), dtype=float32), "
                    "dense_shape=tf.Tensor([2], shape=(1,), dtype=int32))")


def IndexedSlicesOf(values, indices, shape):
    return tf.IndexedSlices(tf.constant(values), tf.constant(indices), tf.constant(shape))


def test_aggregation_concatenates_or_densifies():
    x = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    with tf.GradientTape(persistent=True) as tape:
        two_gathers = tf.reduce_sum(tf.gather(x, [0])) + tf.reduce_sum(tf.gather(x, [2, 0]))
        mixed = tf.reduce_sum(tf.gather(x, [1])) + tf.reduce_sum(x * x)
    both = tape.gradient(two_gathers, x)
    assert isinstance(both, tf.IndexedSlices)
    np.testing.assert_array_equal(both.indices, [2, 0, 0])
    np.testing.assert_array_equal(tf.convert_to_tensor(both), [[2, 2], [0, 0], [1, 1]])
    dense = tape.gradient(mixed, x)
    assert isinstance(dense, tf.Tensor)
    np.testing.assert_array_equal(dense, [[2, 4], [7, 9], [10, 12]])


def test_indexed_slices_from_traced_functions_and_through_further_ops():
    x = tf.Variable([[1.0, 2.0], [3.0, 4.0]])

    @tf.function
    def grad():
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.gather(x, [1, 1]) ** 2)
        return tape.gradient(loss, x)

    g = grad()
    assert isinstance(g, tf.IndexedSlices)
    np.testing.assert_array_equal(tf.convert_to_tensor(g), [[0, 0], [12, 16]])
    # an IndexedSlices gradient flowing into an op that is not a pass-through is densified
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.gather(tf.sin(x), [0]))
    np.testing.assert_allclose(tape.gradient(y, x), [[np.cos(1.0), np.cos(2.0)], [0, 0]],
                               rtol=1e-6)


@pytest.mark.parametrize("make", [
    lambda: tf.keras.optimizers.SGD(0.1),
    lambda: tf.keras.optimizers.SGD(0.1, momentum=0.9),
    lambda: tf.keras.optimizers.SGD(0.1, momentum=0.9, nesterov=True),
    lambda: tf.keras.optimizers.Adagrad(0.1),
    lambda: tf.keras.optimizers.Adam(0.1),
])
def test_optimizers_apply_indexed_slices_like_dense_gradients(make):
    results = []
    for densify in (False, True):
        w = tf.Variable(np.arange(12.0, dtype=np.float32).reshape(4, 3))
        opt = make()

        @tf.function
        def step():
            with tf.GradientTape() as tape:
                rows = tf.gather(w, [2, 0, 2])
                loss = tf.reduce_sum(rows * rows)
            g = tape.gradient(loss, w)
            if densify:
                g = tf.convert_to_tensor(g)
            opt.apply_gradients([(g, w)])

        for _ in range(3):
            step()
        results.append(w.numpy())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-6)
    assert not np.array_equal(results[0], np.arange(12.0).reshape(4, 3))


def test_sparse_sgd_touches_only_the_gathered_rows():
    w = tf.Variable(np.ones((5, 2), np.float32))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.gather(w, [1, 3, 1]))
    tf.keras.optimizers.SGD(0.5).apply_gradients([(tape.gradient(loss, w), w)])
    np.testing.assert_array_equal(w.numpy()[:, 0], [1.0, 0.0, 1.0, 0.5, 1.0])


def test_variable_scatter_ops():
    v = tf.Variable([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])
    before = v.read_value()
    v.scatter_add(IndexedSlicesOf([[1.0, 1.0], [10.0, 10.0]], [2, 2], [3, 2]))
    v.scatter_sub(IndexedSlicesOf([[1.0, 2.0]], [0], [3, 2]))
    v.scatter_update(IndexedSlicesOf([[7.0, 7.0]], [1], [3, 2]))
    np.testing.assert_array_equal(v.numpy(), [[0, -1], [7, 7], [14, 14]])
    np.testing.assert_array_equal(before, [[1, 1], [2, 2], [3, 3]])  # tensors stay immutable
    with pytest.raises(InvalidArgumentError) as info:
        v.scatter_add(IndexedSlicesOf([[1.0, 1.0]], [5], [3, 2]))
    assert str(info.value) == ("ResourceScatterAdd: indices[0] = 5 is not in [0, 3) (the rows "
                               "of variable 'Variable:0')")
    with pytest.raises(TypeError, match="expects an autotrace.IndexedSlices"):
        v.scatter_add(tf.constant([1.0]))


def test_indexed_slices_and_tensor_arrays_as_arguments_and_in_control_flow():
    s = IndexedSlicesOf([[1.0, 2.0]], [1], [3, 2])

    @tf.function
    def maybe_double(x, flag):
        if flag:
            x = tf.IndexedSlices(x.values * 2.0, x.indices, x.dense_shape)
        return x

    doubled = maybe_double(s, tf.constant(True))
    assert isinstance(doubled, tf.IndexedSlices)
    np.testing.assert_array_equal(doubled.values, [[2.0, 4.0]])
    np.testing.assert_array_equal(tf.convert_to_tensor(maybe_double(s, tf.constant(False))),
                                  [[0, 0], [1, 2], [0, 0]])
    looped = tf.while_loop(lambda i, x: i < 2, lambda i, x: (
        i + 1, tf.IndexedSlices(x.values + 1.0, x.indices, x.dense_shape)), [0, s])
    np.testing.assert_array_equal(looped[1].values, [[3.0, 4.0]])

    @tf.function
    def stacked(ta):
        return ta.stack()

    ta = tf.TensorArray(tf.float32, size=2).write(0, 1.0).write(1, 2.0)
    np.testing.assert_array_equal(stacked(ta), [1.0, 2.0])
