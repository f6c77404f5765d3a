"""batch, padded_batch, unbatch, rebatch, window; flat_map, interleave and the choosing steps;
bucket_by_sequence_length; and the vectorised path giving the same batches as the
element-by-element one."""
import numpy as np
import pytest

import autotrace as tf
from autotrace.data import plans

Dataset = tf.data.Dataset


def values(ds):
    return list(ds.as_numpy_iterator())


def as_lists(items):
    return [x.tolist() if isinstance(x, np.ndarray) else x for x in items]


@pytest.fixture(params=[True, False], ids=["vectorised", "element-by-element"])
def both_paths(request, monkeypatch):
    monkeypatch.setattr(plans, "VECTORISED", request.param)
    return request.param


# -- batch -------------------------------------------------------------------------------------

def test_batch_with_and_without_remainder(both_paths):
    ds = Dataset.range(7)
    assert as_lists(values(ds.batch(3))) == [[0, 1, 2], [3, 4, 5], [6]]
    assert as_lists(values(ds.batch(3, drop_remainder=True))) == [[0, 1, 2], [3, 4, 5]]
    assert ds.batch(3).element_spec == tf.TensorSpec([None], tf.int64)
    assert ds.batch(3, drop_remainder=True).element_spec == tf.TensorSpec([3], tf.int64)


def test_batch_of_structures(both_paths):
    x = np.arange(12, dtype=np.float32).reshape(6, 2)
    ds = Dataset.from_tensor_slices({"x": x, "y": np.arange(6)}).batch(4)
    first, second = values(ds)
    np.testing.assert_array_equal(first["x"], x[:4])
    assert second["y"].tolist() == [4, 5]
    assert ds.element_spec == {"x": tf.TensorSpec([None, 2], tf.float32),
                               "y": tf.TensorSpec([None], tf.int64)}


def test_map_shuffle_batch_pipelines_agree_on_both_paths(both_paths):
    x = np.arange(40, dtype=np.float32).reshape(20, 2)
    y = np.arange(20)

    def normalise(a, b):
        return (a - 10.0) / 2.0, b * 2

    ds = Dataset.from_tensor_slices((x, y)).map(normalise).shuffle(20, seed=3).batch(6)
    batches = values(ds)
    assert [len(b[1]) for b in batches] == [6, 6, 6, 2]
    labels = np.concatenate([b[1] for b in batches])
    assert sorted(labels.tolist()) == list(range(0, 40, 2))
    for a, b in batches:  # every row still matches its label
        np.testing.assert_allclose(a, (x[b // 2] - 10.0) / 2.0)


def test_vectorised_and_element_paths_give_identical_deterministic_batches(monkeypatch):
    def pipeline():
        x = np.arange(30, dtype=np.float32).reshape(15, 2)
        return (Dataset.from_tensor_slices((x, np.arange(15))).map(lambda a, b: (a * 2, b))
                .repeat(2).skip(3).take(20).shard(2, 1).filter(lambda a, b: b % 3 != 0)
                .batch(4))
    fast = values(pipeline())
    monkeypatch.setattr(plans, "VECTORISED", False)
    slow = values(pipeline())
    assert len(fast) == len(slow)
    for (a1, b1), (a2, b2) in zip(fast, slow):
        np.testing.assert_array_equal(a1, a2)
        np.testing.assert_array_equal(b1, b2)


def test_elementwise_map_runs_once_per_batch():
    """A map whose graph is elementwise is applied to whole batches (one call each)."""
    from autotrace.data.functions import StructuredFunction
    calls = []
    original = StructuredFunction.call_batched

    def counting(self, batch):
        calls.append(len(batch[0]))
        return original(self, batch)
    x = np.random.default_rng(0).random((10, 3)).astype(np.float32)
    ds = Dataset.from_tensor_slices(x).map(lambda v: tf.cast(v * 255.0, tf.int32)).batch(4)
    try:
        StructuredFunction.call_batched = counting
        got = np.concatenate(values(ds))
    finally:
        StructuredFunction.call_batched = original
    assert calls == [4, 4, 2]
    np.testing.assert_array_equal(got, (x * np.float32(255.0)).astype(np.int32))


@pytest.mark.parametrize("fn, elementwise", [
    (lambda v: (v - 1.0) / 2.0, True),
    (lambda v: tf.maximum(v, 0.0) * tf.constant([1.0, 2.0, 3.0]), True),   # same rank
    (lambda v: v + tf.constant([[1.0], [2.0]]), False),   # a constant of higher rank
    (lambda v: tf.reduce_sum(v), False),                  # not elementwise
    (lambda v: v * tf.random.uniform([3]), False),        # stateful
    (lambda v: (v, tf.constant(1.0)), False),             # an output not from the input
])
def test_elementwise_analysis(fn, elementwise):
    ds = Dataset.from_tensor_slices(np.ones((4, 3), np.float32)).map(fn)
    assert ds._fn.batchable is elementwise


def test_batch_size_must_be_positive():
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Dataset.batch\(\) at .*test_batching.py:\d+: batch_size must be "
                             r"greater than zero, got 0"):
        Dataset.range(3).batch(0)


def test_batch_of_different_shapes_names_the_component_and_elements():
    ds = Dataset.range(1, 4).map(lambda n: tf.fill([n], n)).batch(2)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"cannot batch tensors with different shapes in component 0: "
                             r"element 0 has shape \(1,\) and element 1 has shape \(2,\)"):
        values(ds)


# -- padded_batch ------------------------------------------------------------------------------

def test_padded_batch_pads_to_the_longest_in_each_batch():
    ds = Dataset.range(1, 5).map(lambda n: tf.fill([n], n)).padded_batch(2)
    first, second = values(ds)
    assert first.tolist() == [[1, 0], [2, 2]]
    assert second.tolist() == [[3, 3, 3, 0], [4, 4, 4, 4]]
    assert ds.element_spec == tf.TensorSpec([None, None], tf.int64)


def test_padded_batch_shapes_values_and_strings():
    ds = Dataset.from_tensor_slices(([[1], [2]], [b"a", b"b"])).map(
        lambda x, s: (x, tf.fill([2], s)))
    batched = ds.padded_batch(2, padded_shapes=([3], [2]), padding_values=(-1, b"?"))
    (nums, strs), = values(batched)
    assert nums.tolist() == [[1, -1, -1], [2, -1, -1]]
    assert strs.tolist() == [[b"a", b"a"], [b"b", b"b"]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="larger than its padded shape"):
        values(Dataset.range(1, 4).map(lambda n: tf.fill([n], n)).padded_batch(2, [2]))


# -- unbatch, rebatch ----------------------------------------------------------------------------

def test_unbatch_and_rebatch():
    ds = Dataset.range(7).batch(3)
    assert values(ds.unbatch()) == list(range(7))
    assert ds.unbatch().element_spec == tf.TensorSpec([], tf.int64)
    assert as_lists(values(ds.rebatch(2))) == [[0, 1], [2, 3], [4, 5], [6]]
    assert as_lists(values(ds.rebatch([1, 3]))) == [[0], [1, 2, 3], [4], [5, 6]]
    pairs = Dataset.from_tensor_slices(([[1, 2]], [[b"a", b"b"]])).unbatch()
    assert values(pairs) == [(1, b"a"), (2, b"b")]


# -- interleave, flat_map, choose, sample --------------------------------------------------------

def test_flat_map_concatenates_the_datasets():
    ds = Dataset.from_tensor_slices([[1, 2], [3, 4]]).flat_map(Dataset.from_tensor_slices)
    assert values(ds) == [1, 2, 3, 4]


def test_interleave_order_matches_tf():
    ds = Dataset.range(1, 6).interleave(
        lambda x: Dataset.from_tensors(x).repeat(x), cycle_length=2, block_length=2)
    # TF 2.21's order for this example.
    assert values(ds) == [1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 4, 4, 5, 5, 5]


def test_choose_and_sample_from_datasets():
    a, b = Dataset.range(0, 3), Dataset.range(10, 13)
    choice = Dataset.from_tensor_slices(np.array([0, 1, 1, 0], np.int64))
    assert values(Dataset.choose_from_datasets([a, b], choice)) == [0, 10, 11, 1]
    tf.random.set_seed(5)
    sampled = values(Dataset.sample_from_datasets([a, b], weights=[0.5, 0.5], seed=1))
    assert sorted(sampled) == [0, 1, 2, 10, 11, 12]
    assert [v for v in sampled if v < 10] == [0, 1, 2]  # each input keeps its order
    only_b = values(Dataset.sample_from_datasets([a, b], weights=[0.0, 1.0]))
    assert only_b == [10, 11, 12]


# -- bucket_by_sequence_length -------------------------------------------------------------------

def test_bucket_by_sequence_length_groups_and_pads():
    lengths = [1, 5, 2, 6, 3, 7]
    ds = Dataset.from_tensor_slices(np.array(lengths, np.int64)).map(lambda n: tf.fill([n], n))
    bucketed = ds.bucket_by_sequence_length(lambda x: tf.size(x), bucket_boundaries=[4],
                                            bucket_batch_sizes=[2, 2])
    got = [b.tolist() for b in values(bucketed)]
    assert got == [[[1, 0], [2, 2]], [[5, 5, 5, 5, 5, 0], [6, 6, 6, 6, 6, 6]], [[3, 3, 3]],
                   [[7, 7, 7, 7, 7, 7, 7]]]


# -- window, group_by_window ---------------------------------------------------------------------

def test_window_yields_datasets_batched_by_flat_map():
    ds = Dataset.range(7).window(3, 2)
    assert ds.element_spec == tf.data.DatasetSpec(tf.TensorSpec([], tf.int64))
    assert as_lists(values(ds.flat_map(lambda w: w.batch(3)))) == [[0, 1, 2], [2, 3, 4],
                                                                   [4, 5, 6], [6]]
    strided = Dataset.range(10).window(3, shift=4, stride=2).flat_map(lambda w: w.batch(3))
    assert as_lists(values(strided)) == [[0, 2, 4], [4, 6, 8], [8]]  # TF's answer
    assert int(Dataset.range(10).window(3, shift=4, stride=2).cardinality()) == 3
    dropped = Dataset.range(7).window(3, 2, drop_remainder=True)
    assert len(list(dropped)) == 3 and int(dropped.cardinality()) == 3


def test_window_of_tuples_is_a_tuple_of_datasets():
    pairs = Dataset.from_tensor_slices(([1, 2, 3], [b"a", b"b", b"c"])).window(2)
    nums, strs = next(iter(pairs))
    assert list(nums.as_numpy_iterator()) == [1, 2]
    assert list(strs.as_numpy_iterator()) == [b"a", b"b"]
    zipped = pairs.flat_map(lambda n, s: Dataset.zip((n.batch(2), s.batch(2))))
    assert [(n.tolist(), s.tolist()) for n, s in values(zipped)] == [
        ([1, 2], [b"a", b"b"]), ([3], [b"c"])]


def test_group_by_window_matches_tf():
    ds = Dataset.range(10).group_by_window(lambda x: x % 3, lambda k, w: w.batch(4),
                                           window_size=4)
    assert as_lists(values(ds)) == [[0, 3, 6, 9], [1, 4, 7], [2, 5, 8]]
    sized = Dataset.range(10).group_by_window(
        lambda x: x % 2, lambda k, w: w.batch(5), window_size_func=lambda k: k + 2)
    assert as_lists(values(sized)) == [[0, 2], [1, 3, 5], [4, 6], [8], [7, 9]]  # as TF


def test_bucket_by_sequence_length_padding_to_the_boundary_and_no_padding():
    ds = Dataset.from_tensor_slices(np.array([1, 2, 5], np.int64)).map(
        lambda n: tf.fill([n], n))
    bounded = ds.bucket_by_sequence_length(lambda x: tf.size(x), [4], [2, 2],
                                           pad_to_bucket_boundary=True)
    assert [b.shape for b in bounded][0] == (2, 3)  # padded to boundary - 1
    same = Dataset.from_tensor_slices(np.ones((4, 2), np.int64))
    plain = same.bucket_by_sequence_length(lambda x: tf.size(x), [3], [2, 2], no_padding=True)
    assert [b.shape for b in plain] == [(2, 2), (2, 2)]
