"""`tf.sets`: set operations over the last dimension of dense or sparse tensors.

Each row (all indices but the last) holds a set: its values, duplicates ignored. union,
intersection and difference return a SparseTensor whose rows list the resulting sets in
ascending order (dense_shape [..., largest set]); size returns the size of each row's set.

>>> import autotrace as tf
>>> tf.sparse.to_dense(tf.sets.union([[1, 2], [3, 4]], [[2, 5], [4, 4]])).numpy()
array([[1, 2, 5],
       [3, 4, 0]], dtype=int32)
"""
import numpy as np

from ..core import dtypes
from ..core.errors import InvalidArgumentError
from ..ops import array_ops
from ..ops.constant_op import convert_to_tensor
from ..ops.index_ops import where
from ..ops.registry import NO_GRADIENT, apply, defop
from .sparse_tensor import SparseTensor

__all__ = ["union", "intersection", "difference", "size"]


def _rows(indices, values, shape):
    """{row prefix: set of values} for every row of the dense shape (empty rows included)."""
    rows = {prefix: set() for prefix in np.ndindex(*[int(d) for d in shape[:-1]])}
    for index, value in zip(map(tuple, indices[:, :-1].tolist()), values.tolist()):
        rows[index].add(value)
    return rows


_COMBINE = {
    "union": lambda a, b: a | b,
    "intersection": lambda a, b: a & b,
    "a-b": lambda a, b: a - b,
    "b-a": lambda a, b: b - a,
}


def _set_op_kernel(a_indices, a_values, a_shape, b_indices, b_values, b_shape,
                   set_operation):
    if len(a_shape) < 2 or list(a_shape[:-1]) != list(b_shape[:-1]):
        raise InvalidArgumentError(
            "SparseToSparseSetOperation: the operands must have rank >= 2 and the same "
            "dimensions but the last; got shapes %s and %s" % (list(a_shape), list(b_shape)))
    a, b = _rows(a_indices, a_values, a_shape), _rows(b_indices, b_values, b_shape)
    combine = _COMBINE[set_operation]
    result = {row: sorted(combine(a[row], b[row])) for row in a}
    width = max([len(v) for v in result.values()] + [0])
    indices = [row + (i,) for row, vals in result.items() for i in range(len(vals))]
    values = [v for vals in result.values() for v in vals]
    rank = len(a_shape)
    return [np.array(indices, np.int64).reshape(-1, rank),
            np.array(values, a_values.dtype).reshape(-1),
            np.array(list(a_shape[:-1]) + [width], np.int64)]


def _set_op_infer(a_indices, a_values, a_shape, b_indices, b_values, b_shape, set_operation):
    if a_values.dtype is not b_values.dtype:
        raise InvalidArgumentError("SparseToSparseSetOperation: the operands have dtypes %s "
                                   "and %s" % (a_values.dtype.name, b_values.dtype.name))
    if not (a_values.dtype.is_integer or a_values.dtype.is_string):
        raise InvalidArgumentError("SparseToSparseSetOperation: sets hold integers or strings, "
                                   "got %s" % a_values.dtype.name)
    rank = a_shape.shape[0] if a_shape.shape.rank == 1 else None
    return [(dtypes.int64, [None, rank]), (a_values.dtype, [None]), (dtypes.int64, [rank])]


SET_OPERATION = defop("SparseToSparseSetOperation", _set_op_kernel, _set_op_infer,
                      grad=NO_GRADIENT, multi_output=True, eager_check=True,
                      inputs=("set1_indices", "set1_values", "set1_shape", "set2_indices",
                              "set2_values", "set2_shape"))


def _set_size_kernel(indices, values, shape):
    rows = _rows(indices, values, shape)
    sizes = np.zeros([int(d) for d in shape[:-1]], np.int32)
    for row, vals in rows.items():
        sizes[row] = len(vals)
    return sizes


def _set_size_infer(indices, values, shape):
    n = shape.shape[0] if shape.shape.rank == 1 else None
    return dtypes.int32, None if n is None else [None] * (n - 1)


SET_SIZE = defop("SetSize", _set_size_kernel, _set_size_infer, grad=NO_GRADIENT,
                 inputs=("set_indices", "set_values", "set_shape"))


def _as_sparse(value):
    """A dense set tensor as a SparseTensor holding every entry (zeros are members)."""
    if isinstance(value, SparseTensor):
        return value
    dense = convert_to_tensor(value)
    if dense.shape.rank is not None and dense.shape.rank < 2:
        raise InvalidArgumentError("tf.sets: inputs must have rank >= 2 (rows of sets), got "
                                   "shape %s" % dense.shape)
    everywhere = where(array_ops.ones_like(dense, dtype=dtypes.bool))
    return SparseTensor(everywhere, array_ops.reshape(dense, [-1]),
                        array_ops.shape(dense, out_type=dtypes.int64))


def _set_operation(a, b, operation):
    a, b = _as_sparse(a), _as_sparse(b)
    indices, values, shape = apply(SET_OPERATION, (a.indices, a.values, a.dense_shape,
                                                   b.indices, b.values, b.dense_shape),
                                   {"set_operation": operation})
    return SparseTensor(indices, values, shape)


def union(a, b, validate_indices=True):
    """The union of the sets in the last dimension of a and b."""
    return _set_operation(a, b, "union")


def intersection(a, b, validate_indices=True):
    """The intersection of the sets in the last dimension of a and b."""
    return _set_operation(a, b, "intersection")


def difference(a, b, aminusb=True, validate_indices=True):
    """a - b (or b - a with aminusb=False), set by set."""
    return _set_operation(a, b, "a-b" if aminusb else "b-a")


def size(a, validate_indices=True):
    """The number of distinct values in each set of the last dimension (dense or sparse;
    TF takes only sparse input)."""
    a = _as_sparse(a)
    return apply(SET_SIZE, (a.indices, a.values, a.dense_shape), None)
