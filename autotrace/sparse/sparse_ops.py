"""`tf.sparse`: ops on SparseTensors.

Most are composed from plain ops on the components (gather, scatter_nd, segment sums, sorts),
so they trace and differentiate like any other code; SparseToDense is an op of its own, which
checks the indices as TensorFlow does (in range, in row-major order, not repeated) and names
the bad one. Ops that read indices check them the same way (SparseCheckIndices).

>>> import autotrace as tf
>>> st = tf.SparseTensor([[0, 0], [1, 2]], [1.0, 2.0], [3, 4])
>>> tf.sparse.reduce_sum(st, axis=1).numpy()
array([1., 2., 0.], dtype=float32)
>>> tf.sparse.sparse_dense_matmul(st, tf.ones([4, 2])).numpy()
array([[1., 1.],
       [2., 2.],
       [0., 0.]], dtype=float32)
"""
import numpy as np

from ..core import dtypes
from ..core.errors import InvalidArgumentError
from ..core.tensor import Tensor
from ..ops import array_ops, math_ops
from ..ops.constant_op import convert_to_tensor
from ..ops.gather_ops import gather, gather_nd, scatter_nd, unsorted_segment_sum
from ..ops.index_ops import boolean_mask, where
from ..ops.manip_ops import concat, stack
from ..ops.registry import NO_GRADIENT, apply, defop
from ..ops.segment_ops import unsorted_segment_max, unsorted_segment_min
from ..ops.sort_ops import argsort, cumsum
from .sparse_tensor import SparseTensor

__all__ = ["SparseTensor", "from_dense", "to_dense", "reorder", "reshape", "add",
           "sparse_dense_matmul", "matmul", "reduce_sum", "reduce_max", "concat", "slice",
           "retain", "transpose", "maximum", "minimum", "map_values", "fill_empty_rows",
           "to_indicator", "segment_sum", "segment_mean", "segment_sqrt_n", "expand_dims",
           "multiply", "divide"]

_concat = concat


# -- checking indices --------------------------------------------------------------------------

def _index_text(row):
    return "[%s]" % ",".join(str(int(i)) for i in row)


def check_indices_kernel(indices, dense_shape, what, ordered):
    if indices.ndim != 2 or indices.shape[1] != len(dense_shape):
        raise InvalidArgumentError("%s: indices of shape %s do not fit dense_shape %s"
                                   % (what, list(indices.shape), list(dense_shape)))
    bad = np.flatnonzero(((indices < 0) | (indices >= dense_shape)).any(axis=1))
    if bad.size:
        i = int(bad[0])
        raise InvalidArgumentError("%s: indices[%d] = %s is out of bounds: need 0 <= index < %s"
                                   % (what, i, _index_text(indices[i]),
                                      _index_text(dense_shape)))
    if ordered and len(indices) > 1:
        linear = np.ravel_multi_index(indices.T, dense_shape) if len(dense_shape) else \
            np.zeros(len(indices), np.int64)
        steps = np.diff(linear)
        if (steps < 0).any():
            i = int(np.flatnonzero(steps < 0)[0]) + 1
            raise InvalidArgumentError(
                "%s: indices[%d] = %s is out of order. Many sparse ops require sorted indices; "
                "use autotrace.sparse.reorder to make a correctly ordered copy."
                % (what, i, _index_text(indices[i])))
        if (steps == 0).any():
            i = int(np.flatnonzero(steps == 0)[0]) + 1
            raise InvalidArgumentError("%s: indices[%d] = %s is repeated"
                                       % (what, i, _index_text(indices[i])))
    return indices


def _check_indices_infer(indices, dense_shape, what, ordered):
    return indices.dtype, indices.shape


SPARSE_CHECK_INDICES = defop("SparseCheckIndices", check_indices_kernel, _check_indices_infer,
                             grad=NO_GRADIENT, inputs=("indices", "dense_shape"))


def checked_indices(sp, what, ordered=False):
    """sp.indices, checked (when the op runs) to be in bounds (and ordered, unique)."""
    return apply(SPARSE_CHECK_INDICES, (sp.indices, sp.dense_shape),
                 {"what": what, "ordered": ordered})


def _sparse(value, what):
    if not isinstance(value, SparseTensor):
        raise TypeError("%s: expected a SparseTensor, got %s" % (what, type(value).__name__))
    return value


# -- SparseToDense -----------------------------------------------------------------------------

def _to_dense_kernel(indices, output_shape, values, default_value, validate_indices):
    if validate_indices:
        check_indices_kernel(indices, output_shape, "SparseToDense", ordered=True)
    out = np.empty(tuple(int(d) for d in output_shape), values.dtype)
    out[...] = default_value
    if len(indices):
        out[tuple(indices.T)] = values
    return out


def _to_dense_infer(indices, output_shape, values, default_value, validate_indices):
    if default_value.dtype is not values.dtype:
        raise InvalidArgumentError("SparseToDense: default_value has dtype %s but values "
                                   "have dtype %s" % (default_value.dtype.name,
                                                      values.dtype.name))
    from ..ops.constant_op import constant_value
    known = constant_value(output_shape)
    if known is not None:
        return values.dtype, [int(d) for d in known]
    n = output_shape.shape[0] if output_shape.shape.rank == 1 else None
    return values.dtype, None if n is None else [None] * n


def _to_dense_grad(op, g):
    indices, _, values, default_value = op.inputs
    value_grad = gather_nd(g, indices)
    default_grad = math_ops.subtract(math_ops.reduce_sum(g), math_ops.reduce_sum(value_grad))
    return [None, None, value_grad, default_grad]


SPARSE_TO_DENSE = defop("SparseToDense", _to_dense_kernel, _to_dense_infer,
                        grad=_to_dense_grad, eager_check=True,
                        inputs=("sparse_indices", "output_shape", "sparse_values",
                                "default_value"))


def to_dense(sp_input, default_value=None, validate_indices=True, name=None):
    """The dense tensor: values at their indices, `default_value` (zero) elsewhere. Indices
    must be in row-major order and unique (see `reorder`)."""
    sp = _sparse(sp_input, "sparse.to_dense")
    default = array_ops.zeros([], sp.dtype) if default_value is None else \
        convert_to_tensor(default_value, sp.dtype)
    return apply(SPARSE_TO_DENSE, (sp.indices, sp.dense_shape, sp.values, default),
                 {"validate_indices": bool(validate_indices)}, name)


def from_dense(tensor, name=None):
    """The nonzero entries of a dense tensor as a SparseTensor (row-major order)."""
    tensor = convert_to_tensor(tensor)
    zero = array_ops.zeros([], tensor.dtype) if not tensor.dtype.is_string else \
        convert_to_tensor(b"", tensor.dtype)
    indices = where(math_ops.not_equal(tensor, zero))
    return SparseTensor(indices, gather_nd(tensor, indices),
                        array_ops.shape(tensor, out_type=dtypes.int64))


# -- order and shape ---------------------------------------------------------------------------

def _strides(dense_shape):
    """Row-major strides of a shape (int64 vector)."""
    from ..ops.sort_ops import cumprod
    return cumprod(dense_shape, exclusive=True, reverse=True)


def _linear(indices, dense_shape):
    return math_ops.reduce_sum(indices * array_ops.expand_dims(_strides(dense_shape), 0),
                               axis=1)


def reorder(sp_input, name=None):
    """The same SparseTensor with its entries in row-major order."""
    sp = _sparse(sp_input, "sparse.reorder")
    order = argsort(_linear(checked_indices(sp, "SparseReorder"), sp.dense_shape),
                    stable=True)
    return SparseTensor(gather(sp.indices, order), gather(sp.values, order), sp.dense_shape)


def reshape(sp_input, shape, name=None):
    """The same entries in a tensor of another shape (row-major, one -1 allowed)."""
    sp = _sparse(sp_input, "sparse.reshape")
    new_shape = convert_to_tensor(shape, dtypes.int64)
    total = math_ops.reduce_prod(sp.dense_shape)
    known = math_ops.reduce_prod(math_ops.maximum(new_shape, 1) * math_ops.cast(
        math_ops.not_equal(new_shape, -1), dtypes.int64) + math_ops.cast(
        math_ops.equal(new_shape, -1), dtypes.int64))
    new_shape = where(math_ops.equal(new_shape, -1), array_ops.zeros_like(new_shape) +
                      math_ops.floordiv(total, known), new_shape)
    linear = _linear(checked_indices(sp, "SparseReshape"), sp.dense_shape)
    strides = _strides(new_shape)
    coords = math_ops.floormod(math_ops.floordiv(array_ops.expand_dims(linear, 1),
                                                 array_ops.expand_dims(strides, 0)),
                               array_ops.expand_dims(new_shape, 0))
    return SparseTensor(coords, sp.values, new_shape)


def transpose(sp_input, perm=None, name=None):
    """Permute the dimensions (default: reverse them); entries come out reordered."""
    sp = _sparse(sp_input, "sparse.transpose")
    rank = sp.shape.rank
    perm = list(range(rank))[::-1] if perm is None else list(perm)
    indices = gather(sp.indices, perm, axis=1)
    return reorder(SparseTensor(indices, sp.values, gather(sp.dense_shape, perm)))


def expand_dims(sp_input, axis=None, name=None):
    sp = _sparse(sp_input, "sparse.expand_dims")
    rank = sp.shape.rank
    axis = axis + rank + 1 if axis < 0 else axis
    zeros = array_ops.zeros_like(sp.indices[:, :1])
    indices = _concat([sp.indices[:, :axis], zeros, sp.indices[:, axis:]], axis=1)
    shape = _concat([sp.dense_shape[:axis], array_ops.ones([1], dtypes.int64),
                     sp.dense_shape[axis:]], axis=0)
    return SparseTensor(indices, sp.values, shape)


# -- merging duplicate positions ---------------------------------------------------------------

def _groups(indices, dense_shape):
    """Entries grouped by position, in row-major order: (order, segment id of each sorted
    entry, number of groups, the index of each group)."""
    linear = _linear(indices, dense_shape)
    order = argsort(linear, stable=True)
    ordered = gather(linear, order)
    first = _concat([array_ops.ones([1], dtypes.bool),
                     math_ops.not_equal(ordered[1:], ordered[:-1])], axis=0)
    first = first[:array_ops.size(ordered)]  # no entries: no groups
    segments = cumsum(math_ops.cast(first, dtypes.int64)) - 1
    count = math_ops.reduce_sum(math_ops.cast(first, dtypes.int64))
    group_indices = boolean_mask(gather(indices, order), first)
    return order, segments, count, group_indices


def add(a, b, threshold=0, thresh=None, name=None):
    """a + b: a SparseTensor for two sparse operands (entries at the same position summed;
    summed entries smaller in magnitude than `threshold` dropped), a dense tensor when one
    operand is dense."""
    threshold = thresh if thresh is not None else threshold
    if not isinstance(a, SparseTensor):
        a, b = b, a
    sp = _sparse(a, "sparse.add")
    if not isinstance(b, SparseTensor):
        dense = convert_to_tensor(b, sp.dtype)
        return math_ops.add(dense, scatter_nd(checked_indices(sp, "SparseTensorDenseAdd"),
                                              sp.values, array_ops.shape(
                                                  dense, out_type=dtypes.int64)))
    _check_same_shape(sp, b, "SparseAdd")
    indices = _concat([checked_indices(sp, "SparseAdd"), checked_indices(b, "SparseAdd")],
                      axis=0)
    values = _concat([sp.values, b.values], axis=0)
    order, segments, count, group_indices = _groups(indices, sp.dense_shape)
    summed = unsorted_segment_sum(gather(values, order), segments, count)
    if threshold:
        merged = unsorted_segment_sum(array_ops.ones_like(segments), segments, count)
        keep = math_ops.logical_or(math_ops.equal(merged, 1), math_ops.greater_equal(
            math_ops.abs(summed), math_ops.cast(threshold, summed.dtype)))
        summed, group_indices = boolean_mask(summed, keep), boolean_mask(group_indices, keep)
    return SparseTensor(group_indices, summed, sp.dense_shape)


def _check_same_shape(a, b, what):
    sa, sb = a.shape, b.shape
    if sa.rank is not None and sb.rank is not None:
        for i, (x, y) in enumerate(zip(sa, sb)):
            if x is not None and y is not None and x != y:
                raise InvalidArgumentError("%s: operands' shapes do not match: got %d and %d "
                                           "for dimension %d" % (what, x, y, i))
        if sa.rank != sb.rank:
            raise InvalidArgumentError("%s: operands have ranks %d and %d"
                                       % (what, sa.rank, sb.rank))


def _extremum(a, b, pick, what):
    a, b = _sparse(a, what), _sparse(b, what)
    _check_same_shape(a, b, what)
    indices = _concat([checked_indices(a, what), checked_indices(b, what)], axis=0)
    values = _concat([a.values, b.values], axis=0)
    order, segments, count, group_indices = _groups(indices, a.dense_shape)
    reduce = unsorted_segment_max if pick is math_ops.maximum else unsorted_segment_min
    best = reduce(gather(values, order), segments, count)
    present = unsorted_segment_sum(array_ops.ones_like(segments), segments, count)
    alone = math_ops.equal(present, 1)  # the other operand's implicit zero competes
    best = where(alone, pick(best, array_ops.zeros_like(best)), best)
    return SparseTensor(group_indices, best, a.dense_shape)


def maximum(sp_a, sp_b, name=None):
    """Elementwise max of two SparseTensors (a missing entry counts as zero)."""
    return _extremum(sp_a, sp_b, math_ops.maximum, "SparseSparseMaximum")


def minimum(sp_a, sp_b, name=None):
    """Elementwise min of two SparseTensors (a missing entry counts as zero)."""
    return _extremum(sp_a, sp_b, math_ops.minimum, "SparseSparseMinimum")


# -- products ----------------------------------------------------------------------------------

def sparse_dense_matmul(sp_a, b, adjoint_a=False, adjoint_b=False, name=None):
    """sp_a @ b for a 2-D SparseTensor and a dense matrix (differentiable in both)."""
    if isinstance(b, SparseTensor) and not isinstance(sp_a, SparseTensor):
        raise NotImplementedError("sparse_dense_matmul(dense, sparse): transpose both and "
                                  "swap them")
    sp = _sparse(sp_a, "sparse.sparse_dense_matmul")
    b = convert_to_tensor(b, sp.dtype)
    if adjoint_b:
        b = array_ops.transpose(math_ops.conj(b))
    indices = checked_indices(sp, "SparseTensorDenseMatMul")
    rows, cols = indices[:, 0], indices[:, 1]
    values = sp.values
    n_rows = sp.dense_shape[0]
    inner = sp.dense_shape[1]
    if adjoint_a:
        rows, cols, n_rows, inner = cols, rows, inner, n_rows
        values = math_ops.conj(values)
    a_inner, b_inner = sp.shape[1 if not adjoint_a else 0], b.shape[0]
    if a_inner is not None and b_inner is not None and a_inner != b_inner:
        raise InvalidArgumentError("SparseTensorDenseMatMul: cannot multiply A and B because "
                                   "inner dimension does not match: %d vs. %d (A is %s, B is "
                                   "%s)" % (a_inner, b_inner, sp.shape, b.shape))
    products = gather(b, cols) * array_ops.expand_dims(values, 1)
    return unsorted_segment_sum(products, rows, n_rows)


matmul = sparse_dense_matmul


def multiply(sp, other):
    """sp * other: the entries of sp times the matching entries of a dense (or scalar)
    operand: a SparseTensor (as TF's sparse * dense)."""
    other = convert_to_tensor(other, sp.dtype) if not isinstance(other, Tensor) else other
    if other.shape.rank == 0:
        return sp.with_values(math_ops.multiply(sp.values, other))
    dense = array_ops.broadcast_to(other, sp.dense_shape)
    return sp.with_values(math_ops.multiply(sp.values, gather_nd(
        dense, checked_indices(sp, "SparseDenseCwiseMul"))))


def divide(sp, other):
    other = convert_to_tensor(other, sp.dtype) if not isinstance(other, Tensor) else other
    if other.shape.rank == 0:
        return sp.with_values(math_ops.truediv(sp.values, other))
    dense = array_ops.broadcast_to(other, sp.dense_shape)
    return sp.with_values(math_ops.truediv(sp.values, gather_nd(
        dense, checked_indices(sp, "SparseDenseCwiseDiv"))))


# -- reductions --------------------------------------------------------------------------------

def _reduced(sp, axis, keepdims, what):
    """(kept index columns, reduced dense shape, kept axes)."""
    rank = sp.shape.rank
    axes = list(range(rank)) if axis is None else \
        [a + rank if a < 0 else a for a in ([axis] if isinstance(axis, int) else axis)]
    for a in axes:
        if not 0 <= a < rank:
            raise InvalidArgumentError("%s: axis %d is out of range for rank %d"
                                       % (what, a, rank))
    if keepdims:
        indices = _zero_columns(checked_indices(sp, what), axes, rank)
        return indices, _one_dims(sp.dense_shape, axes, rank)
    kept = [a for a in range(rank) if a not in axes]
    indices = gather(checked_indices(sp, what), kept, axis=1)
    shape = gather(sp.dense_shape, kept)
    return indices, shape


def _zero_columns(indices, axes, rank):
    columns = [array_ops.zeros_like(indices[:, a]) if a in axes else indices[:, a]
               for a in range(rank)]
    return stack(columns, axis=1)


def _one_dims(shape, axes, rank):
    return stack([array_ops.ones([], dtypes.int64) if a in axes else shape[a]
                  for a in range(rank)])


def reduce_sum(sp_input, axis=None, keepdims=False, output_is_sparse=False, name=None):
    """Sum of the entries over `axis` (None: all): dense, or sparse with output_is_sparse."""
    sp = _sparse(sp_input, "sparse.reduce_sum")
    if axis is None and not keepdims and not output_is_sparse:
        return math_ops.reduce_sum(sp.values)
    indices, shape = _reduced(sp, axis, keepdims, "SparseReduceSum")
    if output_is_sparse:
        order, segments, count, group_indices = _groups(indices, shape)
        return SparseTensor(group_indices, unsorted_segment_sum(gather(sp.values, order),
                                                                segments, count), shape)
    return scatter_nd(indices, sp.values, shape)


def reduce_max(sp_input, axis=None, keepdims=False, output_is_sparse=False, name=None):
    """Max of the present entries over `axis` (positions with no entry give 0 when dense)."""
    sp = _sparse(sp_input, "sparse.reduce_max")
    if axis is None and not keepdims and not output_is_sparse:
        return math_ops.reduce_max(sp.values)
    indices, shape = _reduced(sp, axis, keepdims, "SparseReduceMax")
    order, segments, count, group_indices = _groups(indices, shape)
    best = unsorted_segment_max(gather(sp.values, order), segments, count)
    if output_is_sparse:
        return SparseTensor(group_indices, best, shape)
    return scatter_nd(group_indices, best, shape)


# -- concat, slice, retain ---------------------------------------------------------------------

def sparse_concat(axis, sp_inputs, expand_nonconcat_dims=False, name=None):
    """Concatenate SparseTensors along `axis` (entries come out in row-major order)."""
    inputs = [_sparse(sp, "sparse.concat") for sp in sp_inputs]
    rank = inputs[0].shape.rank
    axis = axis + rank if axis < 0 else axis
    offset = array_ops.zeros([], dtypes.int64)
    shifted = []
    for sp in inputs:
        shift = array_ops.one_hot(axis, rank, dtype=dtypes.int64) * offset
        shifted.append(checked_indices(sp, "SparseConcat") + array_ops.expand_dims(shift, 0))
        offset = offset + sp.dense_shape[axis]
    shape = inputs[0].dense_shape
    if expand_nonconcat_dims:
        shape = _elementwise_max([sp.dense_shape for sp in inputs])
    shape = shape + array_ops.one_hot(axis, rank, dtype=dtypes.int64) * (offset -
                                                                          shape[axis])
    joined = SparseTensor(_concat(shifted, axis=0), _concat([sp.values for sp in inputs],
                                                            axis=0), shape)
    return reorder(joined)


def _elementwise_max(shapes):
    result = shapes[0]
    for s in shapes[1:]:
        result = math_ops.maximum(result, s)
    return result


def sparse_slice(sp_input, start, size, name=None):
    """The entries inside the box [start, start + size), shifted to start at 0."""
    sp = _sparse(sp_input, "sparse.slice")
    start = convert_to_tensor(start, dtypes.int64)
    size = convert_to_tensor(size, dtypes.int64)
    end = math_ops.minimum(start + size, sp.dense_shape)
    indices = checked_indices(sp, "SparseSlice")
    inside = math_ops.reduce_all(math_ops.logical_and(
        math_ops.greater_equal(indices, start), math_ops.less(indices, end)), axis=1)
    return SparseTensor(boolean_mask(indices, inside) - start, boolean_mask(sp.values, inside),
                        math_ops.maximum(end - start, 0))


def retain(sp_input, to_retain):
    """The entries where the bool vector `to_retain` is True."""
    sp = _sparse(sp_input, "sparse.retain")
    keep = convert_to_tensor(to_retain, dtypes.bool)
    return SparseTensor(boolean_mask(sp.indices, keep), boolean_mask(sp.values, keep),
                        sp.dense_shape)


def map_values(op, *args, **kwargs):
    """`op` applied to the values of the SparseTensor arguments (which must share their
    indices); the result keeps those indices."""
    sparse = [a for a in list(args) + list(kwargs.values()) if isinstance(a, SparseTensor)]
    if not sparse:
        raise ValueError("map_values: no SparseTensor among the arguments")
    first = sparse[0]
    for other in sparse[1:]:
        if other.indices is not first.indices:
            apply(SPARSE_SAME_INDICES, (first.indices, other.indices), None)
    unwrap = lambda a: a.values if isinstance(a, SparseTensor) else a  # noqa: E731
    return first.with_values(op(*[unwrap(a) for a in args],
                                **{k: unwrap(v) for k, v in kwargs.items()}))


def _same_indices_kernel(a, b):
    if a.shape != b.shape or not np.array_equal(a, b):
        raise InvalidArgumentError("map_values: the SparseTensor arguments must have the same "
                                   "indices")
    return a


SPARSE_SAME_INDICES = defop("SparseCheckSameIndices", _same_indices_kernel,
                            lambda a, b: (a.dtype, a.shape), grad=NO_GRADIENT,
                            inputs=("a", "b"))


def fill_empty_rows(sp_input, default_value, name=None):
    """Rows (first index) without entries get one entry, `default_value` at column 0.
    Returns (the filled SparseTensor, a bool vector marking the rows that were empty)."""
    sp = _sparse(sp_input, "sparse.fill_empty_rows")
    indices = checked_indices(sp, "SparseFillEmptyRows")
    n_rows = sp.dense_shape[0]
    counts = unsorted_segment_sum(array_ops.ones_like(indices[:, 0]), indices[:, 0], n_rows)
    empty = math_ops.equal(counts, 0)
    empty_rows = array_ops.reshape(where(empty), [-1])
    rank = sp.shape.rank
    new_indices = _concat([array_ops.expand_dims(empty_rows, 1),
                           array_ops.zeros(array_ops.stack(
                               [array_ops.size(empty_rows, out_type=dtypes.int64),
                                convert_to_tensor(rank - 1, dtypes.int64)]), dtypes.int64)],
                          axis=1)
    default = convert_to_tensor(default_value, sp.dtype)
    new_values = array_ops.zeros_like(empty_rows, dtype=sp.dtype) + default
    filled = SparseTensor(_concat([sp.indices, new_indices], axis=0),
                          _concat([sp.values, new_values], axis=0), sp.dense_shape)
    return reorder(filled), empty


def to_indicator(sp_input, vocab_size, name=None):
    """A dense bool tensor [..., vocab_size]: True at the ids each row holds (the values)."""
    sp = _sparse(sp_input, "sparse.to_indicator")
    ids = math_ops.cast(sp.values, dtypes.int64)
    indices = _concat([sp.indices[:, :-1], array_ops.expand_dims(ids, 1)], axis=1)
    shape = _concat([sp.dense_shape[:-1], convert_to_tensor([vocab_size], dtypes.int64)],
                    axis=0)
    hits = scatter_nd(indices, array_ops.ones_like(ids, dtype=dtypes.int32),
                      shape)
    return math_ops.greater(hits, 0)


# -- segment ops over selected rows ------------------------------------------------------------

def _segment_rows(data, indices, segment_ids, num_segments):
    data = convert_to_tensor(data)
    rows = gather(data, indices)
    ids = convert_to_tensor(segment_ids)
    if num_segments is None:
        num_segments = math_ops.reduce_max(_concat([convert_to_tensor([-1], ids.dtype), ids],
                                                   axis=0)) + 1
    return rows, ids, num_segments


def segment_sum(data, indices, segment_ids, num_segments=None, name=None):
    """Sums of data[indices] by (sorted) segment id (TF's tf.sparse.segment_sum)."""
    rows, ids, n = _segment_rows(data, indices, segment_ids, num_segments)
    return unsorted_segment_sum(rows, ids, n)


def segment_mean(data, indices, segment_ids, num_segments=None, name=None):
    """Means of data[indices] by segment id (0 for an empty segment)."""
    rows, ids, n = _segment_rows(data, indices, segment_ids, num_segments)
    total = unsorted_segment_sum(rows, ids, n)
    count = unsorted_segment_sum(array_ops.ones_like(ids, dtype=rows.dtype), ids, n)
    return math_ops.div_no_nan(total, _column(count, total))


def segment_sqrt_n(data, indices, segment_ids, num_segments=None, name=None):
    """Sums of data[indices] by segment id, divided by sqrt(segment size)."""
    rows, ids, n = _segment_rows(data, indices, segment_ids, num_segments)
    total = unsorted_segment_sum(rows, ids, n)
    count = unsorted_segment_sum(array_ops.ones_like(ids, dtype=rows.dtype), ids, n)
    return math_ops.div_no_nan(total, _column(math_ops.sqrt(count), total))


def _column(count, like):
    rank = like.shape.rank
    for _ in range(1, rank or 1):
        count = array_ops.expand_dims(count, -1)
    return count


concat = sparse_concat
slice = sparse_slice  # noqa: A001  (tf.sparse.slice)
__all__ += ["sparse_concat", "sparse_slice"]


# -- printing (tf.print) -----------------------------------------------------------------------

def _sparse_text_kernel(indices, values, dense_shape, summarize):
    from ..ops.logging_ops import format_tensor_value
    out = np.empty((), object)
    out[()] = ("'SparseTensor(indices=%s, values=%s, shape=%s)'" % tuple(
        format_tensor_value(x, summarize) for x in (indices, values, dense_shape))).encode()
    return out


SPARSE_TO_STRING = defop("SparseTensorToString", _sparse_text_kernel,
                         lambda indices, values, dense_shape, summarize: (dtypes.string, []),
                         grad=NO_GRADIENT, inputs=("indices", "values", "dense_shape"))


def print_text(sp, summarize):
    """The text tf.print shows for a SparseTensor, as TF: 'SparseTensor(indices=..., ...)'."""
    return apply(SPARSE_TO_STRING, (sp.indices, sp.values, sp.dense_shape),
                 {"summarize": summarize})
