"""Datasets inside autotrace.function: `for x in ds` is a graph loop over the dataset at run
time (not unrolled, not consumed while tracing), with break and the loop-variable rules of
tensor loops; iter/next, get_next_as_optional, reduce and cardinality inside functions;
datasets built from the function's arguments; gradients through a dataset loop."""
import sys

import numpy as np
import pytest

import autotrace as tf

Dataset = tf.data.Dataset


def test_for_over_a_dataset_is_a_graph_loop():
    ds = Dataset.range(10)

    @tf.function
    def total():
        s = tf.constant(0, tf.int64)
        for x in ds:
            s += x
        return s

    assert int(total()) == 45
    assert int(total()) == 45  # each call is a new pass
    assert total.experimental_get_tracing_count() == 1
    assert total.get_concrete_function().graph.as_text() == """\
total() -> Identity
Const        : int64[]    = Const {value=0}
Const_1      : variant[]  = Const {value=<RangeDataset>}
MakeIterator : resource[] = MakeIterator(Const_1)
Const_2      : int32[]    = Const {value=0}
for          : (int32[], int64[]) = While(Const_2, Const, MakeIterator) {n_vars=2}
  cond(index, s, MakeIterator) -> IteratorHasNext:
    index           : int32[]    = Placeholder
    s               : int64[]    = Placeholder
    MakeIterator    : resource[] = Placeholder
    IteratorHasNext : bool[]     = IteratorHasNext(MakeIterator)
  body(index, s, MakeIterator) -> (AddV2, add):
    index           : int32[]    = Placeholder
    s               : int64[]    = Placeholder
    MakeIterator    : resource[] = Placeholder
    IteratorGetNext : int64[]    = IteratorGetNext(MakeIterator)
    add             : int64[]    = AddV2(s, IteratorGetNext)
    AddV2/y         : int32[]    = Const {value=1}
    AddV2           : int32[]    = AddV2(index, AddV2/y)
Identity     : int64[]    = Identity(for:1)"""


def test_a_dataset_of_100000_elements_does_not_grow_the_graph():
    def summing(ds):
        @tf.function
        def total():
            s = tf.constant(0, tf.int64)
            for x in ds:
                s += x
            return s
        return total
    small, big = summing(Dataset.range(10)), summing(Dataset.range(100000))
    assert int(big()) == 99999 * 100000 // 2
    n_ops = [len(f.get_concrete_function().graph.get_operations()) for f in (small, big)]
    assert n_ops[0] == n_ops[1] == 6  # with the output's Identity


def test_datasets_are_not_consumed_while_tracing():
    calls = []

    def gen():
        calls.append(1)
        yield from range(3)
    ds = Dataset.from_generator(gen, output_signature=tf.TensorSpec([], tf.int64))

    @tf.function
    def count():
        n = tf.constant(0)
        for _ in ds:
            n += 1
        return n
    concrete = count.get_concrete_function()
    assert calls == [] and concrete is not None
    assert int(count()) == 3 and calls == [1]


def test_break_stops_the_loop_without_extra_work(capsys):
    def show(x):
        tf.print("got", x, output_stream=sys.stdout)
        return x
    ds = Dataset.range(100).map(show)

    @tf.function
    def first_above(limit):
        found = tf.constant(-1, tf.int64)
        for x in ds:
            if x > limit:
                found = x
                break
        return found
    assert int(first_above(tf.constant(2, tf.int64))) == 3
    assert capsys.readouterr().out == "got 0\ngot 1\ngot 2\ngot 3\n"


def test_loop_over_tuples_and_dicts_of_a_dataset():
    ds = Dataset.from_tensor_slices({"x": [1.0, 2.0, 3.0], "w": [1.0, 0.0, 2.0]})

    @tf.function
    def weighted():
        total = 0.0
        for row in ds:
            total += row["x"] * row["w"]
        return total
    assert float(weighted()) == 7.0


def test_loop_variables_follow_the_rules_of_tensor_loops():
    @tf.function
    def last(ds):
        for x in ds:
            y = x  # first assigned in the loop: the loop must run at least once
        return y
    assert int(last(Dataset.range(3))) == 2
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="loop must iterate at least once to initialize y"):
        last(Dataset.range(0))


def test_return_inside_a_loop_over_a_dataset():
    @tf.function
    def first_above_one(ds):
        for x in ds:
            if x > 1:
                return x
        return tf.constant(-1, tf.int64)
    assert int(first_above_one(Dataset.range(5))) == 2
    assert int(first_above_one(Dataset.range(2))) == -1
    assert first_above_one.experimental_get_tracing_count() == 1


def test_a_dataset_built_from_arguments_is_built_at_run_time():
    @tf.function
    def doubled_sum(values):
        ds = Dataset.from_tensor_slices(values).map(lambda v: v * 2.0)
        s = 0.0
        for v in ds:
            s += v
        return s
    assert float(doubled_sum(tf.constant([1.0, 2.0, 3.0]))) == 12.0
    assert float(doubled_sum(tf.constant([5.0, 6.0, 7.0]))) == 36.0
    assert doubled_sum.experimental_get_tracing_count() == 1
    text = doubled_sum.get_concrete_function(tf.TensorSpec([None], tf.float32)).graph.as_text()
    assert text.split("\n")[:5] == [
        "doubled_sum(values) -> Identity",
        "values             : float32[?] = Placeholder",
        "TensorSliceDataset : variant[]  = TensorSliceDataset(values)",
        "MapDataset         : variant[]  = MapDataset(TensorSliceDataset) {f=lambda}",
        "MakeIterator       : resource[] = MakeIterator(MapDataset)"]


def test_iter_and_next_inside_functions():
    ds = Dataset.range(3)

    @tf.function
    def first_two():
        it = iter(ds)
        return next(it) + 10 * next(it)
    assert int(first_two()) == 10

    @tf.function
    def too_many():
        it = iter(Dataset.range(1))
        next(it)
        return next(it)
    with pytest.raises(tf.errors.OutOfRangeError, match="End of sequence"):
        too_many()


def test_an_eager_iterator_keeps_its_position_across_calls():
    it = iter(Dataset.range(5))

    @tf.function
    def step():
        return next(it)
    assert [int(step()) for _ in range(3)] == [0, 1, 2]
    assert int(next(it)) == 3  # eagerly too

    @tf.function
    def rest():
        s = tf.constant(0, tf.int64)
        for x in it:
            s += x
        return s
    assert int(rest()) == 4


def test_get_next_as_optional_reduce_and_cardinality_inside_functions():
    ds = Dataset.from_tensor_slices([1.0, 2.0, 3.0])

    @tf.function
    def probe():
        it = iter(Dataset.range(1))
        first, second = it.get_next_as_optional(), it.get_next_as_optional()
        return (first.has_value(), first.get_value(), second.has_value(),
                ds.reduce(0.0, lambda s, x: s + x), ds.cardinality())
    has1, v1, has2, total, n = probe()
    assert bool(has1) and int(v1) == 0 and not bool(has2)
    assert float(total) == 6.0 and int(n) == 3
    assert "ReduceDataset" in probe.get_concrete_function().graph.as_text()


def test_gradient_through_a_loop_over_a_dataset():
    ds = Dataset.from_tensor_slices(np.array([1.0, 2.0, 3.0], np.float32))
    w = tf.Variable(2.0)

    @tf.function
    def grad():
        with tf.GradientTape() as tape:
            loss = tf.constant(0.0)
            for x in ds:
                loss += (w * x - 1.0) ** 2
        return tape.gradient(loss, w)
    # d/dw sum (w x - 1)^2 = sum 2 (w x - 1) x = 2 (1 + 6 + 15)
    assert float(grad()) == 44.0


def test_a_traced_train_step_fed_by_a_dataset():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 3)).astype(np.float32)
    y = x @ np.array([1.0, -2.0, 0.5], np.float32) + 0.3
    w, b = tf.Variable(tf.zeros([3])), tf.Variable(0.0)

    @tf.function
    def train_step(xb, yb):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((tf.linalg_matvec(xb, w) + b - yb) ** 2) \
                if hasattr(tf, "linalg_matvec") else \
                tf.reduce_mean((tf.reduce_sum(xb * w, axis=1) + b - yb) ** 2)
        gw, gb = tape.gradient(loss, [w, b])
        w.assign_sub(0.1 * gw)
        b.assign_sub(0.1 * gb)
        return loss

    ds = Dataset.from_tensor_slices((x, y)).shuffle(64, seed=0).batch(16, drop_remainder=True)
    for _ in range(60):
        for xb, yb in ds:
            loss = train_step(xb, yb)
    assert train_step.experimental_get_tracing_count() == 1
    np.testing.assert_allclose(w.numpy(), [1.0, -2.0, 0.5], atol=1e-3)
    assert float(loss) < 1e-5


def test_dataset_functions_read_tensors_of_the_traced_function():
    @tf.function
    def scaled_sum(values, scale):
        ds = Dataset.from_tensor_slices(values).map(lambda v: v * scale)
        s = 0.0
        for v in ds:
            s += v
        return s
    assert float(scaled_sum(tf.constant([1.0, 2.0]), tf.constant(3.0))) == 9.0
    assert float(scaled_sum(tf.constant([1.0, 2.0]), tf.constant(10.0))) == 30.0
    assert scaled_sum.experimental_get_tracing_count() == 1

    numbers = Dataset.range(3)

    @tf.function
    def shifted_total(k):
        return numbers.map(lambda x: x + k).reduce(tf.constant(0, tf.int64),
                                                    lambda s, x: s + x)
    assert int(shifted_total(tf.constant(10, tf.int64))) == 33
    assert shifted_total.get_concrete_function(
        tf.TensorSpec([], tf.int64)).graph.as_text().split("\n")[1:3] == [
        "k             : int64[]   = Placeholder",
        "MapDataset    : variant[] = MapDataset(k) {f=lambda}"]


def test_nested_dataset_functions_capture_the_outer_element():
    ds = Dataset.range(1, 4).interleave(
        lambda x: Dataset.range(x).map(lambda y: x * 10 + y), cycle_length=2)
    assert list(ds.as_numpy_iterator()) == [10, 20, 21, 30, 31, 32]  # TF's answer


def test_datasets_and_iterators_as_arguments_are_keyed_by_element_spec():
    @tf.function
    def total(ds):
        s = tf.constant(0, tf.int64)
        for x in ds:
            s += x
        return s
    assert int(total(Dataset.range(5))) == 10
    assert int(total(Dataset.range(10).map(lambda x: x * 2))) == 90  # a new dataset...
    assert int(total(Dataset.range(3).batch(2).unbatch())) == 3
    assert total.experimental_get_tracing_count() == 1  # ...with the same spec: no retrace
    assert int(total(Dataset.range(4).map(lambda x: (x, x)).map(lambda a, b: a + b))) == 12
    total(Dataset.from_tensor_slices([1.0]).map(lambda x: tf.cast(x, tf.int64)))
    assert total.experimental_get_tracing_count() == 1

    @tf.function
    def count(ds):
        return ds.reduce(tf.constant(0), lambda n, _: n + 1)
    assert int(count(Dataset.range(4))) == 4 and int(count(Dataset.range(7))) == 7
    assert int(count(Dataset.range(4).batch(3))) == 2  # another element spec: a new trace
    assert count.experimental_get_tracing_count() == 2
    assert str(count.trace_history()).split("\n")[1] == (
        "trace 2: argument ds: Dataset(int64[]) -> Dataset(int64[?])")

    @tf.function
    def take_one(it):
        return next(it)
    first, second = iter(Dataset.range(3)), iter(Dataset.range(10, 13))
    assert [int(take_one(first)), int(take_one(second)), int(take_one(first))] == [0, 10, 1]
    assert take_one.experimental_get_tracing_count() == 1


def test_a_traced_function_returns_a_dataset():
    @tf.function
    def evens(n):
        return Dataset.range(n).filter(lambda x: x % 2 == 0)
    ds = evens(tf.constant(7, tf.int64))
    assert isinstance(ds, Dataset) and ds.element_spec == tf.TensorSpec([], tf.int64)
    assert list(ds.as_numpy_iterator()) == [0, 2, 4, 6]
