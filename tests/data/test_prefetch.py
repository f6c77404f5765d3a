"""prefetch is a real background producer: its input runs in another thread, errors arrive
at the element where they happened, an abandoned pass stops the thread, and the producer
neither disturbs nor is disturbed by a trace in the main thread (execution state is per
thread)."""
import gc
import threading
import time

import numpy as np
import pytest

import autotrace as tf

Dataset = tf.data.Dataset


def prefetch_threads():
    return [t for t in threading.enumerate() if t.name == "autotrace-prefetch"]


def wait_until(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)
    return condition()


def test_the_input_runs_in_a_background_thread():
    producers = []

    def gen():
        for i in range(5):
            producers.append(threading.current_thread().name)
            yield i
    ds = Dataset.from_generator(gen, output_signature=tf.TensorSpec([], tf.int64)).prefetch(2)
    assert [int(v) for v in ds] == [0, 1, 2, 3, 4]
    assert set(producers) == {"autotrace-prefetch"}
    assert int(ds.cardinality()) == -2 and ds.element_spec == tf.TensorSpec([], tf.int64)


def test_errors_arrive_at_the_element_where_they_happened():
    def gen():
        yield 1
        yield 2
        raise ValueError("disk on fire")
    ds = Dataset.from_generator(gen, output_signature=tf.TensorSpec([], tf.int32)).prefetch(1)
    it = iter(ds)
    assert int(next(it)) == 1 and int(next(it)) == 2
    with pytest.raises(ValueError, match="disk on fire"):
        next(it)


def test_an_abandoned_pass_stops_its_producer():
    before = len(prefetch_threads())
    it = iter(Dataset.range(10 ** 9).prefetch(3))
    assert int(next(it)) == 0
    assert len(prefetch_threads()) == before + 1
    del it
    gc.collect()
    assert wait_until(lambda: len(prefetch_threads()) == before)


def test_prefetch_while_the_main_thread_traces():
    """The producer runs user Python that makes eager autotrace ops (py_function) while the
    main thread builds graphs: the producer's ops stay eager, the traces stay clean."""
    def numpy_work(x):
        return (tf.constant(x.numpy()) * 2 + 1).numpy()  # eager ops in the producer thread

    ds = Dataset.range(200).map(
        lambda x: tf.py_function(numpy_work, [x], tf.int64)).prefetch(8)

    def make_traced():
        @tf.function
        def double(v):
            return v * 2.0 + tf.reduce_sum(v)
        return double

    results, traced = [], []
    for x in ds:
        results.append(int(x))
        fn = make_traced()  # a fresh trace for every element, while the producer runs
        concrete = fn.get_concrete_function(tf.TensorSpec([3], tf.float32))
        traced.append(len(concrete.graph.get_operations()))
    assert results == [2 * i + 1 for i in range(200)]
    assert len(set(traced)) == 1  # no op of the producer leaked into a trace
    assert tf.executing_eagerly()


def test_prefetch_is_applied_in_graph_loops_too():
    ds = Dataset.from_tensor_slices(np.arange(50, dtype=np.float32)).map(
        lambda x: x * 2.0).prefetch(tf.data.AUTOTUNE)

    @tf.function
    def total():
        s = 0.0
        for x in ds:
            s += x
        return s
    assert float(total()) == 2.0 * sum(range(50))
