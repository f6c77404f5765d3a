"""Threads: execution state is per thread, a signature is traced once however many threads
call at the same time, variable updates are atomic per op (issue 11 §1).

Races are made likely rather than hoped for: a trace waits inside the traced Python code
(while its thread is in graph mode) until the other threads have done their part, and the
interpreter's thread switch interval is lowered so read-modify-write races would show."""
import sys
import threading

import numpy as np
import pytest

import autotrace as tf
from autotrace.core.context import process

N_THREADS = 8
TIMEOUT = 10


@pytest.fixture
def switch_often():
    """Switch threads every microsecond: unsynchronised read-modify-writes would lose
    updates within a few hundred operations."""
    saved = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(saved)


def run_threads(target, n=N_THREADS):
    """Run target(i) on n threads; re-raise the first exception; return results by index."""
    results, errors = [None] * n, []

    def run(i):
        try:
            results[i] = target(i)
        except BaseException as exc:  # noqa: B902  reported in the main thread
            errors.append(exc)
    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT)
        assert not t.is_alive(), "a thread did not finish within %ds" % TIMEOUT
    if errors:
        raise errors[0]
    return results


def test_concurrent_first_calls_trace_once_and_all_results_are_right():
    started = threading.Event()
    traces = []

    @tf.function
    def f(x):
        traces.append(threading.get_ident())
        started.set()
        # Stay in the trace until every other thread is waiting for it (or 0.2 s passed).
        threading.Event().wait(0.2)
        return x * 2.0 + 1.0

    def call(i):
        if i:
            started.wait(TIMEOUT)  # the others arrive while the first one traces
        return f(tf.constant([float(i), 1.0])).numpy()

    results = run_threads(call, 12)
    assert len(traces) == 1
    assert f.experimental_get_tracing_count() == 1
    for i, r in enumerate(results):
        np.testing.assert_array_equal(r, np.array([2.0 * i + 1.0, 3.0], np.float32))
    assert tf.executing_eagerly() and process.all_eager


def test_threads_with_the_same_first_call_at_the_same_instant():
    barrier = threading.Barrier(N_THREADS)
    traces = []

    @tf.function
    def g(x, y):
        traces.append(1)
        return tf.reduce_sum(x * y)

    def call(i):
        barrier.wait(TIMEOUT)
        return float(g(tf.constant([1.0, 2.0]), tf.constant([float(i), 1.0])))

    assert run_threads(call) == [i + 2.0 for i in range(N_THREADS)]
    assert len(traces) == 1


def test_different_signatures_trace_in_parallel():
    # Each trace waits at a barrier inside the traced code: if traces were serialised the
    # barrier would break (BrokenBarrierError) instead of releasing all threads together.
    barrier = threading.Barrier(N_THREADS)

    @tf.function
    def f(x):
        barrier.wait(TIMEOUT)
        return tf.reduce_sum(x)

    results = run_threads(lambda i: float(f(tf.ones([i + 1]))))
    assert results == [float(i + 1) for i in range(N_THREADS)]
    assert f.experimental_get_tracing_count() == N_THREADS
    assert sorted(r.number for r in f.trace_history()) == list(range(1, N_THREADS + 1))


def test_a_failed_trace_lets_the_next_caller_retry():
    attempts = []
    first_started, others_waiting = threading.Event(), threading.Event()

    @tf.function
    def f(x):
        attempts.append(1)
        if len(attempts) == 1:
            first_started.set()
            others_waiting.wait(0.2)
            raise ValueError("the first trace fails")
        return x + 1.0

    def call(i):
        if i:
            first_started.wait(TIMEOUT)
        try:
            return float(f(tf.constant(1.0)))
        except ValueError as exc:
            return str(exc)

    results = run_threads(call)
    assert results[0] == "the first trace fails"
    assert results[1:] == [2.0] * (N_THREADS - 1)
    assert len(attempts) == 2  # the failure, then one successful trace shared by the rest
    assert f.experimental_get_tracing_count() == 1


def test_eager_ops_in_other_threads_stay_eager_while_one_thread_traces():
    in_trace, eager_done = threading.Event(), threading.Event()

    @tf.function
    def traced(x):
        in_trace.set()
        assert eager_done.wait(TIMEOUT)  # other threads run eagerly while this one traces
        return x * 3.0

    def work(i):
        if i == 0:
            return traced(tf.constant(2.0)).numpy()
        in_trace.wait(TIMEOUT)
        assert tf.executing_eagerly()
        y = tf.constant([1.0, float(i)]) * 2.0 + tf.exp(tf.zeros([2]))
        assert type(y).__name__ == "EagerTensor"
        value = y.numpy()
        if i == N_THREADS - 1:
            eager_done.set()
        return value

    results = run_threads(work)
    assert results[0] == 6.0
    for i in range(1, N_THREADS):
        np.testing.assert_array_equal(results[i], [3.0, 2.0 * i + 1.0])
    assert tf.executing_eagerly()


def test_eager_and_traced_work_interleave_across_threads():
    @tf.function
    def step(x):
        if tf.reduce_sum(x) > 0:
            y = x * 2.0
        else:
            y = -x
        return y

    def work(i):
        values = []
        for k in range(30):
            x = tf.constant([float(i - 3), float(k)])
            if k % 2:
                values.append(step(x).numpy())
            else:
                values.append((x * 2.0 if float(tf.reduce_sum(x)) > 0 else -x).numpy())
        return values

    for i, values in enumerate(run_threads(work)):
        for k, v in enumerate(values):
            x = np.array([i - 3, k], np.float32)
            np.testing.assert_array_equal(v, x * 2.0 if x.sum() > 0 else -x)
    assert step.experimental_get_tracing_count() == 1


def test_each_thread_has_its_own_tape():
    barrier = threading.Barrier(N_THREADS)
    variables = [tf.Variable(float(i)) for i in range(N_THREADS)]

    def work(i):
        x = tf.constant(float(i))
        with tf.GradientTape() as tape:
            tape.watch(x)
            barrier.wait(TIMEOUT)  # every tape is open at once
            y = x * x + variables[i] * 3.0
            barrier.wait(TIMEOUT)
        watched = tape.watched_variables()
        dx, dv = tape.gradient(y, [x, variables[i]])
        return float(dx), float(dv), watched

    for i, (dx, dv, watched) in enumerate(run_threads(work)):
        assert (dx, dv) == (2.0 * i, 3.0)
        assert watched == (variables[i],)  # no other thread's variable reads were recorded


def test_a_tape_does_not_record_other_threads_ops():
    v = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        run_threads(lambda i: float(v * 5.0 + tf.constant(1.0)))
    assert tape.watched_variables() == ()  # the threads read v; this thread did not
    with tape:
        y = v * 3.0
    assert tape.watched_variables() == (v,)
    assert float(tape.gradient(y, v)) == 3.0


def test_tapes_in_traced_functions_called_from_threads():
    w = tf.Variable([1.0, 2.0])

    @tf.function
    def grad(x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(w * x * x)
        return tape.gradient(loss, w)

    results = run_threads(lambda i: grad(tf.constant([float(i), 1.0])).numpy())
    for i, r in enumerate(results):
        np.testing.assert_array_equal(r, [float(i * i), 1.0])


def test_assign_add_from_many_threads_inside_traced_functions(switch_often):
    v = tf.Variable(0.0)
    count = tf.Variable(0, dtype=tf.int64)

    @tf.function
    def add(delta):
        v.assign_add(delta)
        count.assign_add(1)
        v.assign_sub(delta / 2.0)

    run_threads(lambda i: [add(tf.constant(2.0)) for _ in range(200)])
    assert int(count.numpy()) == N_THREADS * 200
    assert float(v.numpy()) == N_THREADS * 200 * 1.0


def test_eager_assign_add_from_many_threads(switch_often):
    v = tf.Variable(np.zeros(3, np.int32))
    run_threads(lambda i: [v.assign_add([1, i, 2]) for _ in range(200)])
    np.testing.assert_array_equal(v.numpy(), [200 * N_THREADS,
                                              200 * sum(range(N_THREADS)), 400 * N_THREADS])


def test_bound_methods_of_one_module_from_many_threads():
    class Scale(tf.Module):
        def __init__(self):
            super().__init__()
            self.traces = 0
            self.w = tf.Variable(2.0)

        @tf.function
        def __call__(self, x):
            self.traces += 1
            return x * self.w

    layer = Scale()
    barrier = threading.Barrier(N_THREADS)

    def call(i):
        barrier.wait(TIMEOUT)
        return float(layer(tf.constant(float(i))))

    assert run_threads(call) == [2.0 * i for i in range(N_THREADS)]
    assert layer.traces == 1


def test_session_used_from_several_threads(switch_often):
    v1 = tf.compat.v1
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [])
        y = x * 2.0
        v = tf.Variable(0.0)
        inc = v.assign_add(1.0)
        init = v1.global_variables_initializer()
    sess = v1.Session(graph=g)
    sess.run(init)

    def run(i):
        for _ in range(100):
            sess.run(inc)
        return float(sess.run(y, {x: float(i)}))

    assert run_threads(run) == [2.0 * i for i in range(N_THREADS)]
    assert sess.run(v) == 100.0 * N_THREADS


def test_default_sessions_are_per_thread():
    v1 = tf.compat.v1
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(4.0)
    with v1.Session(graph=g) as sess:
        assert v1.get_default_session() is sess

        def other(i):
            with pytest.raises(ValueError, match="No default session"):
                v1.get_default_session()
            return c.eval(session=sess)
        assert run_threads(other, 2) == [4.0, 4.0]


def test_graph_as_default_is_per_thread():
    g = tf.Graph()
    seen = []
    with g.as_default():
        run_threads(lambda i: seen.append((tf.executing_eagerly(),
                                           tf.compat.v1.get_default_graph() is g)), 2)
        assert not tf.executing_eagerly()
    assert seen == [(True, False), (True, False)]  # as TF: the default graph is per thread


def test_disable_eager_execution_is_process_wide_but_default_graphs_are_per_thread():
    v1 = tf.compat.v1
    v1.disable_eager_execution()
    main_graph = v1.get_default_graph()

    def build(i):
        assert not tf.executing_eagerly()
        graph = v1.get_default_graph()
        c = tf.constant(float(i)) * 2.0  # symbolic, in this thread's own default graph
        with v1.Session(graph=graph) as sess:
            return graph is main_graph, float(sess.run(c))

    assert run_threads(build, 3) == [(False, 0.0), (False, 2.0), (False, 4.0)]
    v1.enable_eager_execution()
    assert tf.executing_eagerly()
    assert run_threads(lambda i: tf.executing_eagerly(), 2) == [True, True]


def test_switches_are_process_wide_as_in_tf():
    run_threads(lambda i: tf.config.run_functions_eagerly(True), 1)
    assert tf.config.functions_run_eagerly()
    tf.config.run_functions_eagerly(False)

    tf.random.set_seed(5)
    here = tf.random.uniform([3]).numpy()
    tf.random.set_seed(5)  # the global seed and its op-seed counter are shared by threads
    there = run_threads(lambda i: tf.random.uniform([3]).numpy(), 1)[0]
    np.testing.assert_array_equal(here, there)


def test_random_ops_from_threads_never_share_an_op_seed():
    tf.random.set_seed(11)
    draws = run_threads(lambda i: [tf.random.uniform([2]).numpy() for _ in range(20)])
    flat = {tuple(d) for thread in draws for d in thread}
    assert len(flat) == N_THREADS * 20
    tf.random.set_seed(11)
    serial = {tuple(tf.random.uniform([2]).numpy()) for _ in range(N_THREADS * 20)}
    assert flat == serial  # the same op seeds 1..160, handed out across threads


def test_thread_state_is_released_when_work_ends():
    @tf.function
    def f(x):
        return x + 1

    def work(i):
        with tf.GradientTape() as tape:
            x = tf.constant(1.0)
            tape.watch(x)
            y = f(x) * x
        return float(tape.gradient(y, x))

    assert run_threads(work) == [3.0] * N_THREADS
    assert process.busy_threads == 0 and process.all_eager


def test_thread_state_changes_only_through_context_functions():
    """process.all_eager stays right only if every change of a thread's graph or tapes goes
    through context.set_graph / push_tape / remove_tape / swap_tapes."""
    import pathlib
    import re
    root = pathlib.Path(tf.__file__).parent
    pattern = re.compile(r"state\.graph\s*=[^=]|state\.tapes\s*(=[^=]|\.(append|remove|pop|"
                         r"clear|extend|insert)|\[)")
    offenders = ["%s:%d" % (path.relative_to(root), n)
                 for path in root.rglob("*.py") if path.name != "context.py"
                 for n, line in enumerate(path.read_text().splitlines(), 1)
                 if pattern.search(line)]
    assert offenders == [], "use autotrace.context.set_graph/push_tape/remove_tape/swap_tapes"
