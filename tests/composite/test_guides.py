"""TensorFlow's ragged tensor and sparse tensor guides, restated: each block is the guide's
code with TF's printed answers (TF 2.21)."""
import math

import numpy as np
import pytest

import autotrace as tf
from autotrace.errors import InvalidArgumentError


def test_ragged_guide_what_you_can_do():
    digits = tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])
    words = tf.ragged.constant([["So", "long"], ["thanks", "for", "all", "the", "fish"]])
    assert repr(tf.add(digits, 3)) == "<tf.RaggedTensor [[6, 4, 7, 4], [], [8, 12, 5], [9], []]>"
    mean = tf.reduce_mean(digits, axis=1)
    assert mean.dtype == tf.float64
    np.testing.assert_allclose(mean, [2.25, np.nan, 5.33333333, 6.0, np.nan])
    assert repr(tf.concat([digits, [[5, 3]]], axis=0)) == \
        "<tf.RaggedTensor [[3, 1, 4, 1], [], [5, 9, 2], [6], [], [5, 3]]>"
    assert repr(tf.tile(digits, [1, 2])) == \
        "<tf.RaggedTensor [[3, 1, 4, 1, 3, 1, 4, 1], [], [5, 9, 2, 5, 9, 2], [6, 6], []]>"
    assert repr(tf.map_fn(tf.math.square, digits)) == \
        "<tf.RaggedTensor [[9, 1, 16, 1], [], [25, 81, 4], [36], []]>"
    np.testing.assert_array_equal(digits[0], [3, 1, 4, 1])
    assert repr(digits[:, :2]) == "<tf.RaggedTensor [[3, 1], [], [5, 9], [6], []]>"
    assert repr(digits[:, -2:]) == "<tf.RaggedTensor [[4, 1], [], [9, 2], [6], []]>"
    assert repr(digits + 3) == "<tf.RaggedTensor [[6, 4, 7, 4], [], [8, 12, 5], [9], []]>"
    assert repr(digits + tf.ragged.constant([[1, 2, 3, 4], [], [5, 6, 7], [8], []])) == \
        "<tf.RaggedTensor [[4, 3, 7, 5], [], [10, 15, 9], [14], []]>"
    times_two_plus_one = lambda x: x * 2 + 1  # noqa: E731
    assert repr(tf.ragged.map_flat_values(times_two_plus_one, digits)) == \
        "<tf.RaggedTensor [[7, 3, 9, 3], [], [11, 19, 5], [13], []]>"
    assert digits.to_list() == [[3, 1, 4, 1], [], [5, 9, 2], [6], []]
    assert words.to_list()[0] == [b"So", b"long"]


def test_ragged_guide_constructing():
    sentences = tf.ragged.constant([["Let's", "build", "some", "ragged", "tensors", "!"],
                                    ["We", "can", "use", "tf.ragged.constant", "."]])
    assert sentences.shape == tf.TensorShape([2, None])
    paragraphs = tf.ragged.constant([
        [["I", "have", "a", "cat"], ["His", "name", "is", "Mat"]],
        [["Do", "you", "want", "to", "come", "visit"], ["I'm", "free", "tomorrow"]]])
    assert paragraphs.ragged_rank == 2 and paragraphs.shape == tf.TensorShape([2, None, None])
    rt = tf.RaggedTensor.from_value_rowids(values=[3, 1, 4, 1, 5, 9, 2],
                                           value_rowids=[0, 0, 0, 0, 2, 2, 3])
    assert repr(rt) == "<tf.RaggedTensor [[3, 1, 4, 1], [], [5, 9], [2]]>"
    rt = tf.RaggedTensor.from_nested_row_splits(
        flat_values=[10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
        nested_row_splits=([0, 1, 1, 5], [0, 3, 3, 5, 9, 10]))
    assert repr(rt) == \
        "<tf.RaggedTensor [[[10, 11, 12]], [], [[], [13, 14], [15, 16, 17, 18], [19]]]>"
    assert rt.ragged_rank == 2 and rt.shape == tf.TensorShape([3, None, None])
    rt = tf.RaggedTensor.from_row_splits(values=[[1, 3], [0, 0], [1, 3], [5, 3], [3, 3], [1, 2]],
                                         row_splits=[0, 3, 4, 6])
    assert rt.shape == tf.TensorShape([3, None, 2])
    assert repr(rt) == ("<tf.RaggedTensor [[[1, 3],\n  [0, 0],\n  [1, 3]], [[5, 3]], "
                        "[[3, 3],\n                      [1, 2]]]>")  # NumPy's layout, as TF
    uniform = tf.RaggedTensor.from_uniform_row_length(
        values=tf.RaggedTensor.from_row_splits(values=[10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
                                               row_splits=[0, 3, 5, 9, 10]),
        uniform_row_length=2)
    assert uniform.to_list() == [[[10, 11, 12], [13, 14]], [[15, 16, 17, 18], [19]]]
    with pytest.raises(ValueError, match="same nesting depth"):
        tf.ragged.constant([["one", "two"], ["three", ["four"]]])


def test_ragged_guide_tf_function_and_signatures():
    @tf.function
    def make_palindrome(x, axis):
        return tf.concat([x, tf.reverse(x, [axis])], axis)

    np.testing.assert_array_equal(make_palindrome(tf.constant([[1, 2], [3, 4], [5, 6]]), axis=1),
                                  [[1, 2, 2, 1], [3, 4, 4, 3], [5, 6, 6, 5]])
    assert repr(make_palindrome(tf.ragged.constant([[1, 2], [3], [4, 5, 6]]), axis=1)) == \
        "<tf.RaggedTensor [[1, 2, 2, 1], [3, 3], [4, 5, 6, 6, 5, 4]]>"

    @tf.function(input_signature=[tf.RaggedTensorSpec(shape=[None, None], dtype=tf.int32)])
    def max_and_min(rt):
        return (tf.math.reduce_max(rt, axis=-1), tf.math.reduce_min(rt, axis=-1))

    high, low = max_and_min(tf.ragged.constant([[1, 2], [3], [4, 5, 6]]))
    np.testing.assert_array_equal(high, [2, 3, 6])
    np.testing.assert_array_equal(low, [1, 3, 4])

    @tf.function
    def increment(x):
        return x + 1

    rt = tf.ragged.constant([[1, 2], [3], [4, 5, 6]])
    cf = increment.get_concrete_function(rt)
    assert repr(cf(rt)) == "<tf.RaggedTensor [[2, 3], [4], [5, 6, 7]]>"


def test_ragged_guide_broadcasting_and_conversion():
    assert (tf.ragged.constant([[1, 2], [3]]) + 3).to_list() == [[4, 5], [6]]
    x = tf.ragged.constant([[10, 87, 12], [19, 53], [12, 32]])
    assert (x + [[1000], [2000], [3000]]).to_list() == [[1010, 1087, 1012], [2019, 2053],
                                                        [3012, 3032]]
    x = tf.ragged.constant([[[1, 2], [3, 4], [5, 6]], [[7, 8]]], ragged_rank=1)
    assert (x + tf.constant([[10]])).to_list() == [[[11, 12], [13, 14], [15, 16]], [[17, 18]]]
    x = tf.ragged.constant([[[[1], [2]], [], [[3]], [[4]]], [[[5], [6]], [[7]]]], ragged_rank=2)
    assert (x + tf.constant([10, 20, 30])).to_list() == [
        [[[11, 21, 31], [12, 22, 32]], [], [[13, 23, 33]], [[14, 24, 34]]],
        [[[15, 25, 35], [16, 26, 36]], [[17, 27, 37]]]]
    with pytest.raises(InvalidArgumentError):  # trailing dimensions do not match
        tf.ragged.constant([[1, 2], [3]]) + tf.constant([[10, 20], [30, 40]])
    with pytest.raises(InvalidArgumentError):  # different row lengths
        tf.ragged.constant([[1, 2], [3, 4, 5, 6], [7]]) + \
            tf.ragged.constant([[1, 2, 3], [4], [5, 6]])
    sentences = tf.ragged.constant([["Hi"], ["Welcome", "to", "the", "fair"], ["Have", "fun"]])
    np.testing.assert_array_equal(sentences.to_tensor(default_value="", shape=[None, 3]),
                                  [[b"Hi", b"", b""], [b"Welcome", b"to", b"the"],
                                   [b"Have", b"fun", b""]])
    x = [[1, 3, -1, -1], [2, -1, -1, -1], [4, 5, 8, 9]]
    assert tf.RaggedTensor.from_tensor(x, padding=-1).to_list() == [[1, 3], [2], [4, 5, 8, 9]]
    st = sentences.to_sparse()
    assert st.indices.numpy().tolist() == [[0, 0], [1, 0], [1, 1], [1, 2], [1, 3], [2, 0],
                                           [2, 1]]
    assert tf.RaggedTensor.from_sparse(st).to_list() == sentences.to_list()


def test_ragged_guide_embeddings_and_gradients():
    queries = tf.ragged.constant([["Who", "is", "Dan", "Smith"], ["Pause"],
                                  ["Will", "it", "rain", "later", "today"]])
    assert queries[1].numpy().tolist() == [b"Pause"]
    assert queries[1:].to_list()[0] == [b"Pause"]
    assert queries[:, :3].to_list()[2] == [b"Will", b"it", b"rain"]
    ids = tf.ragged.constant([[3, 1, 4, 1], [5], [9, 2, 6, 5, 3]])
    embedding_size = 4
    table = tf.Variable(np.random.default_rng(0).standard_normal((10, embedding_size)).astype(np.float32)
                        / math.sqrt(embedding_size))
    with tf.GradientTape() as tape:
        embedded = tf.nn.embedding_lookup(table, ids)
        assert embedded.shape == tf.TensorShape([3, None, 4])
        average = tf.reduce_mean(embedded, axis=1)
        loss = tf.reduce_sum(average)
    np.testing.assert_allclose(average[1], table.numpy()[5], rtol=1e-6)
    grad = tape.gradient(loss, table)
    assert isinstance(grad, tf.IndexedSlices)
    dense = tf.convert_to_tensor(grad).numpy()
    np.testing.assert_allclose(dense[1], 0.5)   # row 0 of ids holds id 1 twice, of 4
    np.testing.assert_allclose(dense[5], 1.0 + 0.2)
    np.testing.assert_allclose(dense[0], 0.0)


def test_sparse_guide():
    st1 = tf.sparse.SparseTensor(indices=[[0, 3], [2, 4]], values=[10, 20], dense_shape=[3, 10])
    np.testing.assert_array_equal(tf.sparse.to_dense(st1)[2], [0, 0, 0, 0, 20, 0, 0, 0, 0, 0])
    st2 = tf.sparse.from_dense([[1, 0, 0, 8], [0, 0, 0, 0], [0, 0, 3, 0]])
    assert st2.indices.numpy().tolist() == [[0, 0], [0, 3], [2, 2]]
    np.testing.assert_array_equal(tf.sparse.to_dense(st2),
                                  [[1, 0, 0, 8], [0, 0, 0, 0], [0, 0, 3, 0]])
    st_a = tf.sparse.SparseTensor(indices=[[0, 2], [3, 4]], values=[31, 2], dense_shape=[4, 10])
    st_b = tf.sparse.SparseTensor(indices=[[0, 2], [3, 0]], values=[56, 38], dense_shape=[4, 10])
    st_sum = tf.sparse.add(st_a, st_b)
    assert st_sum.indices.numpy().tolist() == [[0, 2], [3, 0], [3, 4]]
    assert st_sum.values.numpy().tolist() == [87, 38, 2]
    st_c = tf.sparse.SparseTensor(indices=([0, 1], [1, 0], [1, 1]), values=[13, 15, 17],
                                  dense_shape=(2, 2))
    np.testing.assert_array_equal(tf.sparse.sparse_dense_matmul(st_c, tf.constant([[4], [6]])),
                                  [[78], [162]])
    pattern_a = tf.sparse.SparseTensor(indices=[[2, 4], [3, 3], [3, 4], [4, 3], [4, 4], [5, 4]],
                                       values=[1, 1, 1, 1, 1, 1], dense_shape=[8, 5])
    pattern_b = tf.sparse.SparseTensor(indices=[[0, 2], [1, 1], [1, 3], [2, 0], [2, 4], [2, 5],
                                                [3, 5], [4, 5], [5, 0], [5, 4], [5, 5], [6, 1],
                                                [6, 3], [7, 2]],
                                       values=[1] * 14, dense_shape=[8, 6])
    pattern = tf.sparse.concat(axis=1, sp_inputs=[pattern_a, pattern_b])
    assert pattern.dense_shape.numpy().tolist() == [8, 11]
    assert tf.sparse.to_dense(pattern).numpy()[2].tolist() == [0, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1]
    sliced = tf.sparse.slice(pattern, start=[0, 5], size=[8, 6])
    np.testing.assert_array_equal(tf.sparse.to_dense(sliced), tf.sparse.to_dense(pattern_b))
    st2_plus_5 = tf.sparse.map_values(tf.add, st2, 5)
    np.testing.assert_array_equal(tf.sparse.to_dense(st2_plus_5),
                                  [[6, 0, 0, 13], [0, 0, 0, 0], [0, 0, 8, 0]])

    @tf.function
    def f(x, y):
        return tf.sparse.sparse_dense_matmul(x, y)

    a = tf.sparse.SparseTensor(indices=[[0, 3], [2, 4]], values=[15, 25], dense_shape=[3, 10])
    b = tf.sparse.to_dense(tf.sparse.transpose(a))
    np.testing.assert_array_equal(f(a, b), [[225, 0, 0], [0, 0, 0], [0, 0, 625]])
    # a missing value is not a zero: reduce_max over present values only
    st = tf.sparse.SparseTensor(indices=[[0, 0], [1, 1]], values=[-5, -3], dense_shape=[2, 2])
    np.testing.assert_array_equal(tf.sparse.reduce_max(st, axis=1), [-5, -3])
    np.testing.assert_array_equal(tf.reduce_max(tf.sparse.to_dense(st), axis=1), [0, 0])
