"""jit_compile=True as a user sees it: random numbers and their seeds, printing and
assertions on the host, variables written back, retracing, dtypes, and the errors for what
XLA cannot compile."""
import subprocess
import sys
import warnings

import numpy as np
import pytest

pytest.importorskip("jax")

import autotrace as tf  # noqa: E402
from tests.jit.differential import check_both_paths, check_both_paths_by  # noqa: E402

X = tf.constant(np.array([[0.2, 0.7, 0.4], [0.9, 0.1, 0.6]], np.float32))


# -- random numbers ----------------------------------------------------------------------------

def draws():
    def fn(logits):
        return {"uniform": tf.random.uniform([4000]),
                "scaled": tf.random.uniform([4000], 2.0, 5.0, dtype=tf.float64),
                "normal": tf.random.normal([4000], mean=1.0, stddev=2.0),
                "truncated": tf.random.truncated_normal([4000]),
                "ints": tf.random.uniform([4000], 3, 9, dtype=tf.int64),
                "shuffled": tf.random.shuffle(tf.range(50)),
                "classes": tf.random.categorical(logits, 4000)}
    return fn


def check_distributions(result, path):
    r = {k: v.numpy() for k, v in result.items()}
    assert r["uniform"].dtype == np.float32 and r["scaled"].dtype == np.float64
    assert 0 <= r["uniform"].min() and r["uniform"].max() < 1
    assert abs(r["uniform"].mean() - 0.5) < 0.03, path
    assert 2 <= r["scaled"].min() and r["scaled"].max() < 5
    assert abs(r["normal"].mean() - 1.0) < 0.15 and abs(r["normal"].std() - 2.0) < 0.15, path
    assert np.abs(r["truncated"]).max() <= 2.0 and abs(r["truncated"].std() - 0.88) < 0.05
    assert r["ints"].dtype == np.int64 and set(np.unique(r["ints"])) == set(range(3, 9))
    assert sorted(r["shuffled"]) == list(range(50)) and list(r["shuffled"]) != list(range(50))
    frequencies = np.bincount(r["classes"][0], minlength=3) / 4000
    np.testing.assert_allclose(frequencies, [0.1, 0.3, 0.6], atol=0.04, err_msg=path)
    assert r["classes"].dtype == np.int64 and r["classes"].shape == (1, 4000)


def test_random_draws_follow_the_same_distributions_on_both_paths():
    check_both_paths_by(check_distributions, draws, tf.math.log([[0.1, 0.3, 0.6]]))


def sequence(make):
    fn = tf.function(make(), jit_compile=True)
    return [fn().numpy() for _ in range(2)]


def test_seeds_repeat_a_sequence_and_each_call_draws_anew():
    def make():
        return lambda: tf.random.uniform([3]) + tf.random.normal([3], seed=4)
    tf.random.set_seed(11)
    first = sequence(make)
    tf.random.set_seed(11)
    again = sequence(make)
    tf.random.set_seed(12)
    other = sequence(make)
    np.testing.assert_array_equal(first, again)  # the same seeds, the same numbers
    assert not np.array_equal(first[0], first[1])  # each call draws new numbers
    assert not np.array_equal(first[0], other[0])


def test_unseeded_functions_differ():
    def make():
        return lambda: tf.random.uniform([5])
    assert not np.array_equal(sequence(make)[0], sequence(make)[0])


def test_draws_inside_loops_and_branches_differ_per_iteration():
    @tf.function(jit_compile=True)
    def fn():
        ta = tf.TensorArray(tf.float32, size=4)
        for i in tf.range(4):
            ta = ta.write(i, tf.random.uniform([2], seed=1))
        return ta.stack()
    rows = fn().numpy()
    assert len({tuple(r) for r in rows}) == 4



# -- on the host: printing, assertions, numeric checks -----------------------------------------

def printing():
    v = tf.Variable(1.0)

    def fn(x):
        tf.print("start", x[0], summarize=2)
        for i in tf.range(3):
            v.assign_add(1.0)
            tf.print("step", i, v, output_stream=sys.stdout)
        y = tf.compat.v1.Print(x * 2.0, [x[1, 0]], message="v1: ")
        if tf.reduce_sum(x) > 0:
            tf.print("positive")
        return y
    return fn


def test_prints_come_out_in_order_with_the_same_text(capsys):
    texts = []

    def check(result, path):
        texts.append(capsys.readouterr())
    check_both_paths_by(check, printing, X)
    numpy_text, xla_text = texts
    assert xla_text == numpy_text
    assert numpy_text.out == "step 0 2\nstep 1 3\nstep 2 4\n"
    assert numpy_text.err == "start [0.2 0.7 0.4]\nv1: [0.9]\npositive\n"


def failing(message):
    def make():
        def fn(x):
            tf.debugging.assert_less(x, 0.8, message=message)
            return tf.debugging.check_numerics(tf.math.log(x - 0.15), "logged") * 2.0
        return fn
    return make


@pytest.mark.parametrize("value, error", [
    (X, "assertion failed: \\[too big\\]"),
    (X - 0.1, "logged : Tensor had NaN values"),
])
def test_assertions_fail_with_the_numpy_paths_error(value, error):
    for jit in (None, True):
        fn = tf.function(failing("too big")(), jit_compile=jit)
        with pytest.raises(tf.errors.InvalidArgumentError, match=error):
            fn(value)


def test_assertions_that_hold_let_the_function_run():
    check_both_paths_by(lambda result, path: None, failing("fine"), X * 0.5 + 0.2)


# -- what XLA cannot compile: errors that name the op and the line -----------------------------

def line_of(fn, text):
    """file:line of the line of `fn`'s source containing `text`."""
    import inspect
    lines, start = inspect.getsourcelines(fn)
    number = start + next(i for i, line in enumerate(lines) if text in line)
    return "%s:%d" % (inspect.getsourcefile(fn), number)


def calls_python(x):
    return tf.py_function(lambda a: a * 2.0, [x], tf.float32)


def ranges_over_input(x, n):
    return x + tf.cast(tf.range(n), tf.float32)


def uneven_branches(x):
    if x[0] > 0:
        y = x[:2]
    else:
        y = x[:3]
    return y


def growing(x):
    return tf.while_loop(lambda t: tf.shape(t)[0] < 5, lambda t: tf.concat([t, t[:1]], 0), [x],
                         shape_invariants=[tf.TensorShape([None])])


def unbounded_gradient(x, n):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x
        for _ in tf.range(n):
            y = y * x
    return tape.gradient(y, x)


ERRORS = [
    (calls_python, (X,), "tf.py_function",
     "EagerPyFunc (op 'EagerPyFunc'): autotrace.function(jit_compile=True) cannot compile this "
     "op: it runs Python code, which XLA cannot compile (TensorFlow refuses it under "
     "jit_compile too). Run this function without jit_compile, or pass jit_compile='auto' to "
     "run it as NumPy code with a warning.\n  [op 'EagerPyFunc' (EagerPyFunc) created at %s]"),
    (ranges_over_input, (X, tf.constant(3)), "tf.range",
     "Range (op 'range'): under jit_compile=True, the bounds of a range must be known when the "
     "function is compiled (XLA compiles for fixed shapes and sizes), but here it depends on the "
     "function's inputs, on variables or on random values. Compute it from static shapes or "
     "constants, or run this function without jit_compile.\n  [op 'range' (Range) created at %s]"),
    (uneven_branches, (tf.constant([1.0, 2.0, 3.0]),), "if x[0] > 0",
     "StatelessIf (op 'cond'): under jit_compile=True, every branch must give each output the "
     "same shape, but output 0 has shape (2,) in true_branch, (3,) in false_branch. XLA compiles "
     "for fixed shapes: reshape or pad the outputs to one shape.\n  [op 'cond' (StatelessIf) "
     "created at %s]"),
    (growing, (tf.constant([1.0, 2.0]),), "tf.while_loop",
     "StatelessWhile (op 'while'): under jit_compile=True, loop variable 't' enters the loop "
     "with shape (2,) but the body returns shape (3,). XLA compiles loops whose variables keep "
     "their shape: pad it to a fixed shape, or keep the changing value in a TensorArray of "
     "fixed size.\n  [op 'while' (StatelessWhile) created at %s]"),
    (unbounded_gradient, (tf.constant(2.0), tf.constant(3)), "for _ in",
     "StatelessWhile (op 'for'): under jit_compile=True, a gradient through this while_loop "
     "needs a bound on its number of iterations when the function is compiled: the gradient "
     "keeps one value per iteration, and XLA needs their number. Pass maximum_iterations= to "
     "while_loop (in a converted loop: autotrace.autograph.experimental.set_loop_options("
     "maximum_iterations=...)), or let the loop count to a constant. (TensorFlow's XLA asks the "
     "same.)\n  [op 'for' (StatelessWhile) created at %s]"),
]


@pytest.mark.parametrize("fn, args, marker, message", ERRORS, ids=[e[0].__name__ for e in ERRORS])
def test_what_xla_cannot_compile_is_an_error_naming_the_op_and_line(fn, args, marker, message):
    tf.function(fn)(*args)  # fine on the NumPy path
    with pytest.raises(tf.jit.XlaCompilationError) as info:
        tf.function(fn, jit_compile=True)(*args)
    assert str(info.value) == message % line_of(fn, marker)
    assert isinstance(info.value, tf.errors.InvalidArgumentError)  # TF's class for these


def test_auto_falls_back_to_numpy_code_with_a_warning():
    fn = tf.function(calls_python, jit_compile="auto")
    with pytest.warns(tf.jit.JitFallbackWarning) as caught:
        assert fn(X).numpy().tolist() == (X * 2.0).numpy().tolist()
    assert str(caught[0].message) == (
        "autotrace.function(jit_compile='auto'): calls_python runs as NumPy code because XLA "
        "cannot compile it: EagerPyFunc (op 'EagerPyFunc'): autotrace.function(jit_compile="
        "True) cannot compile this op: it runs Python code, which XLA cannot compile "
        "(TensorFlow refuses it under jit_compile too). (created at %s)"
        % line_of(calls_python, "tf.py_function"))
    fallen = tf.function(ranges_over_input, jit_compile="auto")  # found while compiling
    with pytest.warns(tf.jit.JitFallbackWarning, match="bounds of a range"):
        assert fn(X) is not None and fallen(X, tf.constant(3)).shape == (2, 3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # falls back once, then runs NumPy code quietly
        fallen(X, tf.constant(3))


def test_without_jax_the_error_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "jax", None)
    with pytest.raises(ImportError) as info:
        tf.function(lambda x: x + 1.0, jit_compile=True)(X)
    assert str(info.value) == ("autotrace.function(jit_compile=True) compiles with XLA through "
                               "JAX, which is not installed. Install it with: pip install "
                               "'autotrace[jax]'")
    with pytest.warns(tf.jit.JitFallbackWarning, match="not installed"):
        assert tf.function(lambda x: x + 1.0, jit_compile="auto")(X).shape == (2, 3)


def test_jit_compile_takes_only_tensorflows_values_and_auto():
    with pytest.raises(ValueError, match="jit_compile must be None, False, True or 'auto', got "
                                         "'yes'"):
        tf.function(lambda x: x, jit_compile="yes")


# -- variables, retracing, dtypes, calls ---------------------------------------------------------

def test_variables_are_written_back_and_shared_with_numpy_code():
    v = tf.Variable([1.0, 2.0])
    compiled = tf.function(lambda x: v.assign_add(x), jit_compile=True)
    plain = tf.function(lambda x: v.assign(v * x))
    compiled(tf.constant([1.0, 1.0]))
    assert v.numpy().tolist() == [2.0, 3.0]
    plain(tf.constant([10.0, 10.0]))  # the compiled function must see this write
    compiled(tf.constant([1.0, 1.0]))
    assert v.numpy().tolist() == [21.0, 31.0]
    v.assign([0.0, 0.0])
    assert compiled(tf.constant([1.0, 2.0])).numpy().tolist() == [1.0, 2.0]


def test_a_module_trains_under_jit_as_under_numpy():
    def train(jit):
        tf.random.set_seed(1)
        layer = tf.Variable(tf.random.normal([3, 2], seed=1))
        opt = tf.keras.optimizers.Adam(0.1)

        @tf.function(jit_compile=jit)
        def step(x, y):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(tf.matmul(x, layer) - y))
            opt.apply_gradients([(tape.gradient(loss, layer), layer)])
            return loss
        losses = [step(X, tf.ones([2, 2])).numpy() for _ in range(5)]
        return losses, layer.numpy()
    numpy_losses, numpy_weights = train(None)
    xla_losses, xla_weights = train(True)
    np.testing.assert_allclose(xla_losses, numpy_losses, rtol=1e-5)
    np.testing.assert_allclose(xla_weights, numpy_weights, rtol=1e-5)
    assert xla_losses[-1] < xla_losses[0]


def test_64_bit_tensors_keep_their_dtype_and_range():
    big = tf.constant(np.array([2 ** 40, -3], np.int64))
    out = check_both_paths(lambda: lambda i, f: [i * 3, f * 1e200, tf.cast(i, tf.float64)],
                           big, tf.constant(np.array([1e100], np.float64)))
    assert out[0].dtype == tf.int64 and out[0].numpy()[0] == 3 * 2 ** 40
    assert out[1].numpy()[0] == 1e300


def test_one_compile_per_trace_and_one_per_shape_of_an_open_signature():
    fn = tf.function(lambda x: x * 2.0, jit_compile=True,
                     input_signature=[tf.TensorSpec([None], tf.float32)])
    for n in (2, 3, 3, 2):
        assert fn(tf.ones([n])).numpy().tolist() == [2.0] * n
    assert fn.experimental_get_tracing_count() == 1
    assert fn.concrete_functions[0]._fn._jitted._cache_size() == 2  # XLA: one per shape


def test_compiled_functions_nest_and_differentiate_under_an_eager_tape():
    inner = tf.function(lambda x: tf.sin(x) * x, jit_compile=True)
    outer = tf.function(lambda x: inner(x) + 1.0, jit_compile=True)
    np.testing.assert_allclose(outer(X).numpy(), np.sin(X.numpy()) * X.numpy() + 1.0,
                               rtol=1e-6)
    with tf.GradientTape() as tape:
        tape.watch(X)
        y = tf.reduce_sum(inner(X))
    x = X.numpy()
    np.testing.assert_allclose(tape.gradient(y, X).numpy(), np.cos(x) * x + np.sin(x),
                               rtol=1e-6)


def test_compiler_ir_shows_the_program_xla_compiles():
    fn = tf.function(lambda x: tf.sin(x) * 2.0, jit_compile=True, name="scaled_sine")
    ir = fn.experimental_get_compiler_ir(tf.constant([1.0, 2.0]))
    text = ir(stage="hlo")
    assert text.startswith("HloModule jit_scaled_sine") and "sine(" in text
    assert "sine" in ir(stage="optimized_hlo")
    with pytest.raises(ValueError, match="stage must be 'hlo' or 'optimized_hlo'"):
        ir(stage="dot")


def test_data_parallel_runs_compiled_functions_only():
    strategy = tf.distribute.DataParallel()
    assert strategy.num_replicas_in_sync == len(strategy.devices) >= 1
    compiled = tf.function(lambda x: tf.reduce_sum(x * 2.0), jit_compile=True)
    assert strategy.run(compiled, args=(X,)).numpy() == pytest.approx(X.numpy().sum() * 2.0)
    with pytest.raises(TypeError, match="DataParallel.run needs an "
                                        "autotrace.function\\(jit_compile=True\\)"):
        strategy.run(tf.function(lambda x: x), args=(X,))


def test_set_jit_makes_default_functions_compile_where_they_can():
    assert tf.config.optimizer.get_jit() == ""
    tf.config.optimizer.set_jit("autoclustering")
    try:
        assert tf.config.optimizer.get_jit() == "autoclustering"
        compiled = tf.function(lambda x: x * 2.0)
        assert compiled(X).numpy().tolist() == (X * 2.0).numpy().tolist()
        assert type(compiled.concrete_functions[0]._fn).__name__ == "XlaFunction"
        plain = tf.function(lambda x: x * 2.0, jit_compile=False)  # an explicit False stays
        plain(X)
        assert type(plain.concrete_functions[0]._fn).__name__ != "XlaFunction"
        with pytest.warns(tf.jit.JitFallbackWarning):  # "auto": falls back
            tf.function(calls_python)(X)
    finally:
        tf.config.optimizer.set_jit(False)
    assert tf.config.optimizer.get_jit() == ""
    with pytest.raises(ValueError, match="set_jit takes 'autoclustering', True, False or ''"):
        tf.config.optimizer.set_jit("sometimes")


def test_threads_calling_one_compiled_function_lose_no_update():
    import threading
    total = tf.Variable(0.0)
    add = tf.function(lambda: total.assign_add(1.0), jit_compile=True)
    add()
    threads = [threading.Thread(target=lambda: [add() for _ in range(50)]) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert total.numpy() == 201.0


def test_a_keras_model_trains_under_jit_as_under_numpy():
    def losses(jit):
        tf.random.set_seed(0)
        model = tf.keras.Sequential([tf.keras.layers.Conv2D(4, 3, activation="relu"),
                                     tf.keras.layers.MaxPooling2D(2), tf.keras.layers.Flatten(),
                                     tf.keras.layers.Dense(3)])
        opt = tf.keras.optimizers.Adam(0.01)
        loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)

        @tf.function(jit_compile=jit)
        def step(x, y):
            with tf.GradientTape() as tape:
                loss = loss_fn(y, model(x, training=True))
            variables = model.trainable_variables
            opt.apply_gradients(zip(tape.gradient(loss, variables), variables))
            return loss
        x = np.random.default_rng(0).normal(size=(8, 6, 6, 1)).astype(np.float32)
        y = np.random.default_rng(1).integers(0, 3, 8).astype(np.int32)
        return [float(step(x, y)) for _ in range(3)]
    expected = losses(None)
    np.testing.assert_allclose(losses(True), expected, rtol=1e-5)
    assert expected[-1] < expected[0]
