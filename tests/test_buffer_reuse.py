"""Generated code writes elementwise results into dead arrays (execution/buffers.py): the
hazards of doing so, each pinned. Every traced call here is also checked bitwise against the
reference interpreter (the suite's differential check)."""
import threading

import numpy as np
import pytest

import autotrace as tf

N = 4096  # at least buffers.MIN_ELEMENTS: smaller arrays are left to NumPy


def chain(x):
    return tf.exp(-x * x) * 0.5 + tf.sin(x)


def test_chain_writes_each_result_into_its_dying_input():
    f = tf.function(chain)
    cf = f.get_concrete_function(tf.TensorSpec([N]))
    assert cf.generated_source == "\n".join([
        "def chain(x):",
        "    Neg = -x",
        "    mul = np.multiply(Neg, x, out=Neg)",
        "    del Neg",
        "    Exp = np.exp(mul, out=mul)",
        "    del mul",
        "    mul_1 = np.multiply(Exp, c_mul_1_y, out=Exp)",
        "    del Exp",
        "    Sin = k_Sin(x)",
        "    add = np.add(mul_1, Sin, out=mul_1)",
        "    del Sin, mul_1",
        "    return (add,)",
        ""])
    a = np.random.default_rng(0).uniform(-3, 3, N).astype(np.float32)
    np.testing.assert_array_equal(cf(tf.constant(a)).numpy(), np.exp(-a * a) * 0.5 + np.sin(a))


def test_small_arrays_keep_plain_operators():
    cf = tf.function(chain).get_concrete_function(tf.TensorSpec([8]))
    assert "out=" not in cf.generated_source


def test_a_dead_array_is_reused_by_a_later_op_of_its_shape_and_dtype():
    @tf.function
    def f(x, y):
        a = tf.sqrt(x * 2.0)   # x * 2.0 dies in sqrt, which writes into it
        b = a - 1.0
        c = y + 1.0            # b is alive here: c needs a new array
        return b * c + (y * 3.0)

    cf = f.get_concrete_function(tf.TensorSpec([N]), tf.TensorSpec([N]))
    source = cf.generated_source
    assert source.count("out=") >= 4, source
    x = np.linspace(0, 4, N, dtype=np.float32)
    y = np.linspace(-1, 1, N, dtype=np.float32)
    want = (np.sqrt(x * 2) - 1) * (y + 1) + y * 3
    np.testing.assert_array_equal(cf(x, y).numpy(), want)


def test_a_free_array_held_for_a_later_op_is_written_there():
    @tf.function
    def f(x, y):
        a = tf.sqrt(x * 2.0)
        u = tf.exp(y)
        b = a - u                  # writes into a's array; u's array is free from here
        c = tf.reduce_sum(b)       # not elementwise: b's array is never freed
        d = x + 1.0                # into u's array, held until now
        return d * c

    cf = f.get_concrete_function(tf.TensorSpec([N]), tf.TensorSpec([N]))
    assert "    add = np.add(x, c_add_y, out=Exp)\n    del Exp\n" in cf.generated_source
    x = np.linspace(0, 1, N, dtype=np.float32)
    y = np.linspace(-1, 1, N, dtype=np.float32)
    total = (np.sqrt(x * 2) - np.exp(y)).sum()
    np.testing.assert_allclose(cf(x, y).numpy(), (x + 1) * total, rtol=1e-5)


def test_returned_arrays_are_never_written_in_this_call_or_later_ones():
    @tf.function
    def f(x):
        a = x * 2.0
        b = a + 1.0     # a is returned: b must not write into it
        c = b * b
        return a, c

    x = np.arange(N, dtype=np.float32)
    a1, c1 = f(x)
    a1_copy, c1_copy = a1.numpy().copy(), c1.numpy().copy()
    np.testing.assert_array_equal(a1_copy, x * 2)
    np.testing.assert_array_equal(c1_copy, (x * 2 + 1) ** 2)
    a2, c2 = f(x + 1)
    np.testing.assert_array_equal(a1.numpy(), a1_copy)  # the first call's results stand
    np.testing.assert_array_equal(c1.numpy(), c1_copy)
    assert not np.shares_memory(a1.numpy(), a2.numpy())
    assert not np.shares_memory(c1.numpy(), c2.numpy())


def test_the_callers_arrays_are_never_written():
    @tf.function
    def f(x, y):
        return tf.exp(x) * y + x

    x = np.linspace(-1, 1, N, dtype=np.float32)
    y = np.linspace(2, 3, N, dtype=np.float32)
    xt, yt = tf.constant(x), tf.constant(y)
    keep_x, keep_y = x.copy(), y.copy()
    f(x, y)
    f(xt, yt)
    np.testing.assert_array_equal(x, keep_x)
    np.testing.assert_array_equal(y, keep_y)
    np.testing.assert_array_equal(xt.numpy(), keep_x)


def test_constants_and_variables_are_never_written():
    v = tf.Variable(np.ones(N, np.float32))
    k = np.full(N, 2.0, np.float32)

    @tf.function
    def f(x):
        return (v * x) * k - tf.constant(k)

    x = np.linspace(0, 1, N, dtype=np.float32)
    for _ in range(2):
        np.testing.assert_array_equal(f(x).numpy(), x * 2 - 2)
    np.testing.assert_array_equal(v.numpy(), np.ones(N, np.float32))
    np.testing.assert_array_equal(k, np.full(N, 2.0, np.float32))


def test_a_value_another_op_may_view_is_never_written():
    @tf.function
    def f(x):
        a = x * 2.0
        r = tf.reshape(a, [64, 64])   # a view of a's array
        b = a + 1.0                   # a dies here, but r still shows its array
        return r, b

    x = np.arange(N, dtype=np.float32)
    r, b = f(x)
    np.testing.assert_array_equal(r.numpy(), (x * 2).reshape(64, 64))
    np.testing.assert_array_equal(b.numpy(), x * 2 + 1)


def test_broadcasting_writes_only_into_an_input_of_the_result_shape():
    @tf.function
    def f(row, grid):
        a = row * 2.0                 # [N]
        b = a + grid                  # [3, N]: a is too small to hold it
        c = b * 3.0                   # b holds c
        return c - row                # c holds this; row is the caller's

    row = np.linspace(0, 1, N, dtype=np.float32)
    grid = np.arange(3 * N, dtype=np.float32).reshape(3, N)
    cf = f.get_concrete_function(tf.TensorSpec([N]), tf.TensorSpec([3, N]))
    assert "add = a" not in cf.generated_source
    assert "np.multiply(add, c_mul_1_y, out=add)" in cf.generated_source
    np.testing.assert_array_equal(cf(row, grid).numpy(), (row * 2 + grid) * 3 - row)


@pytest.mark.parametrize("first, second", [([None, 8], [1, 8]), ([None, 8], [8]),
                                           ([None, None], [None, 1])])
def test_unknown_dimensions_write_in_place_only_when_the_shape_cannot_change(first, second):
    @tf.function(input_signature=[tf.TensorSpec(first), tf.TensorSpec(second)])
    def f(x, y):
        a = x * 2.0
        return a + y

    x = np.arange(200 * 8, dtype=np.float32).reshape(200, 8)
    y = np.ones([d or 1 for d in second], np.float32)
    np.testing.assert_array_equal(f(x, y).numpy(), x * 2 + y)
    source = f.get_concrete_function().generated_source
    if None in second:  # a may be [1, 8] and y [200, 1]: the sum fits neither
        assert "out=" not in source.split("add =")[1].split("\n")[0]
    else:
        assert "np.add(mul, y, out=mul)" in source


def test_a_dying_input_of_unknown_size_is_not_written_when_the_other_may_be_larger():
    @tf.function(input_signature=[tf.TensorSpec([None]), tf.TensorSpec([None])])
    def f(x, y):
        return x * 2.0 + y

    assert "out=" not in f.get_concrete_function().generated_source
    np.testing.assert_array_equal(f(np.ones(1, np.float32), np.arange(5, dtype=np.float32))
                                  .numpy(), 2 + np.arange(5, dtype=np.float32))


def test_results_of_another_dtype_get_arrays_of_their_own():
    @tf.function
    def f(x):
        a = x * 2.0
        mask = a > 1.0                # bool: not written into a's float array
        keep = tf.logical_not(mask)   # bool, into mask's array
        scaled = tf.cast(keep, tf.float32) * a
        return scaled, tf.cast(a, tf.int32) + 1

    cf = f.get_concrete_function(tf.TensorSpec([N]))
    assert "np.logical_not(Greater, out=Greater)" in cf.generated_source
    x = np.linspace(0, 1, N, dtype=np.float32)
    scaled, ints = cf(x)
    np.testing.assert_array_equal(scaled.numpy(), (x * 2 <= 1) * (x * 2))
    np.testing.assert_array_equal(ints.numpy(), (x * 2).astype(np.int32) + 1)


def test_integer_overflow_wraps_as_numpy_does():
    @tf.function
    def f(x):
        return (x * 65536) * 65536 + 7

    x = np.arange(N, dtype=np.int32)
    cf = f.get_concrete_function(tf.TensorSpec([N], tf.int32))
    assert "out=" in cf.generated_source
    with np.errstate(over="ignore"):
        want = (x * np.int32(65536)) * np.int32(65536) + np.int32(7)
    np.testing.assert_array_equal(cf(x).numpy(), want)


def test_nan_propagates_as_in_numpy():
    @tf.function
    def f(x, y):
        a = x * 1.0
        return tf.maximum(a, y) - tf.minimum(a * 2.0, y)

    x = np.linspace(0, 1, N, dtype=np.float32)
    x[::7] = np.nan
    y = np.linspace(1, 0, N, dtype=np.float32)
    y[::5] = np.nan
    got = f(x, y).numpy()
    np.testing.assert_array_equal(got, np.maximum(x, y) - np.minimum(x * 2, y))
    assert np.isnan(got[0]) and np.isnan(got[5]) and np.isnan(got[7])


def test_transposed_inputs_give_the_interpreters_bits():
    @tf.function
    def f(x, y):
        return tf.exp(x * 2.0) + tf.sin(y) * tf.tanh(x)

    rng = np.random.default_rng(1)
    x = rng.normal(size=(64, 128)).astype(np.float32).T   # F-ordered
    y = rng.normal(size=(128, 64)).astype(np.float32)
    np.testing.assert_array_equal(f(x, y).numpy(),
                                  np.exp(x * 2) + np.sin(y) * np.tanh(x))


def test_gradients_read_forward_values_before_they_are_overwritten():
    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.exp(x * 0.5)
            z = tf.sin(y) * y
        return tape.gradient(z, x), z

    x = np.linspace(-1, 1, N, dtype=np.float32)
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = tf.exp(xt * 0.5)
        z = tf.sin(y) * y
    want_grad = tape.gradient(z, xt).numpy()
    grad, value = f(x)
    np.testing.assert_allclose(grad.numpy(), want_grad, rtol=1e-6)
    np.testing.assert_allclose(value.numpy(), z.numpy(), rtol=1e-6)


def test_a_traced_function_under_an_eager_tape_keeps_what_its_gradient_needs():
    f = tf.function(lambda x: tf.exp(x * 0.5) * tf.sin(x * 3.0))
    x = tf.constant(np.linspace(-1, 1, N, dtype=np.float32))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    grad = tape.gradient(y, x).numpy()
    a = x.numpy()
    want = 0.5 * np.exp(a * 0.5) * np.sin(a * 3) + np.exp(a * 0.5) * 3 * np.cos(a * 3)
    np.testing.assert_allclose(grad, want, rtol=2e-5, atol=1e-6)


def test_loops_and_branches_reuse_arrays_inside_their_bodies_only():
    @tf.function
    def f(x, flag):
        acc = x * 0.0
        for _ in tf.range(3):
            acc = tf.sin(acc * 0.5 + x) * 2.0
        if flag:
            out = tf.exp(acc * 0.1) - 1.0
        else:
            out = acc * 3.0
        return out, acc

    x = np.linspace(-1, 1, N, dtype=np.float32)
    acc = x * np.float32(0.0)
    for _ in range(3):
        acc = np.sin(acc * np.float32(0.5) + x) * np.float32(2.0)
    out, got_acc = f(x, tf.constant(True))
    np.testing.assert_array_equal(got_acc.numpy(), acc)
    np.testing.assert_array_equal(out.numpy(), np.exp(acc * np.float32(0.1)) - 1)
    out, _ = f(x, tf.constant(False))
    np.testing.assert_array_equal(out.numpy(), acc * 3)


def test_concurrent_calls_use_arrays_of_their_own():
    f = tf.function(chain)
    inputs = [np.random.default_rng(i).uniform(-3, 3, N).astype(np.float32) for i in range(4)]
    f(inputs[0])
    results = [None] * 4

    def work(i):
        for _ in range(20):
            results[i] = f(inputs[i]).numpy()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for a, got in zip(inputs, results):
        np.testing.assert_array_equal(got, np.exp(-a * a) * 0.5 + np.sin(a))
