"""Element-by-element transformations, against hand-computed results; the tracing rules of
dataset functions (traced once, side effects at trace time, autotrace.print per element)."""
import sys

import numpy as np
import pytest

import autotrace as tf

Dataset = tf.data.Dataset


def values(ds):
    return list(ds.as_numpy_iterator())


# -- map: results and the rules of traced functions -------------------------------------------

def test_map_unpacks_tuples_and_passes_dicts_whole():
    ds = Dataset.from_tensor_slices(([1, 2], [10, 20])).map(lambda a, b: a + b)
    assert values(ds) == [11, 22]
    ds = Dataset.from_tensor_slices({"a": [1, 2], "b": [3, 4]}).map(lambda d: d["a"] * d["b"])
    assert values(ds) == [3, 8]


def test_map_returns_lists_as_tuples_and_python_values_as_tensors():
    ds = Dataset.range(2).map(lambda x: [x, x * 2])
    assert ds.element_spec == (tf.TensorSpec([], tf.int64), tf.TensorSpec([], tf.int64))
    assert values(ds) == [(0, 0), (1, 2)]
    ds = Dataset.range(2).map(lambda x: (x, 1.5))
    assert values(ds) == [(0, 1.5), (1, 1.5)]
    assert ds.element_spec[1] == tf.TensorSpec([], tf.float32)


def test_map_function_is_traced_once_and_python_side_effects_run_at_trace_time(capsys):
    traced = []

    def double(x):
        traced.append(1)                       # Python: once, while tracing
        print("tracing")
        tf.print("element", x, output_stream=sys.stdout)  # a graph op: once per element
        return x * 2

    ds = Dataset.range(3).map(double)
    assert traced == [1]
    assert capsys.readouterr().out == "tracing\n"
    assert values(ds) == [0, 2, 4]
    assert values(ds) == [0, 2, 4]
    assert traced == [1]
    assert capsys.readouterr().out == "element 0\nelement 1\nelement 2\n" * 2


def test_map_converts_control_flow_with_autograph():
    def collatz_steps(n):
        steps = tf.constant(0, tf.int64)
        while n != 1:
            n = n // 2 if n % 2 == 0 else 3 * n + 1
            steps += 1
        return steps

    ds = Dataset.from_tensor_slices(np.array([1, 6, 7], np.int64)).map(collatz_steps)
    assert values(ds) == [0, 8, 16]


def test_map_of_an_autotrace_function_and_of_a_library_function():
    @tf.function
    def square(x):
        return x * x
    assert values(Dataset.range(3).map(square)) == [0, 1, 4]
    assert values(Dataset.from_tensor_slices([1.0, 4.0]).map(tf.sqrt)) == [1.0, 2.0]


def test_map_with_a_variable_reads_it_at_run_time():
    scale = tf.Variable(2.0)
    ds = Dataset.from_tensor_slices([1.0, 2.0]).map(lambda x: x * scale)
    assert values(ds) == [2.0, 4.0]
    scale.assign(10.0)
    assert values(ds) == [10.0, 20.0]


def test_map_parallel_calls_keep_the_order_and_reach_every_element():
    ds = Dataset.range(50).map(lambda x: x * 3, num_parallel_calls=tf.data.AUTOTUNE)
    assert values(ds) == [3 * i for i in range(50)]
    unordered = Dataset.range(50).map(lambda x: x + 1, num_parallel_calls=4,
                                      deterministic=False)
    assert sorted(values(unordered)) == list(range(1, 51))


def test_map_with_numpy_function_inside():
    ds = Dataset.range(3).map(lambda x: tf.numpy_function(lambda v: v * 10, [x], tf.int64))
    assert values(ds) == [0, 10, 20]


# -- filter, take_while ------------------------------------------------------------------------

def test_filter_keeps_true_elements():
    assert values(Dataset.range(10).filter(lambda x: x % 3 == 0)) == [0, 3, 6, 9]
    pairs = Dataset.from_tensor_slices(([1, 2, 3], [4, 5, 6])).filter(lambda a, b: a + b > 6)
    assert values(pairs) == [(2, 5), (3, 6)]


def test_filter_predicate_must_be_a_scalar_bool():
    with pytest.raises(ValueError, match="must return a scalar bool tensor"):
        Dataset.range(3).filter(lambda x: x)


def test_take_while_stops_at_the_first_false():
    assert values(Dataset.from_tensor_slices([1, 2, 5, 1]).take_while(lambda x: x < 3)) == [1, 2]


# -- repeat, take, skip, shard, enumerate ------------------------------------------------------

def test_repeat_take_skip():
    ds = Dataset.range(3)
    assert values(ds.repeat(2)) == [0, 1, 2, 0, 1, 2]
    assert values(ds.repeat().take(7)) == [0, 1, 2, 0, 1, 2, 0]
    assert values(ds.skip(1)) == [1, 2] and values(ds.skip(-1)) == []
    assert values(ds.take(-1)) == [0, 1, 2] and values(ds.take(0)) == []
    assert values(Dataset.range(0).repeat()) == []  # repeating nothing is nothing


@pytest.mark.parametrize("make, expected", [
    (lambda: Dataset.range(5).repeat(3), 15),
    (lambda: Dataset.range(5).repeat(), -1),
    (lambda: Dataset.range(5).repeat(0), 0),
    (lambda: Dataset.range(5).take(3), 3),
    (lambda: Dataset.range(5).take(9), 5),
    (lambda: Dataset.range(5).repeat().take(9), 9),
    (lambda: Dataset.range(5).skip(2), 3),
    (lambda: Dataset.range(5).skip(9), 0),
    (lambda: Dataset.range(5).repeat().skip(2), -1),
    (lambda: Dataset.range(10).shard(3, 1), 3),
    (lambda: Dataset.range(5).batch(2), 3),
    (lambda: Dataset.range(5).batch(2, drop_remainder=True), 2),
    (lambda: Dataset.range(5).filter(lambda x: x > 2), -2),
    (lambda: Dataset.range(5).map(lambda x: x), 5),
])
def test_cardinality_follows_tf(make, expected):
    assert int(make().cardinality()) == expected


def test_shard_takes_every_nth_starting_at_index():
    assert values(Dataset.range(10).shard(3, 1)) == [1, 4, 7]
    with pytest.raises(tf.errors.InvalidArgumentError, match="index must be in"):
        Dataset.range(10).shard(3, 3)


def test_enumerate_counts_from_start():
    ds = Dataset.from_tensor_slices([b"a", b"b"]).enumerate(5)
    assert values(ds) == [(5, b"a"), (6, b"b")]
    assert ds.element_spec[0] == tf.TensorSpec([], tf.int64)


# -- cache ---------------------------------------------------------------------------------------

def test_memory_cache_replays_the_first_complete_pass():
    counter = tf.Variable(0, dtype=tf.int64)

    def count(x):
        counter.assign_add(1)
        return x + counter.read_value() * 0
    ds = Dataset.range(4).map(count).cache()
    assert values(ds) == [0, 1, 2, 3]
    assert values(ds) == [0, 1, 2, 3]
    assert int(counter.numpy()) == 4  # the second pass came from the cache


def test_file_cache_persists_across_datasets(tmp_path):
    path = str(tmp_path / "cache")
    first = Dataset.range(3).map(lambda x: (x, tf.cast(x, tf.float32) / 2)).cache(path)
    assert values(first) == [(0, 0.0), (1, 0.5), (2, 1.0)]
    calls = []
    second = Dataset.from_generator(lambda: calls.append(1) or iter([(9, 9.0)]),
                                    output_signature=(tf.TensorSpec([], tf.int64),
                                                      tf.TensorSpec([], tf.float32)))
    assert values(second.cache(path)) == [(0, 0.0), (1, 0.5), (2, 1.0)]
    assert calls == []


# -- scan, reduce, unique, get_single_element ----------------------------------------------------

def test_scan_carries_state():
    ds = Dataset.range(5).scan(np.int64(0), lambda s, x: (s + x, s * 10))
    assert values(ds) == [0, 0, 10, 30, 60]


def test_scan_state_whose_shape_grows_is_retraced_with_a_general_shape():
    ds = Dataset.range(3).scan(tf.constant([], tf.int64),
                               lambda s, x: (tf.concat([s, [x]], 0), tf.size(s)))
    assert values(ds) == [0, 1, 2]


def test_reduce_folds_and_checks_the_state_dtype():
    assert int(Dataset.range(5).reduce(np.int64(0), lambda s, x: s + x)) == 10
    total, count = Dataset.from_tensor_slices([1.0, 2.0, 4.0]).reduce(
        (0.0, 0), lambda s, x: (s[0] + x, s[1] + 1))
    assert float(total) == 7.0 and int(count) == 3
    with pytest.raises(TypeError, match="changes dtype from int32 to int64"):
        Dataset.range(3).reduce(0, lambda s, x: x)


def test_unique_and_single_element():
    assert values(Dataset.from_tensor_slices([1, 2, 2, 3, 1]).unique()) == [1, 2, 3]
    assert values(Dataset.from_tensor_slices([b"a", b"b", b"a"]).unique()) == [b"a", b"b"]
    assert int(Dataset.range(7, 8).get_single_element()) == 7
    with pytest.raises(tf.errors.InvalidArgumentError, match="more than one element"):
        Dataset.range(2).get_single_element()
    with pytest.raises(tf.errors.InvalidArgumentError, match="was empty"):
        Dataset.range(0).get_single_element()


def test_ignore_errors_drops_failing_elements():
    def checked_sqrt(x):
        tf.debugging.assert_positive(x)
        return tf.sqrt(x)
    ds = Dataset.from_tensor_slices([1.0, -1.0, 4.0]).map(checked_sqrt)
    with pytest.raises(tf.errors.InvalidArgumentError):
        values(ds)
    assert values(ds.ignore_errors()) == [1.0, 2.0]


def test_assert_cardinality():
    ds = Dataset.range(3).filter(lambda x: x >= 0).assert_cardinality(3)
    assert int(ds.cardinality()) == 3 and values(ds) == [0, 1, 2]
    with pytest.raises(tf.errors.FailedPreconditionError, match="expected to contain 4"):
        values(Dataset.range(3).assert_cardinality(4))


def test_apply_and_experimental_functional_forms():
    ds = Dataset.range(6).apply(tf.data.experimental.take_while(lambda x: x < 4))
    assert values(ds) == [0, 1, 2, 3]
    ds = Dataset.range(3).apply(tf.data.experimental.enumerate_dataset(1))
    assert values(ds) == [(1, 0), (2, 1), (3, 2)]
    with pytest.raises(TypeError, match="must return a Dataset"):
        Dataset.range(3).apply(lambda d: 3)


# -- options -------------------------------------------------------------------------------------

def test_options_are_typed_and_merged_from_inputs():
    options = tf.data.Options()
    options.deterministic = False
    ds = Dataset.range(3).with_options(options).map(lambda x: x)
    assert ds.options().deterministic is False
    more = tf.data.Options()
    more.threading.private_threadpool_size = 3
    merged = ds.with_options(more).options()
    assert merged.deterministic is False and merged.threading.private_threadpool_size == 3
    assert tf.data.Options().deterministic is None
    with pytest.raises(AttributeError, match="Cannot set the property foo on Options."):
        options.foo = 1
    with pytest.raises(TypeError, match='Property "deterministic" must be of type'):
        options.deterministic = 3
