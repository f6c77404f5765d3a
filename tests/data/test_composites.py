"""Ragged and sparse components: slicing, batching (batch, ragged_batch), unbatching,
functions taking and returning them, and loops over them inside traced functions. Specs
and values as TensorFlow 2.21 gives them."""
import numpy as np

import autotrace as tf

Dataset = tf.data.Dataset


def ragged():
    return tf.ragged.constant([[1, 2], [3], [4, 5, 6]])


def test_slices_of_a_ragged_tensor_are_dense_rows():
    ds = Dataset.from_tensor_slices(ragged())
    assert ds.element_spec == tf.RaggedTensorSpec([None], tf.int32, 0, tf.int64)
    rows = list(ds)
    assert all(isinstance(r, tf.Tensor) for r in rows)
    assert [r.numpy().tolist() for r in rows] == [[1, 2], [3], [4, 5, 6]]
    assert int(ds.cardinality()) == 3


def test_batching_ragged_rows_makes_ragged_batches_and_unbatch_undoes_it():
    batched = Dataset.from_tensor_slices(ragged()).batch(2)
    assert batched.element_spec == tf.RaggedTensorSpec([None, None], tf.int32, 1, tf.int64)
    assert [b.to_list() for b in batched] == [[[1, 2], [3]], [[4, 5, 6]]]
    again = batched.unbatch()
    assert again.element_spec == tf.RaggedTensorSpec([None], tf.int32, 0, tf.int64)
    assert [r.numpy().tolist() for r in again] == [[1, 2], [3], [4, 5, 6]]


def test_ragged_rank_two_slices_and_batches():
    deep = tf.ragged.constant([[[1], [2, 3]], [[4]], [[], [5, 6], [7]]])
    ds = Dataset.from_tensor_slices(deep)
    assert ds.element_spec == tf.RaggedTensorSpec([None, None], tf.int32, 1, tf.int64)
    assert [r.to_list() for r in ds] == [[[1], [2, 3]], [[4]], [[], [5, 6], [7]]]
    batch = next(iter(ds.skip(1).batch(2)))
    assert batch.ragged_rank == 2 and batch.to_list() == [[[4]], [[], [5, 6], [7]]]


def test_ragged_batch_of_dense_elements_of_different_shapes():
    ds = Dataset.range(1, 4).map(lambda n: tf.fill([n], n)).ragged_batch(2)
    assert ds.element_spec == tf.RaggedTensorSpec([None, None], tf.int64, 1, tf.int64)
    assert [b.to_list() for b in ds] == [[[1], [2, 2]], [[3, 3, 3]]]
    pairs = Dataset.from_tensor_slices(([1, 2], [[1.0, 2.0], [3.0, 4.0]])).ragged_batch(2)
    scalars, vectors = next(iter(pairs))
    assert isinstance(scalars, tf.Tensor) and scalars.numpy().tolist() == [1, 2]
    assert vectors.to_list() == [[1.0, 2.0], [3.0, 4.0]]


def test_sparse_slices_and_batches():
    sparse = tf.sparse.SparseTensor(indices=[[0, 1], [2, 0]], values=[10, 20],
                                    dense_shape=[3, 4])
    ds = Dataset.from_tensor_slices(sparse)
    assert ds.element_spec == tf.SparseTensorSpec([4], tf.int32)
    rows = [tf.sparse.to_dense(r).numpy().tolist() for r in ds]
    assert rows == [[0, 10, 0, 0], [0, 0, 0, 0], [20, 0, 0, 0]]
    batched = ds.batch(2)
    assert batched.element_spec == tf.SparseTensorSpec([None, 4], tf.int32)
    assert [tf.sparse.to_dense(b).numpy().tolist() for b in batched] == [
        [[0, 10, 0, 0], [0, 0, 0, 0]], [[20, 0, 0, 0]]]
    first = next(iter(batched.unbatch()))
    assert first.indices.numpy().tolist() == [[1]] and first.values.numpy().tolist() == [10]


def test_functions_take_and_return_composites():
    sums = Dataset.from_tensor_slices(ragged()).batch(2).map(
        lambda r: tf.reduce_sum(r, axis=1))
    assert [s.numpy().tolist() for s in sums] == [[3, 3], [15]]
    made = Dataset.range(3).map(
        lambda x: tf.RaggedTensor.from_row_lengths(tf.range(x * 2), [x, x]))
    assert made.element_spec == tf.RaggedTensorSpec([2, None], tf.int64, 1, tf.int64)
    assert [r.to_list() for r in made] == [[[], []], [[0], [1]], [[0, 1], [2, 3]]]
    whole = Dataset.from_tensors(ragged())
    assert whole.element_spec == tf.RaggedTensorSpec([3, None], tf.int32, 1, tf.int64)


def test_loops_over_ragged_elements_inside_a_traced_function():
    @tf.function
    def total(ds):
        s = tf.constant(0)
        for r in ds:
            s += tf.reduce_sum(r)
        return s
    assert int(total(Dataset.from_tensor_slices(ragged()).batch(2))) == 21
    assert int(total(Dataset.from_tensor_slices(ragged()))) == 21
    assert total.experimental_get_tracing_count() == 2  # two element specs
    np.testing.assert_array_equal(
        next(iter(Dataset.from_tensor_slices(ragged()).batch(3))).flat_values.numpy(),
        [1, 2, 3, 4, 5, 6])


def test_from_generator_with_ragged_and_sparse_signatures():
    def rows():
        yield [[1, 2], [3]]
        yield [[4], [], [5, 6]]
    ds = Dataset.from_generator(rows, output_signature=tf.RaggedTensorSpec(
        [None, None], tf.int32, 1))
    assert [r.to_list() for r in ds] == [[[1, 2], [3]], [[4], [], [5, 6]]]
    sparse = tf.sparse.SparseTensor([[0, 1]], [7.0], [2, 3])
    ds = Dataset.from_generator(lambda: iter([sparse]),
                                output_signature=tf.SparseTensorSpec([2, 3], tf.float32))
    assert tf.sparse.to_dense(next(iter(ds))).numpy().tolist() == [[0, 7, 0], [0, 0, 0]]
