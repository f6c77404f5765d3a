"""The rules of autotrace.function (seed 000/001 exercise 10), retrace explanations, budgets."""
import io
import sys
import warnings

import numpy as np
import pytest

import autotrace as tf


# -- variables only on the first call ---------------------------------------------------------

def test_variable_created_on_every_call_is_refused_on_the_first_call():
    """As TF: a first trace that creates variables is followed by a second one, which must
    create none (TF: "tf.function only supports singleton tf.Variables created on the first
    call"), so the error comes on the first call, not at some later retrace."""
    traces = []

    @tf.function
    def f(x):
        traces.append(1)
        v = tf.Variable(1.0)  # a new variable on every trace
        return x * v

    with pytest.raises(ValueError) as err:
        f(tf.constant(2.0))
    line = f.python_function.__code__.co_firstlineno + 3
    where = "test_function_rules.py:%d" % line
    message = str(err.value)
    assert message.startswith("autotrace.function f() creates a new Variable each time it is "
                              "traced: its first trace created one (at ")
    assert message.count(where) == 2
    assert "only supports singleton tf.Variables created on the first call" in message
    assert len(traces) == 2


def test_variable_created_on_a_later_trace_is_an_error():
    @tf.function
    def f(x, make):
        if make:
            v = tf.Variable(1.0)
            return x * v
        return x

    assert f(tf.constant(2.0), False).numpy() == 2.0  # no variable: traced once
    assert f.experimental_get_tracing_count() == 1
    with pytest.raises(ValueError) as err:
        f(tf.constant(2.0), True)
    message = str(err.value)
    assert message.startswith("autotrace.function f() created a Variable on a later trace "
                              "(trace 2: argument make: Python bool False -> True")
    assert "only supports singleton tf.Variables created on the first call" in message
    assert "test_function_rules.py:%d" % (f.python_function.__code__.co_firstlineno + 3) in message


def test_a_first_trace_that_creates_variables_is_traced_twice():
    traces = []

    class Scale(tf.Module):
        def __init__(self):
            super().__init__()
            self.v = None

        @tf.function
        def __call__(self, x):
            traces.append(1)
            if self.v is None:
                self.v = tf.Variable(3.0)
            return x * self.v

    m = Scale()
    assert m(tf.constant(2.0)).numpy() == 6.0
    assert len(traces) == 2    # TF traces twice too (its prints show twice)
    assert m(tf.constant(1.0)).numpy() == 3.0
    assert len(traces) == 2 and m.__call__.experimental_get_tracing_count() == 2  # TF: 2
    assert len(m.__call__.trace_history()) == 1  # the trace kept


def test_variables_are_created_once_on_the_first_call():
    created = []

    class Model(tf.Module):
        def __init__(self):
            super().__init__()
            self.v = None

        @tf.function
        def __call__(self, x):
            if self.v is None:     # the singleton pattern
                self.v = tf.Variable(tf.ones_like(x) if False else 2.0)
                created.append(self.v)
            return x * self.v

    m = Model()
    assert m(tf.constant(3.0)).numpy() == 6.0
    assert m(tf.constant(4.0)).numpy() == 8.0
    assert m(tf.constant([1.0, 2.0])).numpy().tolist() == [2.0, 4.0]  # a retrace, no new var
    assert len(created) == 1 and m.variables == (created[0],)


def test_variable_initial_value_cannot_depend_on_the_arguments():
    @tf.function
    def f(x):
        v = tf.Variable(x * 2)
        return v

    with pytest.raises(ValueError, match="initial value cannot be the symbolic tensor"):
        f(tf.constant(1.0))


def test_assign_not_equals():
    v = tf.Variable(0)

    @tf.function
    def increment():
        v.assign_add(1)

    @tf.function
    def rebind():
        w = v          # noqa: F841 - `=` just rebinds a Python name; the variable is unchanged
        w = w + 1

    increment()
    increment()
    rebind()
    assert v.numpy() == 2


# -- stateful ops run on every call, in order ------------------------------------------------

def test_stateful_ops_run_every_call_even_if_unused():
    v = tf.Variable(0)
    out = io.StringIO()

    @tf.function
    def f():
        v.assign_add(1)                 # result unused
        tf.print("called", v, output_stream=out)
        v.assign_add(10)
        return tf.constant(0)

    f()
    f()
    assert v.numpy() == 22
    assert out.getvalue() == "called 1\ncalled 12\n"


def test_python_side_effects_happen_at_trace_time_only():
    log, counter = [], [0]

    @tf.function
    def f(x):
        print("tracing with", x.shape)
        log.append(x)
        counter[0] += 1
        return x + 1

    captured = io.StringIO()
    old, sys.stdout = sys.stdout, captured
    try:
        for _ in range(3):
            f(tf.constant(1))
    finally:
        sys.stdout = old
    assert captured.getvalue() == "tracing with ()\n"
    assert counter[0] == 1 and len(log) == 1


def test_numpy_random_is_frozen_but_autotrace_random_is_fresh():
    @tf.function
    def frozen(x):
        return x + np.random.rand()

    @tf.function
    def fresh(x):
        return x + tf.random.uniform([])

    x = tf.constant(0.0)
    assert frozen(x).numpy() == frozen(x).numpy()                   # baked into the graph
    assert frozen(tf.constant([0.0, 0.0])).numpy()[0] != frozen(x).numpy()  # new trace, new value
    values = {float(fresh(x).numpy()) for _ in range(5)}
    assert len(values) == 5


def test_seeded_random_in_a_function_repeats_after_set_seed():
    @tf.function
    def f():
        return tf.random.uniform([2], seed=3)

    tf.random.set_seed(1)
    a, b = f().numpy(), f().numpy()
    assert not np.array_equal(a, b)


# -- retracing explained --------------------------------------------------------------------

def test_trace_history_explains_every_retrace():
    @tf.function
    def f(x, n, opts):
        return x * n

    f(tf.constant([1.0]), 2, {"a": 1})
    f(tf.constant([1.0]), 3, {"a": 1})
    f(tf.constant([1.0, 2.0]), 3, {"a": 1})
    f(tf.constant([1], tf.int32), 3, {"a": 1})
    f(tf.constant([1.0]), 2, {"a": 2})
    assert str(f.trace_history()) == "\n".join([
        "trace 1: first call",
        "trace 2: argument n: Python int 2 -> 3; pass autotrace.constant(n) to share one trace",
        "trace 3: argument x: shape (1,) -> (2,); use reduce_retracing=True or an "
        "input_signature with None dimensions",
        "trace 4: argument x: dtype float32 -> int32; cast it to one dtype to share one trace",
        "trace 5: argument opts['a']: Python int 1 -> 2; pass autotrace.constant(opts['a']) to "
        "share one trace",
    ])


def test_retracing_warning_after_five_traces_in_ten_calls():
    f = tf.function(lambda x, n: x * n)
    x = tf.constant(1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for n in range(5):
            f(x, n)
    found = [w for w in caught if issubclass(w.category, tf.tracing.RetracingWarning)]
    assert len(found) == 1
    message = str(found[0].message)
    assert message.startswith("autotrace.function <lambda>() was traced 5 times in its last 5 "
                              "calls. Tracing is slow; each trace and its cause:")
    assert "  trace 5: argument n: Python int 3 -> 4; pass autotrace.constant(n)" in message
    assert found[0].filename == __file__  # attributed to the caller's line


def test_retracing_warning_is_shown_at_most_twice():
    f = tf.function(lambda x, n: x * n)
    x = tf.constant(1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for n in range(30):
            f(x, n)
    assert sum(issubclass(w.category, tf.tracing.RetracingWarning) for w in caught) == 2


def test_no_warning_when_retraces_are_rare():
    f = tf.function(lambda x, n: x * n)
    x = tf.constant(1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for n in range(5):
            for _ in range(3):
                f(x, n)
    assert not caught


def test_trace_budget():
    f = tf.function(lambda n: tf.constant(n), max_traces=2, on_exceed="raise")
    f(1)
    f(2)
    with pytest.raises(tf.errors.TraceBudgetExceededError) as err:
        f(3)
    assert str(err.value) == ("autotrace.function <lambda>() needs trace 3, beyond its budget "
                              "of max_traces=2: argument n: Python int 2 -> 3; pass "
                              "autotrace.constant(n) to share one trace")
    g = tf.function(lambda n: tf.constant(n), max_traces=1)
    g(1)
    with pytest.warns(tf.tracing.RetracingWarning, match="beyond its budget of max_traces=1"):
        g(2)
    with pytest.raises(ValueError, match="on_exceed"):
        tf.function(lambda: 1, on_exceed="explode")


def test_redecorating_in_a_loop_is_detected():
    def body(x):
        return x + 1

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(12):
            tf.function(body)(tf.constant(1))
    found = [w for w in caught if "applied to body" in str(w.message)]
    assert len(found) == 1 and "Decorate the function once" in str(found[0].message)
