"""RaggedTensor eagerly: construction, reading, printing, indexing and ops, with the answers
TensorFlow gives (TF's ragged tensor guide, restated)."""
import numpy as np
import pytest

import autotrace as tf
from autotrace.errors import InvalidArgumentError

R = tf.RaggedTensor


def rows(rt):
    return rt.to_list()


# -- construction (the guide's "Constructing a ragged tensor") ---------------------------------

def test_constant_and_printing():
    digits = tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])
    assert repr(digits) == "<tf.RaggedTensor [[3, 1, 4, 1], [], [5, 9, 2], [6], []]>"
    assert str(digits) == repr(digits)
    words = tf.ragged.constant([["So", "long"], ["thanks", "for", "all", "the", "fish"]])
    assert repr(words) == ("<tf.RaggedTensor [[b'So', b'long'], [b'thanks', b'for', b'all', "
                           "b'the', b'fish']]>")
    assert repr(tf.ragged.constant([[1.5, 2.0], [], [3.0]])) == \
        "<tf.RaggedTensor [[1.5, 2.0], [], [3.0]]>"
    assert digits.dtype == tf.int32 and words.dtype == tf.string
    assert tf.ragged.constant([[], []]).dtype == tf.float32


def test_factories_give_tf_answers():
    values = [3, 1, 4, 1, 5, 9, 2]
    assert rows(R.from_value_rowids(values, [0, 0, 0, 0, 2, 2, 3])) == \
        [[3, 1, 4, 1], [], [5, 9], [2]]
    assert rows(R.from_row_lengths(values, [4, 0, 2, 1])) == [[3, 1, 4, 1], [], [5, 9], [2]]
    assert rows(R.from_row_splits(values, [0, 4, 4, 6, 7])) == [[3, 1, 4, 1], [], [5, 9], [2]]
    assert rows(R.from_row_starts(values, [0, 4, 4, 6])) == [[3, 1, 4, 1], [], [5, 9], [2]]
    assert rows(R.from_row_limits(values, [4, 4, 6, 7])) == [[3, 1, 4, 1], [], [5, 9], [2]]
    assert rows(R.from_value_rowids([1, 2, 3], [0, 0, 2], nrows=4)) == [[1, 2], [], [3], []]
    nested = R.from_nested_row_lengths([1, 2, 3, 4], [[2, 1], [1, 1, 2]])
    assert rows(nested) == [[[1], [2]], [[3, 4]]]
    assert rows(R.from_nested_row_splits([1, 2, 3, 4], [[0, 2, 3], [0, 1, 2, 4]])) == \
        rows(nested)


def test_from_tensor_and_to_tensor():
    dense = [[1, 0, 0], [2, 3, 0]]
    assert rows(R.from_tensor(dense)) == [[1, 0, 0], [2, 3, 0]]
    assert rows(R.from_tensor(dense, padding=0)) == [[1], [2, 3]]
    assert rows(R.from_tensor(dense, lengths=[1, 3])) == [[1], [2, 3, 0]]
    rt = tf.ragged.constant([[1, 2], [3], [4, 5, 6]])
    np.testing.assert_array_equal(rt.to_tensor(), [[1, 2, 0], [3, 0, 0], [4, 5, 6]])
    np.testing.assert_array_equal(rt.to_tensor(default_value=-1, shape=[2, 2]),
                                  [[1, 2], [3, -1]])
    np.testing.assert_array_equal(rt.to_tensor(shape=[None, 4]),
                                  [[1, 2, 0, 0], [3, 0, 0, 0], [4, 5, 6, 0]])
    deep = tf.ragged.constant([[[1, 2], [3]], [[4]]])
    np.testing.assert_array_equal(deep.to_tensor(), [[[1, 2], [3, 0]], [[4, 0], [0, 0]]])


def test_ragged_rank_and_inner_shape():
    rt = tf.ragged.constant([[[1, 2]], [[3, 4], [5, 6]]], ragged_rank=1)
    assert rt.shape == tf.TensorShape([2, None, 2]) and rt.ragged_rank == 1
    assert tf.ragged.constant([[[1, 2]], [[3, 4], [5]]]).shape == tf.TensorShape([2, None, None])
    inner = tf.ragged.constant([[[1, 2]], [[3, 4], [5, 6]]], inner_shape=(2,))
    assert inner.ragged_rank == 1 and inner.shape == tf.TensorShape([2, None, 2])
    with pytest.raises(ValueError, match="same nesting depth"):
        tf.ragged.constant([[1, 2], 3])


def test_reading_the_partition():
    rt = tf.ragged.constant([[1, 2], [3], [4, 5, 6]])
    np.testing.assert_array_equal(rt.values, [1, 2, 3, 4, 5, 6])
    np.testing.assert_array_equal(rt.row_splits, [0, 2, 3, 6])
    assert rt.row_splits.dtype == tf.int64
    np.testing.assert_array_equal(rt.row_lengths(), [2, 1, 3])
    np.testing.assert_array_equal(rt.value_rowids(), [0, 0, 1, 2, 2, 2])
    np.testing.assert_array_equal(rt.row_starts(), [0, 2, 3])
    np.testing.assert_array_equal(rt.row_limits(), [2, 3, 6])
    assert int(rt.nrows()) == 3
    np.testing.assert_array_equal(rt.bounding_shape(), [3, 3])
    deep = tf.ragged.constant([[[1, 2], [3]], [[4]]])
    assert deep.ragged_rank == 2 and len(deep.nested_row_splits) == 2
    np.testing.assert_array_equal(deep.flat_values, [1, 2, 3, 4])
    arrays = rt.numpy()
    assert arrays.dtype == object and [a.tolist() for a in arrays] == [[1, 2], [3], [4, 5, 6]]
    assert repr(tf.shape(rt)) == "<DynamicRaggedShape lengths=[3, (2, 1, 3)] num_row_partitions=1>"
    assert int(tf.shape(rt)[0]) == 3
    with pytest.raises(ValueError, match="not uniform"):
        tf.shape(rt)[1]


def test_bad_partitions_name_the_factory_and_index():
    with pytest.raises(InvalidArgumentError, match=r"from_row_splits: row_splits must be sorted "
                       r"in ascending order, but row_splits\[2\] = 1"):
        R.from_row_splits([1, 2, 3], [0, 2, 1])
    with pytest.raises(InvalidArgumentError, match=r"row_splits\[0\] must be 0"):
        R.from_row_splits([1, 2, 3], [1, 2, 3])
    with pytest.raises(InvalidArgumentError, match=r"row_splits\[-1\] = 4 must equal the number "
                       "of values, 3"):
        R.from_row_splits([1, 2, 3], [0, 2, 4])
    with pytest.raises(InvalidArgumentError, match=r"row_lengths\[1\] = -1"):
        R.from_row_lengths([1, 2, 3], [2, -1, 2])
    with pytest.raises(InvalidArgumentError, match=r"value_rowids\[2\] = 1 is less than"):
        R.from_value_rowids([1, 2, 3], [0, 2, 1])
    with pytest.raises(ValueError, match="constructor is private"):
        R(tf.constant([1]), tf.constant([0, 1]))


# -- indexing ----------------------------------------------------------------------------------

def test_indexing_and_slicing():
    rt = tf.ragged.constant([[1, 2], [3], [4, 5, 6]])
    np.testing.assert_array_equal(rt[1], [3])
    np.testing.assert_array_equal(rt[-1], [4, 5, 6])
    assert rows(rt[0:2]) == [[1, 2], [3]]
    assert rows(rt[::2]) == [[1, 2], [4, 5, 6]]
    assert rows(rt[-2:]) == [[3], [4, 5, 6]]
    assert rows(rt[:, 1:]) == [[2], [], [5, 6]]
    assert rows(rt[:, :-1]) == [[1], [], [4, 5]]
    np.testing.assert_array_equal(rt[2, 1:], [5, 6])
    with pytest.raises(ValueError, match="Cannot index into an inner ragged dimension"):
        rt[:, 0]
    deep = tf.ragged.constant([[[1, 2]], [[3, 4], [5]]])
    assert rows(deep[:, :, 1:]) == [[[2]], [[4], []]]
    assert [r.numpy().tolist() for r in rt] == [[1, 2], [3], [4, 5, 6]]


# -- ops through dispatch ----------------------------------------------------------------------

def test_elementwise_ops_and_operators():
    rt = tf.ragged.constant([[1, 2], [3], [4, 5, 6]])
    assert rows(tf.add(rt, 1)) == [[2, 3], [4], [5, 6, 7]]
    assert rows(rt * 2) == rows(2 * rt) == [[2, 4], [6], [8, 10, 12]]
    assert rows(-rt) == [[-1, -2], [-3], [-4, -5, -6]]
    assert rows(rt + rt) == [[2, 4], [6], [8, 10, 12]]
    assert rows(rt == rt) == [[True, True], [True], [True, True, True]]
    assert rows(rt > 2) == [[False, False], [True], [True, True, True]]
    assert rows(rt + tf.constant([[10], [20], [30]])) == [[11, 12], [23], [34, 35, 36]]
    assert rows(np.int32(1) + rt) == [[2, 3], [4], [5, 6, 7]]
    floats = tf.cast(rt, tf.float32)
    assert floats.dtype == tf.float32
    np.testing.assert_allclose(tf.math.sin(floats).flat_values, np.sin([1, 2, 3, 4, 5, 6]),
                               rtol=1e-6)
    assert rows(tf.ragged.map_flat_values(tf.ones_like, rt)) == [[1, 1], [1], [1, 1, 1]]
    assert rows(tf.zeros_like(rt)) == [[0, 0], [0], [0, 0, 0]]
    with pytest.raises(InvalidArgumentError, match=r"different row partitions \(row_splits\[2\] "
                       r"is 3 and 4\)"):
        tf.ragged.constant([[1, 2], [3]]) + tf.ragged.constant([[1, 2], [3, 4]])
    with pytest.raises(TypeError, match="RaggedTensor cannot be converted to a Tensor; use "
                       r"rt.to_tensor\(\)"):
        tf.convert_to_tensor(rt)


def test_reductions():
    rt = tf.ragged.constant([[1, 2], [3], [4, 5, 6]])
    np.testing.assert_array_equal(tf.reduce_sum(rt, axis=0), [8, 7, 6])
    np.testing.assert_array_equal(tf.reduce_sum(rt, axis=1), [3, 3, 15])
    assert int(tf.reduce_sum(rt)) == 21 and int(tf.reduce_sum(rt, axis=[0, 1])) == 21
    f = tf.ragged.constant([[1.0, 2.0], []])
    np.testing.assert_array_equal(tf.reduce_max(f, axis=1), [2.0, np.finfo(np.float32).min])
    np.testing.assert_array_equal(tf.reduce_min(f, axis=1), [1.0, np.finfo(np.float32).max])
    np.testing.assert_array_equal(tf.reduce_mean(f, axis=1), [1.5, np.nan])
    np.testing.assert_array_equal(tf.reduce_prod(f, axis=1), [2.0, 1.0])
    b = tf.ragged.constant([[True, False], []])
    np.testing.assert_array_equal(tf.reduce_all(b, axis=1), [False, True])
    np.testing.assert_array_equal(tf.reduce_any(b, axis=1), [True, False])
    deep = tf.ragged.constant([[[1, 2]], [[3, 4], [5]]])
    assert rows(tf.reduce_sum(deep, axis=2)) == [[3], [7, 5]]
    deeper = tf.ragged.constant([[[1, 2], [3]], [[4], [5, 6, 7]], []])  # TF 2.21's answers
    assert rows(tf.reduce_sum(deeper, axis=1)) == [[4, 2], [9, 6, 7], []]
    assert rows(tf.reduce_max(deeper, axis=1)) == [[3, 2], [5, 6, 7], []]
    assert rows(tf.reduce_sum(tf.ragged.constant([[[[1, 2], [3]], [[4]]], [[[5, 6]]]]),
                              axis=2)) == [[[4, 2], [4]], [[5, 6]]]
    with pytest.raises(NotImplementedError, match="supported for its two innermost ragged "
                       "axes"):
        tf.reduce_sum(deeper, axis=0)
    np.testing.assert_array_equal(tf.reduce_sum(rt, axis=1, keepdims=True), [[3], [3], [15]])


def test_concat_stack_gather_where_boolean_mask():
    rt = tf.ragged.constant([[1, 2], [3], [4, 5, 6]])
    assert rows(tf.concat([rt, rt], axis=0)) == [[1, 2], [3], [4, 5, 6], [1, 2], [3], [4, 5, 6]]
    assert rows(tf.concat([rt, rt], axis=1)) == [[1, 2, 1, 2], [3, 3], [4, 5, 6, 4, 5, 6]]
    assert rows(tf.ragged.stack([rt, rt])) == [rows(rt), rows(rt)]
    assert rows(tf.stack([rt, rt], axis=1)) == [[[1, 2], [1, 2]], [[3], [3]],
                                                [[4, 5, 6], [4, 5, 6]]]
    assert rows(tf.gather(rt, [2, 0])) == [[4, 5, 6], [1, 2]]
    assert rows(tf.gather([10, 20, 30], tf.ragged.constant([[0, 2], [1]]))) == [[10, 30], [20]]
    assert rows(tf.where(rt > 2, rt, rt * 10)) == [[10, 20], [3], [4, 5, 6]]
    np.testing.assert_array_equal(tf.where(rt > 2), [[1, 0], [2, 0], [2, 1], [2, 2]])
    assert rows(tf.ragged.boolean_mask(rt, rt > 2)) == [[], [3], [4, 5, 6]]
    assert rows(tf.ragged.boolean_mask([[1, 2, 3], [4, 5, 6]],
                                       [[True, False, True], [False, False, True]])) == \
        [[1, 3], [6]]
    assert rows(tf.ragged.range([3, 1])) == [[0, 1, 2], [0]]
    assert rows(tf.ragged.range([3, 5], [5, 8], 2)) == [[3], [5, 7]]
    assert int(tf.size(rt)) == 6 and int(tf.rank(rt)) == 2


def test_tf_print_of_ragged_and_sparse(capsys):
    import sys
    rt = tf.ragged.constant([[1, 2], [3]])
    tf.print("x:", rt, tf.ragged.constant([["a", "b"], []]), output_stream=sys.stdout)
    tf.print(tf.ragged.constant([list(range(10)), [1]]), output_stream=sys.stdout)
    tf.print(tf.SparseTensor([[0, 1]], [5], [2, 2]), output_stream=sys.stdout)

    @tf.function
    def show(r):
        tf.print(r, output_stream=sys.stdout)

    show(rt)
    show(tf.ragged.constant([[7], [8, 9]]))  # same trace: the text is made when it runs
    assert capsys.readouterr().out == (
        "x: [[1, 2], [3]] [['a', 'b'], []]\n"
        "[[0, 1, 2, ..., 7, 8, 9], [1]]\n"
        "'SparseTensor(indices=[[0 1]], values=[5], shape=[2 2])'\n"
        "[[1, 2], [3]]\n"
        "[[7], [8, 9]]\n")
