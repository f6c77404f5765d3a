"""Dataset sources: from_tensor_slices, from_tensors, range, zip, concatenate, from_generator,
and what iterating them gives (values, dtypes, structures, specs, cardinality)."""
import collections

import numpy as np
import pytest

import autotrace as tf

Dataset = tf.data.Dataset

Point = collections.namedtuple("Point", "x y")


def values(ds):
    return list(ds.as_numpy_iterator())


def test_from_tensor_slices_slices_rows_with_tf_dtype_defaults():
    ds = tf.data.Dataset.from_tensor_slices(([1.0, 2.0, 3.0], [1, 2, 3]))
    assert ds.element_spec == (tf.TensorSpec([], tf.float32), tf.TensorSpec([], tf.int32))
    assert values(ds) == [(1.0, 1), (2.0, 2), (3.0, 3)]
    x, y = next(iter(ds))
    assert x.dtype == tf.float32 and y.dtype == tf.int32


def test_from_tensor_slices_keeps_numpy_dtypes_and_copies_the_array():
    data = np.arange(6, dtype=np.float64).reshape(3, 2)
    ds = tf.data.Dataset.from_tensor_slices(data)
    data[0, 0] = 100.0  # the dataset took a copy, as TF does
    rows = values(ds)
    assert ds.element_spec == tf.TensorSpec([2], tf.float64)
    np.testing.assert_array_equal(rows, [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]])


def test_nested_dicts_and_namedtuples_and_lists_as_tensors():
    ds = tf.data.Dataset.from_tensor_slices(
        {"a": Point([1, 2], [3, 4]), "b": [[1.0, 2.0], [3.0, 4.0]], "c": [b"x", b"y"]})
    spec = ds.element_spec
    assert spec["a"] == Point(tf.TensorSpec([], tf.int32), tf.TensorSpec([], tf.int32))
    assert spec["b"] == tf.TensorSpec([2], tf.float32)       # a list is one tensor
    assert spec["c"] == tf.TensorSpec([], tf.string)
    first = next(iter(ds))
    assert isinstance(first["a"], Point) and int(first["a"].y) == 3
    assert first["c"].numpy() == b"x"
    assert values(ds)[1]["c"] == b"y"


def test_from_tensors_is_one_element():
    ds = tf.data.Dataset.from_tensors(([1, 2], 3.0))
    assert ds.element_spec == (tf.TensorSpec([2], tf.int32), tf.TensorSpec([], tf.float32))
    assert len(ds) == 1
    (a, b), = values(ds)
    assert a.tolist() == [1, 2] and b == 3.0


@pytest.mark.parametrize("args, expected", [
    ((5,), [0, 1, 2, 3, 4]), ((2, 5), [2, 3, 4]), ((1, 10, 3), [1, 4, 7]),
    ((5, 0, -2), [5, 3, 1]), ((3, 3), []),
])
def test_range_matches_python(args, expected):
    ds = tf.data.Dataset.range(*args)
    assert ds.element_spec == tf.TensorSpec([], tf.int64)
    assert values(ds) == expected
    assert int(ds.cardinality()) == len(expected)


def test_range_output_type():
    ds = tf.data.Dataset.range(3, output_type=tf.int32)
    assert [v.dtype for v in ds] == [tf.int32] * 3


def test_zip_stops_at_the_shortest_and_nests():
    a, b = tf.data.Dataset.range(3), tf.data.Dataset.range(10, 15)
    assert values(tf.data.Dataset.zip((a, b))) == [(0, 10), (1, 11), (2, 12)]
    assert values(tf.data.Dataset.zip(a, b)) == [(0, 10), (1, 11), (2, 12)]
    nested = tf.data.Dataset.zip({"p": a, "q": (b, a)})
    assert values(nested)[2] == {"p": 2, "q": (12, 2)}
    assert int(nested.cardinality()) == 3


def test_concatenate_generalises_shapes_and_refuses_other_dtypes():
    a = tf.data.Dataset.from_tensors([1, 2])
    b = tf.data.Dataset.from_tensors([3, 4, 5])
    both = a.concatenate(b)
    assert both.element_spec == tf.TensorSpec([None], tf.int32)
    assert [v.tolist() for v in values(both)] == [[1, 2], [3, 4, 5]]
    with pytest.raises(TypeError, match="Incompatible dataset elements"):
        a.concatenate(tf.data.Dataset.from_tensors([1.0, 2.0]))


def test_from_generator_with_output_signature_runs_the_generator_each_pass():
    calls = []

    def gen():
        calls.append(1)
        for i in range(3):
            yield i, [float(i)] * i

    ds = tf.data.Dataset.from_generator(gen, output_signature=(
        tf.TensorSpec([], tf.int32), tf.TensorSpec([None], tf.float32)))
    assert calls == []  # nothing runs until iterated
    got = values(ds)
    assert [g[0] for g in got] == [0, 1, 2] and got[2][1].tolist() == [2.0, 2.0]
    assert got[2][1].dtype == np.float32
    values(ds)
    assert len(calls) == 2
    assert int(ds.cardinality()) == tf.data.UNKNOWN_CARDINALITY


def test_from_generator_args_and_legacy_output_types():
    ds = tf.data.Dataset.from_generator(lambda n: iter(range(int(n))), output_types=tf.int64,
                                        output_shapes=[], args=(4,))
    assert values(ds) == [0, 1, 2, 3]
    assert ds.element_spec == tf.TensorSpec([], tf.int64)


def test_cardinality_constants_and_len():
    assert tf.data.INFINITE_CARDINALITY == -1 and tf.data.UNKNOWN_CARDINALITY == -2
    assert tf.data.AUTOTUNE == -1
    ds = tf.data.Dataset.range(4)
    assert len(ds) == 4 and ds.cardinality().dtype == tf.int64
    with pytest.raises(TypeError, match="The dataset is infinite."):
        len(ds.repeat())
    with pytest.raises(TypeError, match="The dataset length is unknown."):
        len(ds.filter(lambda x: x > 1))
    assert int(tf.data.experimental.cardinality(ds.repeat())) == -1


def test_eager_iterators_next_get_next_and_optional():
    it = iter(tf.data.Dataset.range(2))
    assert int(next(it)) == 0 and int(it.get_next()) == 1
    with pytest.raises(StopIteration):
        next(it)
    with pytest.raises(tf.errors.OutOfRangeError, match="End of sequence"):
        it.get_next()
    it = iter(tf.data.Dataset.range(1))
    first, second = it.get_next_as_optional(), it.get_next_as_optional()
    assert bool(first.has_value()) and int(first.get_value()) == 0
    assert not bool(second.has_value())
    with pytest.raises(tf.errors.InvalidArgumentError):
        second.get_value()
    assert isinstance(it, tf.data.Iterator)
    assert it.element_spec == tf.TensorSpec([], tf.int64)


def test_every_iteration_is_a_new_pass():
    ds = tf.data.Dataset.range(3)
    assert values(ds) == values(ds) == [0, 1, 2]
    a, b = iter(ds), iter(ds)
    assert int(next(a)) == 0 and int(next(a)) == 1 and int(next(b)) == 0


def test_repr_and_element_spec_text():
    ds = tf.data.Dataset.range(3)
    assert repr(ds) == ("<RangeDataset element_spec=TensorSpec(shape=(), "
                        "dtype=tf.int64, name=None)>")
    assert repr(tf.data.DatasetSpec(tf.TensorSpec([], tf.int64))) == (
        "DatasetSpec(TensorSpec(shape=(), dtype=tf.int64, name=None), TensorShape([]))")


def test_seed_004_training_loop_learns():
    """Seed 004's loop as written: tfe.Iterator over from_tensor_slices, implicit value and
    gradients, tf.train.GradientDescentOptimizer."""
    import autotrace.eager as tfe
    rng = np.random.default_rng(0)
    birth = rng.uniform(1, 7, 40).astype(np.float32)
    life = (80 - 5.5 * birth + rng.normal(0, 2, 40)).astype(np.float32)
    data = np.stack([birth, life], 1)
    dataset = tf.data.Dataset.from_tensor_slices((data[:, 0], data[:, 1]))
    w, b = tfe.Variable(0.0), tfe.Variable(0.0)

    def huber_loss(y, y_predicted, m=1.0):
        t = y - y_predicted
        return 0.5 * t ** 2 if tf.abs(t) <= m else m * (tf.abs(t) - 0.5 * m)

    def loss_for_example(x, y):
        return huber_loss(y, x * w + b)

    optimizer = tf.train.GradientDescentOptimizer(learning_rate=0.01)
    grad_fn = tfe.implicit_value_and_gradients(loss_for_example)
    epoch_losses = []
    for epoch in range(20):
        total_loss = 0.0
        for x_i, y_i in tfe.Iterator(dataset):
            loss, gradients = grad_fn(x_i, y_i)
            optimizer.apply_gradients(gradients)
            total_loss += loss
        epoch_losses.append(float(total_loss) / 40)
    # The Huber loss falls steadily (by about m * learning rate * |x| per step on outliers).
    assert epoch_losses[-1] < epoch_losses[0] - 5
    assert all(b < a for a, b in zip(epoch_losses, epoch_losses[1:]))


def test_counter_and_random_are_infinite():
    counter = tf.data.experimental.Counter(5, 2)
    assert int(counter.cardinality()) == tf.data.INFINITE_CARDINALITY
    assert values(counter.take(3)) == [5, 7, 9]
    assert values(Dataset.counter(dtype=tf.int32).take(2)) == [0, 1]
    tf.random.set_seed(4)
    draws = values(Dataset.random(seed=1).take(3))
    tf.random.set_seed(4)
    assert values(Dataset.random(seed=1).take(3)) == draws and len(set(draws)) == 3
